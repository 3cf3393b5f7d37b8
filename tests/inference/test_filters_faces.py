"""Faces: found by the real detectors (also small ones), irreversibly obscured, fail closed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from inference.filters import filter_image
from inference.filters.faces import (
    CenterFaceDetector,
    FaceBox,
    YuNetDetector,
    default_face_detectors,
    detect_faces,
)
from inference.filters.obscure import MAX_MOSAIC_BLOCKS, padded_box
from inference.filters.pipeline import FACE_IN_PEOPLE_FREE_DATASET
from tests.inference.conftest import composite_faces, encode

ASTRONAUT_FACE = (170, 40, 110, 140)  # x, y, w, h of the astronaut's face, by eye


def _face(entry: dict[str, Any]) -> FaceBox:
    """A manifest face entry as a FaceBox."""
    x, y, w, h = entry["box"]
    return FaceBox(x, y, w, h, score=entry["score"])


def _contains_centre(box: tuple[int, int, int, int], face: FaceBox) -> bool:
    cx, cy = face.x + face.w / 2, face.y + face.h / 2
    x, y, w, h = box
    return x <= cx <= x + w and y <= cy <= y + h


def _low_threshold_detectors() -> list[YuNetDetector | CenterFaceDetector]:
    """Both detectors at thresholds far below production ones, at 1x and 2x."""
    return [YuNetDetector(threshold=0.05), CenterFaceDetector(threshold=0.02)]


def _redetections(pixels: NDArray[np.uint8], box: tuple[int, int, int, int]) -> list[FaceBox]:
    return [f for f in detect_faces(pixels, _low_threshold_detectors()) if _contains_centre(box, f)]


@pytest.fixture(scope="module")
def astronaut_outcomes(astronaut_png: bytes) -> dict[str, object]:
    return {
        mode: filter_image(astronaut_png, obscure_mode=mode)
        for mode in ("fill", "pixelate", "blur")
    }


def test_each_detector_finds_the_astronaut(astronaut_png: bytes) -> None:
    from skimage import data as skdata

    pixels = skdata.astronaut()
    for detector in default_face_detectors():
        found = detect_faces(pixels, [detector])
        assert any(_contains_centre(ASTRONAUT_FACE, f) for f in found), detector.name


@pytest.mark.parametrize("mode", ["fill", "pixelate", "blur"])
def test_obscured_astronaut_is_not_redetected_at_low_thresholds(
    astronaut_outcomes: dict[str, object], mode: str
) -> None:
    outcome = astronaut_outcomes[mode]
    assert outcome.status == "ok", outcome.reason  # type: ignore[attr-defined]
    manifest = outcome.manifest  # type: ignore[attr-defined]
    assert any(_contains_centre(ASTRONAUT_FACE, _face(f)) for f in manifest["faces"])
    pixels = np.asarray(outcome.image.image)  # type: ignore[attr-defined]
    assert _redetections(pixels, ASTRONAUT_FACE) == []
    assert {"action": "faces_obscured", "count": len(manifest["faces"]), "mode": mode} in manifest[
        "actions"
    ]


def _face_region(outcome: object) -> NDArray[np.uint8]:
    manifest = outcome.manifest  # type: ignore[attr-defined]
    face = next(f for f in manifest["faces"] if _contains_centre(ASTRONAUT_FACE, _face(f)))
    x, y, w, h = face["box"]
    pixels = np.asarray(outcome.image.image)  # type: ignore[attr-defined]
    return pixels[y : y + h, x : x + w]


def test_fill_leaves_no_detail(astronaut_outcomes: dict[str, object]) -> None:
    region = _face_region(astronaut_outcomes["fill"]).astype(np.float64)
    assert region.var(axis=(0, 1)).max() == pytest.approx(0.0)


def test_pixelate_has_at_most_six_blocks_across_the_face(
    astronaut_outcomes: dict[str, object],
) -> None:
    outcome = astronaut_outcomes["pixelate"]
    face = next(
        f
        for f in outcome.manifest["faces"]  # type: ignore[attr-defined]
        if _contains_centre(ASTRONAUT_FACE, _face(f))
    )
    pixels = np.asarray(outcome.image.image)  # type: ignore[attr-defined]
    x, y, w, h = padded_box(tuple(face["box"]), pixels.shape[1], pixels.shape[0])
    for row in (y + h // 4, y + h // 2, y + 3 * h // 4):
        line = pixels[row, x : x + w].astype(int)
        runs = 1 + int(np.any(np.diff(line, axis=0) != 0, axis=1).sum())
        assert runs <= MAX_MOSAIC_BLOCKS


def test_blur_removes_the_face_detail(
    astronaut_outcomes: dict[str, object], astronaut_png: bytes
) -> None:
    from skimage import data as skdata

    blurred = _face_region(astronaut_outcomes["blur"]).astype(np.float64).mean(axis=2)
    face = next(
        f
        for f in astronaut_outcomes["blur"].manifest["faces"]  # type: ignore[attr-defined]
        if _contains_centre(ASTRONAUT_FACE, _face(f))
    )
    x, y, w, h = face["box"]
    original = skdata.astronaut()[y : y + h, x : x + w].astype(np.float64).mean(axis=2)
    # Structure (deviation from the mean) no longer correlates with the original face.
    a, b = original - original.mean(), blurred - blurred.mean()
    correlation = float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))
    assert abs(correlation) < 0.5


@pytest.mark.parametrize(("size", "min_found"), [(24, 6), (32, 7), (64, 8)])
def test_small_composited_faces_are_found_and_obscured(size: int, min_found: int) -> None:
    pixels, truth = composite_faces(size, count=8, seed=size)
    outcome = filter_image(encode(pixels))
    assert outcome.status == "ok", outcome.reason
    found = [_face(f) for f in outcome.manifest["faces"]]
    hits = [box for box in truth if any(_contains_centre(box, f) for f in found)]
    assert len(hits) >= min_found, f"{len(hits)}/8 faces of {size}px found"
    filtered = np.asarray(outcome.image.image)  # type: ignore[union-attr]
    again = detect_faces(filtered, _low_threshold_detectors())
    assert [f for f in again if any(_contains_centre(box, f) for box in hits)] == []


def test_face_in_dataset_declared_without_people_is_quarantined(astronaut_png: bytes) -> None:
    outcome = filter_image(astronaut_png, expect_people=False)
    assert outcome.status == "quarantined"
    assert outcome.reason == FACE_IN_PEOPLE_FREE_DATASET
    assert outcome.image is None
    assert outcome.manifest["faces"]


def test_photo_without_people_passes_when_declared_without_people(cat_photo_png: bytes) -> None:
    outcome = filter_image(cat_photo_png, expect_people=False)
    assert outcome.status == "ok", outcome.reason


class _BrokenDetector:
    """A detector that fails the way a corrupt model file or runtime would."""

    name: str = "broken"
    version: str = "test"
    threshold: float = 0.5
    scales: tuple[float, ...] = (1.0,)

    def detect(self, rgb: NDArray[np.uint8]) -> list[FaceBox]:
        raise RuntimeError("model file unreadable")


def test_a_failing_detector_quarantines_with_its_reason(astronaut_png: bytes) -> None:
    detectors = [*default_face_detectors(), _BrokenDetector()]
    outcome = filter_image(astronaut_png, face_detectors=detectors)
    assert outcome.status == "quarantined"
    assert outcome.image is None
    assert "face detector 'broken' failed" in outcome.reason
    assert "model file unreadable" in outcome.reason
    assert outcome.manifest["status"] == "quarantined"


def test_unknown_obscure_mode_is_quarantined(astronaut_png: bytes) -> None:
    outcome = filter_image(astronaut_png, obscure_mode="sunglasses")
    assert outcome.status == "quarantined"
    assert "unknown obscure mode" in outcome.reason


def _reference_merge(faces: list[FaceBox], overlap: float = 0.3) -> list[FaceBox]:
    """The merge rule written plainly: greedy by score, a box joins the first group holding
    a box it overlaps, unions merged again until none overlap."""
    from inference.filters.faces import _overlaps, _union

    groups: list[list[FaceBox]] = []
    for face in sorted(faces, key=lambda f: -f.score):
        for group in groups:
            if any(_overlaps(face, other, overlap) for other in group):
                group.append(face)
                break
        else:
            groups.append([face])
    merged = [_union(group) for group in groups]
    if len(merged) < len(faces) and len(merged) > 1:
        return _reference_merge(merged, overlap)
    return sorted(merged, key=lambda f: (f.y, f.x))


@pytest.mark.parametrize("seed", range(20))
def test_merge_boxes_matches_the_plain_rule(seed: int) -> None:
    """The hull shortcut in ``merge_boxes`` changes its speed, never its result: thousands of
    raw boxes clustered like a low-threshold detector's, merged both ways."""
    from inference.filters.faces import merge_boxes

    rng = np.random.default_rng(seed)
    boxes = []
    for _ in range(int(rng.integers(1, 12))):
        cx, cy, size = rng.uniform(0, 640), rng.uniform(0, 480), rng.uniform(8, 200)
        for _ in range(int(rng.integers(1, 200))):
            w = max(2, int(size * rng.uniform(0.6, 1.4)))
            h = max(2, int(w * rng.uniform(0.8, 1.6)))
            x = int(cx + rng.normal(0, size / 3) - w / 2)
            y = int(cy + rng.normal(0, size / 3) - h / 2)
            score = round(float(rng.uniform(0.05, 1.0)), 3)
            boxes.append(FaceBox(x, y, w, h, score, (str(rng.choice(["yunet", "centerface"])),)))
    assert merge_boxes(boxes) == _reference_merge(boxes)
