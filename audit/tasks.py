"""Celery tasks of the audit app. Queue them on the "audit" queue."""

from __future__ import annotations

from celery import shared_task

from audit.sealer import seal_pending


@shared_task(
    name="audit.seal", acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300
)
def seal() -> int:
    """Seal whatever is queued; a no-op when another sealer holds the lock."""
    return seal_pending()
