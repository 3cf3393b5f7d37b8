"""The second blind held-out corpus: written from the law and the issue alone, before its
author read the rulebook, the lexicons or the older corpora, frozen by hash before any rule
changed, and never tuned against.

``heldout_blind.jsonl`` had been looked at while its gaps were fixed, so it can no longer
give honest held-out figures; ``heldout_blind_v2.jsonl`` takes its place. Each line carries
a ``note`` saying why it expects what it expects. docs/governance.md keeps the first-run
figures on this set beside the current ones.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from governance import taxonomy
from tests.governance.test_corpus import CORPUS, bench

BLIND_V2 = CORPUS / "heldout_blind_v2.jsonl"
# Frozen: changing the file needs a new hash here and a word in docs/governance.md.
BLIND_V2_SHA256 = "23ae77d3ba3c70eb06301f1b772e2d2c432b6f25912f6f5a9541322e4fbfac9b"


def test_blind_v2_corpus_is_frozen() -> None:
    assert hashlib.sha256(BLIND_V2.read_bytes()).hexdigest() == BLIND_V2_SHA256


def test_blind_v2_corpus_size_and_coverage() -> None:
    rows = bench.load_corpus(BLIND_V2)
    assert len(rows) >= 200
    assert len({row["id"] for row in rows}) == len(rows)
    assert all(row.get("note") for row in rows)
    assert {row["deployment_context"] for row in rows} == set(taxonomy.DEPLOYMENT_CONTEXTS)
    assert {row["task"] for row in rows} == set(taxonomy.TASKS)
    assert {c for row in rows for c in row["data_categories"]} == set(taxonomy.DATA_CATEGORIES)
    assert set(Counter(row["expected"] for row in rows)) == {"allow", "require_approval", "deny"}
    texts = [t for row in rows for t in [*row["labels"], *row.get("queries", [])]]
    assert any(not t.isascii() for t in texts), "other scripts"
    assert any("ignore" in t.lower() for t in texts), "injection attempts"
    assert max(len(row["labels"]) for row in rows) >= 480, "enormous label lists"


@pytest.fixture(scope="module")
def score() -> object:
    return bench.score_corpus(bench.load_corpus(BLIND_V2))


def test_every_prohibited_request_is_denied(score: object) -> None:
    wrong = [o for o in score.outcomes if o.expected == "deny" and o.got != "deny"]  # type: ignore[attr-defined]
    assert score.prohibited_allowed == 0, wrong  # type: ignore[attr-defined]
    assert score.prohibited_not_denied == 0, wrong  # type: ignore[attr-defined]


# Measured after the fixes (docs/governance.md): no approval-needing request allowed (the
# one allowed before, "signs of depression" read as a sign, a thing, was fixed with the third
# blind corpus), and 19 of 121 benign requests refused, all in other languages that the
# screening cannot read (require_approval by design). No English benign request is refused.
def test_approval_needing_requests_allowed_do_not_exceed_the_measured_level(score: object) -> None:
    assert score.approval_allowed == 0  # type: ignore[attr-defined]


def test_benign_refusals_do_not_exceed_the_measured_level(score: object) -> None:
    assert score.benign_refused_share <= 19 / 121  # type: ignore[attr-defined]
