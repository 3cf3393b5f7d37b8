"""Celery tasks: filter one asset at ingest, run a job in chunks on the model queue.

Tasks take ids, re-read rows, do only the work still missing and return quietly when the
row is gone. Results are unique per (job, asset), so a redelivered task is harmless.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError

from clipguard.queues import Queue
from inference import ingest, job_execution

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, ConnectionError)


@shared_task(
    name="inference.filter_asset",
    acks_late=True,
    soft_time_limit=settings.CLIPGUARD_FILTER_TIME_LIMIT,
    time_limit=settings.CLIPGUARD_FILTER_TIME_LIMIT + 30,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def filter_asset(asset_id: int) -> None:
    """Run the privacy filters on one pending asset (quarantine → filtered copy)."""
    try:
        ingest.filter_pending_asset(asset_id)
    except SoftTimeLimitExceeded:
        ingest.quarantine_asset(
            asset_id, f"filters timed out after {settings.CLIPGUARD_FILTER_TIME_LIMIT} s"
        )


@shared_task(
    name="inference.run_job",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
    bind=True,
)
def run_job(self: object, job_id: str) -> None:
    """Start a queued job: wait for pending filters, then fan out chunks of assets."""
    chunks = job_execution.start_job(job_id)
    if chunks is None:
        run_job.apply_async((job_id,), countdown=1, queue=Queue.MODELS.routed_name)
        return
    for chunk in chunks:
        run_job_chunk.apply_async((job_id, chunk), queue=Queue.MODELS.routed_name)


@shared_task(
    name="inference.run_job_chunk",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def run_job_chunk(job_id: str, asset_ids: list[int]) -> None:
    """Check consent and stop switches, run the model on one chunk, record each result."""
    job_execution.process_chunk(job_id, asset_ids)
