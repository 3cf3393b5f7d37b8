"""Images with personal data written in them, seeded: the PII-in-images benchmark.

Each image holds a few lines of text on paper, a gradient or a photo: some lines carry one
piece of personal data (e-mail, phone, Luhn-valid card number, checksum-valid IBAN, name,
street address, licence plate), the others are benign. Fonts: PIL's bundled font and the
DejaVu fonts of fonts-dejavu-core; sizes 12-40 px; the whole text block tilted 0, +-5 or
+-10 degrees; dark-on-light, light-on-dark and low-contrast ink. All values are invented.

``make_image(split, index)`` is a pure function of its arguments; ``heldout.json`` freezes
the held-out split's pixel hashes and ground truth.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from bench.frozen import fingerprint

RGB = NDArray[np.uint8]
SPLITS = {"tune": 7_2026_11_27, "heldout": 7_2026_11_28}
IMAGES_PER_SPLIT = 80
CANVAS = (800, 480)
ANGLES = (0.0, 0.0, 5.0, -5.0, 10.0, -10.0)
CONTRASTS = ("dark_on_light", "light_on_dark", "low_contrast", "on_photo")
HELDOUT_MANIFEST = Path(__file__).with_name("heldout.json")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# PIL's bundled font plus the fonts of Debian's fonts-dejavu-core.
FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
)
ENTITY_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "PERSON",
    "STREET_ADDRESS",
    "LICENSE_PLATE",
)

FIRST: tuple[str, ...] = (
    "Maria",
    "James",
    "Aisha",
    "Lukas",
    "Sofia",
    "Daniel",
    "Chloe",
    "Oliver",
    "Elena",
)
FIRST += ("Thomas", "Hannah", "Mateo", "Grace", "Jonas", "Amelia", "Samuel")
LAST: tuple[str, ...] = (
    "Garcia",
    "Thompson",
    "Okafor",
    "Schneider",
    "Rossi",
    "Walker",
    "Dubois",
    "Bennett",
)
LAST += ("Novak", "Fischer", "Harrison", "Moreau", "Sullivan", "Jensen", "Lindqvist", "Carter")
STREETS = ("Baker", "Maple", "Station", "Church", "Victoria", "Willow", "Highfield", "Kingsley")
SUFFIXES = ("Street", "Road", "Avenue", "Lane", "Drive")
GERMAN = ("Haupt", "Bahnhof", "Linden", "Garten", "Schiller", "Goethe")
FRENCH = ("Rivoli", "Lafayette", "Voltaire", "Pasteur", "Monge")
DOMAINS = ("example.com", "example.org", "mail.example.net", "corp.example.co.uk")
BENIGN = (
    "Thank you for your order",
    "Quality inspection passed",
    "Handle with care",
    "Delivery window morning",
    "Total weight twelve kilograms",
    "Store in a cool dry place",
    "Assembly instructions inside",
    "Keep this side upright",
    "Warehouse section green",
    "Return within thirty days",
    "Fragile glass contents",
    "Printed on recycled paper",
)
LABELS = {
    "EMAIL_ADDRESS": ("Email:", "Mail", "Contact:"),
    "PHONE_NUMBER": ("Tel", "Phone:", "Call"),
    "CREDIT_CARD": ("Card", "Card no.", "Paid with"),
    "IBAN_CODE": ("IBAN", "Account:", "Bank"),
    "PERSON": ("Name:", "Signed", "Attn:"),
    "STREET_ADDRESS": ("Address:", "Ship to", "Deliver to"),
    "LICENSE_PLATE": ("Plate", "Vehicle", "Reg."),
}


@dataclass
class TextLine:
    """One drawn line: its entity type (``BENIGN`` for none), full text and the value."""

    kind: str
    text: str
    value: str


@dataclass
class PiiImage:
    """One benchmark image and what is written in it."""

    split: str
    index: int
    pixels: RGB
    lines: list[TextLine] = field(default_factory=list)
    font: str = ""
    size: int = 0
    angle: float = 0.0
    contrast: str = ""
    text_box: tuple[int, int, int, int] = (0, 0, 0, 0)  # x0, y0, x1, y1 of all the ink

    @property
    def key(self) -> str:
        return f"{self.index:03d}"

    def sha256(self) -> str:
        digest = hashlib.sha256(repr(self.pixels.shape).encode())
        digest.update(np.ascontiguousarray(self.pixels).tobytes())
        return digest.hexdigest()


# --- values ----------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _digits(rng: np.random.Generator, count: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, size=count))


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the Luhn check digit."""
    total = 0
    for i, char in enumerate(reversed(prefix)):
        digit = int(char)
        if i % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return prefix + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    """A checksum-valid IBAN for ``country`` and ``bban``."""
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


def _grouped(value: str, size: int = 4) -> str:
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


def make_value(kind: str, rng: np.random.Generator) -> str:
    """A made-up value of entity type ``kind``."""
    if kind == "EMAIL_ADDRESS":
        first, last = _pick(rng, FIRST).lower(), _pick(rng, LAST).lower()
        local = _pick(
            rng, (f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{rng.integers(10, 99)}")
        )
        return f"{local}@{_pick(rng, DOMAINS)}"
    if kind == "PHONE_NUMBER":
        form = int(rng.integers(5))
        if form == 0:
            return f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}"
        if form == 1:
            return f"({rng.integers(201, 989)}) {rng.integers(200, 999)}-{_digits(rng, 4)}"
        if form == 2:
            return f"{rng.integers(201, 989)}-{rng.integers(200, 999)}-{_digits(rng, 4)}"
        if form == 3:
            return f"+49 30 {_digits(rng, 7)}"
        return f"+33 6 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}"
    if kind == "CREDIT_CARD":
        if rng.random() < 0.2:
            number = luhn_complete("37" + _digits(rng, 12))
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        prefix = _pick(rng, ("4", "51", "52", "55"))
        number = luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
        return _grouped(number) if rng.random() < 0.8 else number
    if kind == "IBAN_CODE":
        country = _pick(rng, ("DE", "GB", "FR", "NL"))
        if country == "DE":
            bban = _digits(rng, 18)
        elif country == "GB":
            bban = _pick(rng, ("NWBK", "BARC", "LOYD")) + _digits(rng, 14)
        elif country == "FR":
            bban = _digits(rng, 23)
        else:
            bban = _pick(rng, ("ABNA", "RABO", "INGB")) + _digits(rng, 10)
        return _grouped(iban(country, bban))
    if kind == "PERSON":
        return f"{_pick(rng, FIRST)} {_pick(rng, LAST)}"
    if kind == "STREET_ADDRESS":
        form = int(rng.integers(3))
        if form == 0:
            return f"{rng.integers(1, 300)} {_pick(rng, STREETS)} {_pick(rng, SUFFIXES)}"
        if form == 1:
            return f"{_pick(rng, GERMAN)}straße {rng.integers(1, 120)}"
        return f"{rng.integers(1, 90)} rue {_pick(rng, FRENCH)}"
    if kind == "LICENSE_PLATE":
        letters = "ABCDEFGHJKLMNPRSTVWXYZ"

        def pick_letters(n: int) -> str:
            return "".join(letters[int(i)] for i in rng.integers(len(letters), size=n))

        form = int(rng.integers(4))
        if form == 0:
            return f"{pick_letters(2)}{_digits(rng, 2)} {pick_letters(3)}"
        if form == 1:
            return f"{pick_letters(2)}-{_digits(rng, 3)}-{pick_letters(2)}"
        if form == 2:
            return f"{pick_letters(1)}-{pick_letters(2)} {rng.integers(10, 9999)}"
        return f"{pick_letters(3)} {_digits(rng, 4)}"
    raise ValueError(kind)


# --- drawing ---------------------------------------------------------------------------------


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if name == "pil-default" or not (FONT_DIR / name).is_file():
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(FONT_DIR / name), size)


@functools.cache
def _photos() -> tuple[RGB, ...]:
    from skimage import data as skdata

    def rgb(image: Any) -> RGB:
        array = np.asarray(image)
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        return np.ascontiguousarray(cv2.resize(array[:, :, :3], CANVAS), dtype=np.uint8)

    return (
        rgb(skdata.coffee()),
        rgb(skdata.rocket()),
        rgb(skdata.brick()),
        rgb(skdata.chelsea()),
        rgb(skdata.gravel()),
    )


def _background_and_ink(
    contrast: str, rng: np.random.Generator
) -> tuple[Image.Image, tuple[int, ...]]:
    width, height = CANVAS
    if contrast == "dark_on_light":
        paper = tuple(int(v) for v in rng.integers(215, 256, size=3))
        return Image.new("RGB", CANVAS, paper), tuple(int(v) for v in rng.integers(0, 60, size=3))
    if contrast == "light_on_dark":
        paper = tuple(int(v) for v in rng.integers(0, 70, size=3))
        return Image.new("RGB", CANVAS, paper), tuple(
            int(v) for v in rng.integers(210, 256, size=3)
        )
    if contrast == "low_contrast":
        base = int(rng.integers(120, 200))
        gradient = np.linspace(base - 15, base + 15, width, dtype=np.float32)[None, :, None]
        ramp = np.broadcast_to(gradient, (height, width, 3)).astype(np.uint8)
        ink = base - int(rng.integers(60, 80))
        return Image.fromarray(np.ascontiguousarray(ramp)), (ink, ink, ink)
    photo = _photos()[int(rng.integers(len(_photos())))]
    return Image.fromarray(photo), (255, 255, 255) if rng.random() < 0.5 else (0, 0, 0)


def _seed(split: str, index: int) -> int:
    return (SPLITS[split] * 7919 + zlib.crc32(f"pii/{index}".encode())) % 2**63


def make_image(split: str, index: int) -> PiiImage:
    """Image ``index`` of ``split`` (deterministic)."""
    rng = np.random.default_rng(_seed(split, index))
    font_name = _pick(rng, ("pil-default", *FONT_FILES))
    size = int(rng.choice((12, 14, 16, 20, 24, 28, 32, 40)))
    angle = float(rng.choice(ANGLES))
    contrast = _pick(rng, CONTRASTS)
    background, ink = _background_and_ink(contrast, rng)
    lines: list[TextLine] = []
    kinds = list(rng.choice(ENTITY_TYPES, size=int(rng.integers(1, 4)), replace=False))
    kinds += ["BENIGN"] * int(rng.integers(1, 3))
    for kind in rng.permutation(kinds):
        if kind == "BENIGN":
            text = _pick(rng, BENIGN)
            lines.append(TextLine("BENIGN", text, text))
            continue
        value = make_value(str(kind), rng)
        label = _pick(rng, LABELS[str(kind)]) if rng.random() < 0.6 else ""
        lines.append(TextLine(str(kind), f"{label} {value}".strip(), value))
    layer = Image.new("L", CANVAS, 0)
    draw = ImageDraw.Draw(layer)
    typeface = _font(font_name, size)
    line_height = round(size * float(rng.uniform(1.5, 2.0)))
    block_height = line_height * len(lines)
    x0 = int(rng.integers(20, 120))
    y0 = int(rng.integers(20, max(21, CANVAS[1] - block_height - 20)))
    for i, line in enumerate(lines):
        draw.text((x0, y0 + i * line_height), line.text, fill=255, font=typeface)
    if angle:
        centre = (x0 + 150, y0 + block_height // 2)
        layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, center=centre)
    ink_layer = Image.new("RGB", CANVAS, ink)
    pixels = Image.composite(ink_layer, background.convert("RGB"), layer)
    return PiiImage(
        text_box=layer.getbbox() or (0, 0, *CANVAS),
        split=split,
        index=index,
        pixels=np.asarray(pixels, dtype=np.uint8),
        lines=lines,
        font=font_name,
        size=size,
        angle=angle,
        contrast=contrast,
    )


def iter_split(split: str, count: int = IMAGES_PER_SPLIT) -> Any:
    """Every image of ``split``."""
    for index in range(count):
        yield make_image(split, index)


def split_manifest(split: str) -> dict[str, Any]:
    """Per-image hash and ground truth of ``split``."""
    images = {}
    for image in iter_split(split):
        images[image.key] = {
            "sha256": image.sha256(),
            "fingerprint": fingerprint(image.pixels),
            "font": image.font,
            "size": image.size,
            "angle": image.angle,
            "contrast": image.contrast,
            "lines": [[line.kind, line.text] for line in image.lines],
        }
    return {"split": split, "seed": SPLITS[split], "canvas": list(CANVAS), "images": images}
