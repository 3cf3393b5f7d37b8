"""Verify the audit ledger. Exit 0 when it verifies, 1 when anything is wrong.

The first problem names the record (id and position) and what is wrong with it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.signing import load_public_key_pem
from audit.verification import verify_ledger


class Command(BaseCommand):
    help = "Verify records, chain, Merkle roots, signatures and the published checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="PEM_FILE",
            help="trust only these public keys (repeat for rotated keys)",
        )
        parser.add_argument(
            "--checkpoint-dir",
            type=Path,
            default=None,
            help="where checkpoints were published (default AUDIT_CHECKPOINT_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = None
        if options["public_key"]:
            try:
                keys = [load_public_key_pem(Path(p).read_bytes()) for p in options["public_key"]]
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read public key: {exc}") from exc
        report = verify_ledger(public_keys=keys, directory=options["checkpoint_dir"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report.summary())
        if not report.ok:
            sys.exit(1)
