"""The eighth blind held-out policy corpus is frozen: written before the engine was run on it.

Written, like the fourth to seventh, from the product issue, the request contract and the
law only, by someone who had seen none of the rules, lexicons or earlier corpora. Unlike
them it holds only the six contract fields (no purpose description), as ``policy_check``
callers send them; most of its rows name a purpose code of their own. Its hash is fixed
here so that an edit to the corpus shows up as a failing test and a visible change in
review.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.governance import blind_corpus

CORPUS = "heldout_blind_v8.jsonl"
CORPUS_SHA256 = "6463eb004ced93cab914f1635a70f8eef5cfad44284d02521e1733faf4a9aae3"


def test_corpus_is_frozen() -> None:
    blind_corpus.assert_frozen(CORPUS, CORPUS_SHA256)


def test_corpus_rows_follow_the_policy_check_contract() -> None:
    blind_corpus.assert_follows_the_policy_check_contract(
        CORPUS, min_rows=300, min_own_purposes=250
    )


def test_rows_hold_the_six_contract_fields_only() -> None:
    fields = {"id", "purpose", "deployment_context", "task", "labels", "data_categories"}
    for row in blind_corpus.rows(CORPUS):
        assert set(row) == fields | {"expected", "note"}, row["id"]


@pytest.fixture(scope="module")
def score() -> Any:
    return blind_corpus.score(CORPUS)


# Floors measured after the fixes this corpus revealed (docs/governance.md has the first-run
# figures too).
def test_no_prohibited_request_is_allowed(score: Any) -> None:
    assert score.prohibited_allowed == 0


def test_every_prohibited_request_is_denied(score: Any) -> None:
    assert score.prohibited_not_denied == 0


def test_approval_needing_requests_allowed_stay_at_the_measured_level(score: Any) -> None:
    # French housing labels for a creditworthiness check whose words the dictionaries list
    # as archaic English ("logement"), and a "cleaner_audit" on images of staff with no
    # labels, taken for an inventory.
    assert score.approval_allowed <= 2


def test_benign_refusals_stay_at_the_measured_level(score: Any) -> None:
    # 9 of 150: 6 written in other languages (require_approval by design), an
    # instruction-injection label (a safe decision by design), an evidence room's barcode
    # labels, and auto-cropping profile pictures (a purpose code like no taxonomy purpose
    # on images of faces).
    assert score.benign_refused_share <= 9 / 150
