"""The third blind held-out policy corpus is frozen: written before the engine was tuned on it.

Its hash is fixed here so that an edit to the corpus (to make the engine look better) shows
up as a failing test and a visible change in review.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from governance.taxonomy import DATA_CATEGORIES, DEPLOYMENT_CONTEXTS, TASKS
from tests.governance.test_corpus import bench

CORPUS = Path(__file__).parent / "corpus" / "heldout_blind_v3.jsonl"
CORPUS_SHA256 = "7a7daf8f84e9e97f39ad2d7a1043471e12dcf5f267c98ea3fb2e21f8f8278137"
DECISIONS = {"allow", "require_approval", "deny"}


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_corpus_is_frozen() -> None:
    assert hashlib.sha256(CORPUS.read_bytes()).hexdigest() == CORPUS_SHA256


def test_corpus_rows_follow_the_policy_check_contract() -> None:
    rows = _rows()
    assert len(rows) >= 200
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["deployment_context"] in DEPLOYMENT_CONTEXTS, row["id"]
        assert row["task"] in TASKS, row["id"]
        assert set(row["data_categories"]) <= set(DATA_CATEGORIES), row["id"]
        assert 2 <= len(row["labels"]) <= 20, row["id"]
        assert isinstance(row["purpose"], str), row["id"]
        assert row["purpose"], row["id"]
        assert row["expected"] in DECISIONS, row["id"]
        assert row["note"], row["id"]


def test_corpus_covers_every_context_task_and_decision() -> None:
    rows = _rows()
    assert {row["deployment_context"] for row in rows} == set(DEPLOYMENT_CONTEXTS)
    assert {row["task"] for row in rows} == set(TASKS)
    assert {row["expected"] for row in rows} == DECISIONS


# Floors measured after the fixes that this corpus revealed (docs/governance.md has the
# first-run figures too). 14 of 120 benign requests are still refused: 10 in other
# languages that the screening cannot read (require_approval by design), alt text
# contrasting "a woman … / a man … / two children …", a reservoir perimeter camera (safety
# monitoring in critical infrastructure), a text-to-image query about people enjoying a
# product, and one benign request carrying an instruction to the screening.
@pytest.fixture(scope="module")
def score() -> object:
    return bench.score_corpus(bench.load_corpus(CORPUS))


def test_every_prohibited_request_is_denied(score: object) -> None:
    wrong = [o for o in score.outcomes if o.expected == "deny" and o.got != "deny"]  # type: ignore[attr-defined]
    assert score.prohibited_not_denied == 0, wrong  # type: ignore[attr-defined]


def test_no_approval_needing_request_is_allowed(score: object) -> None:
    assert score.approval_allowed == 0  # type: ignore[attr-defined]


def test_benign_refusals_do_not_exceed_the_measured_level(score: object) -> None:
    assert score.benign_refused_share <= 14 / 120  # type: ignore[attr-defined]
