"""Irreversible obscuring of image regions (faces, redacted words).

Modes for faces (the region is first padded around the detected box):

* ``fill`` (default) — a solid neutral colour: nothing of the face remains.
* ``pixelate`` — a mosaic of at most 6 blocks across the face, each block its mean colour.
* ``blur`` — Gaussian blur with sigma of at least 20% of the face width, plus noise.

Text is always redacted with a solid fill.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
from numpy.typing import NDArray

OBSCURE_MODES = ("fill", "pixelate", "blur")
FILL_RGB = (128, 128, 128)
TEXT_FILL_RGB = (0, 0, 0)
FACE_PADDING = 0.25  # share of the box's width / height added on each side
MAX_MOSAIC_BLOCKS = 6
BLUR_SIGMA_SHARE = 0.25  # sigma = share x padded face width (contract: >= 0.20)
BLUR_NOISE_STD = 12.0

Box = tuple[int, int, int, int]


def padded_box(box: Box, width: int, height: int, padding: float = FACE_PADDING) -> Box:
    """``box`` (x, y, w, h) grown by ``padding`` of its size on each side, clipped."""
    x, y, w, h = box
    dx, dy = math.ceil(w * padding), math.ceil(h * padding)
    x0, y0 = max(0, x - dx), max(0, y - dy)
    x1, y1 = min(width, x + w + dx), min(height, y + h + dy)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def grown_box(box: Box, width: int, height: int, share_of_height: float) -> Box:
    """``box`` grown on every side by ``share_of_height`` of its height (at least 2 px)."""
    x, y, w, h = box
    pad = max(2, math.ceil(h * share_of_height))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(width, x + w + pad), min(height, y + h + pad)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def obscure_faces(
    rgb: NDArray[np.uint8], boxes: Sequence[Box], mode: str, *, seed: int = 0
) -> NDArray[np.uint8]:
    """A copy of ``rgb`` with every face box (padded) obscured in ``mode``."""
    if mode not in OBSCURE_MODES:
        raise ValueError(f"unknown obscure mode {mode!r}; use one of {', '.join(OBSCURE_MODES)}")
    out = rgb.copy()
    rng = np.random.default_rng(seed)
    height, width = out.shape[:2]
    for box in boxes:
        x, y, w, h = padded_box(box, width, height)
        if w == 0 or h == 0:
            continue
        region = out[y : y + h, x : x + w]
        if mode == "fill":
            region[:] = FILL_RGB
        elif mode == "pixelate":
            region[:] = _mosaic(region)
        else:
            region[:] = _blur_with_noise(region, rng)
    return out


def fill_boxes(
    rgb: NDArray[np.uint8], boxes: Sequence[Box], colour: tuple[int, int, int] = TEXT_FILL_RGB
) -> NDArray[np.uint8]:
    """A copy of ``rgb`` with each box painted solid ``colour`` (used for text redaction)."""
    out = rgb.copy()
    for x, y, w, h in boxes:
        out[max(0, y) : y + h, max(0, x) : x + w] = colour
    return out


def _mosaic(region: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """At most MAX_MOSAIC_BLOCKS blocks across; every block one flat mean colour."""
    h, w = region.shape[:2]
    block = max(1, math.ceil(w / MAX_MOSAIC_BLOCKS))
    out = region.copy()
    for y0 in range(0, h, block):
        for x0 in range(0, w, block):
            cell = region[y0 : y0 + block, x0 : x0 + block]
            out[y0 : y0 + block, x0 : x0 + block] = cell.reshape(-1, 3).mean(axis=0).round()
    return out


def _blur_with_noise(region: NDArray[np.uint8], rng: np.random.Generator) -> NDArray[np.uint8]:
    """Gaussian blur (sigma >= 20% of the width, applied twice) then additive noise."""
    width = region.shape[1]
    sigma = max(2.0, BLUR_SIGMA_SHARE * width)
    blurred = cv2.GaussianBlur(region, (0, 0), sigmaX=sigma, sigmaY=sigma)
    blurred = cv2.GaussianBlur(blurred, (0, 0), sigmaX=sigma, sigmaY=sigma)
    noise = rng.normal(0.0, BLUR_NOISE_STD, size=blurred.shape)
    return np.clip(blurred.astype(np.float64) + noise, 0, 255).astype(np.uint8)
