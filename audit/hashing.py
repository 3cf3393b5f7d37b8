"""Canonical bytes and hashes for ledger records and links.

A record's content hash is the sha256 of a canonical JSON document holding every field
except the database id (which is only known after the INSERT); the link that seals the
record binds the id. Changing any byte of these formats breaks every earlier hash, so
each format carries a version tag.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

RECORD_FORMAT = "clipguard.ledger.record.v1"
CHECKPOINT_FORMAT = "clipguard.ledger.checkpoint.v1"
PROOF_FORMAT = "clipguard.ledger.inclusion_proof.v1"
LINK_DOMAIN = b"clipguard.ledger.link.v1\x00"
GENESIS_LINK_SHA256 = "0" * 64

# The fields a record's content hash covers, in this order.
RECORD_HASHED_FIELDS: tuple[str, ...] = (
    "created_at",
    "event_type",
    "actor",
    "actor_id",
    "business_unit_id",
    "business_unit",
    "purpose",
    "request_id",
    "job_id",
    "asset_id",
    "input_sha256",
    "filtered_sha256",
    "manifest_sha256",
    "model_id",
    "weights_sha256",
    "policy_version",
    "policy_decision",
    "consent_ref",
    "output_sha256",
    "details",
)

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def is_sha256_hex(value: str) -> bool:
    return bool(_SHA256_HEX.match(value))


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text; NaN and infinities are refused."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def normalise_details(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """A JSON-safe copy of ``details`` that reads back from the database byte-identical.

    Tuples become lists and keys become strings (as JSON does). Floats of 1e16 and more
    are refused: PostgreSQL's jsonb spells ``1e+20`` as an integer, which would read back
    as another value; pass such numbers as strings or integers.
    """
    if details is None:
        return {}
    if not isinstance(details, Mapping):
        raise TypeError("details must be a mapping")
    try:
        normalised: dict[str, Any] = json.loads(json.dumps(dict(details), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"details must be JSON-safe: {exc}") from exc
    _refuse_unstable_floats(normalised)
    return normalised


def _refuse_unstable_floats(value: Any) -> None:
    if isinstance(value, float):
        if not math.isfinite(value) or "e+" in repr(value):
            raise ValueError(f"details: float {value!r} does not round-trip; pass it as a string")
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_unstable_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_unstable_floats(item)
    elif isinstance(value, str) and "\x00" in value:
        raise ValueError("details: strings may not contain NUL characters")


def format_timestamp(value: datetime) -> str:
    """UTC, microseconds always written, so the text is the same after a database round trip."""
    if value.tzinfo is None:
        raise ValueError("ledger timestamps must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_content_document(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The document a record's content hash is taken over."""
    document: dict[str, Any] = {"format": RECORD_FORMAT}
    for name in RECORD_HASHED_FIELDS:
        value = fields[name]
        if name == "created_at":
            value = format_timestamp(value)
        elif name == "details":
            value = value if value is not None else {}
        document[name] = value
    return document


def record_content_sha256(fields: Mapping[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of a record's fields; see RECORD_HASHED_FIELDS."""
    text = canonical_json(record_content_document(fields))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_sha256(*, position: int, record_id: int, record_sha256: str, prev_link_sha256: str) -> str:
    """The hash chaining one sealed record to everything sealed before it."""
    digest = hashlib.sha256()
    digest.update(LINK_DOMAIN)
    digest.update(position.to_bytes(8, "big"))
    digest.update(record_id.to_bytes(8, "big"))
    digest.update(bytes.fromhex(record_sha256))
    digest.update(bytes.fromhex(prev_link_sha256))
    return digest.hexdigest()
