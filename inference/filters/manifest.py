"""Filter manifests: what the filters found and did to one image, as a JSON-ready dict.

A manifest never holds personal data: boxes, counts, entity *types*, hashes, versions and
timings only. Its hash (over canonical JSON) is recorded by the audit ledger and checked
again before a filtered image reaches a model.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(manifest: dict[str, Any]) -> bytes:
    """The manifest as canonical JSON bytes (sorted keys, no spaces, UTF-8)."""
    return json.dumps(
        manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def manifest_sha256(manifest: dict[str, Any]) -> str:
    """SHA-256 (hex) of the manifest's canonical JSON."""
    return hashlib.sha256(canonical_json(manifest)).hexdigest()


def new_manifest(
    *,
    filter_version: str,
    detectors: list[dict[str, Any]],
    thresholds: dict[str, Any],
    expect_people: bool,
    obscure_mode: str,
) -> dict[str, Any]:
    """A manifest with every field present, before any stage has run."""
    return {
        "status": "quarantined",
        "reason": "filtering did not complete",
        "filter_version": filter_version,
        "detectors": detectors,
        "thresholds": thresholds,
        "expect_people": expect_people,
        "obscure_mode": obscure_mode,
        "input_sha256": None,
        "input_format": None,
        "width": None,
        "height": None,
        "metadata_removed": [],
        "orientation_applied": None,
        "faces": [],
        "text_gate": {"text_lines": 0, "ocr_ran": False, "ocr_regions": []},
        "text_regions": [],
        "entities": {},
        "actions": [],
        "timings_ms": {},
        "output_sha256": None,
    }
