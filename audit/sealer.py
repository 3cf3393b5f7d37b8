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
import hashlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

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
from audit.hashing import GENESIS_LINK_SHA256, LINK_DOMAIN
from audit.merkle import LEAF_PREFIX, merkle_root
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
    """Chain up to ``batch_size`` queued records and sign their checkpoint; how many.

    One transaction of the same few statements whatever the batch's size: the batch (ids
    and content hashes, in id order), the chain head, the links with the queue entries
    taken out (one statement on PostgreSQL, two elsewhere), and the checkpoint. No model
    instance is built per record.
    """
    with transaction.atomic():
        records = _next_batch(batch_size)
        if not records:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(_head_sql())
            head_position, head_link, last_sequence = cursor.fetchone()
        first_position = head_position + 1 if head_position is not None else 0
        chained = chain_batch(
            records,
            first_position=first_position,
            prev_link_sha256=head_link if head_link is not None else GENESIS_LINK_SHA256,
        )
        _write_links(chained)
        record_ids = chained.record_ids
        checkpoint = LedgerCheckpoint(
            sequence=last_sequence + 1 if last_sequence is not None else 1,
            first_position=first_position,
            last_position=first_position + len(record_ids) - 1,
            first_record_id=record_ids[0],
            last_record_id=record_ids[-1],
            max_record_id=max(record_ids),
            batch_root_sha256=merkle_root(chained.leaves).hex(),
            head_link_sha256=chained.link_sha256s[-1],
            created_at=timezone.now(),
            key_id=key_id(key.public_key()),
        )
        checkpoint.signature = sign(key, statement_bytes(checkpoint_statement(checkpoint)))
        checkpoint.save(force_insert=True)
    logger.info("sealed %d records as checkpoint %d", len(record_ids), checkpoint.sequence)
    return len(record_ids)


@dataclass(frozen=True)
class ChainedBatch:
    """A batch's links, column by column (as they are inserted), and its Merkle leaves."""

    positions: list[int]
    record_ids: list[int]
    record_sha256s: list[str]
    prev_link_sha256s: list[str]
    link_sha256s: list[str]
    leaves: list[bytes]


def chain_batch(
    records: Sequence[tuple[int, str]], *, first_position: int, prev_link_sha256: str
) -> ChainedBatch:
    """Links and Merkle leaves of ``(record id, content hash)`` pairs chained after
    ``prev_link_sha256``, from ``first_position`` on.

    The bytes hashed are exactly :func:`audit.hashing.link_sha256`'s and
    :func:`audit.merkle.leaf_hash`'s (the tests compare them), in one loop over bytes.
    """
    sha256 = hashlib.sha256
    link_prefix = LINK_DOMAIN
    leaf_prefix = LEAF_PREFIX
    prev = bytes.fromhex(prev_link_sha256)
    record_ids: list[int] = []
    record_sha256s: list[str] = []
    links: list[str] = []
    leaves: list[bytes] = []
    position = first_position
    for record_id, record_sha256 in records:
        id_and_content = record_id.to_bytes(8, "big") + bytes.fromhex(record_sha256)
        prev = sha256(link_prefix + position.to_bytes(8, "big") + id_and_content + prev).digest()
        links.append(prev.hex())
        leaves.append(sha256(leaf_prefix + id_and_content).digest())
        record_ids.append(record_id)
        record_sha256s.append(record_sha256)
        position += 1
    return ChainedBatch(
        positions=list(range(first_position, position)),
        record_ids=record_ids,
        record_sha256s=record_sha256s,
        prev_link_sha256s=[prev_link_sha256, *links[:-1]],
        link_sha256s=links,
        leaves=leaves,
    )


def _next_batch(batch_size: int) -> list[tuple[int, str]]:
    """The next committed, queued, unsealed records: (id, content hash) in id order.

    Queue entries whose record is already sealed (re-queued by hand) are dropped on the
    way. Entries whose record is gone are kept (the join skips them): verification
    reports them as deleted records.
    """
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_batch_sql(), [batch_size])
            rows: list[tuple[int, str, bool]] = cursor.fetchall()
        stale = [record_id for record_id, _, sealed in rows if sealed]
        if not stale:
            return [(record_id, content) for record_id, content, _ in rows]
        logger.warning("dropping %d queue entries for records already sealed", len(stale))
        PendingSeal.objects.filter(record_id__in=stale).delete()


def _write_links(chained: ChainedBatch) -> None:
    """Insert the links and take their records out of the queue.

    On PostgreSQL this is one statement whose parameters are array literals (integers and
    hex digests need no quoting); elsewhere, one ``executemany`` and one DELETE.
    """
    columns = (
        chained.positions,
        chained.record_ids,
        chained.record_sha256s,
        chained.prev_link_sha256s,
        chained.link_sha256s,
    )
    if connection.vendor == "postgresql":
        arrays = ["{" + ",".join(map(str, column)) + "}" for column in columns]
        with connection.cursor() as cursor:
            cursor.execute(_insert_links_sql(), [arrays[1], *arrays])
        return
    with connection.cursor() as cursor:
        cursor.executemany(_insert_links_sql(), list(zip(*columns, strict=True)))
    PendingSeal.objects.filter(record_id__in=chained.record_ids).delete()


def _quoted_tables() -> tuple[str, str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(PendingSeal._meta.db_table),
        quote(LedgerRecord._meta.db_table),
        quote(LedgerLink._meta.db_table),
        quote(LedgerCheckpoint._meta.db_table),
    )


# Table and column names below come from the models; values are always parameters.
def _batch_sql() -> str:
    queue, records, links, _ = _quoted_tables()
    return (
        f"SELECT q.record_id, r.content_sha256, l.record_id IS NOT NULL "  # noqa: S608
        f"FROM {queue} q JOIN {records} r ON r.id = q.record_id "
        f"LEFT JOIN {links} l ON l.record_id = q.record_id "
        f"ORDER BY q.record_id LIMIT %s"
    )


def _head_sql() -> str:
    _, _, links, checkpoints = _quoted_tables()
    return (
        f"SELECT (SELECT position FROM {links} ORDER BY position DESC LIMIT 1), "  # noqa: S608
        f"(SELECT link_sha256 FROM {links} ORDER BY position DESC LIMIT 1), "
        f"(SELECT sequence FROM {checkpoints} ORDER BY sequence DESC LIMIT 1)"
    )


_LINK_COLUMNS = "position, record_id, record_sha256, prev_link_sha256, link_sha256"


def _insert_links_sql() -> str:
    queue, _, links, _ = _quoted_tables()
    if connection.vendor == "postgresql":
        return (
            f"WITH dequeued AS (DELETE FROM {queue} "  # noqa: S608
            f"WHERE record_id = ANY(%s::bigint[])) "
            f"INSERT INTO {links} ({_LINK_COLUMNS}) "
            f"SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[])"
        )
    return f"INSERT INTO {links} ({_LINK_COLUMNS}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
