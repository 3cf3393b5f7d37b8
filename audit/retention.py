"""Log retention: pruning ledger records older than the retention period, behind a checkpoint.

EU AI Act Art. 12 and 26 ask deployers to keep the logs of a high-risk system for at least
six months. ``AUDIT_RETENTION_DAYS`` (default 183) sets how long ClipGuard keeps ledger
records; anything below 183 days is refused.

Pruning removes only whole, old, published batches from the start of the chain:

* the *horizon* is the newest checkpoint that is published (``latest.json`` in
  ``AUDIT_CHECKPOINT_DIR`` names it or a later one) and was signed before the cutoff
  (now minus the retention period); every record at a position up to that checkpoint's
  last position, and itself older than the cutoff, is deleted;
* unsealed (pending) records, records sealed under a checkpoint that is not published,
  and records sealed after the cutoff are never touched;
* links and checkpoints stay, so the chain, the Merkle roots and the signatures still
  verify; only the records' contents go;
* the deletion runs inside :func:`audit.maintenance.ledger_maintenance` (so only the table
  owner can do it), after a full verification that must pass (pruning must never destroy
  the evidence of tampering), and writes one ``config_change`` record with
  ``details.action == "retention_prune"`` in the same transaction.

Verification reads those records to learn the pruning horizon: a record missing at a
position up to a justified horizon counts as *pruned*, not as *missing*; a pruning record
that claims a horizon younger than the retention minimum is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from audit.checkpoints import read_latest_published
from audit.hashing import format_timestamp
from audit.maintenance import ledger_maintenance
from audit.models import EventType, LedgerCheckpoint, LedgerRecord
from audit.services import ledger_append

MINIMUM_RETENTION_DAYS = 183
RETENTION_ACTOR = "system:retention"
PRUNE_ACTION = "retention_prune"
PRUNE_EVENT = EventType.CONFIG_CHANGE


class RetentionTooShort(ImproperlyConfigured):
    """The configured retention is below the six-month minimum."""


class PruneRefused(RuntimeError):
    """Pruning would be unsafe now (the ledger does not verify)."""


def retention_days(value: int | None = None) -> int:
    """The retention period in days (``AUDIT_RETENTION_DAYS`` unless given); at least 183."""
    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))
    if value is not None:
        days = int(value)
    if days < MINIMUM_RETENTION_DAYS:
        raise RetentionTooShort(
            f"audit log retention of {days} days refused: at least {MINIMUM_RETENTION_DAYS} "
            "days (six months, EU AI Act Art. 12/26) are required"
        )
    return days


@dataclass(frozen=True)
class PrunePlan:
    """What a pruning run would delete now."""

    retention_days: int
    cutoff: datetime
    published_sequence: int | None
    through_checkpoint: int | None
    through_position: int | None
    records: int

    @property
    def empty(self) -> bool:
        return self.records == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "retention_days": self.retention_days,
            "cutoff": format_timestamp(self.cutoff),
            "published_sequence": self.published_sequence,
            "through_checkpoint": self.through_checkpoint,
            "through_position": self.through_position,
            "records": self.records,
        }


@dataclass(frozen=True)
class PruneResult:
    plan: PrunePlan
    deleted: int
    record_id: int | None


def _prunable(plan_cutoff: datetime, through_position: int) -> Any:
    return LedgerRecord.objects.filter(
        link__position__lte=through_position, created_at__lt=plan_cutoff
    )


def prune_plan(*, now: datetime | None = None, days: int | None = None) -> PrunePlan:
    """The horizon and the count of records a pruning run would delete."""
    period = retention_days(days)
    cutoff = (now or timezone.now()) - timedelta(days=period)
    latest = read_latest_published()
    published = int(latest["statement"]["sequence"]) if latest else None
    checkpoint = None
    if published is not None:
        checkpoint = (
            LedgerCheckpoint.objects.filter(sequence__lte=published, created_at__lt=cutoff)
            .order_by("-sequence")
            .first()
        )
    if checkpoint is None:
        return PrunePlan(period, cutoff, published, None, None, 0)
    records = _prunable(cutoff, checkpoint.last_position).count()
    return PrunePlan(
        period, cutoff, published, checkpoint.sequence, checkpoint.last_position, records
    )


def prune_ledger(
    *, now: datetime | None = None, days: int | None = None, verify: bool = True
) -> PruneResult:
    """Delete the records :func:`prune_plan` names, audited; see the module docstring.

    Raises :class:`RetentionTooShort` for a period under 183 days and :class:`PruneRefused`
    when the ledger does not verify. Must run as the ledger tables' owner role.
    """
    plan = prune_plan(now=now, days=days)
    if plan.empty or plan.through_position is None:
        return PruneResult(plan, 0, None)
    if verify:
        from audit.verification import verify_ledger

        report = verify_ledger()
        if not report.ok:
            first = report.first_problem.message if report.first_problem else "unknown problem"
            raise PruneRefused(f"the ledger does not verify; nothing pruned. First: {first}")
    with ledger_maintenance():
        doomed = _prunable(plan.cutoff, plan.through_position)
        bounds = list(doomed.order_by("id").values_list("id", flat=True)[:1]) + list(
            doomed.order_by("-id").values_list("id", flat=True)[:1]
        )
        deleted, _ = doomed.delete()
        record = ledger_append(
            event_type=PRUNE_EVENT,
            actor=RETENTION_ACTOR,
            details={
                "action": PRUNE_ACTION,
                "retention_days": plan.retention_days,
                "cutoff": format_timestamp(plan.cutoff),
                "through_checkpoint": plan.through_checkpoint,
                "through_position": plan.through_position,
                "records_deleted": deleted,
                "first_record_id": bounds[0] if bounds else None,
                "last_record_id": bounds[-1] if bounds else None,
            },
        )
    return PruneResult(plan, deleted, record.id)


def last_pruning() -> LedgerRecord | None:
    """The newest pruning record, if any."""
    return (
        LedgerRecord.objects.filter(
            event_type=PRUNE_EVENT, actor=RETENTION_ACTOR, details__action=PRUNE_ACTION
        )
        .order_by("-id")
        .first()
    )
