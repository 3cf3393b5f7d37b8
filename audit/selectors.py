"""Reads of the ledger that are more than a filter."""

from __future__ import annotations

from typing import Any

from audit.checkpoints import checkpoint_statement
from audit.hashing import PROOF_FORMAT, format_timestamp
from audit.merkle import audit_path, leaf_hash
from audit.models import LedgerCheckpoint, LedgerLink, LedgerRecord


class RecordNotSealed(LookupError):
    """The record does not exist or is not sealed yet."""


def latest_checkpoint() -> LedgerCheckpoint | None:
    return LedgerCheckpoint.objects.order_by("-sequence").first()


def record_inclusion_proof(record_id: int) -> dict[str, Any]:
    """The proof that record ``record_id`` is in the ledger, as JSON-ready data."""
    link = LedgerLink.objects.filter(record_id=record_id).first()
    record = LedgerRecord.objects.filter(id=record_id).first()
    if link is None or record is None:
        raise RecordNotSealed(f"record {record_id} is not sealed (or does not exist)")
    checkpoint = LedgerCheckpoint.objects.get(
        first_position__lte=link.position, last_position__gte=link.position
    )
    batch = list(
        LedgerLink.objects.filter(
            position__gte=checkpoint.first_position, position__lte=checkpoint.last_position
        )
        .order_by("position")
        .values_list("record_id", "record_sha256")
    )
    leaves = [leaf_hash(record_id=rid, record_sha256=sha) for rid, sha in batch]
    index = link.position - checkpoint.first_position
    fields = record.hashed_fields()
    fields["created_at"] = format_timestamp(record.created_at)
    return {
        "format": PROOF_FORMAT,
        "record_id": record.id,
        "record": fields,
        "record_sha256": link.record_sha256,
        "position": link.position,
        "leaf_index": index,
        "batch_size": len(leaves),
        "audit_path": [node.hex() for node in audit_path(index, leaves)],
        "checkpoint": checkpoint_statement(checkpoint),
        "signature": checkpoint.signature,
    }
