"""The seventh blind held-out policy corpus is frozen: written before the engine was run on it.

Written, like the fourth to sixth, from the product issue, the request contract and the
law only, by someone who had seen none of the rules, lexicons or earlier corpora; most of
its rows name a purpose code of their own. Its hash is fixed here so that an edit to the
corpus shows up as a failing test and a visible change in review.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.governance import blind_corpus

CORPUS = "heldout_blind_v7.jsonl"
CORPUS_SHA256 = "500fb519871d6c3d2ef7a294ef06f696d93eededf76e619db12c40550a382e2c"


def test_corpus_is_frozen() -> None:
    blind_corpus.assert_frozen(CORPUS, CORPUS_SHA256)


def test_corpus_rows_follow_the_policy_check_contract() -> None:
    blind_corpus.assert_follows_the_policy_check_contract(
        CORPUS, min_rows=250, min_own_purposes=100
    )


@pytest.fixture(scope="module")
def score() -> Any:
    return blind_corpus.score(CORPUS)


# Floors measured after the fixes this corpus revealed (docs/governance.md has the first-run
# figures too).
def test_no_prohibited_request_is_allowed(score: Any) -> None:
    assert score.prohibited_allowed == 0


def test_prohibited_requests_not_denied_stay_at_the_measured_level(score: Any) -> None:
    # Each still needs approval: nurses' stress and annoyance lifted to the medical
    # exception, a defendant, a "known person" and a protester whose prohibited intent
    # is only in the description, and a bare "face" label.
    assert score.prohibited_not_denied <= 5


def test_approval_needing_requests_allowed_stay_at_the_measured_level(score: Any) -> None:
    assert score.approval_allowed <= 2


def test_benign_refusals_stay_at_the_measured_level(score: Any) -> None:
    # 8 of 140: 5 written in other languages (require_approval by design), a police press
    # office's search of its vehicle photos, a job-fair booth under the purpose
    # recruitment, and hair colours under a purpose code like no taxonomy purpose on
    # images of people.
    assert score.benign_refused_share <= 8 / 140
