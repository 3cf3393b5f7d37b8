"""Checking an inclusion proof offline: no database, no Django settings needed.

A proof (made by :func:`audit.selectors.record_inclusion_proof`) holds the record's
fields, its position, the Merkle audit path to its batch's root and the signed checkpoint
statement. :func:`verify_inclusion_proof` needs nothing but the proof and the ledger's
public key; this module imports no models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from audit.hashing import (
    CHECKPOINT_FORMAT,
    PROOF_FORMAT,
    RECORD_HASHED_FIELDS,
    canonical_json,
    record_content_sha256,
)
from audit.merkle import leaf_hash, root_from_path
from audit.signing import key_id, signature_valid


class ProofError(ValueError):
    """The proof does not show what it claims."""


def verify_inclusion_proof(proof: dict[str, Any], public_key: Ed25519PublicKey) -> None:
    """Raise :class:`ProofError` unless the proof holds under ``public_key``."""
    try:
        _verify(proof, public_key)
    except ProofError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ProofError(f"malformed proof: {exc!r}") from exc


def _verify(proof: dict[str, Any], public_key: Ed25519PublicKey) -> None:
    if proof["format"] != PROOF_FORMAT:
        raise ProofError("not a ClipGuard inclusion proof")
    statement = proof["checkpoint"]
    if statement.get("format") != CHECKPOINT_FORMAT:
        raise ProofError("unknown checkpoint format")
    if statement["key_id"] != key_id(public_key):
        raise ProofError("the checkpoint was signed by another key")
    if not signature_valid(
        public_key, canonical_json(statement).encode("utf-8"), proof["signature"]
    ):
        raise ProofError("the checkpoint's signature does not verify")
    fields = dict(proof["record"])
    if set(fields) != set(RECORD_HASHED_FIELDS):
        raise ProofError("the record's fields are incomplete")
    fields["created_at"] = datetime.fromisoformat(fields["created_at"])
    content = record_content_sha256(fields)
    if content != proof["record_sha256"]:
        raise ProofError("the record's fields do not match its sealed hash")
    position = int(proof["position"])
    index = int(proof["leaf_index"])
    size = int(proof["batch_size"])
    first, last = int(statement["first_position"]), int(statement["last_position"])
    if position != first + index or size != last - first + 1:
        raise ProofError("the position does not lie where the checkpoint says")
    leaf = leaf_hash(record_id=int(proof["record_id"]), record_sha256=content)
    path = [bytes.fromhex(node) for node in proof["audit_path"]]
    root = root_from_path(index=index, size=size, leaf=leaf, path=path)
    if root is None or root.hex() != statement["batch_root_sha256"]:
        raise ProofError("the audit path does not lead to the signed batch root")
