"""Read queries for the portal. Every function takes the caller's :class:`PortalScope`.

Objects outside the scope are reported as absent (``None``), never as forbidden, so their
existence is not revealed; views turn ``None`` into a 404.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit.checkpoints import read_latest_published
from audit.models import LedgerCheckpoint, LedgerLink, LedgerRecord
from audit.signing import SigningKeyError, load_private_key, public_key_pem, signing_key_path
from clipguard.consent.models import ConsentRecord, DataSubject, ErasureReceipt
from clipguard.datasets.models import Asset, Dataset
from governance.models import Approval, ApprovalStatus
from inference.models import Job, JobResult, JobStatus
from portal.scope import PortalScope

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
BLOCKED_STATUSES = (JobStatus.DENIED, JobStatus.REJECTED)
DECISIONS = ("allow", "require_approval", "deny", "approved", "rejected")

# --- the ledger ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    """The ledger search's filters; empty values filter nothing."""

    business_unit_id: int | None = None
    actor: str = ""
    event_type: str = ""
    decision: str = ""
    rule: str = ""
    model_id: str = ""
    job_id: str = ""
    asset_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters in use, JSON-ready (for exports and their audit records)."""
        values: dict[str, Any] = {
            "business_unit_id": self.business_unit_id,
            "actor": self.actor,
            "event_type": self.event_type,
            "decision": self.decision,
            "rule": self.rule,
            "model_id": self.model_id,
            "job_id": self.job_id,
            "asset_id": self.asset_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def ledger_queryset(scope: PortalScope, filters: LedgerFilters) -> QuerySet[LedgerRecord]:
    """Records in scope matching ``filters``, unordered."""
    records = LedgerRecord.objects.all()
    if scope.unit_ids is not None:
        records = records.filter(business_unit_id__in=scope.unit_ids)
    if filters.business_unit_id is not None:
        records = records.filter(business_unit_id=filters.business_unit_id)
    if filters.actor:
        records = records.filter(actor=filters.actor)
    if filters.event_type:
        records = records.filter(event_type=filters.event_type)
    if filters.decision:
        records = records.filter(policy_decision=filters.decision)
    if filters.rule:
        if connection.vendor == "postgresql":
            records = records.filter(details__rules__contains=[filters.rule])
        else:
            records = records.filter(details__rules__icontains=f'"{filters.rule}"')
    if filters.model_id:
        records = records.filter(model_id=filters.model_id)
    if filters.job_id:
        records = records.filter(job_id=filters.job_id)
    if filters.asset_id is not None:
        records = records.filter(asset_id=filters.asset_id)
    if filters.date_from:
        records = records.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        records = records.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return records


class SealState(StrEnum):
    PENDING = "pending"  # written, not chained yet
    SEALED = "sealed"  # chained and under a signed checkpoint
    PUBLISHED = "published"  # and that checkpoint is published outside the database
    PRUNED = "pruned"  # used only for the retention summary


@dataclass(frozen=True)
class RecordRow:
    record: LedgerRecord
    seal: SealState
    position: int | None
    checkpoint: int | None


@dataclass(frozen=True)
class LedgerPage:
    rows: list[RecordRow]
    newer_cursor: int | None  # pass as ?after=
    older_cursor: int | None  # pass as ?before=


def _published_last_position() -> int:
    latest = read_latest_published()
    if latest is None:
        return -1
    return int(latest["statement"]["last_position"])


def annotate_seal(records: list[LedgerRecord]) -> list[RecordRow]:
    """Each record with its seal state: pending, sealed, or sealed and published."""
    positions = dict(
        LedgerLink.objects.filter(record_id__in=[r.id for r in records]).values_list(
            "record_id", "position"
        )
    )
    checkpoints: list[tuple[int, int, int]] = []
    if positions:
        checkpoints = list(
            LedgerCheckpoint.objects.filter(
                last_position__gte=min(positions.values()),
                first_position__lte=max(positions.values()),
            ).values_list("sequence", "first_position", "last_position")
        )
    published_up_to = _published_last_position()
    rows = []
    for record in records:
        position = positions.get(record.id)
        sequence = next(
            (
                seq
                for seq, first, last in checkpoints
                if position is not None and first <= position <= last
            ),
            None,
        )
        if position is None or sequence is None:
            state = SealState.PENDING
        elif position <= published_up_to:
            state = SealState.PUBLISHED
        else:
            state = SealState.SEALED
        rows.append(RecordRow(record, state, position, sequence))
    return rows


def ledger_page(
    scope: PortalScope,
    filters: LedgerFilters,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> LedgerPage:
    """One page of records, newest first, by keyset on id (fast at any depth).

    ``before``: records with smaller ids (older); ``after``: larger ids (newer).
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    records = ledger_queryset(scope, filters)
    if after is not None and before is None:
        rows = list(records.filter(id__gt=after).order_by("id")[: limit + 1])
        more_newer = len(rows) > limit
        rows = rows[:limit]
        rows.reverse()
        more_older = bool(rows) and records.filter(id__lt=rows[-1].id).exists()
    else:
        page = records.filter(id__lt=before) if before is not None else records
        rows = list(page.order_by("-id")[: limit + 1])
        more_older = len(rows) > limit
        rows = rows[:limit]
        more_newer = (
            bool(rows) and before is not None and records.filter(id__gt=rows[0].id).exists()
        )
    return LedgerPage(
        rows=annotate_seal(rows),
        newer_cursor=rows[0].id if rows and more_newer else None,
        older_cursor=rows[-1].id if rows and more_older else None,
    )


def iter_ledger(
    scope: PortalScope, filters: LedgerFilters, *, through_id: int | None, chunk: int = 2000
) -> Iterator[LedgerRecord]:
    """Every matching record up to ``through_id``, oldest first, read in keyset chunks."""
    records = ledger_queryset(scope, filters)
    if through_id is not None:
        records = records.filter(id__lte=through_id)
    after = 0
    while True:
        batch = list(records.filter(id__gt=after).order_by("id")[:chunk])
        if not batch:
            return
        yield from batch
        after = batch[-1].id


def newest_record_id() -> int | None:
    return LedgerRecord.objects.order_by("-id").values_list("id", flat=True).first()


@dataclass(frozen=True)
class RecordView:
    row: RecordRow
    checkpoint: LedgerCheckpoint | None


def record_detail(scope: PortalScope, record_id: int) -> RecordView | None:
    record = LedgerRecord.objects.filter(id=record_id).first()
    if record is None or not scope.allows_unit(record.business_unit_id):
        return None
    row = annotate_seal([record])[0]
    checkpoint = (
        LedgerCheckpoint.objects.filter(sequence=row.checkpoint).first()
        if row.checkpoint is not None
        else None
    )
    return RecordView(row=row, checkpoint=checkpoint)


# --- jobs, assets, approvals ---------------------------------------------------------------


def _job_uuid(job_id: str | uuid.UUID) -> uuid.UUID | None:
    if isinstance(job_id, uuid.UUID):
        return job_id
    with contextlib.suppress(ValueError):
        return uuid.UUID(job_id)
    return None


def jobs_in_scope(scope: PortalScope) -> QuerySet[Job]:
    return scope.restrict(Job.objects.select_related("business_unit", "dataset", "submitted_by"))


def job_list(
    scope: PortalScope, *, status: str = "", business_unit_id: int | None = None
) -> QuerySet[Job]:
    jobs = jobs_in_scope(scope).order_by("-created_at", "-id")
    if status:
        jobs = jobs.filter(status=status)
    if business_unit_id is not None:
        jobs = jobs.filter(business_unit_id=business_unit_id)
    return jobs


@dataclass(frozen=True)
class JobView:
    job: Job
    approval: Approval | None
    results: list[JobResult]
    results_total: int
    records: list[RecordRow]
    records_total: int

    @property
    def done_assets(self) -> int:
        return self.job.processed_assets + self.job.skipped_assets + self.job.failed_assets

    @property
    def progress_percent(self) -> int:
        if not self.job.total_assets:
            return 100 if self.job.status == JobStatus.COMPLETED else 0
        return min(100, round(100 * self.done_assets / self.job.total_assets))


def job_detail(scope: PortalScope, job_id: str | uuid.UUID, *, limit: int = 200) -> JobView | None:
    key = _job_uuid(job_id)
    if key is None:
        return None
    job = jobs_in_scope(scope).filter(pk=key).first()
    if job is None:
        return None
    approval = Approval.objects.select_related("decided_by").filter(job=job).first()
    results = JobResult.objects.filter(job=job).select_related("asset").order_by("asset_id")
    records = ledger_queryset(scope, LedgerFilters(job_id=str(job.pk))).order_by("id")
    return JobView(
        job=job,
        approval=approval,
        results=list(results[:limit]),
        results_total=results.count(),
        records=annotate_seal(list(records[:limit])),
        records_total=records.count(),
    )


MANIFEST_BOX_KEYS = ("faces", "text_regions")


@dataclass(frozen=True)
class ManifestView:
    """What the portal shows of a filter manifest: boxes, counts, versions; never pixels."""

    status: str
    reason: str
    filter_version: str
    obscure_mode: str
    width: Any
    height: Any
    faces: list[dict[str, Any]]
    text_regions: list[dict[str, Any]]
    entities: dict[str, Any]
    actions: list[Any]
    metadata_removed: list[Any]
    detectors: list[dict[str, Any]]
    thresholds: dict[str, Any]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def manifest_view(manifest: dict[str, Any] | None) -> ManifestView | None:
    if not isinstance(manifest, dict):
        return None
    faces = [
        {"box": _as_list(face.get("box")), "score": face.get("score")}
        for face in _as_list(manifest.get("faces"))
        if isinstance(face, dict)
    ]
    regions = [
        {"box": _as_list(region.get("box"))}
        for region in _as_list(manifest.get("text_regions"))
        if isinstance(region, dict)
    ]
    detectors = [
        {k: v for k, v in d.items() if isinstance(v, str | int | float | bool)}
        for d in _as_list(manifest.get("detectors"))
        if isinstance(d, dict)
    ]
    return ManifestView(
        status=str(manifest.get("status", "")),
        reason=str(manifest.get("reason") or ""),
        filter_version=str(manifest.get("filter_version") or ""),
        obscure_mode=str(manifest.get("obscure_mode") or ""),
        width=manifest.get("width"),
        height=manifest.get("height"),
        faces=faces,
        text_regions=regions,
        entities=_as_dict(manifest.get("entities")),
        actions=[a for a in _as_list(manifest.get("actions")) if isinstance(a, str | dict)],
        metadata_removed=[str(m) for m in _as_list(manifest.get("metadata_removed"))],
        detectors=detectors,
        thresholds=_as_dict(manifest.get("thresholds")),
    )


@dataclass(frozen=True)
class AssetView:
    asset: Asset
    manifest: ManifestView | None
    results: list[JobResult]
    records: list[RecordRow]
    job: Job | None  # the job the user came from, when given and in scope


def asset_detail(
    scope: PortalScope, asset_id: int, *, job_id: str = "", limit: int = 200
) -> AssetView | None:
    asset = (
        scope.restrict(
            Asset.objects.select_related("dataset__business_unit"), "dataset__business_unit_id"
        )
        .filter(pk=asset_id)
        .first()
    )
    if asset is None:
        return None
    job = None
    if job_id:
        key = _job_uuid(job_id)
        job = jobs_in_scope(scope).filter(pk=key).first() if key else None
    results = JobResult.objects.filter(asset=asset).select_related("job").order_by("-created_at")
    records = ledger_queryset(scope, LedgerFilters(asset_id=asset.pk)).order_by("id")
    return AssetView(
        asset=asset,
        manifest=manifest_view(asset.filter_manifest),
        results=list(results[:limit]),
        records=annotate_seal(list(records[:limit])),
        job=job,
    )


def blocked_attempts(scope: PortalScope, *, limit: int = 200) -> list[Job]:
    """Denied jobs and jobs whose approval was rejected or expired, newest first."""
    return list(
        jobs_in_scope(scope)
        .filter(status__in=BLOCKED_STATUSES)
        .select_related("approval", "approval__decided_by")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class ApprovalQueue:
    pending: list[Approval]
    decided: list[Approval]


def approval_queue(scope: PortalScope, *, decided_limit: int = 25) -> ApprovalQueue:
    approvals = scope.restrict(
        Approval.objects.select_related(
            "job__business_unit", "job__dataset", "job__submitted_by", "decided_by"
        ),
        "job__business_unit_id",
    )
    return ApprovalQueue(
        pending=list(approvals.filter(status=ApprovalStatus.PENDING).order_by("requested_at")),
        decided=list(
            approvals.exclude(status=ApprovalStatus.PENDING).order_by("-decided_at", "-id")[
                :decided_limit
            ]
        ),
    )


def pending_job(scope: PortalScope, job_id: str | uuid.UUID) -> Job | None:
    """A job in scope that waits for approval."""
    key = _job_uuid(job_id)
    if key is None:
        return None
    return jobs_in_scope(scope).filter(pk=key, status=JobStatus.AWAITING_APPROVAL).first()


# --- activity over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class DayActivity:
    day: date
    jobs: int = 0
    allow: int = 0
    require_approval: int = 0
    deny: int = 0
    denied: int = 0
    rejected: int = 0

    @property
    def blocked(self) -> int:
        return self.denied + self.rejected


def activity_by_day(
    scope: PortalScope, *, days: int = 30, today: date | None = None
) -> list[DayActivity]:
    """Jobs submitted, the rulebook's decisions and the blocks, per day (oldest first)."""
    last = today or timezone.localdate()
    first = last - timedelta(days=days - 1)
    rows = (
        jobs_in_scope(scope)
        .filter(
            created_at__gte=_day_start(first), created_at__lt=_day_start(last + timedelta(days=1))
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            jobs=Count("id"),
            allow=Count("id", filter=Q(decision="allow")),
            require_approval=Count("id", filter=Q(decision="require_approval")),
            deny=Count("id", filter=Q(decision="deny")),
            denied=Count("id", filter=Q(status=JobStatus.DENIED)),
            rejected=Count("id", filter=Q(status=JobStatus.REJECTED)),
        )
    )
    by_day = {row["day"]: row for row in rows}
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = by_day.get(day)
        if row is None:
            series.append(DayActivity(day=day))
        else:
            series.append(
                DayActivity(
                    day=day,
                    jobs=row["jobs"],
                    allow=row["allow"],
                    require_approval=row["require_approval"],
                    deny=row["deny"],
                    denied=row["denied"],
                    rejected=row["rejected"],
                )
            )
    return series


@dataclass(frozen=True)
class DashboardSummary:
    jobs: int
    running: int
    awaiting_approval: int
    blocked: int
    last_checkpoint: LedgerCheckpoint | None


def dashboard_summary(scope: PortalScope) -> DashboardSummary:
    counts = jobs_in_scope(scope).aggregate(
        jobs=Count("id"),
        running=Count("id", filter=Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])),
        awaiting=Count("id", filter=Q(status=JobStatus.AWAITING_APPROVAL)),
        blocked=Count("id", filter=Q(status__in=BLOCKED_STATUSES)),
    )
    return DashboardSummary(
        jobs=counts["jobs"],
        running=counts["running"],
        awaiting_approval=counts["awaiting"],
        blocked=counts["blocked"],
        last_checkpoint=LedgerCheckpoint.objects.order_by("-sequence").first(),
    )


# --- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerStatus:
    last_checkpoint: LedgerCheckpoint | None
    published_sequence: int | None
    public_key_pem: str | None
    key_error: str


def ledger_status() -> LedgerStatus:
    latest = read_latest_published()
    pem, error = None, ""
    try:
        pem = public_key_pem(load_private_key(signing_key_path()).public_key())
    except SigningKeyError as exc:
        error = str(exc)
    return LedgerStatus(
        last_checkpoint=LedgerCheckpoint.objects.order_by("-sequence").first(),
        published_sequence=int(latest["statement"]["sequence"]) if latest else None,
        public_key_pem=pem,
        key_error=error,
    )


# --- data-subject access -------------------------------------------------------------------


@dataclass
class SubjectAccess:
    """Everything ClipGuard holds about one data subject, within the caller's scope."""

    subject: DataSubject
    datasets: list[Dataset] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    consents: list[ConsentRecord] = field(default_factory=list)
    consent_changes: list[LedgerRecord] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    results: list[JobResult] = field(default_factory=list)
    erasures: list[ErasureReceipt] = field(default_factory=list)
    erasure_records: list[LedgerRecord] = field(default_factory=list)
    inference_records: list[LedgerRecord] = field(default_factory=list)


def subject_access(scope: PortalScope, reference: str) -> list[SubjectAccess]:
    """Every subject in scope with this pseudonymous reference, with all that involves them."""
    reference = reference.strip()
    if not reference:
        return []
    subjects = scope.restrict(
        DataSubject.objects.select_related("business_unit").filter(reference=reference)
    ).order_by("business_unit__name")
    return [_subject_report(scope, subject) for subject in subjects]


def _subject_report(scope: PortalScope, subject: DataSubject) -> SubjectAccess:
    consents = list(
        ConsentRecord.objects.filter(subject=subject)
        .select_related("dataset")
        .prefetch_related("assets")
        .order_by("id")
    )
    asset_ids = set(subject.assets.values_list("pk", flat=True))
    for consent in consents:
        asset_ids.update(a.pk for a in consent.assets.all())
    assets = list(
        scope.restrict(Asset.objects.filter(pk__in=asset_ids), "dataset__business_unit_id")
        .select_related("dataset")
        .order_by("id")
    )
    asset_ids = {a.pk for a in assets}
    dataset_ids = {a.dataset_id for a in assets} | {c.dataset_id for c in consents}
    results = list(
        scope.restrict(JobResult.objects.filter(asset_id__in=asset_ids), "job__business_unit_id")
        .select_related("job", "asset")
        .order_by("job__created_at", "asset_id")
    )
    records = ledger_queryset(scope, LedgerFilters()).filter(
        business_unit_id=subject.business_unit_id
    )
    consent_refs = [f"consent:{c.pk}" for c in consents]
    consent_changes = list(
        records.filter(event_type="consent_change", consent_ref__in=consent_refs).order_by("id")
    )
    erasure_records = list(
        records.filter(event_type="erasure", consent_ref__in=consent_refs).order_by("id")
    )
    inference_records = (
        list(
            records.filter(
                asset_id__in=asset_ids, event_type__in=["inference", "inference_skipped"]
            ).order_by("id")
        )
        if asset_ids
        else []
    )
    job_ids = {r.job_id for r in results} | {
        _job_uuid(r.job_id) for r in inference_records if _job_uuid(r.job_id) is not None
    }
    jobs = list(
        jobs_in_scope(scope)
        .filter(pk__in=[j for j in job_ids if j is not None])
        .order_by("created_at")
    )
    return SubjectAccess(
        subject=subject,
        datasets=list(scope.restrict(Dataset.objects.filter(pk__in=dataset_ids)).order_by("id")),
        assets=assets,
        consents=consents,
        consent_changes=consent_changes,
        jobs=jobs,
        results=results,
        erasures=list(ErasureReceipt.objects.filter(consent__subject=subject).order_by("id")),
        erasure_records=erasure_records,
        inference_records=inference_records,
    )
