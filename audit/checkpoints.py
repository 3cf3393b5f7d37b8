"""Signed checkpoints: what is signed, and their publication outside the database.

Each checkpoint's signed statement is the canonical JSON of :func:`checkpoint_statement`.
Published copies go to ``settings.AUDIT_CHECKPOINT_DIR``:

* ``checkpoints-YYYY-MM-DD.jsonl`` — one line per checkpoint, appended in order (UTC day
  of the checkpoint), each ``{"statement": {...}, "signature": "<base64>"}``;
* ``latest.json`` — the newest published line, replaced atomically;
* ``keys/<key_id>.pem`` — the public keys that signed them.

Ship the folder to write-once storage: it is what catches a truncated tail or a chain
rewritten inside the database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from audit.hashing import CHECKPOINT_FORMAT, canonical_json, format_timestamp
from audit.models import LedgerCheckpoint
from audit.signing import key_id, public_key_pem

LATEST_FILE = "latest.json"


def checkpoint_statement(checkpoint: LedgerCheckpoint) -> dict[str, Any]:
    """The fields a checkpoint's signature covers."""
    return {
        "format": CHECKPOINT_FORMAT,
        "sequence": checkpoint.sequence,
        "first_position": checkpoint.first_position,
        "last_position": checkpoint.last_position,
        "tree_size": checkpoint.tree_size,
        "first_record_id": checkpoint.first_record_id,
        "last_record_id": checkpoint.last_record_id,
        "max_record_id": checkpoint.max_record_id,
        "batch_root_sha256": checkpoint.batch_root_sha256,
        "head_link_sha256": checkpoint.head_link_sha256,
        "created_at": format_timestamp(checkpoint.created_at),
        "key_id": checkpoint.key_id,
    }


def statement_bytes(statement: dict[str, Any]) -> bytes:
    return canonical_json(statement).encode("utf-8")


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def published_entry(checkpoint: LedgerCheckpoint) -> dict[str, Any]:
    return {"statement": checkpoint_statement(checkpoint), "signature": checkpoint.signature}


def read_latest_published(directory: Path | None = None) -> dict[str, Any] | None:
    path = (directory or checkpoint_dir()) / LATEST_FILE
    try:
        entry: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return entry


def iter_published(directory: Path | None = None) -> Iterator[dict[str, Any]]:
    """Every published checkpoint line, oldest file first."""
    folder = directory or checkpoint_dir()
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("checkpoints-*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def published_public_keys(directory: Path | None = None) -> list[str]:
    folder = (directory or checkpoint_dir()) / "keys"
    if not folder.is_dir():
        return []
    return [path.read_text(encoding="ascii") for path in sorted(folder.glob("*.pem"))]


def publish_public_key(key: Ed25519PublicKey, directory: Path | None = None) -> Path:
    folder = (directory or checkpoint_dir()) / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key_id(key)}.pem"
    if not path.exists():
        _write_atomically(path, public_key_pem(key))
    return path


def publish_checkpoints(directory: Path | None = None) -> int:
    """Append every committed checkpoint newer than ``latest.json``; returns how many.

    Idempotent, and run by the sealer after each commit, so a crash between commit and
    publication is repaired by the next run. Callers hold the sealer lock.
    """
    folder = directory or checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    latest = read_latest_published(folder)
    after = int(latest["statement"]["sequence"]) if latest else 0
    published = 0
    last_entry: dict[str, Any] | None = None
    for checkpoint in LedgerCheckpoint.objects.filter(sequence__gt=after).order_by("sequence"):
        entry = published_entry(checkpoint)
        day = checkpoint.created_at.strftime("%Y-%m-%d")
        with (folder / f"checkpoints-{day}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(canonical_json(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        last_entry = entry
        published += 1
    if last_entry is not None:
        _write_atomically(folder / LATEST_FILE, canonical_json(last_entry) + "\n")
    return published


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
