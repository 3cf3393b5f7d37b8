"""Reading what a test step wrote to the audit ledger: note the last record before the
step, then read the records after it."""

from __future__ import annotations

from audit.models import EventType, LedgerRecord


def last_record_id() -> int:
    """The id of the newest ledger record, 0 on an empty ledger."""
    return LedgerRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def records_after(before: int, event_type: EventType | None = None) -> list[LedgerRecord]:
    """The records written after the one with id ``before``, oldest first; of one event
    type only when ``event_type`` is given."""
    records = LedgerRecord.objects.filter(id__gt=before).order_by("id")
    if event_type is not None:
        records = records.filter(event_type=event_type)
    return list(records)


def only_records_after(before: int, event_type: EventType) -> list[LedgerRecord]:
    """The records written after ``before``, asserting that all are of ``event_type``."""
    records = records_after(before)
    assert {r.event_type for r in records} <= {event_type}
    return records


def config_changes_after(before: int) -> list[LedgerRecord]:
    """The records written after ``before``, asserting that all are configuration changes."""
    return only_records_after(before, EventType.CONFIG_CHANGE)
