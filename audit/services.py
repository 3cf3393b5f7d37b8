"""Writing to the audit ledger.

Every app calls :func:`ledger_append` inside its own transaction, next to the write the
record describes: the record commits or rolls back with it. An append is two plain
INSERTs (the record and its entry in the sealing queue); nothing is chained at insert
time, so concurrent writers never wait for each other. Chaining happens later, in the
sealer.

Callers pass ids, hashes and already-redacted text only. ``details`` in particular must
never hold raw personal data (prompts appear only redacted, images only as hashes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from audit.hashing import is_sha256_hex, normalise_details
from audit.models import EventType, LedgerRecord, PendingSeal

if TYPE_CHECKING:
    from clipguard.accounts.models import BusinessUnit, User

_HASH_FIELDS = (
    "input_sha256",
    "filtered_sha256",
    "manifest_sha256",
    "weights_sha256",
    "output_sha256",
)


@dataclass(frozen=True, kw_only=True)
class LedgerEntry:
    """One record to append; the same arguments as :func:`ledger_append`."""

    event_type: EventType
    actor: User | str | None
    business_unit: BusinessUnit | None = None
    purpose: str = ""
    request_id: str = ""
    job_id: str = ""
    asset_id: int | None = None
    input_sha256: str = ""
    filtered_sha256: str = ""
    manifest_sha256: str = ""
    model_id: str = ""
    weights_sha256: str = ""
    policy_version: str = ""
    policy_decision: str = ""
    consent_ref: str = ""
    output_sha256: str = ""
    details: Mapping[str, Any] | None = field(default=None)


def ledger_append(
    *,
    event_type: EventType,
    actor: User | str | None,
    business_unit: BusinessUnit | None = None,
    purpose: str = "",
    request_id: str = "",
    job_id: str = "",
    asset_id: int | None = None,
    input_sha256: str = "",
    filtered_sha256: str = "",
    manifest_sha256: str = "",
    model_id: str = "",
    weights_sha256: str = "",
    policy_version: str = "",
    policy_decision: str = "",
    consent_ref: str = "",
    output_sha256: str = "",
    details: Mapping[str, Any] | None = None,
) -> LedgerRecord:
    """Append one record in the caller's transaction (or its own, under autocommit).

    ``actor`` is a user (its username and id are copied), a system name such as
    ``"system:retention"``, or None for the platform itself. Hashes are lowercase hex
    sha256 or empty. Raises ValueError for malformed hashes or details that are not JSON.
    """
    entry = LedgerEntry(
        event_type=event_type,
        actor=actor,
        business_unit=business_unit,
        purpose=purpose,
        request_id=request_id,
        job_id=job_id,
        asset_id=asset_id,
        input_sha256=input_sha256,
        filtered_sha256=filtered_sha256,
        manifest_sha256=manifest_sha256,
        model_id=model_id,
        weights_sha256=weights_sha256,
        policy_version=policy_version,
        policy_decision=policy_decision,
        consent_ref=consent_ref,
        output_sha256=output_sha256,
        details=details,
    )
    return ledger_append_many([entry])[0]


def ledger_append_many(entries: Iterable[LedgerEntry]) -> list[LedgerRecord]:
    """Append many records with two multi-row INSERTs; for inference batches."""
    records = [_build_record(entry) for entry in entries]
    if not records:
        return []
    # savepoint=False: join the caller's transaction as it is; open one only under autocommit.
    with transaction.atomic(savepoint=False):
        LedgerRecord.objects.bulk_create(records)
        PendingSeal.objects.bulk_create([PendingSeal(record_id=record.id) for record in records])
    return records


def _build_record(entry: LedgerEntry) -> LedgerRecord:
    if entry.event_type not in EventType.values:
        raise ValueError(f"unknown event type {entry.event_type!r}")
    for name in _HASH_FIELDS:
        value = getattr(entry, name)
        if value and not is_sha256_hex(value):
            raise ValueError(f"{name} must be a lowercase hex sha256, got {value!r}")
    actor_name, actor_id = _actor_fields(entry.actor)
    record = LedgerRecord(
        created_at=timezone.now(),
        event_type=EventType(entry.event_type).value,
        actor=actor_name,
        actor_id=actor_id,
        business_unit_id=entry.business_unit.pk if entry.business_unit is not None else None,
        business_unit=entry.business_unit.name if entry.business_unit is not None else "",
        purpose=entry.purpose,
        request_id=entry.request_id,
        job_id=str(entry.job_id),
        asset_id=entry.asset_id,
        input_sha256=entry.input_sha256,
        filtered_sha256=entry.filtered_sha256,
        manifest_sha256=entry.manifest_sha256,
        model_id=entry.model_id,
        weights_sha256=entry.weights_sha256,
        policy_version=entry.policy_version,
        policy_decision=entry.policy_decision,
        consent_ref=entry.consent_ref,
        output_sha256=entry.output_sha256,
        details=normalise_details(entry.details),
    )
    record.content_sha256 = record.compute_content_sha256()
    return record


def _actor_fields(actor: User | str | None) -> tuple[str, int | None]:
    if actor is None:
        return "", None
    if isinstance(actor, str):
        return actor, None
    return actor.get_username(), actor.pk
