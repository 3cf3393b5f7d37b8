"""The Celery application; workers start with ``celery -A clipguard worker``."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipguard.settings")

app = Celery("clipguard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["inference", "audit"])
