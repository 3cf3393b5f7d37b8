"""Safe decoding of uploaded images: format allow-list, size and pixel caps, full verify.

Nothing here trusts a file name or a declared content type: the format is judged from the
bytes. The pixel cap is checked from the header before any pixel is decoded, so a
decompression bomb (a huge image that is small on disk) is refused without being expanded.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFile, ImageOps

from inference.filters.metadata import metadata_kinds

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

# Magic bytes of the formats we accept, and the name PIL gives each.
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
_ORIENTATION_TAG = 0x0112


class ImageRejected(Exception):
    """An upload that is not a safe, supported, intact still image; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class UploadInfo:
    """What a cheap inspection of an accepted upload learned about it."""

    format: str
    width: int
    height: int
    sha256: str
    byte_size: int


def upload_limits(max_bytes: int | None = None, max_pixels: int | None = None) -> tuple[int, int]:
    """The byte and pixel caps: explicit values, else Django settings, else the defaults."""
    return (
        max_bytes if max_bytes is not None else _setting("CLIPGUARD_MAX_UPLOAD_BYTES"),
        max_pixels if max_pixels is not None else _setting("CLIPGUARD_MAX_IMAGE_PIXELS"),
    )


def _setting(name: str) -> int:
    defaults = {
        "CLIPGUARD_MAX_UPLOAD_BYTES": DEFAULT_MAX_UPLOAD_BYTES,
        "CLIPGUARD_MAX_IMAGE_PIXELS": DEFAULT_MAX_IMAGE_PIXELS,
    }
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, name, defaults[name]))
    except ImportError:
        pass
    return defaults[name]


def sniff_format(data: bytes) -> str | None:
    """The allowed format the leading bytes announce (``JPEG``, ``PNG``, ``WEBP``), or None."""
    if data.startswith(_PNG_MAGIC):
        return "PNG"
    if data.startswith(_JPEG_MAGIC):
        return "JPEG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def inspect_upload(
    data: bytes, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> UploadInfo:
    """Check an upload before it is stored; raise ImageRejected with a clear reason if unsafe.

    Checks, in order: size cap, magic-byte format allow-list, pixel cap read from the header
    (before decoding), no animation, and a full verify and decode under the cap.
    """
    byte_cap, pixel_cap = upload_limits(max_bytes, max_pixels)
    _check_byte_size(data, byte_cap)
    declared = sniff_format(data)
    if declared is None:
        raise ImageRejected("not a supported image: only JPEG, PNG and WebP files are accepted")
    width, height = _checked_header(data, declared, pixel_cap)
    _verify_structure(data)
    _decode_pixels(data)
    return UploadInfo(
        format=declared,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
    )


@dataclass(frozen=True)
class DecodedUpload:
    """A safely decoded upload: upright 8-bit RGB pixels plus what the source carried."""

    image: Image.Image
    info: UploadInfo
    metadata_kinds: list[str]
    orientation: int


def decode_upload(
    data: bytes, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> DecodedUpload:
    """Decode an upload safely into upright RGB (EXIF orientation applied, alpha on white).

    The image may still carry the source's metadata in ``info``; strip it with
    :func:`inference.filters.metadata.strip_metadata`.
    """
    info = inspect_upload(data, max_bytes=max_bytes, max_pixels=max_pixels)
    image = _decode_pixels(data)
    kinds = metadata_kinds(image)
    orientation = _orientation(image)
    upright = _apply_orientation(image)
    return DecodedUpload(
        image=to_rgb(upright), info=info, metadata_kinds=kinds, orientation=orientation
    )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION_TAG, 1))
    except Exception as exc:
        raise ImageRejected(f"the image's EXIF block is unreadable ({_short(exc)})") from exc


def _check_byte_size(data: bytes, byte_cap: int) -> None:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImageRejected("the upload is not binary data")
    if len(data) == 0:
        raise ImageRejected("the file is empty")
    if len(data) > byte_cap:
        raise ImageRejected(f"the file is {len(data)} bytes; the limit is {byte_cap} bytes")


def _open(data: bytes) -> Image.Image:
    """Open lazily (header only); PIL's own bomb guard turned into a rejection."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"the image has too many pixels (decompression bomb?): {exc}") from exc
    except Exception as exc:
        raise ImageRejected(f"the file is not a readable image ({_short(exc)})") from exc


def _checked_header(data: bytes, declared: str, pixel_cap: int) -> tuple[int, int]:
    image = _open(data)
    if image.format != declared:
        raise ImageRejected(
            f"the content is not a valid {declared} image (reads as {image.format or 'unknown'})"
        )
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected("the image has no pixels")
    if width * height > pixel_cap:
        raise ImageRejected(
            f"the image is {width}x{height} = {width * height} pixels; "
            f"the limit is {pixel_cap} pixels"
        )
    if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
        raise ImageRejected("animated images are not accepted; upload a single still image")
    return width, height


def _verify_structure(data: bytes) -> None:
    """PIL's structural verify (chunk CRCs for PNG); it consumes the image object."""
    try:
        _open(data).verify()
    except ImageRejected:
        raise
    except Exception as exc:
        raise ImageRejected(f"the image file is corrupt ({_short(exc)})") from exc


def _decode_pixels(data: bytes) -> Image.Image:
    """Decode every pixel; a truncated or corrupt stream is refused, never padded."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImageRejected("image decoding is misconfigured to accept truncated files")
    image = _open(data)
    try:
        image.load()
    except Exception as exc:
        raise ImageRejected(f"the image file is truncated or corrupt ({_short(exc)})") from exc
    return image


def _apply_orientation(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception as exc:
        raise ImageRejected(f"the image's orientation tag is unreadable ({_short(exc)})") from exc


def to_rgb(image: Image.Image) -> Image.Image:
    """Any decoded mode as 8-bit RGB: alpha flattened on white, 16-bit scaled, CMYK converted."""
    if image.mode in {"I;16", "I;16B", "I;16L", "I", "F"}:
        image = _high_depth_to_l(image)
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in {"RGBA", "LA", "PA", "RGBa", "La"}:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


def _high_depth_to_l(image: Image.Image) -> Image.Image:
    """16/32-bit integer or float greyscale as 8-bit: integers span 0..65535, floats 0..1."""
    values = np.asarray(image, dtype=np.float64)
    if image.mode == "F":
        scaled = values * 255.0 if values.max(initial=0.0) <= 1.0 else values
    else:
        scaled = values / 257.0
    return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8))


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
