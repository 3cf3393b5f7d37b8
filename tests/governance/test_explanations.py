"""One explanation everywhere: ``policy_check``, the API's dry-run and job submission return
the same decision, rules, articles, reasons and matched words for the same request."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from clipguard.datasets.models import Dataset
from inference.models import Job
from tests.conftest import Cast, api_client_for

REQUESTS: list[dict[str, Any]] = [
    {
        "purpose": "marketing_analytics",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["shoppers of African descent", "other shoppers"],
        "data_categories": ["people", "faces"],
    },
    {
        "purpose": "credit_scoring",
        "deployment_context": "essential_services",
        "task": "zero_shot_classification",
        "labels": ["well-kept house", "run-down house"],
        "data_categories": ["scenes"],
    },
    {
        "purpose": "worker_monitoring",
        "deployment_context": "workplace",
        "task": "zero_shot_classification",
        "labels": ["employee who looks furious", "hard hat"],
        "purpose_description": "Watch the warehouse team.",
        "data_categories": ["people"],
    },
    {
        "purpose": "product_tagging",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["red sneaker", "blue sneaker"],
        "data_categories": ["products"],
    },
]


def _policy_check(request: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "request.jsonl"
    path.write_text(json.dumps({"id": "r", **request}) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("policy_check", "--input", str(path), stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue().strip())
    result.pop("id")
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("request_body", REQUESTS, ids=lambda r: r["purpose"])
def test_policy_check_dry_run_and_job_agree(
    cast: Cast, request_body: dict[str, Any], tmp_path: Path
) -> None:
    client: Any = api_client_for(cast.alice)
    expected = _policy_check(request_body, tmp_path)
    assert expected["decision"] in {"allow", "require_approval", "deny"}
    assert all({"id", "article", "reason", "matched"} <= set(r) for r in expected["rules"])
    if expected["decision"] != "allow":
        assert expected["rules"], "a refusal names the rules that fired"
        assert all(r["matched"] and r["article"] and r["reason"] for r in expected["rules"])

    dry = client.post("/api/v1/jobs/dry-run/", request_body, format="json")
    assert dry.status_code == 200, dry.json()
    assert dry.json() == expected

    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Explained",
        purposes=[request_body["purpose"]],
        data_categories=request_body["data_categories"],
    )
    body = {k: v for k, v in request_body.items() if k != "data_categories"}
    response = client.post("/api/v1/jobs/", {**body, "dataset": dataset.pk}, format="json")
    status = {"deny": 403, "require_approval": 202, "allow": 201}[expected["decision"]]
    assert response.status_code == status, response.json()
    job_body = response.json()["job"] if status == 403 else response.json()
    assert job_body["decision"] == expected["decision"]
    assert job_body["decision_rules"] == expected["rules"]
    assert job_body["policy_version"] == expected["policy_version"]
    job = Job.objects.get(pk=job_body["id"])
    assert job.decision_rules == expected["rules"]
    if expected["decision"] == "require_approval":
        approval = client.get("/api/v1/approvals/?status=pending").json()["results"]
        assert approval[0]["decision_rules"] == expected["rules"]
