"""Print the public key that verifies ledger checkpoints (PEM)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from audit.signing import ensure_signing_key, key_id, public_key_pem


class Command(BaseCommand):
    help = "Print the audit ledger's checkpoint-verification public key as PEM."

    def handle(self, *args: Any, **options: Any) -> None:
        public = ensure_signing_key().public_key()
        self.stderr.write(f"key id {key_id(public)}")
        self.stdout.write(public_key_pem(public), ending="")
