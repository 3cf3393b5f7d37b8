"""The sealer: chains committed records into links, in batches, and signs checkpoints.

One sealer at a time (a PostgreSQL advisory lock; on SQLite the IMMEDIATE transaction
does the same), taking queued records in id order. Chain order is sealing order: a
record whose transaction commits after records with higher ids were sealed is sealed in
a later batch, at a later position — never lost, never sealed twice (the link's record
is unique). Each batch gets one signed checkpoint in the database, published to
``AUDIT_CHECKPOINT_DIR`` after commit.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction
from django.utils import timezone

from audit.checkpoints import (
    checkpoint_dir,
    checkpoint_statement,
    publish_checkpoints,
    publish_public_key,
    statement_bytes,
)
from audit.hashing import GENESIS_LINK_SHA256, link_sha256
from audit.merkle import leaf_hash, merkle_root
from audit.models import LedgerCheckpoint, LedgerLink, LedgerRecord, PendingSeal
from audit.signing import ensure_signing_key, key_id, sign

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
# pg_try_advisory_lock key: the ASCII of "cgledger".
ADVISORY_LOCK_KEY = 0x63676C6564676572


@contextmanager
def sealer_lock() -> Iterator[bool]:
    """Yields True when this process is the only sealer (database-wide and on this host)."""
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".sealer.lock").open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            if connection.vendor != "postgresql":
                yield True
                return
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                (locked,) = cursor.fetchone()
            if not locked:
                yield False
                return
            try:
                yield True
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def seal_pending(*, batch_size: int = DEFAULT_BATCH_SIZE, max_batches: int | None = None) -> int:
    """Seal every committed, queued record; returns how many were sealed (0 if locked out).

    Call it outside any transaction: each batch commits on its own, and checkpoints are
    published to the folder only after they are committed.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    sealed = 0
    with sealer_lock() as locked:
        if not locked:
            logger.info("another sealer holds the lock; nothing done")
            return 0
        key = ensure_signing_key()
        publish_public_key(key.public_key())
        publish_checkpoints()  # repair a crash between an earlier commit and its publication
        batches = 0
        while max_batches is None or batches < max_batches:
            count = _seal_one_batch(key=key, batch_size=batch_size)
            if count == 0:
                break
            publish_checkpoints()
            sealed += count
            batches += 1
            if count < batch_size:
                break
    return sealed


def _seal_one_batch(*, key: Ed25519PrivateKey, batch_size: int) -> int:
    with transaction.atomic():
        record_ids = list(
            # The join on content_sha256 skips entries whose record is gone.
            PendingSeal.objects.filter(
                record__content_sha256__isnull=False, record__link__isnull=True
            )
            .order_by("record_id")
            .values_list("record_id", flat=True)[:batch_size]
        )
        _drop_stale_queue_entries()
        if not record_ids:
            return 0
        hashes = dict(
            LedgerRecord.objects.filter(id__in=record_ids).values_list("id", "content_sha256")
        )
        head = LedgerLink.objects.order_by("-position").first()
        position = head.position + 1 if head is not None else 0
        prev = head.link_sha256 if head is not None else GENESIS_LINK_SHA256
        first_position = position
        links: list[LedgerLink] = []
        leaves: list[bytes] = []
        for record_id in record_ids:
            record_sha256 = hashes[record_id]
            current = link_sha256(
                position=position,
                record_id=record_id,
                record_sha256=record_sha256,
                prev_link_sha256=prev,
            )
            links.append(
                LedgerLink(
                    position=position,
                    record_id=record_id,
                    record_sha256=record_sha256,
                    prev_link_sha256=prev,
                    link_sha256=current,
                )
            )
            leaves.append(leaf_hash(record_id=record_id, record_sha256=record_sha256))
            prev = current
            position += 1
        LedgerLink.objects.bulk_create(links)
        PendingSeal.objects.filter(record_id__in=record_ids).delete()
        last = LedgerCheckpoint.objects.order_by("-sequence").first()
        checkpoint = LedgerCheckpoint(
            sequence=last.sequence + 1 if last is not None else 1,
            first_position=first_position,
            last_position=position - 1,
            first_record_id=record_ids[0],
            last_record_id=record_ids[-1],
            max_record_id=max(record_ids),
            batch_root_sha256=merkle_root(leaves).hex(),
            head_link_sha256=prev,
            created_at=timezone.now(),
            key_id=key_id(key.public_key()),
        )
        checkpoint.signature = sign(key, statement_bytes(checkpoint_statement(checkpoint)))
        checkpoint.save(force_insert=True)
    logger.info("sealed %d records as checkpoint %d", len(links), checkpoint.sequence)
    return len(links)


def _drop_stale_queue_entries() -> None:
    """Queue entries whose record is already sealed (re-queued by hand) are dropped.

    Entries whose record is gone are kept: verification reports them as deleted records.
    """
    stale = PendingSeal.objects.filter(record__link__isnull=False)
    if stale.exists():
        logger.warning("dropping %d queue entries for records already sealed", stale.count())
        stale.delete()
