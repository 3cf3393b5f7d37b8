"""The fourth blind held-out policy corpus is frozen: written before the engine was run on it.

It was written by someone who had seen only the product issue and the request contract,
not the rules, the lexicons or the earlier corpora. A third of its rows name a purpose
code of their own making ("catalogue_enrichment", "reoffending_risk"): the engine takes
those for the nearest taxonomy purpose by meaning. Its hash is fixed here so that an edit
to the corpus shows up as a failing test and a visible change in review.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.governance import blind_corpus

CORPUS = "heldout_blind_v4.jsonl"
CORPUS_SHA256 = "f5b85a7f853cfe32d2ae16d455b43e47c900dac965ba55b43cd0cfed4f77279d"


def test_corpus_is_frozen() -> None:
    blind_corpus.assert_frozen(CORPUS, CORPUS_SHA256)


def test_corpus_rows_follow_the_policy_check_contract() -> None:
    blind_corpus.assert_follows_the_policy_check_contract(
        CORPUS, min_rows=300, min_own_purposes=100
    )


@pytest.fixture(scope="module")
def score() -> Any:
    return blind_corpus.score(CORPUS)


# Floors measured after the fixes this corpus revealed (docs/governance.md has the first-run
# figures too). Of 152 benign requests 7 are refused: 6 written in other languages
# (require_approval by design) and one list of dishes with two French names.
def test_no_prohibited_request_is_allowed(score: Any) -> None:
    assert score.prohibited_allowed == 0


def test_prohibited_requests_not_denied_stay_at_the_measured_level(score: Any) -> None:
    # Two police face searches that say neither where nor when (so approval, not 5(1)(h)),
    # and a label set whose "seen at church" the screening takes for a church.
    assert score.prohibited_not_denied <= 3


def test_approval_needing_requests_allowed_stay_at_the_measured_level(score: Any) -> None:
    # Labels about what individual workers do ("operator skipped torque step") with no
    # purpose or wording about monitoring them, and two inspections in the critical
    # infrastructure context (a dam's cracks, water turbidity) that say nothing of acting on
    # the plant, which the rulebook treats as maintenance.
    assert score.approval_allowed <= 6


def test_benign_refusals_stay_at_the_measured_level(score: Any) -> None:
    assert score.benign_refused_share <= 7 / 152
