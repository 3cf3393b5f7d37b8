"""Deterministic synthetic image-caption data for the bundled reference CLIP model.

An image shows one, two or three identical coloured shapes on a background scene.
Captions are written from prompt templates. Templates come in two disjoint sets:
``TRAIN_TEMPLATES`` (the only ones the model sees while training) and
``HELD_OUT_TEMPLATES`` (used only for zero-shot evaluation). A few colour x shape
combinations (``HELD_OUT_COMBOS``) never appear in training at all.

Every random choice goes through a caller-supplied ``random.Random``, so the same
seed always gives the same images and captions.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (215, 35, 35),
    "green": (40, 165, 55),
    "blue": (40, 75, 215),
    "yellow": (240, 215, 40),
    "purple": (135, 50, 175),
    "orange": (245, 135, 25),
    "white": (245, 245, 245),
    "black": (20, 20, 20),
}
"""Colour names and their nominal RGB values (jittered when drawn)."""

SHAPES: dict[str, str] = {
    "circle": "circles",
    "square": "squares",
    "triangle": "triangles",
    "star": "stars",
    "cross": "crosses",
    "ring": "rings",
    "heart": "hearts",
}
"""Shape names mapped to their plural nouns."""

COUNTS: dict[int, str] = {1: "one", 2: "two", 3: "three"}
"""Object counts and the words used for them."""

SIZES: dict[str, tuple[float, float]] = {"small": (0.09, 0.12), "large": (0.16, 0.21)}
"""Size words mapped to the object radius range, as a fraction of the image side."""

BACKGROUNDS: dict[str, str] = {
    "plain": "a plain background",
    "grass": "grass",
    "sky": "the sky",
    "dark": "a dark background",
    "stripes": "stripes",
}
"""Background scene names mapped to the phrase captions use for them."""

BACKGROUND_EXCLUDES: dict[str, frozenset[str]] = {
    "plain": frozenset({"white"}),
    "grass": frozenset({"green"}),
    "sky": frozenset({"blue", "white"}),
    "dark": frozenset({"black"}),
    "stripes": frozenset({"white"}),
}
"""Colours never drawn on a background because they would barely be visible."""

HELD_OUT_COMBOS: frozenset[tuple[str, str]] = frozenset(
    {
        ("purple", "star"),
        ("orange", "ring"),
        ("blue", "heart"),
        ("yellow", "cross"),
        ("white", "triangle"),
    }
)
"""Colour x shape combinations that never appear in training data."""

TRAIN_TEMPLATES: tuple[str, ...] = (
    "{c} {s}",
    "{n} {c} {s}",
    "{n} {z} {c} {s}",
    "{n} {c} {s} on {b}",
    "a picture of {n} {c} {s}",
    "an image with {n} {c} {s} on {b}",
    "there {is} {n} {c} {s} in the picture",
    "{n} {c} {s} in the image",
    "this image has {n} {z} {c} {s}",
    "{n} {s} coloured {c}",
    "{z} {c} {s} on {b}",
)
"""Caption templates used for training. Fields: {n} count word, {c} colour,
{s} shape noun (plural when the count is above one), {z} size word,
{b} background phrase, {is} "is"/"are"."""

HELD_OUT_TEMPLATES: tuple[str, ...] = (
    "a photo of {n} {c} {s}",
    "there {is} {n} {c} {s} here",
    "an image showing {n} {c} {s}",
    "in this picture there {is} {n} {c} {s}",
    "{n} {c} {s} can be seen",
    "a drawing of {n} {c} {s}",
)
"""Caption templates reserved for zero-shot evaluation; disjoint from TRAIN_TEMPLATES."""


@dataclass(frozen=True)
class SceneSpec:
    """What one synthetic image shows."""

    colour: str
    shape: str
    count: int
    size: str
    background: str

    @property
    def combo(self) -> tuple[str, str]:
        """The (colour, shape) pair of the objects."""
        return (self.colour, self.shape)


def fill_template(template: str, spec: SceneSpec) -> str:
    """Write the caption of ``spec`` using ``template``."""
    plural = spec.count > 1
    return template.format(
        n=COUNTS[spec.count],
        c=spec.colour,
        s=SHAPES[spec.shape] if plural else spec.shape,
        z=spec.size,
        b=BACKGROUNDS[spec.background],
        **{"is": "are" if plural else "is"},
    )


def _all_training_words() -> tuple[str, ...]:
    """Every word that can occur in a training caption, sorted."""
    words: set[str] = set()
    for template in TRAIN_TEMPLATES:
        words.update(template.format(n="", c="", s="", z="", b="", **{"is": ""}).split())
    words.update(COUNTS.values())
    words.update(COLOURS)
    words.update(SHAPES)
    words.update(SHAPES.values())
    words.update(SIZES)
    words.update({"is", "are"})
    for phrase in BACKGROUNDS.values():
        words.update(phrase.split())
    return tuple(sorted(words))


VOCABULARY: tuple[str, ...] = _all_training_words()
"""All words that appear in training captions."""


def allowed_colours(background: str) -> list[str]:
    """Colours that may be drawn on ``background``."""
    return [c for c in COLOURS if c not in BACKGROUND_EXCLUDES[background]]


def sample_spec(
    rng: random.Random,
    *,
    held_out: bool = False,
    colour: str | None = None,
    shape: str | None = None,
) -> SceneSpec:
    """Draw a random scene.

    With ``held_out=False`` the colour x shape pair is never in ``HELD_OUT_COMBOS``;
    with ``held_out=True`` it always is. ``colour``/``shape`` pin those attributes
    (the background is then chosen so that the colour stays visible).
    """
    while True:
        if held_out:
            c, s = rng.choice(sorted(HELD_OUT_COMBOS))
        else:
            c = colour or rng.choice(list(COLOURS))
            s = shape or rng.choice(list(SHAPES))
        if (c, s) in HELD_OUT_COMBOS and not held_out:
            if colour and shape:
                raise ValueError(f"{c} {s} is a held-out combination")
            continue
        backgrounds = [b for b in BACKGROUNDS if c not in BACKGROUND_EXCLUDES[b]]
        return SceneSpec(
            colour=c,
            shape=s,
            count=rng.choice(list(COUNTS)),
            size=rng.choice(list(SIZES)),
            background=rng.choice(backgrounds),
        )


def _jitter_rgb(rgb: tuple[int, int, int], rng: random.Random, amount: int) -> tuple[int, ...]:
    """``rgb`` with each channel moved by up to ``amount``, clipped to 0-255."""
    return tuple(max(0, min(255, v + rng.randint(-amount, amount))) for v in rgb)


def _background(name: str, size: int, rng: random.Random) -> Image.Image:
    """Render the background scene ``name`` as a ``size`` x ``size`` RGB image."""
    np_rng = np.random.default_rng(rng.getrandbits(32))
    arr: np.ndarray
    if name == "plain":
        base = np.array(_jitter_rgb((215, 210, 200), rng, 20), dtype=np.float32)
        arr = np.broadcast_to(base, (size, size, 3)).copy()
    elif name == "grass":
        base = np.array(_jitter_rgb((70, 135, 50), rng, 15), dtype=np.float32)
        arr = base + np_rng.normal(0.0, 18.0, (size, size, 1)) * np.array([0.6, 1.0, 0.5])
    elif name == "sky":
        top = np.array(_jitter_rgb((95, 150, 225), rng, 15), dtype=np.float32)
        bottom = np.array(_jitter_rgb((200, 225, 245), rng, 10), dtype=np.float32)
        t = np.linspace(0.0, 1.0, size, dtype=np.float32)[:, None, None]
        arr = np.broadcast_to(top * (1 - t) + bottom * t, (size, size, 3)).copy()
    elif name == "dark":
        base = np.array(_jitter_rgb((45, 45, 55), rng, 12), dtype=np.float32)
        arr = base + np_rng.normal(0.0, 5.0, (size, size, 3))
    else:
        arr = _stripes(size, rng)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _stripes(size: int, rng: random.Random) -> np.ndarray:
    """Pale diagonal or straight stripes as a float array of shape (size, size, 3)."""
    a = np.array(_jitter_rgb((225, 205, 175), rng, 20), dtype=np.float32)
    b = np.array(_jitter_rgb((175, 190, 215), rng, 20), dtype=np.float32)
    period = size / rng.uniform(5.0, 10.0)
    angle = rng.choice([0.0, math.pi / 4, math.pi / 2, -math.pi / 4])
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    phase = (xx * math.cos(angle) + yy * math.sin(angle)) / period
    mask = (np.floor(phase) % 2 == 0)[..., None]
    return np.where(mask, a, b)


def _star(points: int, inner: float) -> list[tuple[float, float]]:
    """Unit star polygon with ``points`` tips and inner radius ``inner``."""
    out = []
    for i in range(points * 2):
        r = 1.0 if i % 2 == 0 else inner
        a = math.pi * i / points - math.pi / 2
        out.append((r * math.cos(a), r * math.sin(a)))
    return out


def _regular(sides: int) -> list[tuple[float, float]]:
    """Unit regular polygon with ``sides`` sides, one vertex pointing up."""
    return [
        (
            math.cos(2 * math.pi * i / sides - math.pi / 2),
            math.sin(2 * math.pi * i / sides - math.pi / 2),
        )
        for i in range(sides)
    ]


def _cross() -> list[tuple[float, float]]:
    """Unit plus-sign polygon."""
    w = 0.33
    return [
        (-w, -1), (w, -1), (w, -w), (1, -w), (1, w), (w, w),
        (w, 1), (-w, 1), (-w, w), (-1, w), (-1, -w), (-w, -w),
    ]  # fmt: skip


def _heart() -> list[tuple[float, float]]:
    """Unit heart outline sampled from a parametric curve."""
    pts = []
    for i in range(48):
        t = 2 * math.pi * i / 48
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((x / 17.0, -(y + 2.5) / 17.0))
    return pts


_POLYGONS: dict[str, list[tuple[float, float]]] = {
    "square": [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)],
    "triangle": _regular(3),
    "star": _star(5, 0.45),
    "cross": _cross(),
    "heart": _heart(),
}


def _draw_shape(
    draw: ImageDraw.ImageDraw,
    shape: str,
    centre: tuple[float, float],
    radius: float,
    angle: float,
    fill: tuple[int, ...],
) -> None:
    """Draw one ``shape`` of ``radius`` pixels around ``centre``, rotated by ``angle``."""
    cx, cy = centre
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    if shape == "circle":
        draw.ellipse(box, fill=fill)
        return
    if shape == "ring":
        draw.ellipse(box, outline=fill, width=max(2, round(radius * 0.32)))
        return
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    points = [
        (cx + radius * (x * cos_a - y * sin_a), cy + radius * (x * sin_a + y * cos_a))
        for x, y in _POLYGONS[shape]
    ]
    draw.polygon(points, fill=fill)


def _place(count: int, radius: float, size: int, rng: random.Random) -> list[tuple[float, float]]:
    """Non-overlapping centres for ``count`` objects of ``radius`` inside the image."""
    margin = radius * 1.05
    for _ in range(200):
        centres = [
            (rng.uniform(margin, size - margin), rng.uniform(margin, size - margin))
            for _ in range(count)
        ]
        if all(
            math.dist(a, b) > 2.25 * radius for i, a in enumerate(centres) for b in centres[i + 1 :]
        ):
            return centres
    return _place(count, radius * 0.9, size, rng)


def _rotation(shape: str, rng: random.Random) -> float:
    """Rotation jitter: small for hearts (so they stay recognisable), free otherwise."""
    if shape == "heart":
        return rng.uniform(-0.35, 0.35)
    return rng.uniform(0.0, 2 * math.pi)


def make_image(spec: SceneSpec, size: int, rng: random.Random) -> Image.Image:
    """Render ``spec`` as a ``size`` x ``size`` RGB image, with layout, colour and noise jitter."""
    image = _background(spec.background, size, rng)
    draw = ImageDraw.Draw(image)
    low, high = SIZES[spec.size]
    radius = size * rng.uniform(low, high)
    if spec.count == 3 and spec.size == "large":
        radius *= 0.85
    fill = _jitter_rgb(COLOURS[spec.colour], rng, 18)
    for centre in _place(spec.count, radius, size, rng):
        r = radius * rng.uniform(0.92, 1.08)
        _draw_shape(draw, spec.shape, centre, r, _rotation(spec.shape, rng), fill)
    sigma = rng.uniform(0.0, 8.0)
    if sigma > 0.5:
        np_rng = np.random.default_rng(rng.getrandbits(32))
        arr = np.asarray(image, dtype=np.float32) + np_rng.normal(0.0, sigma, (size, size, 3))
        image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    return image


def make_example(
    rng: random.Random, size: int, templates: tuple[str, ...] = TRAIN_TEMPLATES
) -> tuple[Image.Image, str, SceneSpec]:
    """A training-style example: a non-held-out scene, its image and a caption."""
    spec = sample_spec(rng)
    image = make_image(spec, size, rng)
    return image, fill_template(rng.choice(templates), spec), spec


def caption_fits(template: str, described: SceneSpec, shown: SceneSpec) -> bool:
    """Whether the caption ``template`` wrote for ``described`` is also true of ``shown``."""
    checks = [
        described.combo == shown.combo,
        (described.count > 1) == (shown.count > 1),
        "{n}" not in template or described.count == shown.count,
        "{z}" not in template or described.size == shown.size,
        "{b}" not in template or described.background == shown.background,
    ]
    return all(checks)
