"""Export an inclusion proof for one record, or check one without the database."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.proofs import ProofError, verify_inclusion_proof
from audit.selectors import RecordNotSealed, record_inclusion_proof
from audit.signing import ensure_signing_key, load_public_key_pem


class Command(BaseCommand):
    help = "Print a record's inclusion proof as JSON, or --check a proof file offline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("record_id", nargs="?", type=int)
        parser.add_argument("--check", type=Path, metavar="PROOF_FILE", help="verify this proof")
        parser.add_argument("--public-key", type=Path, metavar="PEM_FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"] is not None:
            self._check(options["check"], options["public_key"])
            return
        if options["record_id"] is None:
            raise CommandError("give a RECORD_ID, or --check PROOF_FILE")
        try:
            proof = record_inclusion_proof(options["record_id"])
        except RecordNotSealed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(proof, indent=2, sort_keys=True))

    def _check(self, proof_file: Path, key_file: Path | None) -> None:
        if key_file is not None:
            key = load_public_key_pem(key_file.read_bytes())
        else:
            key = ensure_signing_key().public_key()
        proof = json.loads(proof_file.read_text(encoding="utf-8"))
        try:
            verify_inclusion_proof(proof, key)
        except ProofError as exc:
            self.stdout.write(f"proof INVALID: {exc}")
            sys.exit(1)
        self.stdout.write(
            f"proof valid: record {proof['record_id']} at position {proof['position']} "
            f"is in checkpoint {proof['checkpoint']['sequence']}"
        )
