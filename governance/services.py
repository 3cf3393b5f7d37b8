"""Writes for human oversight: deciding approvals, expiring them, stopping work.

Each write is audited in the ledger in the same transaction as the change it records.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import EventType
from audit.services import ledger_append
from clipguard.accounts.models import BusinessUnit, User
from clipguard.accounts.selectors import can_write_in
from governance.models import Approval, ApprovalStatus, StopSwitch
from inference.filters import redact_text
from inference.models import Job, JobStatus
from inference.services import queue_job

EXPIRED_REASON = "approval request expired"
STOPPABLE_JOB_STATUSES = (JobStatus.AWAITING_APPROVAL, JobStatus.QUEUED, JobStatus.RUNNING)


def _audited(text: str) -> str:
    """Free text as the ledger keeps it: personal data redacted, at most 300 characters."""
    return redact_text(text[:300]).text if text else ""


class ApprovalExpired(ValidationError):
    """The approval request passed its expiry date; the job must be resubmitted."""


def approval_decide(*, actor: User, job: Job, approve: bool, reason: str) -> Approval:
    """A compliance officer approves or rejects a job waiting for approval (both audited).

    An approval past its expiry date cannot be decided: it is marked expired (audited, and
    kept even though the call then raises :class:`ApprovalExpired`).
    """
    if not actor.is_compliance_officer:
        raise PermissionDenied("only compliance officers decide approvals")
    if not reason.strip():
        raise ValidationError({"reason": "give a reason for the decision"})
    with transaction.atomic():
        approval = (
            Approval.objects.select_for_update().select_related("job__business_unit").get(job=job)
        )
        if approval.status != ApprovalStatus.PENDING:
            raise ValidationError(f"this approval is already {approval.status}")
        now = timezone.now()
        if approval.expires_at is not None and approval.expires_at <= now:
            _expire(approval, now=now)
            expired = True
        else:
            _decide(approval, actor=actor, approve=approve, reason=reason, now=now)
            expired = False
    if expired:
        raise ApprovalExpired("this approval request has expired; the job must be resubmitted")
    return approval


def _decide(approval: Approval, *, actor: User, approve: bool, reason: str, now: datetime) -> None:
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = now
    approval.reason = reason.strip()[:2000]
    approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    job = approval.job
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.AWAITING_APPROVAL).update(
        status=JobStatus.QUEUED if approve else JobStatus.REJECTED,
        status_reason=f"{'approved' if approve else 'rejected'} by {actor.username}: "
        f"{approval.reason[:500]}",
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
        details={"reason": _audited(approval.reason), "approval_id": approval.pk},
    )
    if approve:
        job.refresh_from_db(fields=["status"])
        queue_job(job)


def _expire(approval: Approval, *, now: datetime) -> None:
    """Mark one pending approval expired and its job rejected, audited (caller holds a lock)."""
    approval.status = ApprovalStatus.EXPIRED
    approval.decided_at = now
    approval.reason = EXPIRED_REASON
    approval.save(update_fields=["status", "decided_at", "reason"])
    job = approval.job
    Job.objects.filter(pk=job.pk, status=JobStatus.AWAITING_APPROVAL).update(
        status=JobStatus.REJECTED, status_reason=EXPIRED_REASON, finished_at=now
    )
    ledger_append(
        event_type=EventType.APPROVAL,
        actor="system:approval-expiry",
        business_unit=job.business_unit,
        purpose=job.purpose,
        request_id=job.request_id,
        job_id=str(job.pk),
        policy_version=job.policy_version,
        policy_decision="expired",
        details={
            "reason": EXPIRED_REASON,
            "approval_id": approval.pk,
            "expires_at": approval.expires_at.isoformat() if approval.expires_at else None,
        },
    )


def approvals_expire(*, now: datetime | None = None) -> int:
    """Expire every pending approval whose expiry date has passed; returns how many.

    Each one is claimed under a row lock in its own transaction, so a run that overlaps a
    compliance officer's decision (or another run) never expires a decided approval.
    """
    now = now or timezone.now()
    due = Approval.objects.filter(status=ApprovalStatus.PENDING, expires_at__lte=now)
    expired = 0
    for approval_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            approval = (
                Approval.objects.select_for_update()
                .select_related("job__business_unit")
                .filter(pk=approval_id, status=ApprovalStatus.PENDING, expires_at__lte=now)
                .first()
            )
            if approval is None:
                continue
            _expire(approval, now=now)
            expired += 1
    return expired


@transaction.atomic
def stop_switch_set(
    *, actor: User, business_unit: BusinessUnit | None, engaged: bool, reason: str
) -> StopSwitch:
    """Engage or release a stop switch (a unit's, or platform-wide when ``business_unit`` is
    None); running jobs in its scope are cancelled at their next chunk. Audited."""
    if not (actor.is_platform_admin or actor.is_compliance_officer):
        raise PermissionDenied("only platform admins and compliance officers use stop switches")
    if not reason.strip():
        raise ValidationError({"reason": "give a reason for engaging or releasing the switch"})
    switch, _ = StopSwitch.objects.select_for_update().get_or_create(business_unit=business_unit)
    switch.engaged = engaged
    switch.reason = reason.strip()[:2000]
    switch.changed_by = actor
    switch.save()
    ledger_append(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        business_unit=business_unit,
        details={
            "stop_switch": "engaged" if engaged else "released",
            "scope": business_unit.slug if business_unit is not None else "platform",
            "reason": _audited(switch.reason),
        },
    )
    return switch


@transaction.atomic
def job_stop(*, actor: User, job: Job, reason: str) -> Job:
    """Stop one job: it becomes ``cancelled`` with the reason, and never runs another chunk.

    Compliance officers, platform admins and members of the job's own business unit may
    stop a job that is waiting for approval, queued or running. A pending approval of the
    job is withdrawn. Audited as a job status change.
    """
    if not (
        actor.is_compliance_officer
        or actor.is_platform_admin
        or can_write_in(actor, job.business_unit_id)
    ):
        raise PermissionDenied("you may not stop this job")
    if not reason.strip():
        raise ValidationError({"reason": "give a reason for stopping the job"})
    job = Job.objects.select_for_update().select_related("business_unit").get(pk=job.pk)
    if job.status not in STOPPABLE_JOB_STATUSES:
        raise ValidationError(f"the job is {job.status}; only waiting, queued or running jobs stop")
    previous = job.status
    now = timezone.now()
    status_reason = f"stopped by {actor.username}: {reason.strip()[:500]}"
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.CANCELLED, status_reason=status_reason, finished_at=now
    )
    Approval.objects.filter(job=job, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.WITHDRAWN, decided_at=now, reason=status_reason
    )
    ledger_append(
        event_type=EventType.JOB_STATUS,
        actor=actor,
        business_unit=job.business_unit,
        purpose=job.purpose,
        request_id=job.request_id,
        job_id=str(job.pk),
        policy_version=job.policy_version,
        policy_decision=job.decision,
        details={
            "status": JobStatus.CANCELLED.value,
            "previous_status": previous,
            "reason": _audited(status_reason),
        },
    )
    job.refresh_from_db()
    return job
