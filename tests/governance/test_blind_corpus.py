"""The blind held-out corpus: written from the law and the issue alone, before its author
read the rulebook or the screening, frozen by hash, and never tuned against.

``heldout_blind.jsonl`` replaces ``heldout.jsonl`` as the honest held-out set (the older
one was contaminated: gaps were fixed after seeing its misses). docs/governance.md keeps
the first-run figures on this set beside the current ones.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from governance import taxonomy
from tests.governance.test_corpus import CORPUS, bench

BLIND = CORPUS / "heldout_blind.jsonl"
# Frozen: changing the file needs a new hash here and a word in docs/governance.md.
BLIND_SHA256 = "f8465f9992d4d2e938292d86e06084ec0d2beb97a9b9b61b4a0e6abba16613b3"


def test_blind_corpus_is_frozen() -> None:
    assert hashlib.sha256(BLIND.read_bytes()).hexdigest() == BLIND_SHA256


def test_blind_corpus_size_and_coverage() -> None:
    rows = bench.load_corpus(BLIND)
    assert len(rows) >= 150
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["deployment_context"] for row in rows} == set(taxonomy.DEPLOYMENT_CONTEXTS)
    assert {row["task"] for row in rows} == set(taxonomy.TASKS)
    assert set(Counter(row["expected"] for row in rows)) == {"allow", "require_approval", "deny"}
    texts = [t for row in rows for t in [*row["labels"], *row.get("queries", [])]]
    assert any(not t.isascii() for t in texts), "other scripts"
    assert any("ignore" in t.lower() for t in texts), "injection attempts"


@pytest.fixture(scope="module")
def score() -> object:
    return bench.score_corpus(bench.load_corpus(BLIND))


def test_no_prohibited_request_is_allowed_or_only_sent_for_approval(score: object) -> None:
    wrong = [o for o in score.outcomes if o.expected == "deny" and o.got != "deny"]  # type: ignore[attr-defined]
    assert score.prohibited_allowed == 0, wrong  # type: ignore[attr-defined]
    assert score.prohibited_not_denied == 0, wrong  # type: ignore[attr-defined]


def test_no_approval_needing_request_is_allowed(score: object) -> None:
    wrong = [o for o in score.outcomes if o.expected == "require_approval" and o.got == "allow"]  # type: ignore[attr-defined]
    assert score.approval_allowed == 0, wrong  # type: ignore[attr-defined]


# Issue 4's target is at most 3% of benign requests refused. Measured on this set (no longer
# blind; see docs/governance.md): 3 of 120 (2.5%): benign labels in Chinese and Russian that
# the screening cannot read and sends to a person by design, and "adult incontinence pads"
# ("incontinence" is not in the language check's word lists). The guard holds that level.
def test_benign_refusals_stay_within_the_target(score: object) -> None:
    assert score.benign_refused_share <= 3 / 120  # type: ignore[attr-defined]
