"""``manage.py redact_image IN OUT``: run the privacy filters on one image file.

Writes the filtered image to OUT (format from OUT's extension; upright, no metadata) and
prints the filter manifest as JSON. Exit status 0 when filtered; 2 when the image is
quarantined or unreadable (OUT is then not written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inference.filters import filter_image
from inference.filters.obscure import OBSCURE_MODES
from inference.filters.pipeline import UNSURE_POLICIES

QUARANTINED_EXIT = 2
_OUTPUT_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}


class Command(BaseCommand):
    """Filters one image file and prints its manifest."""

    help = "Filter one image (obscure faces, redact text PII, strip metadata); print manifest."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        """IN and OUT paths, plus optional mode and dataset declaration."""
        parser.add_argument("input", help="image file to filter (JPEG, PNG or WebP)")
        parser.add_argument("output", help="where to write the filtered image (.png/.jpg/.webp)")
        parser.add_argument(
            "--mode",
            choices=OBSCURE_MODES,
            default=getattr(settings, "CLIPGUARD_FACE_OBSCURE_MODE", "fill"),
            help="how faces are obscured (default: fill)",
        )
        parser.add_argument(
            "--when-unsure",
            choices=UNSURE_POLICIES,
            default="quarantine",
            help="when face detection cannot judge the image: quarantine it (default) or "
            "obscure the whole image",
        )
        parser.add_argument(
            "--no-people",
            action="store_true",
            help="the dataset is declared without people: a face quarantines the image",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Runs the filters; exits non-zero when quarantined."""
        source, target = Path(options["input"]), Path(options["output"])
        output_format = _OUTPUT_FORMATS.get(target.suffix.lower())
        if output_format is None:
            raise CommandError(
                f"cannot tell the output format from {target.name!r}: "
                f"use one of {', '.join(sorted(_OUTPUT_FORMATS))}"
            )
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {source}: {exc.strerror or exc}") from exc
        outcome = filter_image(
            data,
            expect_people=not options["no_people"],
            obscure_mode=options["mode"],
            when_unsure=options["when_unsure"],
        )
        if outcome.image is not None:
            _write(outcome.image.image, target, output_format)
        self.stdout.write(json.dumps(outcome.manifest, indent=2, sort_keys=True))
        if outcome.status != "ok":
            self.stderr.write(f"quarantined: {outcome.reason}")
            sys.exit(QUARANTINED_EXIT)


def _write(image: Any, target: Path, output_format: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        extra = {"quality": 92} if output_format in {"JPEG", "WEBP"} else {}
        image.save(target, format=output_format, **extra)
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror or exc}") from exc
