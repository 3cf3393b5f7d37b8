"""The Celery queues ClipGuard uses, one per pipeline stage."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings


class Queue(StrEnum):
    """Pipeline stages, each on its own queue so they scale out separately."""

    FILTERS = "filters"
    MODELS = "models"
    AUDIT = "audit"

    @property
    def routed_name(self) -> str:
        """The broker-side queue name, with the deployment's prefix."""
        return f"{settings.CLIPGUARD_QUEUE_PREFIX}{self.value}"
