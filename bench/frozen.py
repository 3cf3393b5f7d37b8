"""Checking regenerated benchmark images against their frozen record.

Each held-out image is frozen twice: the SHA-256 of its pixels, and a fingerprint (the
mean grey level of each block of a 16 x 12 grid over the image). The hash is exact but
depends on the CPU: OpenCV picks SIMD code paths at run time (AVX2, AVX-512, ...), and
their rounding of resized or blurred photos differs by a grey level here and there from
one processor to the next. The fingerprint is stable across such rounding and still
catches a changed generator (another photo, seed, blur, brightness, JPEG quality), which
moves many blocks by many grey levels; where the faces or text lines are is checked
exactly by their frozen ground truth. An image passes when its hash matches, or when its
hash differs and every block mean is within ``FINGERPRINT_TOLERANCE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

GRID = (16, 12)  # blocks across, down
# Grey levels a block mean may move by when only rounding differs. Measured on the face
# benchmark: up to 0.3 between OpenCV's optimised and reference code paths.
FINGERPRINT_TOLERANCE = 1.0


def fingerprint(pixels: NDArray[np.uint8]) -> list[float]:
    """Mean grey level of each block of a ``GRID`` over ``pixels`` (row by row, 1 decimal)."""
    grey = np.asarray(pixels, dtype=np.float64)
    if grey.ndim == 3:
        grey = grey.mean(axis=2)
    height, width = grey.shape
    columns, rows = GRID
    ys = np.linspace(0, height, rows + 1).round().astype(int)
    xs = np.linspace(0, width, columns + 1).round().astype(int)
    return [
        round(float(grey[ys[r] : ys[r + 1], xs[c] : xs[c + 1]].mean()), 1)
        for r in range(rows)
        for c in range(columns)
    ]


def check(key: str, sha256: str, pixels: NDArray[np.uint8], entry: Mapping[str, Any]) -> str:
    """``"exact"`` or ``"rounding"`` (hash differs, fingerprint within tolerance).

    Raises ``ValueError`` naming the image when it is not the frozen one.
    """
    if entry.get("sha256") == sha256:
        return "exact"
    frozen = entry.get("fingerprint")
    if frozen is None:
        raise ValueError(f"{key}: pixels differ from the frozen held-out hash")
    drift = float(np.max(np.abs(np.array(fingerprint(pixels)) - np.array(frozen))))
    if drift > FINGERPRINT_TOLERANCE:
        raise ValueError(
            f"{key}: pixels differ from the frozen held-out image (a block's mean grey level "
            f"moved by {drift:.1f}, more than rounding's {FINGERPRINT_TOLERANCE})"
        )
    return "rounding"


def rounding_note(count: int, total: int) -> str:
    """The line benchmarks print when some images matched by fingerprint only."""
    return (
        f"{count} of {total} held-out images differ from their frozen hashes by rounding only "
        "(OpenCV's CPU-specific code paths); their fingerprints match the frozen ones."
    )
