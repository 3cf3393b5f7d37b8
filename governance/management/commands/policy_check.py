"""``manage.py policy_check --input FILE``: the policy decision on each job request in FILE.

FILE (or ``-`` for standard input) holds JSON lines, one request each, with the fields
``id``, ``purpose``, ``deployment_context``, ``task``, ``labels`` and ``data_categories``,
and optionally ``purpose_description`` (free text) and ``queries`` (search texts). For each
request one JSON line is printed:

    {"id", "decision", "rules": [{"id", "article", "reason", "matched"}], "policy_version"}

A line that is not JSON, or a request with a missing, unknown or invalid field, gets
``{"id", "error"}`` instead; the other lines are still decided. The exit status is 0
unless FILE cannot be read. No database is used.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from governance.engine import RequestInvalid, decide, parse_request


class Command(BaseCommand):
    help = "Decide allow / require_approval / deny for each JSON-lines job request in FILE."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input",
            required=True,
            metavar="FILE",
            help="JSON lines, one job request each; '-' reads standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {source}: {exc}") from exc
        for result in check_lines(text.splitlines()):
            self.stdout.write(json.dumps(result, ensure_ascii=False))


def check_lines(lines: Iterable[str]) -> Iterable[dict[str, object]]:
    """One result per non-blank line: the decision, or an error naming what is wrong."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield check_line(line, number)


def check_line(line: str, number: int) -> dict[str, object]:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"line {number} is not valid JSON: {exc}"}
    if not isinstance(raw, dict):
        return {"id": None, "line": number, "error": f"line {number} is not a JSON object"}
    request_id = raw.pop("id", None)
    try:
        decision = decide(parse_request(raw))
    except RequestInvalid as exc:
        return {"id": request_id, "error": str(exc)}
    return {"id": request_id, **decision.as_dict()}
