"""The sixth blind held-out policy corpus is frozen: written before the engine was run on it.

Written, like the fourth and fifth, from the product issue, the request contract and the
law only, by someone who had seen none of the rules, lexicons or earlier corpora; 41% of
its rows name a purpose code of their own. Its hash is fixed here so that an edit to the
corpus shows up as a failing test and a visible change in review.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.governance import blind_corpus

CORPUS = "heldout_blind_v6.jsonl"
CORPUS_SHA256 = "e41a4eb3b1890c3aa6a5b9edccbf72fb8a2e4c1dab406ff567cb564ee43360f1"


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
# figures too).
def test_no_prohibited_request_is_allowed(score: Any) -> None:
    assert score.prohibited_allowed == 0


def test_prohibited_requests_not_denied_stay_at_the_measured_level(score: Any) -> None:
    # "identified person / unidentified person" with no place or time, and a bare
    # "customer" label whose emotion intent at a till is only in the description.
    assert score.prohibited_not_denied <= 2


def test_approval_needing_requests_allowed_stay_at_the_measured_level(score: Any) -> None:
    assert score.approval_allowed <= 6


def test_benign_refusals_stay_at_the_measured_level(score: Any) -> None:
    # 7 of 150: 6 written in other languages (require_approval by design) and a list of
    # hospital equipment whose "defibrillator" the English word lists do not know.
    assert score.benign_refused_share <= 7 / 150
