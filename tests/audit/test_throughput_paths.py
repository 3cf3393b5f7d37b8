"""The batched PostgreSQL append path stores exactly what the ORM path stores.

``ledger_append_many`` on PostgreSQL builds rows without model instances and writes
records and queue entries in one statement; every other database takes the ORM path
(``bulk_create``). Same rows, same content hashes (byte for byte the canonical JSON of
``audit.hashing``), same errors, and the caller's transaction: these tests hold both
paths to that.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from audit.hashing import (
    RECORD_HASHED_FIELDS,
    canonical_json,
    normalise_details,
    record_content_document,
    record_content_of_values,
    record_content_sha256,
)
from audit.models import EventType, LedgerRecord, PendingSeal
from audit.sealer import seal_pending
from audit.services import LedgerEntry, _append_with_orm, ledger_append, ledger_append_many
from audit.verification import verify_ledger
from clipguard.accounts.models import BusinessUnit, User

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the batched path is PostgreSQL's"
)
SHA = "0123456789abcdef" * 4
TRICKY_TEXT = 'quote " backslash \\ tab \t newline \n é 漢字 😀 \u2028 <PERSON> e+5 \\u0000'


def _entries(alice: User, unit: BusinessUnit) -> list[LedgerEntry]:
    """Records that exercise every field and the awkward corners of JSON."""
    return [
        LedgerEntry(
            event_type=EventType.INFERENCE,
            actor=alice,
            business_unit=unit,
            purpose="product_tagging",
            request_id="req-1",
            job_id="42",
            asset_id=7,
            input_sha256=SHA,
            filtered_sha256=SHA,
            manifest_sha256=SHA,
            model_id="clipguard-reference-clip",
            weights_sha256=SHA,
            policy_version="rules-v3",
            policy_decision="allow",
            consent_ref="consent:9",
            output_sha256=SHA,
            details={"labels": ("shoe", "bag"), "scores": [0.91, 0.09, 1e-7, 123456.5]},
        ),
        LedgerEntry(event_type="login", actor="system:retention"),  # type: ignore[arg-type]
        LedgerEntry(event_type=EventType.JOB_STATUS, actor=None, job_id=99),  # type: ignore[arg-type]
        LedgerEntry(
            event_type=EventType.CONSENT_CHANGE,
            actor=TRICKY_TEXT,
            purpose=TRICKY_TEXT[:100],
            asset_id=2**62,
            details={
                TRICKY_TEXT: TRICKY_TEXT,
                "nested": {"b": [1, True, None, {"z": False, "a": -0.5}], "a": ""},
                "empty": {},
                1: "an int key",  # type: ignore[dict-item]
                "big": 2**70,
            },
        ),
    ]


@contextlib.contextmanager
def _frozen_clock(start: datetime) -> Iterator[None]:
    """timezone.now() steps by 1 µs from ``start``; the same sequence for each path."""
    ticks = (start + timedelta(microseconds=i) for i in range(10**6))
    real = timezone.now
    timezone.now = lambda: next(ticks)
    try:
        yield
    finally:
        timezone.now = real


def _stored(ids: list[int]) -> list[dict[str, Any]]:
    by_id = {
        row["id"]: row
        for row in LedgerRecord.objects.filter(id__in=ids).values(
            "id", *RECORD_HASHED_FIELDS, "content_sha256"
        )
    }
    return [by_id[i] for i in ids]


@postgresql_only
@pytest.mark.django_db
def test_the_batched_path_stores_the_same_rows_and_hashes_as_the_orm_path(
    alice: User, unit: BusinessUnit
):
    start = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    with _frozen_clock(start):
        slow = _append_with_orm(_entries(alice, unit), using="default")
    with _frozen_clock(start):
        fast = ledger_append_many(_entries(alice, unit))

    slow_rows, fast_rows = _stored([r.id for r in slow]), _stored([r.id for r in fast])
    assert len(fast_rows) == len(slow_rows) == 4
    for slow_row, fast_row in zip(slow_rows, fast_rows, strict=True):
        assert slow_row.pop("id") != fast_row.pop("id")
        assert fast_row == slow_row  # every field, content_sha256 included
        assert fast_row["content_sha256"] == record_content_sha256(fast_row)
    # What the call returns is what the database holds.
    for record, row in zip(fast, fast_rows, strict=True):
        assert {name: getattr(record, name) for name in row} == row
        assert (record._state.adding, record._state.db) == (False, "default")
        assert record.compute_content_sha256() == record.content_sha256
        assert LedgerRecord.objects.get(id=record.id).compute_content_sha256() == (
            record.content_sha256
        )
    assert PendingSeal.objects.filter(record_id__in=[r.id for r in fast]).count() == 4


@postgresql_only
@pytest.mark.django_db
def test_batched_records_seal_and_verify(alice: User, unit: BusinessUnit):
    ids = [r.id for r in ledger_append_many(_entries(alice, unit) * 30)]
    ids.append(ledger_append(event_type=EventType.LOGIN, actor=alice, business_unit=unit).id)
    assert ids == sorted(ids)
    assert seal_pending(batch_size=50) == len(ids)
    report = verify_ledger()
    assert report.ok, report.problems
    assert report.sealed == len(ids)
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())  # exits 0: no SystemExit
    assert "Ledger verified" in out.getvalue()


@postgresql_only
@pytest.mark.django_db
def test_the_batched_path_joins_the_callers_transaction(alice: User, unit: BusinessUnit):
    before = (LedgerRecord.objects.count(), PendingSeal.objects.count())

    seen_inside: list[int] = []

    def store_results_and_fail() -> None:
        with transaction.atomic():
            records = ledger_append_many(_entries(alice, unit))
            # Visible inside the caller's transaction, queue entries too ...
            ids = [r.id for r in records]
            seen_inside.append(PendingSeal.objects.filter(record_id__in=ids).count())
            raise RuntimeError("the results could not be stored")

    with pytest.raises(RuntimeError):
        store_results_and_fail()
    assert seen_inside == [4]
    # ... and gone with it.
    assert (LedgerRecord.objects.count(), PendingSeal.objects.count()) == before

    # A savepoint rolled back by the caller takes the batch with it, nothing else.
    with transaction.atomic():
        kept = ledger_append(event_type=EventType.LOGIN, actor="kept")
        with contextlib.suppress(RuntimeError), transaction.atomic():
            ledger_append_many(_entries(alice, unit))
            raise RuntimeError("roll back the savepoint")
    assert LedgerRecord.objects.count() == before[0] + 1
    assert list(PendingSeal.objects.values_list("record_id", flat=True)) == [kept.id]


def _bad_entries() -> list[tuple[dict[str, Any], type[Exception], str]]:
    return [
        ({"event_type": "telepathy"}, ValueError, "unknown event type"),
        ({"event_type": ["inference"]}, ValueError, "unknown event type"),
        ({"input_sha256": "AB" * 32}, ValueError, "input_sha256 must be a lowercase hex"),
        ({"output_sha256": "abc"}, ValueError, "output_sha256 must be a lowercase hex"),
        ({"details": ["not", "a", "mapping"]}, TypeError, "details must be a mapping"),
        ({"details": {"x": float("nan")}}, ValueError, "details must be JSON-safe"),
        ({"details": {"x": object()}}, ValueError, "details must be JSON-safe"),
        ({"details": {"x": [1e20]}}, ValueError, "does not round-trip"),
        ({"details": {"x": {"y": "a\x00b"}}}, ValueError, "may not contain NUL"),
    ]


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "error", "message"), _bad_entries())
def test_both_paths_refuse_the_same_input_and_write_nothing(
    fields: dict[str, Any], error: type[Exception], message: str
):
    good = LedgerEntry(event_type=EventType.LOGIN, actor="bob")
    bad = LedgerEntry(**{"event_type": EventType.LOGIN, "actor": "bob", **fields})
    for append in (ledger_append_many, lambda e: _append_with_orm(e, using="default")):
        with pytest.raises(error, match=message):
            append([good, bad])
    assert not LedgerRecord.objects.exists()
    assert not PendingSeal.objects.exists()


def test_normalised_details_refuse_only_what_they_refused_before():
    # Text that merely looks like an exponent or an escaped NUL is fine.
    assert normalise_details({"note": "1e+20 and \\u0000, as text"}) == {
        "note": "1e+20 and \\u0000, as text"
    }
    assert normalise_details({"small": 1e-7, "n": 10**20}) == {"small": 1e-7, "n": 10**20}
    with pytest.raises(ValueError, match="does not round-trip"):
        normalise_details({"deep": {"er": [0.5, 2.5e16]}})
    with pytest.raises(ValueError, match="NUL"):
        normalise_details({"deep": ["\x00"]})
    with pytest.raises(ValueError, match="JSON-safe"):
        normalise_details({"x": float("inf")})


def _random_text(rng: random.Random) -> str:
    alphabet = [
        '"',
        "\\",
        "/",
        "\n",
        "\t",
        "\x01",
        "\x7f",
        "é",
        "ß",
        "漢",
        "😀",
        "\u2028",
        "a",
        " ",
    ]
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["str", "int", "float", "bool", "none"] + (["list", "dict"] if depth < 3 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return _random_text(rng)
    if kind == "int":
        return rng.choice([0, -1, 7, 2**63 - 1, -(2**70)])
    if kind == "float":
        return rng.choice([0.0, -0.5, 0.1, 1e-7, 123456.789, 9.5e15])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {_random_text(rng): _random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}


def test_the_member_by_member_document_is_canonical_json_byte_for_byte():
    rng = random.Random(20260301)
    for _ in range(500):
        fields: dict[str, Any] = {
            name: rng.choice([_random_text(rng), "", None, rng.randrange(-5, 2**40), True])
            for name in RECORD_HASHED_FIELDS
        }
        fields["created_at"] = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=rng.randrange(10**13)
        )
        fields["details"] = normalise_details(
            {_random_text(rng): _random_value(rng) for _ in range(rng.randrange(0, 5))}
        )
        text, digest = record_content_of_values([fields[n] for n in RECORD_HASHED_FIELDS])
        assert text == canonical_json(record_content_document(fields))
        assert digest == record_content_sha256(fields)
