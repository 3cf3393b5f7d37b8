"""Shared checks of the frozen blind policy corpora (``corpus/heldout_blind_v*.jsonl``).

Each corpus was written by someone who had not seen the rulebook and committed before the
engine was run on it; its test module fixes its sha256 and the levels measured after the
fixes it revealed. What every such module checks the same way lives here.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from governance import taxonomy
from tests.governance.test_corpus import bench

CORPUS_DIR = Path(__file__).parent / "corpus"
DECISIONS = {"allow", "require_approval", "deny"}


def rows(name: str) -> list[dict[str, Any]]:
    text = (CORPUS_DIR / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def assert_frozen(name: str, sha256: str) -> None:
    assert hashlib.sha256((CORPUS_DIR / name).read_bytes()).hexdigest() == sha256


def assert_follows_the_policy_check_contract(
    name: str, *, min_rows: int, min_own_purposes: int
) -> None:
    """Rows are requests ``policy_check`` accepts, each with an expected decision and a
    note; at least ``min_own_purposes`` of them name a purpose code outside the taxonomy."""
    found = rows(name)
    assert len(found) >= min_rows
    assert len({row["id"] for row in found}) == len(found)
    for row in found:
        assert row["deployment_context"] in taxonomy.DEPLOYMENT_CONTEXTS, row["id"]
        assert row["task"] in taxonomy.TASKS, row["id"]
        assert set(row["data_categories"]) <= set(taxonomy.DATA_CATEGORIES), row["id"]
        assert row["expected"] in DECISIONS, row["id"]
        assert row["note"], row["id"]
    own = [row for row in found if taxonomy.canonical_purpose(row["purpose"]) is None]
    assert len(own) >= min_own_purposes


@functools.cache
def score(name: str) -> Any:
    """The current rulebook's score on the corpus (computed once per test run)."""
    return bench.score_corpus(bench.load_corpus(CORPUS_DIR / name))
