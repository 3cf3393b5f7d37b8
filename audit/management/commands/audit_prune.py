"""Prune ledger records past the retention period, behind a published checkpoint.

Run as the ledger tables' owner role (the application's role cannot delete ledger rows).
Exit 0 when done (or nothing to do), non-zero when refused.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.retention import PruneRefused, RetentionTooShort, prune_ledger, prune_plan


class Command(BaseCommand):
    help = (
        "Delete ledger records older than AUDIT_RETENTION_DAYS (at least 183) that are sealed "
        "under a published checkpoint; links and checkpoints stay, and the pruning is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="retention in days for this run (default AUDIT_RETENTION_DAYS; at least 183)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be pruned; delete nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["dry_run"]:
                plan = prune_plan(days=options["days"])
                self._say(options, {"dry_run": True, **plan.as_dict()})
                return
            result = prune_ledger(days=options["days"])
        except (RetentionTooShort, PruneRefused) as exc:
            raise CommandError(str(exc)) from exc
        self._say(
            options,
            {
                "dry_run": False,
                **result.plan.as_dict(),
                "deleted": result.deleted,
                "audit_record": result.record_id,
            },
        )

    def _say(self, options: dict[str, Any], outcome: dict[str, Any]) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(outcome, sort_keys=True))
            return
        if outcome["through_checkpoint"] is None:
            self.stdout.write(
                f"Nothing to prune: no published checkpoint is older than the cutoff "
                f"{outcome['cutoff']} ({outcome['retention_days']} days)."
            )
            return
        verb = "Would delete" if outcome["dry_run"] else "Deleted"
        count = outcome["records"] if outcome["dry_run"] else outcome["deleted"]
        line = (
            f"{verb} {count} records older than {outcome['cutoff']} "
            f"({outcome['retention_days']} days), up to checkpoint "
            f"{outcome['through_checkpoint']} (position {outcome['through_position']})."
        )
        if outcome.get("audit_record"):
            line += f" Recorded as ledger record {outcome['audit_record']}."
        self.stdout.write(line)
