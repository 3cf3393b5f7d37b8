"""The approval queue: compliance officers decide, with a reason, behind CSRF."""

from __future__ import annotations

from django.test import Client

from audit.models import EventType, LedgerRecord
from governance.models import ApprovalStatus
from inference.models import Job, JobStatus
from tests.portal.conftest import PortalWorld


def decide_url(world: PortalWorld) -> str:
    return f"/portal/approvals/{world.job_a_waiting.pk}/decide/"


def test_queue_lists_pending_jobs_in_scope(world: PortalWorld) -> None:
    bob = world.client_for(world.cast.bob).get("/portal/approvals/").content.decode()
    charlie = world.client_for(world.cast.charlie).get("/portal/approvals/").content.decode()
    carol = world.client_for(world.cast.carol).get("/portal/approvals/").content.decode()
    short = str(world.job_a_waiting.pk)[:8]
    assert short in bob
    assert short in carol
    assert short not in charlie
    assert "Approve</button>" in carol
    assert "Approve</button>" not in bob


def test_carol_approves_with_a_reason(world: PortalWorld) -> None:
    client = world.client_for(world.cast.carol)
    response = client.post(
        decide_url(world), {"decision": "approve", "reason": "DPIA 2026-14 on file"}
    )
    assert response.status_code == 302
    job = Job.objects.get(pk=world.job_a_waiting.pk)
    assert job.status == JobStatus.QUEUED
    assert job.approval.status == ApprovalStatus.APPROVED
    record = LedgerRecord.objects.get(event_type=EventType.APPROVAL, job_id=str(job.pk))
    assert record.actor == "carol"
    assert record.policy_decision == "approved"
    assert record.details["reason"] == "DPIA 2026-14 on file"
    page = client.get("/portal/approvals/").content.decode()
    assert "approved; the decision is recorded in the ledger" in page


def test_carol_rejects(world: PortalWorld) -> None:
    client = world.client_for(world.cast.carol)
    client.post(decide_url(world), {"decision": "reject", "reason": "not proportionate"})
    job = Job.objects.get(pk=world.job_a_waiting.pk)
    assert job.status == JobStatus.REJECTED
    assert job.approval.status == ApprovalStatus.REJECTED


def test_a_reason_is_required(world: PortalWorld) -> None:
    client = world.client_for(world.cast.carol)
    response = client.post(decide_url(world), {"decision": "approve", "reason": "   "}, follow=True)
    assert b"not decided" in response.content
    assert Job.objects.get(pk=world.job_a_waiting.pk).status == JobStatus.AWAITING_APPROVAL


def test_unit_users_and_admins_cannot_decide(world: PortalWorld) -> None:
    for user in (world.cast.alice, world.cast.bob, world.cast.root):
        response = world.client_for(user).post(
            decide_url(world), {"decision": "approve", "reason": "me"}
        )
        assert response.status_code == 403
    response = world.client_for(world.cast.nobody).post(
        decide_url(world), {"decision": "approve", "reason": "me"}
    )
    assert response.status_code == 403
    assert Job.objects.get(pk=world.job_a_waiting.pk).status == JobStatus.AWAITING_APPROVAL


def test_anonymous_cannot_decide(world: PortalWorld) -> None:
    response = Client().post(decide_url(world), {"decision": "approve", "reason": "x"})
    assert response.status_code == 302
    assert Job.objects.get(pk=world.job_a_waiting.pk).status == JobStatus.AWAITING_APPROVAL


def test_csrf_is_enforced(world: PortalWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.cast.carol)
    response = client.post(decide_url(world), {"decision": "approve", "reason": "x"})
    assert response.status_code == 403
    assert Job.objects.get(pk=world.job_a_waiting.pk).status == JobStatus.AWAITING_APPROVAL


def test_deciding_twice_is_refused(world: PortalWorld) -> None:
    client = world.client_for(world.cast.carol)
    client.post(decide_url(world), {"decision": "approve", "reason": "ok"})
    response = client.post(decide_url(world), {"decision": "reject", "reason": "changed my mind"})
    assert response.status_code == 404  # no longer waiting
    assert Job.objects.get(pk=world.job_a_waiting.pk).status == JobStatus.QUEUED


def test_get_is_not_allowed(world: PortalWorld) -> None:
    assert world.client_for(world.cast.carol).get(decide_url(world)).status_code == 405
