"""Precision and recall of the policy decision on a labelled corpus of job requests.

    .venv/bin/python bench/policy_accuracy.py tests/governance/corpus/heldout.jsonl

Each corpus line is a ``policy_check`` request plus ``"expected"`` (and, optionally, a
``"note"`` saying why). Prints, per decision,
precision and recall, then the headline figures: prohibited requests allowed, benign
requests refused (require_approval counts as a refusal), approval-needing requests allowed.
A request ``policy_check`` rejects as invalid (an empty label list for a classification)
is scored ``error``: it does not run, so it counts as refused, never as allowed.
``--errors`` lists every request decided otherwise than expected.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ("deny", "require_approval", "allow")
# The outcome of a request rejected as invalid, with a clear error and no decision.
INVALID = "error"
# Fields of a corpus line that are not part of the request.
CORPUS_ONLY_FIELDS = frozenset({"id", "expected", "note"})


@dataclass(frozen=True)
class Outcome:
    id: str
    expected: str
    got: str
    rules: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    outcomes: tuple[Outcome, ...]

    def count(self, *, expected: str | None = None, got: str | None = None) -> int:
        return sum(
            1
            for o in self.outcomes
            if (expected is None or o.expected == expected) and (got is None or o.got == got)
        )

    def precision(self, decision: str) -> float:
        decided = self.count(got=decision)
        return self.count(expected=decision, got=decision) / decided if decided else 1.0

    def recall(self, decision: str) -> float:
        wanted = self.count(expected=decision)
        return self.count(expected=decision, got=decision) / wanted if wanted else 1.0

    @property
    def prohibited_allowed(self) -> int:
        return self.count(expected="deny", got="allow")

    @property
    def prohibited_not_denied(self) -> int:
        return self.count(expected="deny") - self.count(expected="deny", got="deny")

    @property
    def benign_refused_share(self) -> float:
        benign = self.count(expected="allow")
        refused = benign - self.count(expected="allow", got="allow")
        return refused / benign if benign else 0.0

    @property
    def approval_allowed(self) -> int:
        return self.count(expected="require_approval", got="allow")


def load_corpus(path: Path) -> list[dict[str, object]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def score_corpus(rows: list[dict[str, object]]) -> Score:
    from governance.engine import RequestInvalid, decide, parse_request

    outcomes = []
    for row in rows:
        request = {k: v for k, v in row.items() if k not in CORPUS_ONLY_FIELDS}
        rules: tuple[str, ...]
        try:
            decision = decide(parse_request(request))
        except RequestInvalid as invalid:
            got, rules = INVALID, (str(invalid),)
        else:
            got, rules = decision.decision.value, tuple(r.id for r in decision.rules)
        outcomes.append(
            Outcome(
                id=str(row["id"]),
                expected=str(row["expected"]),
                got=got,
                rules=rules,
                labels=tuple(str(x) for x in row.get("labels", [])),  # type: ignore[attr-defined]
            )
        )
    return Score(tuple(outcomes))


def table(score: Score) -> str:
    lines = [
        f"{'decision':<18}{'expected':>9}{'decided':>9}{'precision':>11}{'recall':>9}",
    ]
    for decision in DECISIONS:
        lines.append(
            f"{decision:<18}{score.count(expected=decision):>9}{score.count(got=decision):>9}"
            f"{score.precision(decision):>11.3f}{score.recall(decision):>9.3f}"
        )
    confusion = Counter((o.expected, o.got) for o in score.outcomes)
    columns = (*DECISIONS, INVALID) if score.count(got=INVALID) else DECISIONS
    lines.append("")
    lines.append("confusion (rows expected, columns decided): " + ", ".join(columns))
    for expected in DECISIONS:
        cells = " ".join(f"{confusion[(expected, got)]:>5}" for got in columns)
        lines.append(f"  {expected:<18}{cells}")
    lines.append("")
    lines.append(f"prohibited requests allowed:        {score.prohibited_allowed}")
    lines.append(f"prohibited requests not denied:     {score.prohibited_not_denied}")
    lines.append(f"benign requests refused:            {score.benign_refused_share:.1%}")
    lines.append(f"approval-needing requests allowed:  {score.approval_allowed}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="+")
    parser.add_argument("--errors", action="store_true", help="list wrong decisions")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipguard.settings")
    sys.path.insert(0, str(REPO_ROOT))
    import torch

    torch.set_num_threads(int(os.environ.get("CLIPGUARD_TORCH_THREADS", "1")))
    rows = [row for path in args.corpus for row in load_corpus(path)]
    started = time.perf_counter()
    score = score_corpus(rows)
    elapsed = time.perf_counter() - started
    print(f"{len(rows)} requests from {', '.join(str(p) for p in args.corpus)}")
    print(table(score))
    print(f"time: {elapsed:.1f} s including model load")
    if args.errors:
        for o in score.outcomes:
            if o.expected != o.got:
                print(
                    f"  {o.id}: expected {o.expected}, got {o.got} {list(o.rules)} {list(o.labels)}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
