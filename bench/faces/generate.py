"""The face benchmark: real faces composited onto face-free backgrounds, seeded.

Faces are the 100 real LFW face crops bundled with scikit-image (25 x 25 px, grey) and the
astronaut photo's face (colour). The tuning split uses LFW faces 0-49, the held-out split
faces 50-99 (identities never seen while tuning); both also use the astronaut's face.
Backgrounds are generated textures and scikit-image photos without people (coffee, cat,
rocket, coins, moon, bricks, grass, gravel, Hubble field, ...).

Every image comes from ``make_image(split, condition, index)``: a pure function of its
arguments (its own random generator is seeded from them), so the benchmark regenerates
bit for bit and only its hashes and ground truth are committed (``heldout.json``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from bench.frozen import fingerprint

RGB = NDArray[np.uint8]
FloatArray = NDArray[Any]
Corners = list[tuple[float, float]]

SPLITS = {"tune": 20261127, "heldout": 20261128}
CANVAS = (640, 480)  # width, height
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HELDOUT_MANIFEST = Path(__file__).with_name("heldout.json")


@dataclass(frozen=True)
class Condition:
    """One benchmark condition: how many images, how many faces each, and what is done."""

    name: str
    images: int
    faces: tuple[int, int]  # min, max faces per image
    sizes: tuple[float, float]  # face width range in px (log-uniform)
    transform: str = "none"
    description: str = ""


POSITIVE: tuple[Condition, ...] = (
    Condition("size_12_16", 20, (5, 6), (12, 16), description="faces 12-16 px wide"),
    Condition("size_16_24", 20, (5, 6), (16, 24), description="faces 16-24 px"),
    Condition("size_24_48", 20, (5, 6), (24, 48), description="faces 24-48 px"),
    Condition("size_48_128", 24, (3, 5), (48, 128), description="faces 48-128 px"),
    Condition("size_128_240", 40, (1, 2), (128, 240), description="faces 128-240 px"),
    Condition("size_over_half", 60, (1, 1), (250, 420), description="one face over half the frame"),
    Condition(
        "rotated_30", 24, (4, 5), (24, 160), "rotate30", "in-plane rotation 10-30 deg either way"
    ),
    Condition(
        "rotated_60", 24, (4, 5), (24, 160), "rotate60", "in-plane rotation 30-60 deg either way"
    ),
    Condition(
        "profile", 24, (4, 5), (24, 160), "profile", "half-face crops, horizontally squeezed"
    ),
    Condition("dark", 24, (4, 5), (24, 160), "dark", "whole image at 10-30% brightness"),
    Condition("overexposed", 24, (4, 5), (24, 160), "bright", "whole image over-exposed"),
    Condition("blurred", 24, (4, 5), (24, 160), "blur", "Gaussian blur sigma 1-3 px"),
    Condition("jpeg", 24, (4, 5), (24, 160), "jpeg", "JPEG quality 10-30"),
    Condition("occluded", 24, (4, 5), (24, 160), "occlude", "a bar over the eyes or mouth"),
    Condition("crowd", 12, (10, 14), (20, 64), description="10-14 faces per image"),
)
NEGATIVE: tuple[Condition, ...] = (
    Condition("neg_textures", 20, (0, 0), (0, 0), "textures", "generated textures"),
    Condition("neg_photos", 20, (0, 0), (0, 0), "photos", "scenes: coffee, rocket, moon, ..."),
    Condition("neg_animals", 12, (0, 0), (0, 0), "animals", "the cat photo, the horse"),
    Condition("neg_products", 16, (0, 0), (0, 0), "products", "drawn products with labels"),
    Condition("neg_text", 16, (0, 0), (0, 0), "text", "printed text, documents"),
    Condition("neg_shapes", 16, (0, 0), (0, 0), "shapes", "the reference model's shapes"),
    Condition("neg_lfw_nonfaces", 12, (0, 0), (0, 0), "nonfaces", "LFW's non-face crops"),
)
CONDITIONS: tuple[Condition, ...] = POSITIVE + NEGATIVE
BY_NAME = {c.name: c for c in CONDITIONS}


@dataclass
class BenchImage:
    """One generated image and the faces in it (corners of each face's quadrilateral)."""

    split: str
    condition: str
    index: int
    pixels: RGB
    faces: list[Corners] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.condition}/{self.index:03d}"

    def boxes(self) -> list[tuple[int, int, int, int]]:
        """Axis-aligned (x, y, w, h) of each face's corners."""
        return [_bounding(c) for c in self.faces]

    def sha256(self) -> str:
        """Hash of the pixels (shape, then raw bytes): what the frozen manifest records."""
        digest = hashlib.sha256(repr(self.pixels.shape).encode())
        digest.update(np.ascontiguousarray(self.pixels).tobytes())
        return digest.hexdigest()


def _bounding(corners: Corners) -> tuple[int, int, int, int]:
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    x0, y0 = math.floor(min(xs)), math.floor(min(ys))
    return x0, y0, math.ceil(max(xs)) - x0, math.ceil(max(ys)) - y0


def _seed(split: str, condition: str, index: int) -> int:
    return (SPLITS[split] * 1_000_003 + zlib.crc32(condition.encode()) * 1009 + index) % 2**63


def iter_split(split: str, conditions: tuple[Condition, ...] = CONDITIONS) -> Iterator[BenchImage]:
    """Every image of ``split``, condition by condition."""
    for condition in conditions:
        for index in range(condition.images):
            yield make_image(split, condition.name, index)


def make_image(split: str, condition_name: str, index: int) -> BenchImage:
    """Image ``index`` of ``condition_name`` in ``split`` (deterministic)."""
    condition = BY_NAME[condition_name]
    rng = np.random.default_rng(_seed(split, condition_name, index))
    if condition in NEGATIVE:
        return BenchImage(split, condition_name, index, _negative(condition.transform, rng))
    canvas = _background(rng)
    count = int(rng.integers(condition.faces[0], condition.faces[1] + 1))
    faces: list[Corners] = []
    taken: list[tuple[float, float, float]] = []
    for _ in range(count):
        patch = _face_patch(split, condition, rng)
        placed = _place(canvas, patch, taken, rng)
        if placed is not None:
            faces.append(placed)
    canvas = _global_transform(canvas, condition.transform, faces, rng)
    return BenchImage(split, condition_name, index, canvas, faces)


# --- faces -------------------------------------------------------------------------------


@dataclass
class _Patch:
    rgb: FloatArray
    alpha: FloatArray
    face: Corners  # the face's corners inside the patch


@functools.cache
def _lfw() -> FloatArray:
    from skimage import data as skdata

    return np.asarray(skdata.lfw_subset(), dtype=np.float32)


@functools.cache
def _astronaut() -> RGB:
    from skimage import data as skdata

    return np.asarray(skdata.astronaut(), dtype=np.uint8)


ASTRONAUT_PATCH = (140, 10, 170, 200)  # x, y, w, h of the crop taken around the face
ASTRONAUT_FACE = (172, 52, 104, 126)  # the face (brows to chin) in the photo
SKIN_TINTS = ((1.0, 1.0, 1.0), (1.0, 0.86, 0.74), (0.95, 0.78, 0.62), (0.78, 0.6, 0.48))


def _face_patch(split: str, condition: Condition, rng: np.random.Generator) -> _Patch:
    width = float(np.exp(rng.uniform(*np.log(condition.sizes))))
    use_astronaut = width >= 48 and rng.random() < 0.3
    if use_astronaut:
        x, y, w, h = ASTRONAUT_PATCH
        fx, fy, fw, fh = ASTRONAUT_FACE
        src = _astronaut()[y : y + h, x : x + w].astype(np.float32)
        if rng.random() < 0.5:
            src = src[:, ::-1]
            fx = x + w - (fx - x) - fw
        left, top = float(fx - x), float(fy - y)
        face: Corners = [(left, top), (left + fw, top), (left + fw, top + fh), (left, top + fh)]
        scale = width / fw
    else:
        first = 0 if split == "tune" else 50
        crop = _lfw()[first + int(rng.integers(50))]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        tint = np.array(SKIN_TINTS[int(rng.integers(len(SKIN_TINTS)))], dtype=np.float32)
        src = crop[:, :, None] * 255.0 * tint[None, None, :]
        face = [(0.0, 0.0), (25.0, 0.0), (25.0, 25.0), (0.0, 25.0)]
        scale = width / 25.0
    alpha = _feathered(src.shape[0], src.shape[1], hard=use_astronaut)
    if condition.transform == "profile":
        src, alpha, face = _profile(src, alpha, face, rng)
    out_w = max(4, round(src.shape[1] * scale))
    out_h = max(4, round(src.shape[0] * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    rgb = cv2.resize(src, (out_w, out_h), interpolation=interpolation)
    alpha = cv2.resize(alpha, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
    sx, sy = out_w / src.shape[1], out_h / src.shape[0]
    patch = _Patch(
        np.clip(rgb, 0, 255), np.clip(alpha, 0, 1), [(p[0] * sx, p[1] * sy) for p in face]
    )
    if condition.transform in ("rotate30", "rotate60"):
        low, high = (10.0, 30.0) if condition.transform == "rotate30" else (30.0, 60.0)
        angle = float(rng.uniform(low, high)) * (1 if rng.random() < 0.5 else -1)
        patch = _rotated(patch, angle)
    return patch


def _feathered(height: int, width: int, *, hard: bool) -> FloatArray:
    """An alpha mask that fades out at the border (no sharp square edge around a face)."""
    alpha = np.ones((height, width), dtype=np.float32)
    border = max(1, round(0.08 * min(height, width))) if hard else 1
    ramp = np.minimum(np.arange(width) + 1, np.arange(width)[::-1] + 1) / (border + 1)
    ramp_y = np.minimum(np.arange(height) + 1, np.arange(height)[::-1] + 1) / (border + 1)
    return np.minimum(alpha, np.minimum.outer(np.clip(ramp_y, 0, 1), np.clip(ramp, 0, 1))).astype(
        np.float32
    )


def _profile(
    src: FloatArray, alpha: FloatArray, face: Corners, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, Corners]:
    """A profile-like view: keep 55-70% of the face from one side, or squeeze it 0.5-0.7x."""
    x0, y0 = face[0]
    x1, y1 = face[2]
    if rng.random() < 0.5:
        keep = float(rng.uniform(0.55, 0.7))
        if rng.random() < 0.5:
            cut = round(x0 + keep * (x1 - x0))
            return src[:, :cut], alpha[:, :cut], [(x0, y0), (cut, y0), (cut, y1), (x0, y1)]
        cut = round(x1 - keep * (x1 - x0))
        return (
            src[:, cut:],
            alpha[:, cut:],
            [(0.0, y0), (x1 - cut, y0), (x1 - cut, y1), (0.0, y1)],
        )
    squeeze = float(rng.uniform(0.5, 0.7))
    new_w = max(2, round(src.shape[1] * squeeze))
    rgb = cv2.resize(src, (new_w, src.shape[0]), interpolation=cv2.INTER_AREA)
    mask = cv2.resize(alpha, (new_w, src.shape[0]), interpolation=cv2.INTER_LINEAR)
    return rgb, mask, [(p[0] * squeeze, p[1]) for p in face]


def _rotated(patch: _Patch, angle: float) -> _Patch:
    height, width = patch.rgb.shape[:2]
    centre = (width / 2.0, height / 2.0)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w = math.ceil(height * sin + width * cos)
    new_h = math.ceil(height * cos + width * sin)
    matrix[0, 2] += new_w / 2.0 - centre[0]
    matrix[1, 2] += new_h / 2.0 - centre[1]
    rgb = cv2.warpAffine(patch.rgb, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(patch.alpha, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR)
    face = [
        (
            matrix[0, 0] * x + matrix[0, 1] * y + matrix[0, 2],
            matrix[1, 0] * x + matrix[1, 1] * y + matrix[1, 2],
        )
        for x, y in patch.face
    ]
    return _Patch(rgb, alpha, face)


def _place(
    canvas: RGB, patch: _Patch, taken: list[tuple[float, float, float]], rng: np.random.Generator
) -> Corners | None:
    """Alpha-blends ``patch`` at a free spot; returns the face's corners in the canvas."""
    height, width = canvas.shape[:2]
    ph, pw = patch.rgb.shape[:2]
    if ph > height or pw > width:
        return None
    radius = max(ph, pw) / 2.0
    for _ in range(300):
        x = int(rng.integers(0, width - pw + 1))
        y = int(rng.integers(0, height - ph + 1))
        cx, cy = x + pw / 2.0, y + ph / 2.0
        if all(math.hypot(cx - tx, cy - ty) > radius + tr + 6 for tx, ty, tr in taken):
            break
    else:
        return None
    taken.append((cx, cy, radius))
    region = canvas[y : y + ph, x : x + pw].astype(np.float32)
    alpha = patch.alpha[:, :, None]
    blended = region * (1.0 - alpha) + patch.rgb * alpha
    canvas[y : y + ph, x : x + pw] = np.clip(np.rint(blended), 0, 255).astype(np.uint8)
    return [(px + x, py + y) for px, py in patch.face]


def _global_transform(
    canvas: RGB, transform: str, faces: list[Corners], rng: np.random.Generator
) -> RGB:
    image: FloatArray = canvas.astype(np.float32)
    if transform == "dark":
        image = (
            255.0 * (image / 255.0) ** float(rng.uniform(1.2, 1.8)) * float(rng.uniform(0.1, 0.3))
        )
    elif transform == "bright":
        image = image * float(rng.uniform(1.5, 2.2)) + float(rng.uniform(40, 90))
    elif transform == "blur":
        sigma = float(rng.uniform(1.0, 3.0))
        image = cv2.GaussianBlur(image, (0, 0), sigmaX=sigma, sigmaY=sigma)
    elif transform == "occlude":
        for corners in faces:
            x, y, w, h = _bounding(corners)
            # LFW crops and the astronaut patch: eyes at ~35-45%, mouth at ~75-85% of height.
            centre = 0.4 if rng.random() < 0.6 else 0.8
            bar_h = max(2, round(h * float(rng.uniform(0.15, 0.22))))
            top = round(y + centre * h - bar_h / 2)
            colour = rng.integers(0, 256, size=3) if rng.random() < 0.4 else np.zeros(3)
            image[top : top + bar_h, max(0, x - 2) : x + w + 2] = colour
    out = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    if transform == "jpeg":
        buffer = io.BytesIO()
        Image.fromarray(out).save(buffer, format="JPEG", quality=int(rng.integers(10, 31)))
        out = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(out)


# --- backgrounds ---------------------------------------------------------------------------


@functools.cache
def _photos() -> dict[str, RGB]:
    """Face-free scikit-image photos, RGB (no camera man, no astronaut)."""
    from skimage import data as skdata

    def rgb(image: Any) -> RGB:
        array = np.asarray(image)
        if array.dtype == bool:
            array = array.astype(np.uint8) * 255
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        return np.ascontiguousarray(array[:, :, :3], dtype=np.uint8)

    return {
        "coffee": rgb(skdata.coffee()),
        "rocket": rgb(skdata.rocket()),
        "coins": rgb(skdata.coins()),
        "moon": rgb(skdata.moon()),
        "brick": rgb(skdata.brick()),
        "grass": rgb(skdata.grass()),
        "gravel": rgb(skdata.gravel()),
        "hubble": rgb(skdata.hubble_deep_field()),
        "ihc": rgb(skdata.immunohistochemistry()),
        "retina": rgb(skdata.retina()),
        "clock": rgb(skdata.clock()),
        "colorwheel": rgb(skdata.colorwheel()),
        "cell": rgb(skdata.cell()),
        "chelsea": rgb(skdata.chelsea()),
        "horse": rgb(skdata.horse()),
    }


SCENE_PHOTOS = (
    "coffee",
    "rocket",
    "coins",
    "moon",
    "brick",
    "grass",
    "gravel",
    "hubble",
    "ihc",
    "retina",
    "clock",
    "colorwheel",
    "cell",
)


def _photo_crop(name: str, rng: np.random.Generator) -> RGB:
    """A random crop of photo ``name`` resized to the canvas."""
    photo = _photos()[name]
    width, height = CANVAS
    ph, pw = photo.shape[:2]
    share = float(rng.uniform(0.6, 1.0))
    cw = min(pw, round(pw * share))
    ch = min(ph, round(cw * height / width))
    if ch > ph:
        ch, cw = ph, round(ph * width / height)
    x = int(rng.integers(0, pw - cw + 1))
    y = int(rng.integers(0, ph - ch + 1))
    crop = photo[y : y + ch, x : x + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    interpolation = cv2.INTER_AREA if cw > width else cv2.INTER_CUBIC
    return np.ascontiguousarray(cv2.resize(crop, CANVAS, interpolation=interpolation))


def _texture(rng: np.random.Generator) -> RGB:
    width, height = CANVAS
    kind = int(rng.integers(5))
    colours = rng.integers(0, 256, size=(2, 3)).astype(np.float32)
    if kind == 0:  # smooth noise
        small = rng.random((height // 32 + 2, width // 32 + 2)).astype(np.float32)
        field_ = cv2.resize(small, CANVAS, interpolation=cv2.INTER_CUBIC)
    elif kind == 1:  # stripes
        period = float(rng.uniform(6, 60))
        angle = float(rng.uniform(0, math.pi))
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        field_ = 0.5 + 0.5 * np.sin((xx * math.cos(angle) + yy * math.sin(angle)) / period * 6.28)
    elif kind == 2:  # gradient
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        field_ = xx / width * float(rng.uniform(0.2, 1)) + yy / height * float(rng.uniform(0, 1))
        field_ = field_ / max(float(field_.max()), 1e-6)
    elif kind == 3:  # blotches
        field_ = np.zeros((height, width), dtype=np.float32)
        for _ in range(40):
            cx, cy = int(rng.integers(width)), int(rng.integers(height))
            cv2.circle(field_, (cx, cy), int(rng.integers(5, 80)), float(rng.random()), -1)
        field_ = cv2.GaussianBlur(field_, (0, 0), 3)
    else:  # fine noise
        field_ = rng.random((height, width)).astype(np.float32)
        field_ = cv2.GaussianBlur(field_, (0, 0), float(rng.uniform(0.5, 2.5)))
        field_ = (field_ - field_.min()) / max(float(np.ptp(field_)), 1e-6)
    mix = field_[:, :, None]
    image = colours[0] * (1 - mix) + colours[1] * mix
    return np.clip(image, 0, 255).astype(np.uint8)


def _background(rng: np.random.Generator) -> RGB:
    if rng.random() < 0.4:
        return _texture(rng)
    return _photo_crop(SCENE_PHOTOS[int(rng.integers(len(SCENE_PHOTOS)))], rng)


# --- face-free images ------------------------------------------------------------------------


# Fonts of Debian's fonts-dejavu-core (scripts/install-system-packages installs it).
FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
)


def _font(rng: np.random.Generator, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / FONT_FILES[int(rng.integers(len(FONT_FILES)))]
    if not path.is_file():
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(path), size)


WORDS = [
    "quarterly",
    "report",
    "invoice",
    "total",
    "shipping",
    "order",
    "item",
    "quantity",
    "price",
    "warehouse",
    "delivery",
    "stock",
    "pallet",
    "batch",
    "serial",
    "model",
    "colour",
    "size",
    "weight",
    "fragile",
    "handle",
    "with",
    "care",
    "this",
    "side",
    "up",
    "inspection",
    "passed",
    "failed",
    "maintenance",
    "schedule",
    "valve",
    "pressure",
    "temperature",
]


def _text_image(rng: np.random.Generator) -> RGB:
    _width, height = CANVAS
    paper = tuple(int(v) for v in rng.integers(200, 256, size=3))
    ink = tuple(int(v) for v in rng.integers(0, 80, size=3))
    image = Image.new("RGB", CANVAS, paper)
    draw = ImageDraw.Draw(image)
    y = int(rng.integers(5, 30))
    while y < height - 20:
        size = int(rng.integers(10, 40))
        line = " ".join(
            WORDS[int(i)] for i in rng.integers(len(WORDS), size=int(rng.integers(2, 8)))
        )
        draw.text((int(rng.integers(5, 60)), y), line, fill=ink, font=_font(rng, size))
        y += int(size * float(rng.uniform(1.3, 2.2)))
    return np.asarray(image, dtype=np.uint8)


def _product_image(rng: np.random.Generator) -> RGB:
    image = Image.fromarray(_texture(rng) if rng.random() < 0.3 else _plain(rng))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(1, 4))):
        colour = tuple(int(v) for v in rng.integers(0, 256, size=3))
        x0, y0 = int(rng.integers(20, 400)), int(rng.integers(20, 300))
        w, h = int(rng.integers(60, 220)), int(rng.integers(60, 200))
        shape = int(rng.integers(3))
        if shape == 0:  # a box
            draw.rounded_rectangle([x0, y0, x0 + w, y0 + h], radius=8, fill=colour, outline="black")
        elif shape == 1:  # a bottle
            draw.rounded_rectangle([x0, y0 + h // 4, x0 + w // 2, y0 + h], radius=12, fill=colour)
            draw.rectangle([x0 + w // 8, y0, x0 + 3 * w // 8, y0 + h // 4], fill=colour)
        else:  # a plate / round tin
            draw.ellipse([x0, y0, x0 + w, y0 + w], fill=colour, outline="black")
        label = " ".join(WORDS[int(i)] for i in rng.integers(len(WORDS), size=2)).upper()
        draw.text((x0 + 6, y0 + h // 2), label, fill="white", font=_font(rng, 12))
    return np.asarray(image, dtype=np.uint8)


def _plain(rng: np.random.Generator) -> RGB:
    colour = rng.integers(150, 256, size=3).astype(np.uint8)
    return np.broadcast_to(colour, (CANVAS[1], CANVAS[0], 3)).copy()


def _shapes_image(rng: np.random.Generator) -> RGB:
    from inference.reference_model import synthetic

    local = random.Random(int(rng.integers(2**31)))
    spec = synthetic.sample_spec(local)
    image = synthetic.make_image(spec, CANVAS[1], local).convert("RGB")
    return np.asarray(image.resize(CANVAS), dtype=np.uint8)


def _nonfaces_image(rng: np.random.Generator) -> RGB:
    canvas = _background(rng)
    crops = _lfw()[100:]
    for _ in range(int(rng.integers(6, 12))):
        crop = crops[int(rng.integers(100))]
        size = int(rng.integers(20, 120))
        patch = cv2.resize(crop * 255.0, (size, size), interpolation=cv2.INTER_CUBIC)
        x = int(rng.integers(0, CANVAS[0] - size))
        y = int(rng.integers(0, CANVAS[1] - size))
        canvas[y : y + size, x : x + size] = np.clip(patch, 0, 255).astype(np.uint8)[:, :, None]
    return canvas


NEGATIVE_MAKERS: dict[str, Callable[[np.random.Generator], RGB]] = {
    "textures": _texture,
    "photos": lambda rng: _photo_crop(SCENE_PHOTOS[int(rng.integers(len(SCENE_PHOTOS)))], rng),
    "animals": lambda rng: _photo_crop("chelsea" if rng.random() < 0.75 else "horse", rng),
    "products": _product_image,
    "text": _text_image,
    "shapes": _shapes_image,
    "nonfaces": _nonfaces_image,
}


def _negative(kind: str, rng: np.random.Generator) -> RGB:
    return np.ascontiguousarray(NEGATIVE_MAKERS[kind](rng), dtype=np.uint8)


# --- the frozen manifest -------------------------------------------------------------------


def split_manifest(split: str) -> dict[str, Any]:
    """Per-image hash and ground truth of ``split``."""
    images = {}
    for image in iter_split(split):
        images[image.key] = {
            "sha256": image.sha256(),
            "fingerprint": fingerprint(image.pixels),
            "faces": [[[round(x, 2), round(y, 2)] for x, y in c] for c in image.faces],
        }
    return {"split": split, "seed": SPLITS[split], "canvas": list(CANVAS), "images": images}
