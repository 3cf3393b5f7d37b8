"""Running a job: claim it, fan out chunks, and per chunk check consent and stop
switches, run the model on filtered images and record each result with its audit record."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from audit.models import EventType
from audit.services import LedgerEntry, ledger_append, ledger_append_many
from clipguard.consent.selectors import consent_covers
from clipguard.datasets.models import Asset, AssetStatus
from clipguard.storage import media_path
from governance.selectors import stop_switch_engaged
from inference.clip_runtime import ClipRuntime, get_runtime
from inference.filters import FilteredImage
from inference.models import Job, JobResult, JobStatus, ResultStatus, Task

logger = logging.getLogger(__name__)

PENDING_FILTER_WAIT = timedelta(minutes=10)


def output_sha256(output: Any) -> str:
    """sha256 of an output's canonical JSON, as recorded in the ledger."""
    canonical = json.dumps(output, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def start_job(job_id: str) -> list[list[int]] | None:
    """Claim a queued job and split its assets into chunks.

    Returns ``None`` while assets uploaded before the job still wait for their filters
    (for at most ten minutes), and ``[]`` when there is nothing to do.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return []
    assets = Asset.objects.filter(dataset_id=job.dataset_id, created_at__lte=job.created_at)
    waiting = assets.filter(status=AssetStatus.PENDING).exists()
    if waiting and timezone.now() - job.created_at < PENDING_FILTER_WAIT:
        return None
    asset_ids = list(assets.exclude(status=AssetStatus.ERASED).values_list("pk", flat=True))
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), total_assets=len(asset_ids)
    )
    if not claimed:
        return []
    if not asset_ids:
        _finish(job_id)
        return []
    size = max(1, int(settings.CLIPGUARD_INFERENCE_BATCH_SIZE))
    return [asset_ids[i : i + size] for i in range(0, len(asset_ids), size)]


@dataclass
class _Work:
    asset: Asset
    image: FilteredImage


def process_chunk(job_id: str, asset_ids: list[int]) -> None:
    """Process one chunk: every asset ends with exactly one result (ok, skipped or failed)."""
    job = (
        Job.objects.select_related("business_unit", "dataset", "submitted_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.status != JobStatus.RUNNING:
        return
    if stop_switch_engaged(job.business_unit_id):
        _halt(job, "halted by a stop switch")
        return
    done = set(
        JobResult.objects.filter(job=job, asset_id__in=asset_ids).values_list("asset_id", flat=True)
    )
    assets = Asset.objects.filter(pk__in=[a for a in asset_ids if a not in done]).select_related(
        "dataset"
    )
    work: list[_Work] = []
    for asset in assets.order_by("pk"):
        item = _prepare(job, asset)
        if item is not None:
            work.append(item)
    if work:
        _infer_and_record(job, work)
    _finish_if_complete(job.pk)


def _prepare(job: Job, asset: Asset) -> _Work | None:
    """Check one asset at run time; record a skip or failure, or return it ready for the model."""
    if asset.status != AssetStatus.READY:
        reason = {
            AssetStatus.QUARANTINED: f"asset quarantined: {asset.status_reason}",
            AssetStatus.PENDING: "asset still waiting for the privacy filters",
            AssetStatus.ERASED: "asset erased",
        }.get(AssetStatus(asset.status), "asset not ready")
        _record_unprocessed(job, asset, ResultStatus.SKIPPED, reason)
        return None
    consent = consent_covers(asset, job.purpose)
    if not consent.covered:
        _record_unprocessed(job, asset, ResultStatus.SKIPPED, f"consent: {consent.reason}")
        return None
    try:
        image = FilteredImage.load_verified(
            media_path(asset.filtered_path),
            expected_sha256=asset.filtered_sha256,
            manifest=asset.filter_manifest or {},
            expected_manifest_sha256=asset.manifest_sha256,
        )
    except Exception as exc:
        logger.warning("asset %s failed verification: %s", asset.pk, exc)
        _record_unprocessed(job, asset, ResultStatus.FAILED, f"filtered image failed checks: {exc}")
        return None
    return _Work(asset=asset, image=image)


def _outputs(job: Job, runtime: ClipRuntime, images: list[FilteredImage]) -> list[dict[str, Any]]:
    if job.task == Task.ZERO_SHOT_CLASSIFICATION:
        probs = runtime.classify(images, job.labels)
        return [_label_scores(job.labels, row) for row in probs]
    embeddings = runtime.embed_images(images)
    if job.task == Task.EMBEDDING:
        return [{"embedding": [round(float(v), 6) for v in row]} for row in embeddings]
    if job.task == Task.TEXT_TO_IMAGE_SEARCH:
        queries = runtime.embed_texts(job.queries)
        sims = embeddings @ queries.T
        return [{"similarity": _rounded(dict(zip(job.queries, row, strict=True)))} for row in sims]
    return [_image_similarity(job, runtime, row) for row in embeddings]


def _image_similarity(job: Job, runtime: ClipRuntime, row: np.ndarray) -> dict[str, Any]:
    reference = _query_embeddings(job, runtime)
    return {"similarity": _rounded({key: float(row @ vec) for key, vec in reference.items()})}


_QUERY_CACHE: dict[str, dict[str, np.ndarray]] = {}


def _query_embeddings(job: Job, runtime: ClipRuntime) -> dict[str, np.ndarray]:
    """Embeddings of an image search's query assets (filtered images only), once per job."""
    key = str(job.pk)
    if key not in _QUERY_CACHE:
        assets = Asset.objects.filter(
            pk__in=[int(q) for q in job.queries],
            dataset_id=job.dataset_id,
            status=AssetStatus.READY,
        )
        images = {
            f"asset:{a.pk}": FilteredImage.load_verified(
                media_path(a.filtered_path),
                expected_sha256=a.filtered_sha256,
                manifest=a.filter_manifest or {},
                expected_manifest_sha256=a.manifest_sha256,
            )
            for a in assets
        }
        vectors = runtime.embed_images(list(images.values())) if images else np.zeros((0, 1))
        _QUERY_CACHE.clear()
        _QUERY_CACHE[key] = dict(zip(images.keys(), vectors, strict=True))
    return _QUERY_CACHE[key]


def _label_scores(labels: list[str], row: np.ndarray) -> dict[str, Any]:
    scores = _rounded(dict(zip(labels, row, strict=True)))
    best = max(scores, key=lambda label: scores[label])
    return {"label": best, "scores": scores}


def _rounded(values: dict[str, Any]) -> dict[str, float]:
    return {key: round(float(value), 6) for key, value in values.items()}


def _infer_and_record(job: Job, work: list[_Work]) -> None:
    try:
        runtime = get_runtime(job.model_id)
        outputs = _outputs(job, runtime, [w.image for w in work])
    except Exception as exc:
        logger.exception("model error in job %s", job.pk)
        for item in work:
            _record_unprocessed(
                job, item.asset, ResultStatus.FAILED, f"model error: {type(exc).__name__}"
            )
        return
    _record_inferences(job, runtime, list(zip(work, outputs, strict=True)))


def _record_inferences(
    job: Job, runtime: ClipRuntime, done_work: list[tuple[_Work, dict[str, Any]]]
) -> None:
    """Store a chunk's results and their audit records in one transaction.

    The chunk's asset rows are locked and each asset's status and consent checked again
    inside that transaction, so a consent withdrawn (or an asset erased) while the model
    ran never leaves a result behind: the withdrawal locks the same rows before it
    erases. Assets already recorded by an earlier delivery of the chunk are left alone.
    """
    late: list[tuple[Asset, str]] = []
    with transaction.atomic():
        ids = [item.asset.pk for item, _ in done_work]
        locked = {
            asset.pk: asset
            for asset in Asset.objects.select_for_update()
            .select_related("dataset")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        recorded = set(
            JobResult.objects.filter(job=job, asset_id__in=ids).values_list("asset_id", flat=True)
        )
        results: list[JobResult] = []
        entries: list[LedgerEntry] = []
        for item, output in done_work:
            asset = locked.get(item.asset.pk)
            if asset is None or asset.pk in recorded:
                continue
            consent = consent_covers(asset, job.purpose)
            if asset.status != AssetStatus.READY or not consent.covered:
                reason = consent.reason if not consent.covered else f"asset {asset.status}"
                late.append((asset, f"consent: {reason} (while running)"))
                continue
            digest = output_sha256(output)
            results.append(
                JobResult(
                    job=job,
                    asset=asset,
                    status=ResultStatus.OK,
                    output=output,
                    output_sha256=digest,
                )
            )
            entries.append(
                LedgerEntry(
                    event_type=EventType.INFERENCE,
                    actor=job.submitted_by or "unknown",
                    business_unit=job.business_unit,
                    purpose=job.purpose,
                    request_id=job.request_id,
                    job_id=str(job.pk),
                    asset_id=asset.pk,
                    input_sha256=asset.original_sha256,
                    filtered_sha256=item.image.sha256,
                    manifest_sha256=item.image.manifest_sha256,
                    model_id=runtime.identity.model_id,
                    weights_sha256=runtime.identity.weights_sha256,
                    policy_version=job.policy_version,
                    policy_decision=job.decision,
                    consent_ref=consent.reference,
                    output_sha256=digest,
                    details={"task": job.task},
                )
            )
        JobResult.objects.bulk_create(results)
        ledger_append_many(entries)
        if results:
            Job.objects.filter(pk=job.pk).update(
                processed_assets=F("processed_assets") + len(results)
            )
    for asset, reason in late:
        _record_unprocessed(job, asset, ResultStatus.SKIPPED, reason)


def _record_unprocessed(job: Job, asset: Asset, status: ResultStatus, reason: str) -> None:
    counter = "skipped_assets" if status == ResultStatus.SKIPPED else "failed_assets"
    try:
        with transaction.atomic():
            JobResult.objects.create(job=job, asset=asset, status=status, reason=reason[:1000])
            ledger_append(
                event_type=EventType.INFERENCE_SKIPPED,
                actor=job.submitted_by or "unknown",
                business_unit=job.business_unit,
                purpose=job.purpose,
                request_id=job.request_id,
                job_id=str(job.pk),
                asset_id=asset.pk,
                input_sha256=asset.original_sha256,
                policy_version=job.policy_version,
                policy_decision=job.decision,
                details={"status": status.value, "reason": reason[:300]},
            )
            Job.objects.filter(pk=job.pk).update(**{counter: F(counter) + 1})
    except IntegrityError:
        return


def _finish_if_complete(job_id: Any) -> None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != JobStatus.RUNNING:
        return
    if job.processed_assets + job.skipped_assets + job.failed_assets >= job.total_assets:
        _finish(job_id)


def _finish(job_id: Any) -> None:
    """Close a running job: completed, or failed when every asset it tried failed."""
    with transaction.atomic():
        counts = Job.objects.filter(pk=job_id).values("processed_assets", "failed_assets").first()
        all_failed = bool(counts and counts["failed_assets"] and not counts["processed_assets"])
        final = JobStatus.FAILED if all_failed else JobStatus.COMPLETED
        updated = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=final,
            finished_at=timezone.now(),
            status_reason="every asset failed; see the results" if all_failed else "",
        )
        if updated:
            job = Job.objects.select_related("business_unit").get(pk=job_id)
            ledger_append(
                event_type=EventType.JOB_STATUS,
                actor="system:worker",
                business_unit=job.business_unit,
                purpose=job.purpose,
                request_id=job.request_id,
                job_id=str(job.pk),
                policy_version=job.policy_version,
                policy_decision=job.decision,
                details={
                    "status": final.value,
                    "processed": job.processed_assets,
                    "skipped": job.skipped_assets,
                    "failed": job.failed_assets,
                },
            )


def _halt(job: Job, reason: str) -> None:
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.CANCELLED, status_reason=reason, finished_at=timezone.now()
        )
        if updated:
            ledger_append(
                event_type=EventType.JOB_STATUS,
                actor="system:worker",
                business_unit=job.business_unit,
                job_id=str(job.pk),
                request_id=job.request_id,
                details={"status": JobStatus.CANCELLED.value, "reason": reason},
            )
