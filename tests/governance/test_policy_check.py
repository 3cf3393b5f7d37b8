"""The ``policy_check`` command-line contract (see ARCHITECTURE: command-line contracts)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from governance.rulebook import default_rulebook

REPO_ROOT = Path(__file__).resolve().parents[2]

LINES: list[dict[str, Any]] = [
    {
        "id": "ok-1",
        "purpose": "product_tagging",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["red sneaker", "blue sneaker"],
        "data_categories": ["products"],
    },
    {
        "id": "deny-1",
        "purpose": "marketing_analytics",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["shoppers of African descent", "other shoppers"],
        "data_categories": ["people", "faces"],
    },
    {
        "id": "approval-1",
        "purpose": "recruitment",
        "deployment_context": "general",
        "task": "text_to_image_search",
        "labels": [],
        "queries": ["candidate headshot"],
        "purpose_description": "Sort applicant photos.",
        "data_categories": ["people"],
    },
    {
        "id": "bad-context",
        "purpose": "research",
        "deployment_context": "moon",
        "task": "embedding",
        "labels": [],
        "data_categories": ["other"],
    },
    {"id": "missing", "purpose": "research"},
]
LINES.append({**LINES[0], "id": "unknown-field", "colour": "red"})


def run(text: str, tmp_path: Path) -> list[dict]:
    path = tmp_path / "requests.jsonl"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("policy_check", "--input", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_line_per_request_with_the_contract_fields(tmp_path: Path) -> None:
    text = "\n".join(json.dumps(line) for line in LINES) + "\n\nnot json at all\n[1, 2]\n"
    results = run(text, tmp_path)
    by_id = {r["id"]: r for r in results if r["id"] is not None}
    assert by_id["ok-1"] == {
        "id": "ok-1",
        "decision": "allow",
        "rules": [],
        "policy_version": default_rulebook().version,
    }
    assert by_id["deny-1"]["decision"] == "deny"
    rule = by_id["deny-1"]["rules"][0]
    assert {"id", "article", "reason"} <= set(rule)
    assert rule["article"] == "Art. 5(1)(g)"
    assert by_id["approval-1"]["decision"] == "require_approval"
    assert "deployment_context" in by_id["bad-context"]["error"]
    assert "missing field" in by_id["missing"]["error"]
    assert "colour" in by_id["unknown-field"]["error"]
    anonymous = [r for r in results if r["id"] is None]
    assert [r["line"] for r in anonymous] == [8, 9]
    assert all("error" in r for r in anonymous)
    assert len(results) == len(LINES) + 2


def test_unreadable_file_is_an_error() -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("policy_check", "--input", "/no/such/file.jsonl")


def test_plain_manage_py_reads_stdin_without_a_database() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clipguard.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "OMP_NUM_THREADS": "1",
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "policy_check", "--input", "-"],
        input="\n".join(json.dumps(line) for line in LINES[:2]) + "\n{broken\n",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [r.get("decision") for r in results] == ["allow", "deny", None]
    assert "error" in results[2]
