"""Human oversight through the API, without a worker: approvals expire, stop switches and
job stops are for the right people only, and every change is audited."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import EventType, LedgerRecord
from clipguard.datasets.models import Dataset
from governance.models import Approval, ApprovalStatus, StopSwitch
from governance.selectors import stop_switch_engaged
from inference.models import Job, JobStatus
from tests.conftest import Cast, api_client_for
from tests.ledger import last_record_id, records_after

pytestmark = pytest.mark.django_db


def _job_needing_approval(cast: Cast) -> Job:
    client: Any = api_client_for(cast.alice)
    dataset, _ = Dataset.objects.get_or_create(
        business_unit=cast.unit_a,
        name="Houses",
        defaults={"purposes": ["credit_scoring"], "data_categories": ["scenes"]},
    )
    response = client.post(
        "/api/v1/jobs/",
        {
            "dataset": dataset.pk,
            "purpose": "credit_scoring",
            "deployment_context": "essential_services",
            "task": "zero_shot_classification",
            "labels": ["a well-kept house", "a run-down house"],
        },
        format="json",
    )
    assert response.status_code == 202, response.json()
    return Job.objects.get(pk=response.json()["id"])


def test_approvals_expire_after_30_days_and_cannot_then_be_approved(cast: Cast) -> None:
    job = _job_needing_approval(cast)
    approval = Approval.objects.get(job=job)
    assert approval.expires_at is not None
    validity = approval.expires_at - approval.requested_at
    assert timedelta(days=29, hours=23) < validity <= timedelta(days=30, seconds=5)

    Approval.objects.filter(pk=approval.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    carol: Any = api_client_for(cast.carol)
    response = carol.post(f"/api/v1/approvals/{approval.pk}/approve/", {"reason": "ok"}, "json")
    assert response.status_code == 400
    assert "expired" in str(response.json())
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.EXPIRED  # kept, though the call failed
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert job.status_reason == "approval request expired"
    record = LedgerRecord.objects.get(event_type=EventType.APPROVAL, job_id=str(job.pk))
    assert record.policy_decision == "expired"
    again = carol.post(f"/api/v1/approvals/{approval.pk}/approve/", {"reason": "ok"}, "json")
    assert again.status_code == 400


def test_expire_approvals_command_expires_only_overdue_ones_and_audits(cast: Cast) -> None:
    overdue, current = _job_needing_approval(cast), _job_needing_approval(cast)
    Approval.objects.filter(job=overdue).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("expire_approvals", stdout=out)
    assert "expired 1 approval request(s)" in out.getvalue()
    assert Approval.objects.get(job=overdue).status == ApprovalStatus.EXPIRED
    assert Approval.objects.get(job=current).status == ApprovalStatus.PENDING
    assert Job.objects.get(pk=overdue.pk).status == JobStatus.REJECTED
    assert Job.objects.get(pk=current.pk).status == JobStatus.AWAITING_APPROVAL
    records = LedgerRecord.objects.filter(event_type=EventType.APPROVAL)
    assert [(r.job_id, r.policy_decision, r.actor) for r in records] == [
        (str(overdue.pk), "expired", "system:approval-expiry")
    ]
    out = io.StringIO()
    call_command("expire_approvals", stdout=out)
    assert "expired 0 approval request(s)" in out.getvalue()


def test_approve_and_reject_are_audited_with_the_reason(cast: Cast) -> None:
    carol: Any = api_client_for(cast.carol)
    approve, reject = _job_needing_approval(cast), _job_needing_approval(cast)
    for job, verb in ((approve, "approve"), (reject, "reject")):
        approval = Approval.objects.get(job=job)
        response = carol.post(
            f"/api/v1/approvals/{approval.pk}/{verb}/", {"reason": f"{verb} per review"}, "json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["decided_by"] == "carol"
    assert Job.objects.get(pk=approve.pk).status == JobStatus.QUEUED
    assert Job.objects.get(pk=reject.pk).status == JobStatus.REJECTED
    decisions = {
        r.job_id: (r.policy_decision, r.details["reason"], r.actor)
        for r in LedgerRecord.objects.filter(event_type=EventType.APPROVAL)
    }
    assert decisions == {
        str(approve.pk): ("approved", "approve per review", "carol"),
        str(reject.pk): ("rejected", "reject per review", "carol"),
    }
    missing_reason = carol.post(
        f"/api/v1/approvals/{Approval.objects.get(job=approve).pk}/approve/", {}, "json"
    )
    assert missing_reason.status_code == 400


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "nobody"])
def test_only_compliance_officers_and_platform_admins_throw_stop_switches(
    cast: Cast, who: str
) -> None:
    before = last_record_id()
    client: Any = api_client_for(getattr(cast, who))
    for verb in ("engage", "release"):
        response = client.post(
            f"/api/v1/stop-switches/{verb}/",
            {"business_unit": cast.unit_a.slug, "reason": "try"},
            format="json",
        )
        assert response.status_code == 403, response.json()
    assert not StopSwitch.objects.exists()
    # The only configuration change is the creation of the caller's API key.
    changes = records_after(before, EventType.CONFIG_CHANGE)
    assert [r.details["action"] for r in changes] == ["api_key_create"]


def test_anonymous_callers_cannot_use_oversight_endpoints(cast: Cast) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    job = _job_needing_approval(cast)
    for url in (
        "/api/v1/stop-switches/engage/",
        "/api/v1/stop-switches/release/",
        f"/api/v1/jobs/{job.pk}/stop/",
    ):
        assert client.post(url, {"reason": "x"}, format="json").status_code == 401
    assert client.get("/api/v1/stop-switches/").status_code == 401
    assert client.get("/api/v1/records-of-processing/").status_code == 401


@pytest.mark.parametrize("who", ["carol", "root"])
def test_stop_switches_per_unit_and_platform_are_engaged_released_and_audited(
    cast: Cast, who: str
) -> None:
    client: Any = api_client_for(getattr(cast, who))
    engaged = client.post(
        "/api/v1/stop-switches/engage/",
        {"business_unit": cast.unit_a.slug, "reason": "incident 7"},
        format="json",
    )
    assert engaged.status_code == 200, engaged.json()
    assert engaged.json() | {"id": 0, "changed_at": ""} == {
        "id": 0,
        "scope": "business_unit",
        "business_unit": "retail",
        "engaged": True,
        "reason": "incident 7",
        "changed_by": who,
        "changed_at": "",
    }
    assert stop_switch_engaged(cast.unit_a.pk)
    assert not stop_switch_engaged(cast.unit_b.pk)
    platform = client.post("/api/v1/stop-switches/engage/", {"reason": "all stop"}, "json")
    assert platform.status_code == 200
    assert platform.json()["scope"] == "platform"
    assert stop_switch_engaged(cast.unit_b.pk)
    assert (
        client.post("/api/v1/stop-switches/release/", {"reason": "ok"}, "json").status_code == 200
    )
    assert not stop_switch_engaged(cast.unit_b.pk)
    assert stop_switch_engaged(cast.unit_a.pk)
    listed = client.get("/api/v1/stop-switches/").json()
    assert {(row["scope"], row["engaged"]) for row in listed["results"]} == {
        ("business_unit", True),
        ("platform", False),
    }
    changes = [
        (r.details["stop_switch"], r.details["scope"], r.actor)
        for r in LedgerRecord.objects.filter(
            event_type=EventType.CONFIG_CHANGE, details__has_key="stop_switch"
        ).order_by("pk")
    ]
    assert changes == [
        ("engaged", "retail", who),
        ("engaged", "platform", who),
        ("released", "platform", who),
    ]
    unknown = client.post(
        "/api/v1/stop-switches/engage/", {"business_unit": "nope", "reason": "x"}, "json"
    )
    assert unknown.status_code == 400
    no_reason = client.post("/api/v1/stop-switches/engage/", {}, "json")
    assert no_reason.status_code == 400


def test_units_see_only_their_own_stop_switch(cast: Cast) -> None:
    carol: Any = api_client_for(cast.carol)
    for unit in (cast.unit_a, cast.unit_b):
        carol.post(
            "/api/v1/stop-switches/engage/",
            {"business_unit": unit.slug, "reason": "drill"},
            format="json",
        )
    charlie: Any = api_client_for(cast.charlie)
    rows = charlie.get("/api/v1/stop-switches/").json()["results"]
    assert [row["business_unit"] for row in rows] == ["logistics"]


def test_job_stop_permissions_states_and_audit(cast: Cast) -> None:
    job = _job_needing_approval(cast)
    charlie: Any = api_client_for(cast.charlie)
    assert charlie.post(f"/api/v1/jobs/{job.pk}/stop/", {"reason": "x"}, "json").status_code == 404
    bob: Any = api_client_for(cast.bob)
    assert bob.post(f"/api/v1/jobs/{job.pk}/stop/", {}, "json").status_code == 400
    stopped = bob.post(f"/api/v1/jobs/{job.pk}/stop/", {"reason": "duplicate"}, "json")
    assert stopped.status_code == 200, stopped.json()
    assert stopped.json()["status"] == "cancelled"
    assert stopped.json()["status_reason"] == "stopped by bob: duplicate"
    again = bob.post(f"/api/v1/jobs/{job.pk}/stop/", {"reason": "again"}, "json")
    assert again.status_code == 400
    record = LedgerRecord.objects.get(event_type=EventType.JOB_STATUS, job_id=str(job.pk))
    assert record.actor == "bob"
    assert record.details["status"] == "cancelled"
    assert record.details["previous_status"] == "awaiting_approval"

    other = _job_needing_approval(cast)
    carol: Any = api_client_for(cast.carol)
    by_officer = carol.post(f"/api/v1/jobs/{other.pk}/stop/", {"reason": "review"}, "json")
    assert by_officer.status_code == 200
