"""Malformed input never escapes as an unexpected exception from the filter entry points.

The default tier runs a few hundred generated inputs; the slow tier runs thousands.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from inference.filters import ImageRejected, filter_image, find_pii, inspect_upload, redact_text
from tests.inference.test_filters_decode import _png_header_only


def _tiny(fmt: str, mode: str = "RGB", side: int = 40) -> bytes:
    pixels = (np.arange(side * side * 3) % 253).astype(np.uint8).reshape(side, side, 3)
    image = Image.fromarray(pixels)
    if mode == "I;16":
        image = Image.fromarray(pixels[:, :, 0].astype(np.uint16) * 257)
    elif mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


SEEDS = [
    _tiny("PNG"),
    _tiny("JPEG"),
    _tiny("WEBP"),
    _tiny("JPEG", "CMYK"),
    _tiny("PNG", "RGBA"),
    _tiny("PNG", "P"),
    _tiny("PNG", "I;16"),
    _tiny("PNG", "LA"),
]


def _with_png_size(data: bytes, width: int, height: int) -> bytes:
    """A PNG whose IHDR claims another size (CRC fixed, so only the size lies)."""
    if not data.startswith(b"\x89PNG") or len(data) < 33:
        return data
    body = struct.pack(">II", width, height) + data[24:29]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + body))
    return data[:16] + body + crc + data[33:]


@st.composite
def malformed(draw: st.DrawFn) -> bytes:
    """Random bytes; or a valid small image with bytes flipped, cut, spliced or resized."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    if choice == 1:
        sizes = st.sampled_from([0, 1, 31, 32, 65_535, 20_000, 2**31 - 1, 2**32 - 1])
        return _with_png_size(bytes(data), draw(sizes), draw(sizes))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(data)))
    return bytes(data[:cut]) + draw(st.binary(max_size=64))


def _rejection_reason(data: bytes) -> str | None:
    """None when ``inspect_upload`` accepts the bytes, else its rejection reason."""
    try:
        inspect_upload(data)
    except ImageRejected as exc:
        return exc.reason
    return None


def _check(data: bytes) -> None:
    reason = _rejection_reason(data)
    assert reason is None or reason
    outcome = filter_image(data)
    assert outcome.status in {"ok", "quarantined"}
    assert outcome.reason
    if outcome.status == "quarantined":
        assert outcome.image is None
        assert not outcome.reason.startswith("internal filter error"), outcome.reason
    else:
        assert reason is None
        assert outcome.image is not None


_QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_THOROUGH = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_QUICK
@given(malformed())
def test_malformed_bytes_only_ever_reject_or_quarantine(data: bytes) -> None:
    _check(data)


@pytest.mark.slow
@_THOROUGH
@given(malformed())
def test_thousands_of_malformed_inputs_only_ever_reject_or_quarantine(data: bytes) -> None:
    _check(data)


def _check_text(text: str) -> None:
    hits = find_pii(text)
    assert all(0 <= h.start < h.end <= len(text) for h in hits)
    assert isinstance(redact_text(text).text, str)


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=120))
def test_any_text_is_screened_without_error(text: str) -> None:
    _check_text(text)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=400))
def test_a_thousand_texts_are_screened_without_error(text: str) -> None:
    _check_text(text)


def test_every_seed_is_accepted_and_filtered() -> None:
    for data in SEEDS:
        outcome = filter_image(data)
        assert outcome.status == "ok", outcome.reason


def test_a_bad_input_does_not_disturb_the_next_good_one() -> None:
    """One worker process filters a stream mixing bad inputs and good ones."""
    bomb = _png_header_only(20000, 20000)
    stream = [b"", SEEDS[0][:50], bomb, b"%PDF-1.7\n", SEEDS[1], SEEDS[3]]
    statuses = [filter_image(data).status for data in stream]
    assert statuses == ["quarantined"] * 4 + ["ok", "ok"]
