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
from collections.abc import Mapping, Sequence
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

# One encoder each, built once: ``json.dumps`` with these arguments builds the same encoder
# on every call, so the text is byte-for-byte the same, without the per-call set-up.
_CANONICAL_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_encode_string = json.encoder.encode_basestring  # what _CANONICAL_ENCODER writes strings with
_DETAILS_ENCODER = json.JSONEncoder(allow_nan=False)
_DETAILS_DECODER = json.JSONDecoder()
# The content document's members in canonical (sorted) order, as indexes into
# ("format", *RECORD_HASHED_FIELDS), and the document with a %s for each member's value.
_DOCUMENT_KEYS: tuple[str, ...] = ("format", *RECORD_HASHED_FIELDS)
_DOCUMENT_ORDER = tuple(sorted(range(len(_DOCUMENT_KEYS)), key=_DOCUMENT_KEYS.__getitem__))
_DOCUMENT_TEMPLATE = "{" + ",".join(f'"{_DOCUMENT_KEYS[i]}":%s' for i in _DOCUMENT_ORDER) + "}"


def is_sha256_hex(value: str) -> bool:
    return bool(_SHA256_HEX.match(value))


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text; NaN and infinities are refused."""
    return _CANONICAL_ENCODER.encode(value)


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
        text = _DETAILS_ENCODER.encode(dict(details))
        normalised: dict[str, Any] = _DETAILS_DECODER.decode(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"details must be JSON-safe: {exc}") from exc
    # The text is ASCII-escaped: exponent floats show as "e+" and NUL as the escape \u0000.
    # Only a text holding either can hold a value to refuse, and only then is it walked.
    if "e+" in text or "\\u0000" in text:
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


def record_content_of_values(values: Sequence[Any]) -> tuple[str, str]:
    """The canonical JSON document of a record and its sha256, from its field values.

    ``values`` are in RECORD_HASHED_FIELDS order, ``created_at`` timezone-aware and
    ``details`` normalised (never None), as :mod:`audit.services` builds them. The document
    is :func:`record_content_document`'s and the hash :func:`record_content_sha256`'s.
    """
    if len(values) != len(RECORD_HASHED_FIELDS):
        raise ValueError(f"expected {len(RECORD_HASHED_FIELDS)} values, got {len(values)}")
    members = (RECORD_FORMAT, format_timestamp(values[0]), *values[1:])
    # canonical_json of the document, member by member: the keys are plain ASCII names in
    # sorted order, and each value is written by the same encoder, so the text is the same
    # byte for byte (tests compare the two); only the per-document set-up is saved.
    text = _DOCUMENT_TEMPLATE % tuple([_canonical_member(members[i]) for i in _DOCUMENT_ORDER])
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical_member(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return _CANONICAL_ENCODER.encode(value)


def link_sha256(*, position: int, record_id: int, record_sha256: str, prev_link_sha256: str) -> str:
    """The hash chaining one sealed record to everything sealed before it."""
    digest = hashlib.sha256()
    digest.update(LINK_DOMAIN)
    digest.update(position.to_bytes(8, "big"))
    digest.update(record_id.to_bytes(8, "big"))
    digest.update(bytes.fromhex(record_sha256))
    digest.update(bytes.fromhex(prev_link_sha256))
    return digest.hexdigest()
