"""``python manage.py expire_approvals``: expire approval requests past their date.

Run it periodically (hourly from cron or the deployment's scheduler). Each pending
approval whose ``expires_at`` has passed becomes ``expired``, its job ``rejected``, and an
``approval`` ledger record says so. Running it twice, or beside a compliance officer's
decision, is harmless: each approval is claimed under a row lock.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from governance.services import approvals_expire


class Command(BaseCommand):
    help = "Expire pending approvals whose expiry date has passed (audited)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = approvals_expire()
        self.stdout.write(f"expired {count} approval request(s)")
