"""``manage.py redact_text``: redact personal data in text read from standard input.

Prints ``{"text": <redacted>, "entities": [{"type", "start", "end", "score"}]}``; spans
refer to the input text.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from inference.filters import redact_text


class Command(BaseCommand):
    """Reads text on stdin, prints the redacted text and the entities found as JSON."""

    help = "Redact personal data (names, e-mails, phones, cards, IBANs, addresses, plates)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def handle(self, *args: Any, **options: Any) -> None:
        """One JSON object for all of standard input."""
        text = sys.stdin.read()
        result = redact_text(text)
        payload = {"text": result.text, "entities": [asdict(hit) for hit in result.entities]}
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
