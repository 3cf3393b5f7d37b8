"""Per-stage cost of the privacy filters per image, at 640 px and 1920 px.

    .venv/bin/python -m bench.filters                 # table on stdout
    .venv/bin/python -m bench.filters --repeats 5 --markdown out.md

Images (generated or bundled, long side scaled to 640 and 1920 px): a photo with neither
faces nor text (the cat), a photo with a face (the astronaut), a photo with a card of
personal data written on it, and a face-benchmark crowd scene. Each is filtered
``--repeats`` times by ``filter_image`` after a warm-up; the table shows the median of the
stage timings the filters record in their manifest. Also: presidio on short texts (median
per text). Threads: the filters' defaults (``CLIPGUARD_FILTER_THREADS``, 1 unless set).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

STAGES = ("decode", "metadata", "faces", "obscure", "text_gate", "ocr", "text_pii", "encode")
SIZES = (640, 1920)
SHORT_TEXTS = (
    "a photo of a red bicycle",
    "Contact John Smith about the order",
    "mail jane.doe@example.com today",
    "call +44 20 7946 0958",
    "quality inspection of welded seams",
    "card 4111 1111 1111 1111",
    "a person riding a bike in the park",
    "she lives at 42 Baker Street",
)


def _resized(rgb: NDArray[np.uint8], side: int) -> NDArray[np.uint8]:
    height, width = rgb.shape[:2]
    scale = side / max(height, width)
    size = (round(width * scale), round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=interpolation))


def _text_card(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    image = Image.fromarray(rgb)
    draw = ImageDraw.Draw(image)
    size = max(14, image.width // 36)
    path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = ImageFont.truetype(str(path), size) if path.is_file() else ImageFont.load_default(size)
    lines = ["Mail: jane.doe@example.com", "Call 555-123-4567", "Signed Maria Garcia"]
    line_height = int(size * 1.6)
    draw.rectangle([16, 16, 40 + size * 16, 32 + line_height * len(lines)], fill="white")
    for i, line in enumerate(lines):
        draw.text((28, 24 + i * line_height), line, fill="black", font=font)
    return np.asarray(image, dtype=np.uint8)


def sample_images(side: int) -> dict[str, bytes]:
    """The benchmark images at long side ``side``, JPEG-encoded (quality 90)."""
    from skimage import data as skdata

    from bench.faces.generate import make_image

    images = {
        "no face, no text (cat)": _resized(skdata.chelsea(), side),
        "one face (astronaut)": _resized(skdata.astronaut(), side),
        "text card with PII": _text_card(_resized(skdata.coffee(), side)),
        "crowd, 12 small faces": _resized(make_image("tune", "crowd", 0).pixels, side),
    }
    encoded = {}
    for name, rgb in images.items():
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(buffer, format="JPEG", quality=90)
        encoded[name] = buffer.getvalue()
    return encoded


def stage_times(data: bytes, repeats: int) -> dict[str, float]:
    """Median ms per stage over ``repeats`` runs of the filters."""
    from inference.filters import filter_image

    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        outcome = filter_image(data)
        if outcome.status != "ok":
            raise SystemExit(f"benchmark image quarantined: {outcome.reason}")
        for stage, ms in outcome.manifest["timings_ms"].items():
            samples.setdefault(stage, []).append(float(ms))
    return {stage: statistics.median(values) for stage, values in samples.items()}


def pii_ms_per_text(repeats: int) -> float:
    """Median ms of ``find_pii`` per short text (engine already loaded)."""
    from inference.filters import find_pii

    find_pii("warm up John Smith")
    times = []
    for _ in range(repeats):
        for text in SHORT_TEXTS:
            began = time.perf_counter()
            find_pii(text)
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def table(repeats: int) -> str:
    """The markdown table of per-stage medians."""
    from inference.filters import filter_image

    filter_image(sample_images(640)["one face (astronaut)"])  # load every model once
    header = "| image | px | " + " | ".join(STAGES) + " | total |"
    lines = [header, "|" + "---|" * (len(STAGES) + 3)]
    for side in SIZES:
        for name, data in sample_images(side).items():
            times = stage_times(data, repeats)
            cells = [f"{times[s]:.0f}" if s in times else "skipped" for s in STAGES]
            lines.append(f"| {name} | {side} | " + " | ".join(cells) + f" | {times['total']:.0f} |")
    lines.append("")
    lines.append(
        f"presidio on a short text (median of {len(SHORT_TEXTS) * repeats}): "
        f"{pii_ms_per_text(repeats):.1f} ms"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.filters", description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    text = table(args.repeats)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"ms per image, median of {args.repeats}; {os.cpu_count()} CPUs, load {load:.1f}\n")
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
