"""Sample images for the filter tests, all generated or taken from installed packages.

Real faces come from scikit-image (the astronaut photo, LFW face crops); text is drawn
with a TrueType font; everything else is made here. No test touches the database.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from skimage import data as skdata

_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
)


def encode(image: Image.Image | np.ndarray, fmt: str = "PNG", **params: Any) -> bytes:
    """Image (or RGB array) encoded in ``fmt``."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TrueType font of ``size`` px: DejaVu when installed, else PIL's bundled one."""
    for path in _FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def resize_long_side(rgb: np.ndarray, side: int) -> np.ndarray:
    """``rgb`` scaled so its longer side is ``side`` px."""
    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    size = (round(w * scale), round(h * scale))
    return np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))


def backgrounds() -> list[np.ndarray]:
    """Face-free photos at 640 px: coffee, rocket, and two scikit-learn samples."""
    images = [skdata.coffee(), skdata.rocket()]
    try:
        from sklearn.datasets import load_sample_images

        images += list(load_sample_images().images)
    except ImportError:
        images.append(skdata.chelsea())
    return [resize_long_side(image, 640) for image in images]


def composite_faces(
    size: int, count: int, seed: int, first_face: int = 0
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A 640 px photo with ``count`` LFW face crops pasted at ``size`` px; and their boxes."""
    rng = np.random.default_rng(seed)
    crops = skdata.lfw_subset()[:100]
    pool = backgrounds()
    canvas = pool[int(rng.integers(len(pool)))].copy()
    height, width = canvas.shape[:2]
    boxes: list[tuple[int, int, int, int]] = []
    for k in range(count):
        crop = (crops[(first_face + k) % 100] * 255).astype(np.uint8)
        interpolation = cv2.INTER_CUBIC if size > 25 else cv2.INTER_AREA
        face = cv2.resize(crop, (size, size), interpolation=interpolation)
        x, y = _free_spot(rng, boxes, width, height, size)
        canvas[y : y + size, x : x + size] = np.stack([face] * 3, axis=-1)
        boxes.append((x, y, size, size))
    return canvas, boxes


def _free_spot(
    rng: np.random.Generator,
    taken: list[tuple[int, int, int, int]],
    width: int,
    height: int,
    size: int,
) -> tuple[int, int]:
    for _ in range(200):
        x = int(rng.integers(0, width - size))
        y = int(rng.integers(0, height - size))
        if all(abs(x - bx) > size + 8 or abs(y - by) > size + 8 for bx, by, _, _ in taken):
            return x, y
    raise RuntimeError("no free spot for another face")


def draw_text_card(
    lines: list[str], *, size: int = 24, base: np.ndarray | None = None
) -> np.ndarray:
    """A photo (coffee) with a white card of black ``lines`` drawn on it."""
    canvas = Image.fromarray(base if base is not None else resize_long_side(skdata.coffee(), 640))
    draw = ImageDraw.Draw(canvas)
    typeface = font(size)
    line_height = int(size * 1.6)
    draw.rectangle([16, 16, 16 + 24 + size * 20, 24 + line_height * len(lines)], fill="white")
    for i, line in enumerate(lines):
        draw.text((28, 24 + i * line_height), line, fill="black", font=typeface)
    return np.asarray(canvas.convert("RGB"))


@pytest.fixture(scope="session")
def astronaut_png() -> bytes:
    """The scikit-image astronaut photo (one real face) as PNG."""
    return encode(skdata.astronaut())


@pytest.fixture(scope="session")
def cat_photo_png() -> bytes:
    """A photo with no text and no people (the scikit-image cat)."""
    return encode(skdata.chelsea())


@pytest.fixture(scope="session")
def image_bytes() -> Callable[..., bytes]:
    """The :func:`encode` helper as a fixture."""
    return encode
