"""Exports of the ledger view: CSV, JSON lines, a signed evidence pack, subject access.

Every export is itself audited (``event_type=export``) before a byte leaves, with the
filters used and the highest record id it covers, so the same export can be reproduced.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.checkpoints import checkpoint_statement
from audit.hashing import PROOF_FORMAT, RECORD_HASHED_FIELDS, canonical_json, format_timestamp
from audit.merkle import leaf_hash, merkle_root
from audit.models import EventType, LedgerCheckpoint, LedgerLink, LedgerRecord
from audit.services import LedgerEntry, ledger_append_many
from audit.signing import ensure_signing_key, key_id, public_key_pem, sign
from clipguard.accounts.models import BusinessUnit
from portal.scope import PortalScope
from portal.selectors import LedgerFilters, SubjectAccess, iter_ledger, newest_record_id

EVIDENCE_PACK_FORMAT = "clipguard.evidence-pack.v1"
SUBJECT_ACCESS_FORMAT = "clipguard.subject-access.v1"
EVIDENCE_PACK_MAX_RECORDS = 10_000

CSV_COLUMNS = ("id", *RECORD_HASHED_FIELDS, "content_sha256")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class EvidencePackTooLarge(ValueError):
    """More records match than one evidence pack holds; narrow the filters."""


# --- one record as data ---------------------------------------------------------------------


def record_json(record: LedgerRecord) -> dict[str, Any]:
    """A record's fields as JSON-ready data; ``created_at`` as the hash covers it."""
    data: dict[str, Any] = {"id": record.id}
    data.update(record.hashed_fields())
    data["created_at"] = format_timestamp(record.created_at)
    data["content_sha256"] = record.content_sha256
    return data


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    else:
        text = str(value)
    # Spreadsheets run cells that start like a formula; JSON lines keep the exact text.
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


# --- audit of the export itself ------------------------------------------------------------


def _units_of_export(scope: PortalScope, filters: LedgerFilters) -> list[BusinessUnit]:
    """The units a unit-scoped caller's export covers: the filtered unit, or all of theirs
    (a filter outside their units matches nothing, and is filed under all of them)."""
    unit_ids = scope.unit_ids or frozenset()
    if filters.business_unit_id in unit_ids:
        unit_ids = frozenset({filters.business_unit_id})
    return list(BusinessUnit.objects.filter(pk__in=unit_ids).order_by("pk"))


def record_export(
    *,
    scope: PortalScope,
    export_format: str,
    filters: LedgerFilters,
    through_id: int | None,
    extra: dict[str, Any] | None = None,
) -> LedgerRecord:
    """Append the export's own audit record(s); returns the first.

    A platform-wide caller's export is one record, filed under the filtered unit if any.
    A business-unit user's export is one record per unit it covers, filed under that unit
    and naming only it, the records sharing a request id: each unit's users see their
    colleagues' exports and nothing of another unit's.
    """
    details = {
        "format": export_format,
        "filters": filters.as_dict(),
        "through_record_id": through_id,
        **(extra or {}),
    }
    export_id = uuid.uuid4().hex
    if scope.unit_ids is None:
        unit = (
            BusinessUnit.objects.filter(pk=filters.business_unit_id).first()
            if filters.business_unit_id is not None
            else None
        )
        entries = [
            LedgerEntry(
                event_type=EventType.EXPORT,
                actor=scope.user,
                business_unit=unit,
                request_id=export_id,
                details={**details, "scope": "all units"},
            )
        ]
    else:
        entries = [
            LedgerEntry(
                event_type=EventType.EXPORT,
                actor=scope.user,
                business_unit=unit,
                request_id=export_id,
                details={**details, "scope": [unit.pk]},
            )
            for unit in _units_of_export(scope, filters)
        ]
    return ledger_append_many(entries)[0]


# --- CSV and JSON lines, streamed ----------------------------------------------------------


@dataclass(frozen=True)
class StreamedExport:
    lines: Iterator[str]
    through_id: int | None
    audit_record: LedgerRecord


def _csv_lines(records: Iterable[LedgerRecord]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        data = record_json(record)
        writer.writerow([_csv_cell(data.get(column)) for column in CSV_COLUMNS])
        yield buffer.getvalue()


def _jsonl_lines(records: Iterable[LedgerRecord]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record_json(record), sort_keys=True, ensure_ascii=False) + "\n"


def export_ledger(
    *, scope: PortalScope, filters: LedgerFilters, export_format: str
) -> StreamedExport:
    """Audit the export, then stream every matching record up to now (oldest first)."""
    if export_format not in {"csv", "jsonl"}:
        raise ValueError(f"unknown export format {export_format!r}")
    through_id = newest_record_id()
    audit_record = record_export(
        scope=scope, export_format=export_format, filters=filters, through_id=through_id
    )
    records = iter_ledger(scope, filters, through_id=through_id)
    lines = _csv_lines(records) if export_format == "csv" else _jsonl_lines(records)
    return StreamedExport(lines=lines, through_id=through_id, audit_record=audit_record)


# --- the evidence pack ---------------------------------------------------------------------


def _node(left: bytes, right: bytes) -> bytes:
    """An interior Merkle node, as :mod:`audit.merkle` makes it (RFC 9162)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class _BatchTree:
    """RFC 9162 audit paths for many leaves of one batch, each subtree hashed once."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.leaves = leaves
        self.root = lru_cache(maxsize=None)(self._root)

    def _root(self, lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            return self.leaves[lo]
        if hi - lo == 0:
            return merkle_root([])
        k = 1
        while k * 2 < hi - lo:
            k *= 2
        return _node(self.root(lo, lo + k), self.root(lo + k, hi))

    def path(self, index: int) -> list[bytes]:
        lo, hi = 0, len(self.leaves)
        siblings: list[bytes] = []
        while hi - lo > 1:
            k = 1
            while k * 2 < hi - lo:
                k *= 2
            if index < lo + k:
                siblings.append(self.root(lo + k, hi))
                hi = lo + k
            else:
                siblings.append(self.root(lo, lo + k))
                lo = lo + k
        siblings.reverse()
        return siblings


def inclusion_proofs(
    records: Sequence[LedgerRecord],
) -> tuple[dict[int, dict[str, Any]], list[LedgerCheckpoint]]:
    """Inclusion proofs (the ``audit_proof`` format) for the sealed ones among ``records``,
    and the checkpoints they rest on."""
    links = {
        record_id: (position, sha)
        for record_id, position, sha in LedgerLink.objects.filter(
            record_id__in=[r.id for r in records]
        ).values_list("record_id", "position", "record_sha256")
    }
    if not links:
        return {}, []
    positions = [position for position, _ in links.values()]
    checkpoints = list(
        LedgerCheckpoint.objects.filter(
            last_position__gte=min(positions), first_position__lte=max(positions)
        ).order_by("sequence")
    )
    proofs: dict[int, dict[str, Any]] = {}
    used: list[LedgerCheckpoint] = []
    by_id = {r.id: r for r in records}
    for checkpoint in checkpoints:
        members = [
            (rid, pos, sha)
            for rid, (pos, sha) in links.items()
            if checkpoint.first_position <= pos <= checkpoint.last_position
        ]
        if not members:
            continue
        used.append(checkpoint)
        batch = list(
            LedgerLink.objects.filter(
                position__gte=checkpoint.first_position, position__lte=checkpoint.last_position
            )
            .order_by("position")
            .values_list("record_id", "record_sha256")
        )
        tree = _BatchTree([leaf_hash(record_id=rid, record_sha256=sha) for rid, sha in batch])
        statement = checkpoint_statement(checkpoint)
        for rid, pos, sha in members:
            index = pos - checkpoint.first_position
            fields = by_id[rid].hashed_fields()
            fields["created_at"] = format_timestamp(by_id[rid].created_at)
            proofs[rid] = {
                "format": PROOF_FORMAT,
                "record_id": rid,
                "record": fields,
                "record_sha256": sha,
                "position": pos,
                "leaf_index": index,
                "batch_size": len(batch),
                "audit_path": [node.hex() for node in tree.path(index)],
                "checkpoint": statement,
                "signature": checkpoint.signature,
            }
    return proofs, used


@dataclass(frozen=True)
class EvidencePack:
    content: bytes
    filename: str
    records: int
    manifest_sha256: str
    audit_record: LedgerRecord


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _readme(*, created_at: str, records: int, sealed: int, key: str) -> str:
    return README_TEMPLATE.format(created_at=created_at, records=records, sealed=sealed, key=key)


@transaction.atomic
def build_evidence_pack(*, scope: PortalScope, filters: LedgerFilters) -> EvidencePack:
    """A .zip of the filtered records, their proofs and checkpoints, signed; audited.

    Raises :class:`EvidencePackTooLarge` beyond ``EVIDENCE_PACK_MAX_RECORDS`` records and
    ``audit.signing.SigningKeyError`` when the signing key cannot be read.
    """
    through_id = newest_record_id()
    records = []
    for record in iter_ledger(scope, filters, through_id=through_id):
        records.append(record)
        if len(records) > EVIDENCE_PACK_MAX_RECORDS:
            raise EvidencePackTooLarge(
                f"more than {EVIDENCE_PACK_MAX_RECORDS} records match; narrow the filters "
                "(for example by date range) and export several packs"
            )
    private_key = ensure_signing_key()
    public_key = private_key.public_key()
    proofs, checkpoints = inclusion_proofs(records)
    created_at = format_timestamp(timezone.now())
    files: dict[str, bytes] = {
        "records.jsonl": "".join(_jsonl_lines(records)).encode("utf-8"),
        "checkpoints.jsonl": "".join(
            canonical_json({"statement": checkpoint_statement(c), "signature": c.signature}) + "\n"
            for c in checkpoints
        ).encode("utf-8"),
        "public_key.pem": public_key_pem(public_key).encode("ascii"),
        "README.md": _readme(
            created_at=created_at, records=len(records), sealed=len(proofs), key=key_id(public_key)
        ).encode("utf-8"),
    }
    for rid in sorted(proofs):
        files[f"proofs/record-{rid}.json"] = (
            json.dumps(proofs[rid], indent=2, sort_keys=True) + "\n"
        ).encode("utf-8")
    manifest = {
        "format": EVIDENCE_PACK_FORMAT,
        "created_at": created_at,
        "created_by": scope.user.get_username(),
        "filters": filters.as_dict(),
        "through_record_id": through_id,
        "records": len(records),
        "sealed_records": len(proofs),
        "pending_records": len(records) - len(proofs),
        "checkpoints": [c.sequence for c in checkpoints],
        "key_id": key_id(public_key),
        "files": {name: _sha256(data) for name, data in sorted(files.items())},
    }
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    signature = sign(private_key, manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("manifest.sig", signature + "\n")
    manifest_sha256 = _sha256(manifest_bytes)
    audit_record = record_export(
        scope=scope,
        export_format="evidence_pack",
        filters=filters,
        through_id=through_id,
        extra={"records": len(records), "manifest_sha256": manifest_sha256},
    )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return EvidencePack(
        content=buffer.getvalue(),
        filename=f"clipguard-evidence-{stamp}.zip",
        records=len(records),
        manifest_sha256=manifest_sha256,
        audit_record=audit_record,
    )


README_TEMPLATE = """\
# ClipGuard evidence pack

Made {created_at} (UTC). {records} ledger records, {sealed} of them sealed with an
inclusion proof. Signed by the ledger key `{key}`.

## What is inside

* `records.jsonl`: one ledger record per line, every field, as written (`created_at` in UTC);
* `proofs/record-<id>.json`: for each sealed record, its inclusion proof: the record's
  fields, its position in the chain, the Merkle audit path to its batch root, and the
  signed checkpoint;
* `checkpoints.jsonl`: the signed checkpoints those proofs rest on, one
  `{{"statement": ..., "signature": ...}}` per line;
* `public_key.pem`: the ledger's Ed25519 public key (compare it with the published key);
* `manifest.json`: the filters used, the counts, and the sha256 of every file above;
* `manifest.sig`: the base64 Ed25519 signature of `manifest.json`, byte for byte as
  stored, by the ledger key.

Records that were not sealed yet when the pack was made have no proof; they are listed in
`records.jsonl` and counted as `pending_records` in the manifest.

## How to verify it

1. **The key.** Check that `public_key.pem` is the key the controller published (out of
   band). Everything below only proves that holder of that key signed it.
2. **The manifest signature.** With OpenSSL 3:

       base64 -d manifest.sig > manifest.sig.bin
       openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin \\
           -in manifest.json -sigfile manifest.sig.bin

   It must print `Signature Verified Successfully`.
3. **The files.** Every file's sha256 must match `files` in `manifest.json`
   (`sha256sum records.jsonl checkpoints.jsonl public_key.pem README.md proofs/*`).
4. **Each record.** A proof verifies with no database:
   `python manage.py audit_proof --check proofs/record-<id>.json --public-key public_key.pem`,
   or in Python `audit.proofs.verify_inclusion_proof(proof, public_key)`. It recomputes the
   record's content hash from its fields (the proof's `record` equals the line in
   `records.jsonl` without `id` and `content_sha256`), follows the audit path to the batch
   root, and checks the checkpoint's signature.
5. **The checkpoints.** Compare each line of `checkpoints.jsonl` with the copy of the same
   sequence number in the checkpoint folder the controller publishes to write-once
   storage. A match shows the records were in the ledger when that checkpoint was
   published, and nothing was changed since.

The whole ledger (not only these records) is checked with `python manage.py audit_verify`
against the database; see the controller's audit documentation.
"""


# --- data-subject access -------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def subject_access_json(reports: Sequence[SubjectAccess]) -> list[dict[str, Any]]:
    """The subject-access report as JSON-ready data."""
    return [
        {
            "subject": {
                "id": report.subject.pk,
                "reference": report.subject.reference,
                "business_unit": report.subject.business_unit.name,
                "created_at": _iso(report.subject.created_at),
            },
            "datasets": [
                {
                    "id": d.pk,
                    "name": d.name,
                    "purposes": d.purposes,
                    "data_categories": d.data_categories,
                    "retention_days": d.retention_days,
                }
                for d in report.datasets
            ],
            "assets": [
                {
                    "id": a.pk,
                    "dataset_id": a.dataset_id,
                    "status": a.status,
                    "original_sha256": a.original_sha256,
                    "filtered_sha256": a.filtered_sha256,
                    "manifest_sha256": a.manifest_sha256,
                    "filter_version": a.filter_version,
                    "created_at": _iso(a.created_at),
                }
                for a in report.assets
            ],
            "consents": [
                {
                    "id": c.pk,
                    "dataset_id": c.dataset_id,
                    "purposes": c.purposes,
                    "notice_version": c.notice_version,
                    "evidence": c.evidence,
                    "asset_ids": sorted(a.pk for a in c.assets.all()),
                    "granted_at": _iso(c.granted_at),
                    "withdrawn_at": _iso(c.withdrawn_at),
                    "withdrawal_reason": c.withdrawal_reason,
                }
                for c in report.consents
            ],
            "consent_changes": [record_json(r) for r in report.consent_changes],
            "jobs": [
                {
                    "id": str(j.pk),
                    "business_unit": j.business_unit.name,
                    "purpose": j.purpose,
                    "task": j.task,
                    "model_id": j.model_id,
                    "status": j.status,
                    "decision": j.decision,
                    "created_at": _iso(j.created_at),
                }
                for j in report.jobs
            ],
            "results": [
                {
                    "job_id": str(r.job_id),
                    "asset_id": r.asset_id,
                    "status": r.status,
                    "reason": r.reason,
                    "output_sha256": r.output_sha256,
                    "created_at": _iso(r.created_at),
                }
                for r in report.results
            ],
            "erasures": [
                {
                    "id": e.pk,
                    "consent_id": e.consent_id,
                    "asset_ids": e.asset_ids,
                    "results_deleted": e.results_deleted,
                    "filtered_images_deleted": e.filtered_images_deleted,
                    "receipt_sha256": e.receipt_sha256,
                    "created_at": _iso(e.created_at),
                }
                for e in report.erasures
            ],
            "erasure_records": [record_json(r) for r in report.erasure_records],
            "inference_records": [record_json(r) for r in report.inference_records],
        }
        for report in reports
    ]


@transaction.atomic
def export_subject_access(
    *, scope: PortalScope, reference: str, reports: Sequence[SubjectAccess]
) -> dict[str, Any]:
    """The subject-access document; one audit record per subject it covers."""
    ledger_append_many(
        [
            LedgerEntry(
                event_type=EventType.EXPORT,
                actor=scope.user,
                business_unit=report.subject.business_unit,
                details={"format": "subject_access", "subject_id": report.subject.pk},
            )
            for report in reports
        ]
    )
    return {
        "format": SUBJECT_ACCESS_FORMAT,
        "generated_at": format_timestamp(timezone.now()),
        "generated_by": scope.user.get_username(),
        "reference": reference,
        "subjects": subject_access_json(reports),
    }
