"""ledger_append stores what it is given, hashes it, and joins the caller's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from audit.hashing import record_content_sha256
from audit.models import EventType, LedgerRecord, PendingSeal
from audit.services import LedgerEntry, ledger_append, ledger_append_many
from clipguard.accounts.models import BusinessUnit, User

SHA = "ab" * 32


@pytest.mark.django_db
def test_ledger_append_copies_names_and_hashes_the_content(alice: User, unit: BusinessUnit):
    record = ledger_append(
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
        details={"labels": ["shoe"], "prompt": "a photo of <PERSON>'s shoe"},
    )
    stored = LedgerRecord.objects.get(id=record.id)
    assert (stored.actor, stored.actor_id) == ("alice", alice.pk)
    assert (stored.business_unit, stored.business_unit_id) == ("Retail Imaging", unit.pk)
    assert stored.event_type == "inference"
    assert stored.details == {"labels": ["shoe"], "prompt": "a photo of <PERSON>'s shoe"}
    assert stored.content_sha256 == record_content_sha256(stored.hashed_fields())
    assert stored.content_sha256 == stored.compute_content_sha256()
    assert PendingSeal.objects.filter(record_id=record.id).exists()


@pytest.mark.django_db
def test_names_are_copies_that_outlive_the_rows(alice: User, unit: BusinessUnit):
    record = ledger_append(event_type=EventType.LOGIN, actor=alice, business_unit=unit)
    alice.delete()
    unit.delete()
    stored = LedgerRecord.objects.get(id=record.id)
    assert (stored.actor, stored.business_unit) == ("alice", "Retail Imaging")
    assert stored.compute_content_sha256() == stored.content_sha256


@pytest.mark.django_db
def test_system_and_anonymous_actors():
    system = ledger_append(event_type=EventType.CONFIG_CHANGE, actor="system:retention")
    platform = ledger_append(event_type=EventType.JOB_STATUS, actor=None)
    assert (system.actor, system.actor_id) == ("system:retention", None)
    assert (platform.actor, platform.actor_id) == ("", None)


@pytest.mark.django_db
def test_the_record_rolls_back_with_the_callers_transaction():
    before = LedgerRecord.objects.count()

    def store_result_and_fail() -> None:
        with transaction.atomic():
            ledger_append(event_type=EventType.INFERENCE, actor="worker")
            raise RuntimeError("the result could not be stored")

    with pytest.raises(RuntimeError):
        store_result_and_fail()
    assert LedgerRecord.objects.count() == before
    assert PendingSeal.objects.count() == 0


@pytest.mark.django_db
def test_append_many_writes_a_batch_in_order():
    entries = [
        LedgerEntry(event_type=EventType.INFERENCE, actor="worker", asset_id=i, job_id="9")
        for i in range(50)
    ]
    records = ledger_append_many(entries)
    assert [r.asset_id for r in records] == list(range(50))
    assert [r.id for r in records] == sorted(r.id for r in records)
    assert PendingSeal.objects.count() == 50
    assert ledger_append_many([]) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"input_sha256": "not-a-hash"}, "input_sha256 must be a lowercase hex sha256"),
        ({"output_sha256": SHA.upper()}, "output_sha256 must be a lowercase hex sha256"),
        ({"details": {"blob": b"raw bytes"}}, "details must be JSON-safe"),
        ({"details": {"x": float("nan")}}, "details must be JSON-safe"),
        ({"details": {"x": 1e20}}, "does not round-trip"),
        ({"event_type": "made_up"}, "unknown event type"),
    ],
)
def test_malformed_input_is_refused_and_nothing_is_written(fields, message):
    arguments = {"event_type": EventType.INFERENCE, "actor": "worker", **fields}
    with pytest.raises(ValueError, match=message):
        ledger_append(**arguments)
    assert LedgerRecord.objects.count() == 0


@pytest.mark.django_db
def test_details_round_trip_byte_identical():
    details: dict[Any, Any] = {
        "scores": [1e-07, 3.2e-06, 0.1, 1.0, -1e-300],
        "b": [1, 2.5, "x"],
        "a": {"nested": True, "n": None},
        3: "int key",
        "t": (1, 2),
    }
    record = ledger_append(event_type=EventType.EXPORT, actor="carol", details=details)
    stored = LedgerRecord.objects.get(id=record.id)
    assert stored.details == {
        "scores": [1e-07, 3.2e-06, 0.1, 1.0, -1e-300],
        "b": [1, 2.5, "x"],
        "a": {"nested": True, "n": None},
        "3": "int key",
        "t": [1, 2],
    }
    assert stored.compute_content_sha256() == record.content_sha256
