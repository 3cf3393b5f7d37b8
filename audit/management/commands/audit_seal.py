"""Seal queued ledger records into the chain and sign checkpoints.

Without ``--follow`` it seals what is queued and exits; with it, it is the production
sealer process, sealing every ``--interval`` seconds until stopped.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from audit.sealer import DEFAULT_BATCH_SIZE, seal_pending


class Command(BaseCommand):
    help = "Seal queued audit records in batches and write signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--follow", action="store_true", help="keep sealing until stopped")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between runs")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if not options["follow"]:
            sealed = seal_pending(batch_size=batch_size)
            self.stdout.write(f"sealed {sealed} records")
            return
        try:
            while True:
                close_old_connections()
                sealed = seal_pending(batch_size=batch_size)
                if sealed:
                    self.stdout.write(f"sealed {sealed} records")
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            return
