"""Malformed bytes never escape as an unexpected exception from the filter entry points."""

from __future__ import annotations

import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from inference.filters import ImageRejected, filter_image, inspect_upload


def _tiny(fmt: str) -> bytes:
    pixels = (np.arange(24 * 24 * 3) % 253).astype(np.uint8).reshape(24, 24, 3)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=fmt)
    return buffer.getvalue()


SEEDS = [_tiny("PNG"), _tiny("JPEG"), _tiny("WEBP")]


@st.composite
def malformed(draw: st.DrawFn) -> bytes:
    """Random bytes, or a valid tiny image with bytes flipped, cut or spliced."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from(SEEDS)))
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed())
def test_malformed_bytes_only_ever_reject_or_quarantine(data: bytes) -> None:
    reason = _rejection_reason(data)
    assert reason is None or reason
    outcome = filter_image(data)
    assert outcome.status in {"ok", "quarantined"}
    assert outcome.reason
    if outcome.status == "quarantined":
        assert outcome.image is None
        assert not outcome.reason.startswith("internal filter error"), outcome.reason
