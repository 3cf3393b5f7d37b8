"""Face recall on simple LFW composites and per-stage cost on 640 px images (a smoke check).

Slow tier. The numbers in docs/filters.md come from the held-out benchmarks instead
(``python -m bench.faces``, ``python -m bench.pii_images``, ``python -m bench.filters``;
their floors are in test_filters_benchmarks.py). Rerun this one with::

    OMP_NUM_THREADS=1 .venv/bin/pytest tests/inference/test_filters_recall.py \
        -m slow -s -p no:randomly
"""

from __future__ import annotations

import statistics
from typing import Any

import numpy as np
import pytest
from skimage import data as skdata

from inference.filters import filter_image
from inference.filters.faces import FaceBox, default_face_detectors, detect_faces
from tests.inference.conftest import composite_faces, draw_text_card, encode, resize_long_side

SIZES_AND_FLOORS = {16: 0.4, 24: 0.75, 32: 0.85, 48: 0.9, 96: 0.95}
IMAGES_PER_SIZE = 6
FACES_PER_IMAGE = 4


def _found(truth: tuple[int, int, int, int], faces: list[FaceBox]) -> bool:
    x, y, w, h = truth
    cx, cy = x + w / 2, y + h / 2
    return any(f.x <= cx <= f.x + f.w and f.y <= cy <= f.y + f.h for f in faces)


@pytest.mark.slow
@pytest.mark.parametrize("size", sorted(SIZES_AND_FLOORS))
def test_face_recall_on_lfw_composites(size: int) -> None:
    detectors = default_face_detectors()
    per_detector = {d.name: 0 for d in detectors}
    union = total = 0
    for k in range(IMAGES_PER_SIZE):
        pixels, truth = composite_faces(
            size, FACES_PER_IMAGE, seed=1000 + 10 * size + k, first_face=k * FACES_PER_IMAGE
        )
        merged = detect_faces(pixels, detectors)
        union += sum(_found(box, merged) for box in truth)
        for detector in detectors:
            alone = detect_faces(pixels, [detector])
            per_detector[detector.name] += sum(_found(box, alone) for box in truth)
        total += len(truth)
    recall = union / total
    print(
        f"\nface {size:3d}px: union {union}/{total} = {recall:.2f}; "
        + ", ".join(f"{name} {hits}/{total}" for name, hits in per_detector.items())
    )
    assert recall >= SIZES_AND_FLOORS[size]


def _stage_times(data: bytes, runs: int = 3) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        manifest: dict[str, Any] = filter_image(data).manifest
        for stage, ms in manifest["timings_ms"].items():
            samples.setdefault(stage, []).append(ms)
    return {stage: statistics.median(values) for stage, values in samples.items()}


@pytest.mark.slow
def test_stage_costs_per_640px_image() -> None:
    filter_image(encode(np.zeros((32, 32, 3), dtype=np.uint8)))  # load models once
    photos = {
        "photo, no text, no face (chelsea)": encode(resize_long_side(skdata.chelsea(), 640)),
        "photo with a face (astronaut)": encode(resize_long_side(skdata.astronaut(), 640)),
        "photo with a text card": encode(
            draw_text_card(["Mail: jane.doe@example.com", "Call 555-123-4567"])
        ),
    }
    for name, data in photos.items():
        times = _stage_times(data)
        print(f"\n{name}: " + ", ".join(f"{k} {v:.0f} ms" for k, v in times.items()))
        assert times["total"] > 0
