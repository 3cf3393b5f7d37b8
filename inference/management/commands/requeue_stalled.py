"""``python manage.py requeue_stalled``: re-send work a broker outage left behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from inference.dispatch import requeue_stalled


class Command(BaseCommand):
    help = "Re-queue assets still waiting for filters and jobs still queued after a delay."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--older-than", type=int, default=120, help="seconds (default 120)")

    def handle(self, *args: Any, **options: Any) -> None:
        assets, jobs = requeue_stalled(older_than=timedelta(seconds=options["older_than"]))
        self.stdout.write(f"re-queued {assets} asset(s) and {jobs} job(s)")
