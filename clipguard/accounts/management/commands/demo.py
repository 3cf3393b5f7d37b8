"""``python manage.py demo``: set up the embedded default and run ClipGuard end to end."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, seed a demo business unit and run jobs end to end through a real worker."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database migrated."))
