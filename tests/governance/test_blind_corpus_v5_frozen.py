"""The fifth blind held-out policy corpus is frozen: written before the engine was run on it.

Written, like the fourth, from the product issue, the request contract and the law only,
by someone who had seen none of the rules, lexicons or earlier corpora; 44% of its rows
name a purpose code of their own. Its hash is fixed here so that an edit to the corpus
shows up as a failing test and a visible change in review.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.governance import blind_corpus

CORPUS = "heldout_blind_v5.jsonl"
CORPUS_SHA256 = "d7081181e167f837a0b1e96cdf674a243221776ba8fc915ac8e7b9e929c6f510"


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
def test_prohibited_requests_allowed_stay_at_the_measured_level(score: Any) -> None:
    # v5-200 embeds own "face" images with no description: the scraping its note speaks of
    # is nowhere in the request.
    assert score.prohibited_allowed <= 1


def test_prohibited_requests_not_denied_stay_at_the_measured_level(score: Any) -> None:
    assert score.prohibited_not_denied <= 4


def test_approval_needing_requests_allowed_stay_at_the_measured_level(score: Any) -> None:
    # Worker and pupil monitoring phrased as compliance, engagement or grades.
    assert score.approval_allowed <= 9


def test_benign_refusals_stay_at_the_measured_level(score: Any) -> None:
    # 9 of 150: 6 written in other languages (require_approval by design), podcast genres
    # with "kids" on data without people, eye colours under a purpose code like no
    # taxonomy purpose on images of people, and "PAS stain" ("pas" read as French).
    assert score.benign_refused_share <= 9 / 150
