"""Sending work to the queues, and re-sending work a broker outage left behind.

Messages are sent after the database commit; if the broker is down at that moment the
row is already stored (nothing is lost) and :func:`requeue_stalled` sends it again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from clipguard.datasets.models import Asset, AssetStatus
from clipguard.queues import Queue
from inference.models import Job, JobStatus

logger = logging.getLogger(__name__)


def send_filter_asset(asset_id: int) -> bool:
    """Queue the filters for one asset; False (logged) when the broker refused."""
    from inference.tasks import filter_asset

    try:
        filter_asset.apply_async((asset_id,), queue=Queue.FILTERS.routed_name)
    except (BrokerError, OSError) as exc:
        logger.error("could not queue filters for asset %s: %s", asset_id, exc)
        return False
    return True


def send_run_job(job_id: str) -> bool:
    """Queue a job's run; False (logged) when the broker refused."""
    from inference.tasks import run_job

    try:
        run_job.apply_async((job_id,), queue=Queue.MODELS.routed_name)
    except (BrokerError, OSError) as exc:
        logger.error("could not queue job %s: %s", job_id, exc)
        return False
    return True


def requeue_stalled(*, older_than: timedelta = timedelta(minutes=2)) -> tuple[int, int]:
    """Re-send pending assets and queued jobs older than ``older_than``.

    Both tasks are idempotent (they claim rows conditionally), so a duplicate is harmless.
    Returns ``(assets, jobs)`` re-sent.
    """
    cutoff = timezone.now() - older_than
    assets = Asset.objects.filter(status=AssetStatus.PENDING, created_at__lt=cutoff)
    jobs = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=cutoff)
    sent_assets = sum(send_filter_asset(pk) for pk in assets.values_list("pk", flat=True))
    sent_jobs = sum(send_run_job(str(pk)) for pk in jobs.values_list("pk", flat=True))
    return sent_assets, sent_jobs
