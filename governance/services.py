"""Writes for human oversight: approving or rejecting a job, engaging stop switches."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import EventType
from audit.services import ledger_append
from clipguard.accounts.models import BusinessUnit, User
from governance.models import Approval, ApprovalStatus, StopSwitch
from inference.models import Job, JobStatus
from inference.services import queue_job


@transaction.atomic
def approval_decide(*, actor: User, job: Job, approve: bool, reason: str) -> Approval:
    """A compliance officer approves or rejects a job waiting for approval (both audited)."""
    if not actor.is_compliance_officer:
        raise PermissionDenied("only compliance officers decide approvals")
    if not reason.strip():
        raise ValidationError({"reason": "give a reason for the decision"})
    approval = (
        Approval.objects.select_for_update().select_related("job__business_unit").get(job=job)
    )
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(f"this approval is already {approval.status}")
    now = timezone.now()
    if approval.expires_at is not None and approval.expires_at <= now:
        approval.status = ApprovalStatus.EXPIRED
        approval.save(update_fields=["status"])
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.REJECTED, status_reason="approval request expired", finished_at=now
        )
        raise ValidationError("this approval request has expired; the job must be resubmitted")
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = now
    approval.reason = reason.strip()[:2000]
    approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    job = approval.job
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.AWAITING_APPROVAL).update(
        status=JobStatus.QUEUED if approve else JobStatus.REJECTED,
        status_reason=f"{'approved' if approve else 'rejected'} by {actor.username}",
        finished_at=None if approve else now,
    )
    if not claimed:
        raise ValidationError("the job is no longer waiting for approval")
    ledger_append(
        event_type=EventType.APPROVAL,
        actor=actor,
        business_unit=job.business_unit,
        purpose=job.purpose,
        request_id=job.request_id,
        job_id=str(job.pk),
        policy_version=job.policy_version,
        policy_decision="approved" if approve else "rejected",
        details={"reason": approval.reason},
    )
    if approve:
        queue_job(job)
    return approval


@transaction.atomic
def stop_switch_set(
    *, actor: User, business_unit: BusinessUnit | None, engaged: bool, reason: str
) -> StopSwitch:
    """Engage or release a stop switch; running jobs halt at their next chunk."""
    if not (actor.is_platform_admin or actor.is_compliance_officer):
        raise PermissionDenied("only platform admins and compliance officers use stop switches")
    switch, _ = StopSwitch.objects.select_for_update().get_or_create(business_unit=business_unit)
    switch.engaged = engaged
    switch.reason = reason[:2000]
    switch.changed_by = actor
    switch.save()
    ledger_append(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        business_unit=business_unit,
        details={"stop_switch": "engaged" if engaged else "released", "reason": reason[:300]},
    )
    return switch
