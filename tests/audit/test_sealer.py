"""The sealer chains committed records once each, in batches, and publishes checkpoints."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from audit.checkpoints import read_latest_published
from audit.hashing import GENESIS_LINK_SHA256, link_sha256
from audit.merkle import leaf_hash, merkle_root
from audit.models import EventType, LedgerCheckpoint, LedgerLink, PendingSeal
from audit.sealer import ADVISORY_LOCK_KEY, chain_batch, seal_pending
from audit.services import ledger_append
from audit.tasks import seal
from audit.verification import verify_ledger
from tests.audit.conftest import append


@pytest.mark.django_db
def test_seal_chains_records_in_batches_with_one_checkpoint_each(checkpoint_dir: Path):
    ids = append(25)
    assert seal_pending(batch_size=10) == 25
    links = list(LedgerLink.objects.order_by("position"))
    assert [link.position for link in links] == list(range(25))
    assert [link.record_id for link in links] == ids
    previous = GENESIS_LINK_SHA256
    for link in links:
        assert link.prev_link_sha256 == previous
        assert link.link_sha256 == link_sha256(
            position=link.position,
            record_id=link.record_id,
            record_sha256=link.record_sha256,
            prev_link_sha256=previous,
        )
        previous = link.link_sha256
    checkpoints = list(LedgerCheckpoint.objects.order_by("sequence"))
    assert [(c.sequence, c.first_position, c.last_position) for c in checkpoints] == [
        (1, 0, 9),
        (2, 10, 19),
        (3, 20, 24),
    ]
    assert checkpoints[-1].head_link_sha256 == previous
    assert checkpoints[-1].tree_size == 25
    assert not PendingSeal.objects.exists()
    latest = read_latest_published(checkpoint_dir)
    assert latest is not None
    assert latest["statement"]["sequence"] == 3
    published = [
        json.loads(line)
        for path in sorted(checkpoint_dir.glob("checkpoints-*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    assert [entry["statement"]["sequence"] for entry in published] == [1, 2, 3]
    assert list((checkpoint_dir / "keys").glob("*.pem"))
    assert verify_ledger().ok


@pytest.mark.django_db
def test_each_record_is_sealed_exactly_once():
    append(3)
    assert seal_pending() == 3
    assert seal_pending() == 0
    append(2)
    assert seal_pending() == 2
    assert LedgerLink.objects.count() == 5
    assert LedgerCheckpoint.objects.count() == 2


@pytest.mark.django_db
def test_a_requeued_sealed_record_is_not_sealed_twice():
    (record_id,) = append(1)
    seal_pending()
    PendingSeal.objects.create(record_id=record_id)
    assert seal_pending() == 0
    assert LedgerLink.objects.filter(record_id=record_id).count() == 1
    assert not PendingSeal.objects.exists()


@pytest.mark.django_db
def test_requeued_entries_inside_a_full_batch_are_dropped_and_everything_else_sealed():
    old = append(6)
    assert seal_pending() == 6
    PendingSeal.objects.bulk_create([PendingSeal(record_id=i) for i in old])
    new = append(12)
    assert seal_pending(batch_size=5) == 12
    assert not PendingSeal.objects.exists()
    order = list(LedgerLink.objects.order_by("position").values_list("record_id", flat=True))
    assert order == old + new
    checkpoints = LedgerCheckpoint.objects.order_by("sequence")
    assert [(c.first_position, c.last_position) for c in checkpoints] == [
        (0, 5),
        (6, 10),
        (11, 15),
        (16, 17),
    ]
    assert verify_ledger().ok


def test_the_batch_chain_hashes_exactly_what_link_and_leaf_hashes_do():
    records = [(7, "ab" * 32), (9, "00" * 32), (2**40 + 3, "f" * 64)]
    chained = chain_batch(records, first_position=41, prev_link_sha256="1" * 64)
    previous = "1" * 64
    for index, (record_id, content) in enumerate(records):
        expected = link_sha256(
            position=41 + index,
            record_id=record_id,
            record_sha256=content,
            prev_link_sha256=previous,
        )
        assert chained.link_sha256s[index] == expected
        assert chained.prev_link_sha256s[index] == previous
        assert chained.leaves[index] == leaf_hash(record_id=record_id, record_sha256=content)
        previous = expected
    assert chained.positions == [41, 42, 43]
    assert chained.record_ids == [7, 9, 2**40 + 3]
    assert chained.record_sha256s == [content for _, content in records]
    assert merkle_root(chained.leaves) == merkle_root(
        [leaf_hash(record_id=r, record_sha256=c) for r, c in records]
    )


@pytest.mark.django_db
def test_a_batch_costs_the_same_statements_whatever_its_size():
    def statements_to_seal(n: int) -> int:
        append(n)
        with CaptureQueriesContext(connection) as queries:
            assert seal_pending(batch_size=n) == n
        return len(queries)

    assert statements_to_seal(3) == statements_to_seal(300)


@pytest.mark.django_db(transaction=True)
def test_a_record_committing_after_a_higher_id_was_sealed_is_sealed_later_not_lost():
    opened, release, done = threading.Event(), threading.Event(), threading.Event()
    slow_id: list[int] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                slow_id.append(ledger_append(event_type=EventType.INFERENCE, actor="slow").id)
                opened.set()
                release.wait(30)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert opened.wait(30)
    fast = ledger_append(event_type=EventType.INFERENCE, actor="fast")
    assert fast.id > slow_id[0]
    assert seal_pending() == 1  # only the committed record
    release.set()
    assert done.wait(30)
    thread.join()
    assert seal_pending() == 1
    order = list(LedgerLink.objects.order_by("position").values_list("record_id", flat=True))
    assert order == [fast.id, slow_id[0]]
    report = verify_ledger()
    assert report.ok, report.summary()
    assert report.late_commits == 1


@pytest.mark.django_db(transaction=True)
def test_only_one_sealer_runs_at_a_time():
    append(2)
    holder_ready, release = threading.Event(), threading.Event()

    def other_sealer() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                holder_ready.set()
                release.wait(30)
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_sealer)
    thread.start()
    assert holder_ready.wait(30)
    try:
        assert seal_pending() == 0
    finally:
        release.set()
        thread.join()
    assert seal_pending() == 2


@pytest.mark.django_db
def test_the_celery_task_is_named_and_seals():
    append(2)
    assert seal.name == "audit.seal"
    assert seal.run() == 2


@pytest.mark.django_db
def test_an_unpublished_checkpoint_is_published_by_the_next_run(checkpoint_dir: Path):
    append(2)
    seal_pending()
    (checkpoint_dir / "latest.json").unlink()
    for path in checkpoint_dir.glob("checkpoints-*.jsonl"):
        path.unlink()
    append(1)
    seal_pending()
    latest = read_latest_published(checkpoint_dir)
    assert latest is not None
    assert latest["statement"]["sequence"] == 2
    assert verify_ledger().ok
