"""Safe decoding: allow-listed formats only, caps before decoding, every bad input named."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

from inference.filters import ImageRejected, filter_image, inspect_upload
from inference.filters.decode import decode_upload
from tests.inference.conftest import encode

SMALL_RGB = (np.arange(48 * 64 * 3) % 251).astype(np.uint8).reshape(48, 64, 3)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a tiny compressed body (a bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row_bytes = width * 3 + 1
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(b"\x00" * row_bytes) for _ in range(64))
    body += compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_allowed_formats_are_accepted_with_their_size_and_hash(fmt: str) -> None:
    data = encode(SMALL_RGB, fmt)
    info = inspect_upload(data)
    assert (info.format, info.width, info.height, info.byte_size) == (fmt, 64, 48, len(data))
    assert len(info.sha256) == 64


BAD_INPUTS = {
    "zero bytes": (b"", "empty"),
    "random bytes": (
        bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)),
        "not a supported image",
    ),
    "text file": (b"name,email\nalice,alice@example.com\n", "not a supported image"),
    "GIF": (encode(SMALL_RGB, "GIF"), "not a supported image"),
    "BMP": (encode(SMALL_RGB, "BMP"), "not a supported image"),
    "truncated JPEG": (encode(skdata.astronaut(), "JPEG")[:5000], "truncated"),
    "truncated PNG": (encode(skdata.astronaut(), "PNG")[:20000], "corrupt"),
    "animated GIF": (_animated("GIF"), "not a supported image"),
    "animated WebP": (_animated("WEBP"), "animated"),
    "animated PNG": (_animated("PNG"), "animated"),
    "JPEG magic then junk": (b"\xff\xd8\xff" + b"\x00" * 500, "not a readable image"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_are_rejected_with_a_clear_reason(name: str) -> None:
    data, expected = BAD_INPUTS[name]
    with pytest.raises(ImageRejected) as caught:
        inspect_upload(data)
    assert expected in caught.value.reason


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_are_quarantined_by_the_pipeline_with_the_same_reason(name: str) -> None:
    data, expected = BAD_INPUTS[name]
    outcome = filter_image(data)
    assert outcome.status == "quarantined"
    assert outcome.image is None
    assert outcome.reason.startswith("image rejected:")
    assert expected in outcome.reason


def test_decompression_bomb_is_refused_from_the_header_before_decoding() -> None:
    bomb = _png_header_only(20000, 20000)
    assert len(bomb) < 200_000
    with pytest.raises(ImageRejected) as caught:
        inspect_upload(bomb, max_pixels=40_000_000)
    assert "pixels" in caught.value.reason


def test_caps_can_be_overridden_by_keyword() -> None:
    data = encode(SMALL_RGB, "PNG")
    with pytest.raises(ImageRejected, match="limit is 100 bytes"):
        inspect_upload(data, max_bytes=100)
    with pytest.raises(ImageRejected, match="limit is 1000 pixels"):
        inspect_upload(data, max_pixels=1000)


def test_wrong_extension_is_irrelevant_content_decides() -> None:
    png_named_jpg = encode(SMALL_RGB, "PNG")
    assert inspect_upload(png_named_jpg).format == "PNG"


def test_cmyk_jpeg_is_converted_to_rgb() -> None:
    cmyk = Image.fromarray(SMALL_RGB).convert("CMYK")
    decoded = decode_upload(encode(cmyk, "JPEG", quality=95))
    assert decoded.image.mode == "RGB"
    assert np.abs(np.asarray(decoded.image, dtype=int) - SMALL_RGB).mean() < 20


def test_sixteen_bit_png_is_scaled_to_eight_bits() -> None:
    ramp = (np.arange(64 * 48, dtype=np.uint32).reshape(48, 64) * 21).astype(np.uint16)
    data = encode(Image.fromarray(ramp), "PNG")
    decoded = decode_upload(data)
    pixels = np.asarray(decoded.image)
    assert decoded.image.mode == "RGB"
    assert pixels.max() == ramp.max() // 257
    assert pixels[..., 0].tolist() == pixels[..., 2].tolist()


def test_rgba_png_is_flattened_on_white() -> None:
    rgba = np.zeros((64, 64, 4), dtype=np.uint8)
    rgba[..., 0] = 255  # red, fully transparent on the left half
    rgba[:, 32:, 3] = 255
    outcome = filter_image(encode(rgba, "PNG"))
    assert outcome.status == "ok", outcome.reason
    assert outcome.image is not None
    pixels = np.asarray(outcome.image.image)
    assert pixels[0, 0].tolist() == [255, 255, 255]
    assert pixels[0, 63].tolist() == [255, 0, 0]


def test_palette_png_with_transparency_is_converted() -> None:
    image = Image.fromarray(SMALL_RGB).convert("P")
    image.info["transparency"] = 0
    outcome = filter_image(encode(image, "PNG"))
    assert outcome.status == "ok", outcome.reason
    assert outcome.image is not None
    assert outcome.image.image.mode == "RGB"
