"""Writing to the audit ledger.

Every app calls :func:`ledger_append` inside its own transaction, next to the write the
record describes: the record commits or rolls back with it. An append is two plain
INSERTs (the record and its entry in the sealing queue); nothing is chained at insert
time, so concurrent writers never wait for each other. Chaining happens later, in the
sealer.

On PostgreSQL both INSERTs of a batch are one statement, one round trip, with one
parameter: the records' canonical JSON documents (the very text their content hash is
taken over) as a JSON array, which the server turns into rows
(``json_populate_recordset``); the rows are built without instantiating models first
(:func:`_build_row`). Other databases take the ORM path (:func:`_append_with_orm`). Both
store the same rows with the same content hashes, in the caller's transaction.

Callers pass ids, hashes and already-redacted text only. ``details`` in particular must
never hold raw personal data (prompts appear only redacted, images only as hashes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from audit.hashing import (
    RECORD_HASHED_FIELDS,
    is_sha256_hex,
    normalise_details,
    record_content_of_values,
)
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
# Plain-text values by value: ``EventType.INFERENCE`` and ``"inference"`` both find "inference".
_EVENT_TYPE_VALUES: dict[str, str] = {str(value): str(value) for value in EventType.values}
# Records per statement on the PostgreSQL path: bounds one statement's parameter (about a
# kilobyte per record).
_SQL_CHUNK = 2000


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
    """Append many records in one statement (PostgreSQL) or two (others); for batches."""
    using = router.db_for_write(LedgerRecord)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return _append_with_orm(entries, using=using)
    now = timezone.now
    rows = [_build_row(entry, now()) for entry in entries]
    if not rows:
        return []
    # savepoint=False: join the caller's transaction as it is; open one only under autocommit.
    with transaction.atomic(using=using, savepoint=False):
        ids: list[int] = []
        for start in range(0, len(rows), _SQL_CHUNK):
            ids.extend(_insert_rows(connection, rows[start : start + _SQL_CHUNK]))
    return [
        LedgerRecord.from_db(using, _ATTNAMES, (record_id, *row[:-1]))
        for record_id, row in zip(ids, rows, strict=True)
    ]


# A row on the fast path: the values of RECORD_HASHED_FIELDS in that order, then
# content_sha256, then the record as a JSON object for the INSERT (the canonical content
# document with content_sha256 added). The model's concrete fields are "id" followed by
# the first 21 (checked by _insert_sql).
_Row = tuple[Any, ...]
_ATTNAMES = ("id", *RECORD_HASHED_FIELDS, "content_sha256")
_CONTENT_INDEX = len(RECORD_HASHED_FIELDS)


def _build_row(entry: LedgerEntry, created_at: datetime) -> _Row:
    """What :func:`_build_record` builds, as a plain tuple, with the same checks and errors."""
    event_type = _event_type_value(entry.event_type)
    hashes = (
        entry.input_sha256,
        entry.filtered_sha256,
        entry.manifest_sha256,
        entry.weights_sha256,
        entry.output_sha256,
    )
    for name, value in zip(_HASH_FIELDS, hashes, strict=True):
        if value and not is_sha256_hex(value):
            raise ValueError(f"{name} must be a lowercase hex sha256, got {value!r}")
    actor_name, actor_id = _actor_fields(entry.actor)
    unit = entry.business_unit
    values = (
        created_at,
        event_type,
        actor_name,
        actor_id,
        unit.pk if unit is not None else None,
        unit.name if unit is not None else "",
        entry.purpose,
        entry.request_id,
        str(entry.job_id),
        entry.asset_id,
        entry.input_sha256,
        entry.filtered_sha256,
        entry.manifest_sha256,
        entry.model_id,
        entry.weights_sha256,
        entry.policy_version,
        entry.policy_decision,
        entry.consent_ref,
        entry.output_sha256,
        normalise_details(entry.details),
    )
    document, content_sha256 = record_content_of_values(values)
    # The document is a JSON object ending in "}": add the hash as one more member. Its
    # "format" member names no column and is ignored; created_at is ISO 8601 in UTC.
    as_json = f'{document[:-1]},"content_sha256":"{content_sha256}"}}'
    return (*values, content_sha256, as_json)


def _insert_rows(connection: BaseDatabaseWrapper, rows: Sequence[_Row]) -> list[int]:
    """Insert records and their queue entries in one statement; the new ids, in row order."""
    payload = "[" + ",".join(row[-1] for row in rows) + "]"
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.alias), [payload])
        returned = cursor.fetchall()
    # Ids come back ascending, which is row order (one statement draws them from the
    # sequence in the order of the rows). The hashes check that, rather than trust it.
    if [sha for _, sha in returned] != [row[_CONTENT_INDEX] for row in rows]:
        raise RuntimeError("ledger insert returned records out of order")
    return [record_id for record_id, _ in returned]


@cache
def _insert_sql(using: str) -> str:
    """The statement for :func:`_insert_rows`: records from a JSON array, then their queue
    entries, returning (id, content_sha256) in id order. The JSON members are matched to
    columns by name, so the field names must be the column names."""
    quote = connections[using].ops.quote_name
    meta = LedgerRecord._meta
    fields = meta.concrete_fields
    attnames = tuple(field.attname for field in fields)
    if attnames != _ATTNAMES or any(field.column != field.attname for field in fields):
        raise RuntimeError(f"LedgerRecord's fields changed; update audit.services: {attnames}")
    table = quote(meta.db_table)
    record_id, content = quote(_ATTNAMES[0]), quote(_ATTNAMES[-1])
    columns = ", ".join(quote(name) for name in _ATTNAMES[1:])
    queue = quote(PendingSeal._meta.db_table)
    (queue_column,) = (quote(str(field.column)) for field in PendingSeal._meta.concrete_fields)
    # Table and column names come from the model; the only value is the one parameter.
    return (
        f"WITH new_records AS (INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s::json) "
        f"WITH ORDINALITY AS v ORDER BY v.ordinality RETURNING {record_id}, {content}), "
        f"queued AS (INSERT INTO {queue} ({queue_column}) SELECT {record_id} FROM new_records) "
        f"SELECT {record_id}, {content} FROM new_records ORDER BY {record_id}"
    )


def _append_with_orm(entries: Iterable[LedgerEntry], *, using: str) -> list[LedgerRecord]:
    """The portable path: model instances and two bulk INSERTs."""
    records = [_build_record(entry) for entry in entries]
    if not records:
        return []
    # savepoint=False: join the caller's transaction as it is; open one only under autocommit.
    with transaction.atomic(using=using, savepoint=False):
        LedgerRecord.objects.using(using).bulk_create(records)
        PendingSeal.objects.using(using).bulk_create(
            [PendingSeal(record_id=record.id) for record in records]
        )
    return records


def _event_type_value(event_type: object) -> str:
    try:
        return _EVENT_TYPE_VALUES[event_type]  # type: ignore[index]
    except (KeyError, TypeError):
        raise ValueError(f"unknown event type {event_type!r}") from None


def _build_record(entry: LedgerEntry) -> LedgerRecord:
    _event_type_value(entry.event_type)
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
