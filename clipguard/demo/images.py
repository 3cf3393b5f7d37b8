"""Images the demo and the tests upload, generated on the spot (nothing downloaded)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from inference.reference_model import synthetic

SHAPE_SCENES: tuple[tuple[str, str, int], ...] = (
    ("red", "circle", 1),
    ("blue", "square", 2),
    ("yellow", "star", 1),
    ("green", "triangle", 3),
    ("orange", "heart", 1),
    ("black", "cross", 2),
)


@dataclass(frozen=True)
class DemoImage:
    name: str
    data: bytes
    truth: str = ""


def shape_label(colour: str, shape: str) -> str:
    """A zero-shot label in a wording the reference CLIP never saw in training."""
    article = "an" if colour[0] in "aeiou" else "a"
    return f"a photo of {article} {colour} {shape}"


def _encode(image: Image.Image, fmt: str = "PNG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def shape_images(*, seed: int = 7, size: int = 256) -> list[DemoImage]:
    """Coloured shapes the reference CLIP knows; ``truth`` is the colour and shape shown."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo pictures, not secrets
    images = []
    for colour, shape, count in SHAPE_SCENES:
        spec = synthetic.SceneSpec(
            colour=colour, shape=shape, count=count, size="large", background="plain"
        )
        image = synthetic.make_image(spec, size, rng)
        images.append(DemoImage(f"{colour}-{shape}.png", _encode(image), f"{colour} {shape}"))
    return images


def face_photo() -> DemoImage:
    """A real photograph with a face (public-domain NASA portrait shipped with scikit-image),
    saved as a JPEG carrying EXIF with GPS coordinates, as a phone would write it."""
    from skimage import data as skimage_data

    image = Image.fromarray(skimage_data.astronaut())
    exif = Image.Exif()
    exif[0x010F] = "DemoPhone"  # Make
    exif[0x0110] = "DemoPhone 12"  # Model
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    return DemoImage("store-visit.jpg", _encode(image, "JPEG", quality=92, exif=exif.tobytes()))


def personal_data_image(*, size: tuple[int, int] = (900, 320)) -> DemoImage:
    """A product sticker with personal data written on it (e-mail, phone number, name)."""
    image = Image.new("RGB", size, (250, 250, 245))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    lines = [
        "Returned item - contact:",
        "Jane Miller",
        "jane.miller@example.com",
        "+44 20 7946 0958",
    ]
    for index, line in enumerate(lines):
        draw.text((40, 30 + index * 66), line, fill=(20, 20, 20), font=font)
    noise = np.random.default_rng(3).normal(0, 3, (size[1], size[0], 3))
    arr = np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return DemoImage("returned-item-label.png", _encode(Image.fromarray(arr)))


def truncated_jpeg() -> DemoImage:
    """A JPEG cut off half way, as a broken upload would be."""
    data = shape_images()[0].data
    jpeg = _encode(Image.open(io.BytesIO(data)).convert("RGB"), "JPEG")
    return DemoImage("broken.jpg", jpeg[: len(jpeg) // 2])
