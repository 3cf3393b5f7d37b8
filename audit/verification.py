"""Checking the whole ledger: records, chain, checkpoints and the published heads.

``verify_ledger()`` reads everything once (links in position order, in chunks) and
returns a :class:`VerificationReport`. It changes nothing.

Records not yet sealed are *pending*, not a failure — with two exceptions that only a
forgery explains. The sealer takes queued records in id order, so a record ``i`` still
unsealed after a checkpoint ``L`` sealed a higher id was not visible to ``L``: its
transaction was still open. It took its id (and, a moment before, its ``created_at``)
before the higher id was taken, so a genuine late commit satisfies
``L.created_at - AUDIT_LATE_COMMIT_GRACE_SECONDS <= created_at(i) <= L.created_at +
AUDIT_CLOCK_SKEW_SECONDS``: older means a transaction open for longer than any we allow,
newer means the record claims a time after the ids around it were sealed. Both are
reported as a record inserted into an already-sealed range. The same test applies to
records sealed late. A record within the window is indistinguishable from a late commit,
and gets sealed at the end of the chain like one: it never becomes part of a range that
was already signed.

Retention pruning (:mod:`audit.retention`) deletes old records but keeps their links and
checkpoints. A sealed record that is gone counts as *pruned*, not *missing*, when its
position is at or below a justified pruning horizon: the position named by a
``retention_prune`` record in the ledger whose checkpoint was signed at least the
retention period (never under 183 days) before that record. A pruning record that claims
a younger horizon is itself reported (``prune_unjustified``).
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypedDict

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db.models import Exists, OuterRef

from audit.checkpoints import (
    checkpoint_dir,
    checkpoint_statement,
    iter_published,
    published_public_keys,
    read_latest_published,
    statement_bytes,
)
from audit.hashing import GENESIS_LINK_SHA256, format_timestamp, link_sha256
from audit.merkle import leaf_hash, merkle_root
from audit.models import LedgerCheckpoint, LedgerLink, LedgerRecord, PendingSeal
from audit.retention import MINIMUM_RETENTION_DAYS, PRUNE_ACTION, PRUNE_EVENT, RETENTION_ACTOR
from audit.signing import SigningKeyError, key_id, load_private_key, load_public_key_pem
from audit.signing import signature_valid as _signature_valid

CHUNK = 5000
DEFAULT_LATE_COMMIT_GRACE_SECONDS = 900
DEFAULT_CLOCK_SKEW_SECONDS = 60


class ProblemKind(StrEnum):
    RECORD_CHANGED = "record_changed"
    RECORD_REHASHED = "record_rehashed"
    RECORD_MISSING = "record_missing"
    LINK_BROKEN = "link_broken"
    CHAIN_BROKEN = "chain_broken"
    LINKS_MISSING = "links_missing"
    LINK_NOT_CHECKPOINTED = "link_not_checkpointed"
    CHECKPOINT_SEQUENCE = "checkpoint_sequence"
    CHECKPOINT_RANGE = "checkpoint_range"
    CHECKPOINT_ROOT = "checkpoint_root"
    CHECKPOINT_HEAD = "checkpoint_head"
    CHECKPOINT_RECORDS = "checkpoint_records"
    CHECKPOINT_SIGNATURE = "checkpoint_signature"
    CHECKPOINT_UNKNOWN_KEY = "checkpoint_unknown_key"
    NO_PUBLIC_KEY = "no_public_key"
    TAIL_TRUNCATED = "tail_truncated"
    PUBLISHED_MISMATCH = "published_mismatch"
    PUBLISHED_SIGNATURE = "published_signature"
    PUBLISHED_MISSING = "published_missing"
    RECORD_NOT_QUEUED = "record_not_queued"
    QUEUED_RECORD_MISSING = "queued_record_missing"
    RECORD_IN_SEALED_RANGE = "record_in_sealed_range"
    PRUNE_UNJUSTIFIED = "prune_unjustified"


class _Where(TypedDict, total=False):
    position: int | None
    checkpoint: int | None
    record_id: int | None
    late: bool


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str
    record_id: int | None = None
    position: int | None = None
    checkpoint: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "message": self.message,
            "record_id": self.record_id,
            "position": self.position,
            "checkpoint": self.checkpoint,
        }


@dataclass
class VerificationReport:
    records: int = 0
    sealed: int = 0
    pending: int = 0
    late_commits: int = 0
    checkpoints: int = 0
    last_checkpoint: int | None = None
    last_checkpoint_at: datetime | None = None
    tree_size: int = 0
    head_link_sha256: str = GENESIS_LINK_SHA256
    published_checkpoint: int | None = None
    unpublished_checkpoints: int = 0
    oldest_pending_at: datetime | None = None
    pruned: int = 0
    pruned_through_position: int | None = None
    problems: list[Problem] = field(default_factory=list)
    problems_truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "sealed": self.sealed,
            "pending": self.pending,
            "late_commits": self.late_commits,
            "checkpoints": self.checkpoints,
            "last_checkpoint": self.last_checkpoint,
            "last_checkpoint_at": _iso(self.last_checkpoint_at),
            "tree_size": self.tree_size,
            "head_link_sha256": self.head_link_sha256,
            "published_checkpoint": self.published_checkpoint,
            "unpublished_checkpoints": self.unpublished_checkpoints,
            "oldest_pending_at": _iso(self.oldest_pending_at),
            "pruned": self.pruned,
            "pruned_through_position": self.pruned_through_position,
            "first_problem": self.first_problem.as_dict() if self.first_problem else None,
            "problems": [problem.as_dict() for problem in self.problems],
            "problems_truncated": self.problems_truncated,
        }

    def summary(self) -> str:
        lines = []
        if self.ok:
            lines.append("Ledger verified: no tampering found.")
        else:
            assert self.first_problem is not None
            more = "+" if self.problems_truncated else ""
            lines.append(
                f"Ledger verification FAILED ({len(self.problems)}{more} problems). "
                f"First: {self.first_problem.message}"
            )
        lines.append(
            f"Records: {self.records} ({self.sealed} sealed, {self.pending} pending"
            f"{f', {self.late_commits} late commits' if self.late_commits else ''})."
        )
        if self.last_checkpoint is not None:
            unpublished = (
                f" ({self.unpublished_checkpoints} not yet published)"
                if self.unpublished_checkpoints
                else ""
            )
            lines.append(
                f"Checkpoints: {self.checkpoints}; last is {self.last_checkpoint} at "
                f"{_iso(self.last_checkpoint_at)}, tree size {self.tree_size}, "
                f"head {self.head_link_sha256[:16]}…; published up to "
                f"{self.published_checkpoint}{unpublished}."
            )
        else:
            lines.append("Checkpoints: none yet.")
        if self.pruned_through_position is not None:
            lines.append(
                f"Pruned by retention: {self.pruned} records up to position "
                f"{self.pruned_through_position} (links and checkpoints kept)."
            )
        if self.oldest_pending_at is not None:
            lines.append(f"Oldest pending record written at {_iso(self.oldest_pending_at)}.")
        lines.extend(f"  - {problem.message}" for problem in self.problems[1:20])
        return "\n".join(lines)


def _iso(value: datetime | None) -> str | None:
    return format_timestamp(value) if value is not None else None


def trusted_public_keys(directory: Path | None = None) -> list[Ed25519PublicKey]:
    """The signing key's public half (when readable) and the keys published beside the
    checkpoints (earlier keys after a rotation). Auditors pass their own copy instead."""
    keys: list[Ed25519PublicKey] = []
    with contextlib.suppress(SigningKeyError, OSError, ValueError):
        keys.append(load_private_key(Path(settings.AUDIT_SIGNING_KEY_FILE)).public_key())
    for pem in published_public_keys(directory):
        try:
            keys.append(load_public_key_pem(pem))
        except ValueError:
            continue
    return keys


class _Verifier:
    def __init__(
        self,
        *,
        public_keys: Sequence[Ed25519PublicKey],
        directory: Path,
        max_problems: int,
    ) -> None:
        self.keys = {key_id(key): key for key in public_keys}
        self.directory = directory
        self.max_problems = max_problems
        self.report = VerificationReport()
        self.pruning_horizon = -1
        self._found: list[tuple[tuple[int, int, int], Problem]] = []
        self.grace = timedelta(
            seconds=getattr(
                settings, "AUDIT_LATE_COMMIT_GRACE_SECONDS", DEFAULT_LATE_COMMIT_GRACE_SECONDS
            )
        )
        self.skew = timedelta(
            seconds=getattr(settings, "AUDIT_CLOCK_SKEW_SECONDS", DEFAULT_CLOCK_SKEW_SECONDS)
        )

    # -- collecting ------------------------------------------------------------------
    def problem(
        self,
        kind: ProblemKind,
        message: str,
        *,
        record_id: int | None = None,
        position: int | None = None,
        checkpoint: int | None = None,
        late: bool = False,
    ) -> None:
        """Problems are reported in chain order; ``late`` ones after others at their position."""
        order = (position if position is not None else 2**62, int(late), len(self._found))
        self._found.append((order, Problem(kind, message, record_id, position, checkpoint)))

    def finish(self) -> VerificationReport:
        ordered = [problem for _, problem in sorted(self._found, key=lambda t: t[0])]
        self.report.problems = ordered[: self.max_problems]
        self.report.problems_truncated = len(ordered) > self.max_problems
        return self.report

    # -- the checks --------------------------------------------------------------------
    def run(self) -> VerificationReport:
        checkpoints = list(LedgerCheckpoint.objects.order_by("sequence"))
        self.report.records = LedgerRecord.objects.count()
        self.report.checkpoints = len(checkpoints)
        if checkpoints:
            last = checkpoints[-1]
            self.report.last_checkpoint = last.sequence
            self.report.last_checkpoint_at = last.created_at
            self.report.tree_size = last.tree_size
            self.report.head_link_sha256 = last.head_link_sha256
        self.check_checkpoints(checkpoints)
        self.check_pruning(checkpoints)
        self.check_chain(checkpoints)
        self.check_unsealed(checkpoints)
        self.check_published(checkpoints)
        return self.finish()

    def check_checkpoints(self, checkpoints: Sequence[LedgerCheckpoint]) -> None:
        if checkpoints and not self.keys:
            self.problem(
                ProblemKind.NO_PUBLIC_KEY,
                "no public key to check checkpoint signatures with (pass --public-key)",
                position=0,
            )
        expected_sequence, expected_first = 1, 0
        for checkpoint in checkpoints:
            where: _Where = {
                "position": checkpoint.first_position,
                "checkpoint": checkpoint.sequence,
                "record_id": checkpoint.first_record_id,
            }
            name = _checkpoint_name(checkpoint)
            if checkpoint.sequence != expected_sequence:
                self.problem(
                    ProblemKind.CHECKPOINT_SEQUENCE,
                    f"{name}: expected checkpoint {expected_sequence} here; "
                    "checkpoints were removed",
                    **where,
                )
            if (
                checkpoint.first_position != expected_first
                or checkpoint.last_position < checkpoint.first_position
            ):
                self.problem(
                    ProblemKind.CHECKPOINT_RANGE,
                    f"{name}: expected its range to start at position {expected_first}",
                    **where,
                )
            key = self.keys.get(checkpoint.key_id)
            if key is None and self.keys:
                self.problem(
                    ProblemKind.CHECKPOINT_UNKNOWN_KEY,
                    f"{name}: signed by unknown key {checkpoint.key_id!r}",
                    **where,
                )
            elif key is not None and not _signature_valid(
                key, statement_bytes(checkpoint_statement(checkpoint)), checkpoint.signature
            ):
                self.problem(
                    ProblemKind.CHECKPOINT_SIGNATURE,
                    f"{name}: signature does not verify; the checkpoint was replaced or edited",
                    **where,
                )
            expected_sequence = checkpoint.sequence + 1
            expected_first = checkpoint.last_position + 1

    def check_pruning(self, checkpoints: Sequence[LedgerCheckpoint]) -> None:
        """Learn the pruning horizon from the ledger's own retention records."""
        by_sequence = {checkpoint.sequence: checkpoint for checkpoint in checkpoints}
        prunings = LedgerRecord.objects.filter(
            event_type=PRUNE_EVENT, actor=RETENTION_ACTOR, details__action=PRUNE_ACTION
        ).order_by("id")
        for record in prunings:
            details = record.details if isinstance(record.details, dict) else {}
            sequence = details.get("through_checkpoint")
            position = details.get("through_position")
            days = details.get("retention_days")
            checkpoint = by_sequence.get(sequence) if isinstance(sequence, int) else None
            justified = (
                checkpoint is not None
                and checkpoint.last_position == position
                and isinstance(days, int)
                and days >= MINIMUM_RETENTION_DAYS
                and checkpoint.created_at <= record.created_at - timedelta(days=days)
                and record.compute_content_sha256() == record.content_sha256
            )
            if not justified or not isinstance(position, int):
                self.problem(
                    ProblemKind.PRUNE_UNJUSTIFIED,
                    f"record {record.id}: a retention pruning up to checkpoint {sequence} "
                    f"(position {position}) that its checkpoint does not justify: records "
                    f"younger than {MINIMUM_RETENTION_DAYS} days, or a checkpoint that is "
                    "not there",
                    record_id=record.id,
                    position=position if isinstance(position, int) else None,
                )
                continue
            self.pruning_horizon = max(self.pruning_horizon, position)
        if self.pruning_horizon >= 0:
            self.report.pruned_through_position = self.pruning_horizon

    def check_chain(self, checkpoints: Sequence[LedgerCheckpoint]) -> None:
        by_first = {checkpoint.first_position: checkpoint for checkpoint in checkpoints}
        covered_up_to = checkpoints[-1].last_position if checkpoints else -1
        finished: set[int] = set()
        current: LedgerCheckpoint | None = None
        leaves: list[bytes] = []
        batch_ids: list[int] = []
        # Checkpoints already complete, for judging late commits (see the module docstring).
        sealed_before = _SealedBefore()
        previous_position = -1
        previous_link = GENESIS_LINK_SHA256
        for chunk in _link_chunks():
            records = LedgerRecord.objects.in_bulk([row[1] for row in chunk])
            for position, record_id, record_sha256, prev_link, stored_link in chunk:
                self.report.sealed += 1
                if position in by_first:
                    if current is not None:
                        self._checkpoint_incomplete(current, len(batch_ids))
                        finished.add(current.sequence)
                    current, leaves, batch_ids = by_first[position], [], []
                self._check_link(
                    position,
                    record_id,
                    record_sha256,
                    prev_link,
                    stored_link,
                    previous_position=previous_position,
                    previous_link=previous_link,
                )
                self._check_sealed_record(
                    records.get(record_id), record_id, position, record_sha256, sealed_before
                )
                if position > covered_up_to:
                    self.problem(
                        ProblemKind.LINK_NOT_CHECKPOINTED,
                        f"record {record_id} (position {position}): linked but covered by "
                        "no checkpoint",
                        record_id=record_id,
                        position=position,
                    )
                if current is not None:
                    leaves.append(_leaf(record_id, record_sha256))
                    batch_ids.append(record_id)
                    if position == current.last_position:
                        self._check_batch(current, leaves, batch_ids, stored_link)
                        sealed_before.add(current.max_record_id, current.created_at)
                        finished.add(current.sequence)
                        current, leaves, batch_ids = None, [], []
                previous_position, previous_link = position, stored_link
        for checkpoint in checkpoints:
            if checkpoint.sequence not in finished:
                seen = len(batch_ids) if checkpoint is current else 0
                self._checkpoint_incomplete(checkpoint, seen)

    def _check_link(
        self,
        position: int,
        record_id: int,
        record_sha256: str,
        prev_link: str,
        stored_link: str,
        *,
        previous_position: int,
        previous_link: str,
    ) -> None:
        if position != previous_position + 1:
            self.problem(
                ProblemKind.LINKS_MISSING,
                f"links at positions {previous_position + 1}..{position - 1} are missing "
                f"(removed from the chain before record {record_id})",
                record_id=record_id,
                position=previous_position + 1,
            )
        elif prev_link != previous_link:
            self.problem(
                ProblemKind.CHAIN_BROKEN,
                f"record {record_id} (position {position}): its link does not chain to the "
                "previous one; links were reordered, inserted or replaced",
                record_id=record_id,
                position=position,
            )
        if _link_hash(position, record_id, record_sha256, prev_link) != stored_link:
            self.problem(
                ProblemKind.LINK_BROKEN,
                f"record {record_id} (position {position}): its link hash does not "
                "recompute; the link was edited, moved or reordered",
                record_id=record_id,
                position=position,
            )

    def _check_sealed_record(
        self,
        record: LedgerRecord | None,
        record_id: int,
        position: int,
        sealed_sha256: str,
        sealed_before: _SealedBefore,
    ) -> None:
        if record is None:
            if position <= self.pruning_horizon:
                self.report.pruned += 1
                return
            self.problem(
                ProblemKind.RECORD_MISSING,
                f"record {record_id} (position {position}) is missing: deleted after sealing",
                record_id=record_id,
                position=position,
            )
            return
        recomputed = record.compute_content_sha256()
        if recomputed != sealed_sha256:
            if recomputed != record.content_sha256:
                message = "its fields were changed after it was written (content hash mismatch)"
                kind = ProblemKind.RECORD_CHANGED
            else:
                message = (
                    "its content and stored hash were rewritten; they differ from what was sealed"
                )
                kind = ProblemKind.RECORD_REHASHED
            self.problem(
                kind,
                f"record {record_id} (position {position}): {message}",
                record_id=record_id,
                position=position,
            )
        elif record.content_sha256 != recomputed:
            self.problem(
                ProblemKind.RECORD_CHANGED,
                f"record {record_id} (position {position}): its stored content hash was edited",
                record_id=record_id,
                position=position,
            )
        self._check_late(record, sealed_before, position=position)

    def _check_late(
        self, record: LedgerRecord, sealed_before: _SealedBefore, *, position: int | None
    ) -> None:
        sealed_at = sealed_before.latest_sealing_higher_than(record.id)
        if sealed_at is None:
            return
        self.report.late_commits += 1
        if record.created_at < sealed_at - self.grace:
            why = (
                f"written at {format_timestamp(record.created_at)}, more than "
                f"{int(self.grace.total_seconds())} s before higher ids were sealed at "
                f"{format_timestamp(sealed_at)}, but not sealed with them"
            )
        elif record.created_at > sealed_at + self.skew:
            why = (
                f"dated {format_timestamp(record.created_at)}, after higher ids were sealed "
                f"at {format_timestamp(sealed_at)}, yet it has a lower id"
            )
        else:
            return
        where = f" (position {position})" if position is not None else " (not sealed)"
        self.problem(
            ProblemKind.RECORD_IN_SEALED_RANGE,
            f"record {record.id}{where}: inserted into an already-sealed range: {why}",
            record_id=record.id,
            position=position,
        )

    def _check_batch(
        self,
        checkpoint: LedgerCheckpoint,
        leaves: list[bytes],
        batch_ids: list[int],
        head: str,
    ) -> None:
        name = _checkpoint_name(checkpoint)
        # Reported where the batch ends, after anything wrong with its records.
        where: _Where = {
            "position": checkpoint.last_position,
            "checkpoint": checkpoint.sequence,
            "record_id": checkpoint.first_record_id,
            "late": True,
        }
        if merkle_root(leaves).hex() != checkpoint.batch_root_sha256:
            self.problem(
                ProblemKind.CHECKPOINT_ROOT,
                f"{name}: the Merkle root of its records does not match the signed root",
                **where,
            )
        if head != checkpoint.head_link_sha256:
            self.problem(
                ProblemKind.CHECKPOINT_HEAD,
                f"{name}: the chain head at position {checkpoint.last_position} does not "
                "match the signed head",
                **where,
            )
        if batch_ids and (
            batch_ids[0] != checkpoint.first_record_id
            or batch_ids[-1] != checkpoint.last_record_id
            or max(batch_ids) != checkpoint.max_record_id
        ):
            self.problem(
                ProblemKind.CHECKPOINT_RECORDS,
                f"{name}: its links name other records than the checkpoint signed",
                **where,
            )

    def _checkpoint_incomplete(self, checkpoint: LedgerCheckpoint, present: int) -> None:
        self.problem(
            ProblemKind.LINKS_MISSING,
            f"{_checkpoint_name(checkpoint)}: links from position "
            f"{checkpoint.first_position + present} on are missing (tail removed)",
            record_id=checkpoint.first_record_id if present == 0 else None,
            position=checkpoint.first_position + present,
            checkpoint=checkpoint.sequence,
        )

    def check_unsealed(self, checkpoints: Sequence[LedgerCheckpoint]) -> None:
        sealed_before = _SealedBefore()
        for checkpoint in checkpoints:
            sealed_before.add(checkpoint.max_record_id, checkpoint.created_at)
        queued = PendingSeal.objects.filter(record_id=OuterRef("pk"))
        unsealed = (
            LedgerRecord.objects.filter(link__isnull=True)
            .annotate(queued=Exists(queued))
            .order_by("id")
        )
        for record in unsealed.iterator(chunk_size=CHUNK):
            self.report.pending += 1
            if (
                self.report.oldest_pending_at is None
                or record.created_at < self.report.oldest_pending_at
            ):
                self.report.oldest_pending_at = record.created_at
            if record.compute_content_sha256() != record.content_sha256:
                self.problem(
                    ProblemKind.RECORD_CHANGED,
                    f"record {record.id} (not sealed yet): its fields were changed after it "
                    "was written (content hash mismatch)",
                    record_id=record.id,
                )
            if not record.queued:
                self.problem(
                    ProblemKind.RECORD_NOT_QUEUED,
                    f"record {record.id} is neither sealed nor queued for sealing: written "
                    "around ledger_append, or taken out of the chain",
                    record_id=record.id,
                )
            self._check_late(record, sealed_before, position=None)
        orphans = PendingSeal.objects.filter(
            ~Exists(LedgerRecord.objects.filter(id=OuterRef("record_id")))
        ).values_list("record_id", flat=True)
        for record_id in orphans.order_by("record_id"):
            self.problem(
                ProblemKind.QUEUED_RECORD_MISSING,
                f"record {record_id} is missing: deleted while waiting to be sealed",
                record_id=record_id,
            )

    def check_published(self, checkpoints: Sequence[LedgerCheckpoint]) -> None:
        published: dict[int, dict[str, Any]] = {}
        for entry in iter_published(self.directory):
            published[int(entry["statement"]["sequence"])] = entry
        latest = read_latest_published(self.directory)
        if latest is not None:
            published.setdefault(int(latest["statement"]["sequence"]), latest)
        in_db = {checkpoint.sequence: checkpoint for checkpoint in checkpoints}
        if not published:
            if checkpoints:
                self.problem(
                    ProblemKind.PUBLISHED_MISSING,
                    f"no published checkpoints in {self.directory}, but the database holds "
                    f"{len(checkpoints)}: the published copies were lost or are elsewhere",
                    position=0,
                )
            return
        highest = max(published)
        self.report.published_checkpoint = highest
        self.report.unpublished_checkpoints = sum(1 for seq in in_db if seq > highest)
        for sequence in sorted(published):
            statement = published[sequence]["statement"]
            signature = str(published[sequence].get("signature", ""))
            first_position = int(statement.get("first_position", 0))
            where: _Where = {
                "position": first_position,
                "checkpoint": sequence,
                "record_id": statement.get("first_record_id"),
            }
            key = self.keys.get(str(statement.get("key_id")))
            if key is not None and not _signature_valid(key, statement_bytes(statement), signature):
                self.problem(
                    ProblemKind.PUBLISHED_SIGNATURE,
                    f"published checkpoint {sequence}: its signature does not verify "
                    "(the published copy was edited)",
                    **where,
                )
                continue
            checkpoint = in_db.get(sequence)
            if checkpoint is None:
                self.problem(
                    ProblemKind.TAIL_TRUNCATED,
                    f"published checkpoint {sequence} (positions {first_position}.."
                    f"{statement.get('last_position')}, records from "
                    f"{statement.get('first_record_id')}) is missing from the database: "
                    "the ledger's tail was truncated",
                    **where,
                )
            elif checkpoint_statement(checkpoint) != statement:
                differs = sorted(
                    name
                    for name, value in checkpoint_statement(checkpoint).items()
                    if statement.get(name) != value
                )
                self.problem(
                    ProblemKind.PUBLISHED_MISMATCH,
                    f"checkpoint {sequence} (positions {first_position}.."
                    f"{statement.get('last_position')}, records from "
                    f"{statement.get('first_record_id')}) differs from its published copy "
                    f"({', '.join(differs)}): the chain was rewritten after publication",
                    **where,
                )


class _SealedBefore:
    """Checkpoints seen so far, answering: when was an id higher than ``i`` last sealed?"""

    def __init__(self) -> None:
        # Strictly decreasing max ids, most recent last.
        self._max_ids: list[int] = []
        self._times: list[datetime] = []

    def add(self, max_record_id: int, created_at: datetime) -> None:
        while self._max_ids and self._max_ids[-1] <= max_record_id:
            self._max_ids.pop()
            self._times.pop()
        self._max_ids.append(max_record_id)
        self._times.append(created_at)

    def latest_sealing_higher_than(self, record_id: int) -> datetime | None:
        # The last entry whose max id exceeds record_id; max ids decrease along the list.
        negated = [-value for value in self._max_ids]
        index = bisect.bisect_left(negated, -record_id) - 1
        return self._times[index] if index >= 0 else None


def _checkpoint_name(checkpoint: LedgerCheckpoint) -> str:
    return (
        f"checkpoint {checkpoint.sequence} (positions {checkpoint.first_position}.."
        f"{checkpoint.last_position}, records from {checkpoint.first_record_id})"
    )


def _link_chunks() -> Iterable[list[tuple[int, int, str, str, str]]]:
    after = -1
    while True:
        chunk = list(
            LedgerLink.objects.filter(position__gt=after)
            .order_by("position")
            .values_list(
                "position", "record_id", "record_sha256", "prev_link_sha256", "link_sha256"
            )[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        after = chunk[-1][0]


def _link_hash(position: int, record_id: int, record_sha256: str, prev_link: str) -> str | None:
    try:
        return link_sha256(
            position=position,
            record_id=record_id,
            record_sha256=record_sha256,
            prev_link_sha256=prev_link,
        )
    except (ValueError, OverflowError):
        return None


def _leaf(record_id: int, record_sha256: str) -> bytes:
    try:
        return leaf_hash(record_id=record_id, record_sha256=record_sha256)
    except (ValueError, OverflowError):
        return b""


def verify_ledger(
    *,
    public_keys: Sequence[Ed25519PublicKey] | None = None,
    directory: Path | None = None,
    max_problems: int = 100,
) -> VerificationReport:
    """Verify records, chain, checkpoints and the published heads; see the module docstring.

    ``public_keys`` are the keys trusted to have signed checkpoints (default: the
    configured signing key's public half and the keys published beside the checkpoints).
    ``directory`` is where checkpoints were published (default AUDIT_CHECKPOINT_DIR).
    """
    folder = directory or checkpoint_dir()
    keys = list(public_keys) if public_keys is not None else trusted_public_keys(folder)
    return _Verifier(public_keys=keys, directory=folder, max_problems=max_problems).run()
