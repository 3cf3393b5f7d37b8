"""Fail closed: errors, timeouts, images outside the working range and unresolved detections
quarantine the image (or, where the caller asks, obscure all of it), with the reason."""

from __future__ import annotations

import time

import numpy as np
import pytest
from numpy.typing import NDArray

from inference.filters import filter_image
from inference.filters.faces import (
    CONFIDENT_FACE_SCORE,
    UNCERTAIN_SCORE,
    FaceBox,
    FaceDetectionTimeout,
    scan_faces,
)
from inference.filters.obscure import FILL_RGB
from tests.inference.conftest import encode

PHOTO = (np.arange(96 * 128 * 3) % 241).astype(np.uint8).reshape(96, 128, 3)


class _FixedDetector:
    """Returns the same boxes for every image (at 1x only)."""

    name = "fixed"
    version = "test"
    threshold = 0.1
    scales: tuple[float, ...] = (1.0,)

    def __init__(self, boxes: list[FaceBox], delay_s: float = 0.0) -> None:
        self.boxes = boxes
        self.delay_s = delay_s

    def detect(self, rgb: NDArray[np.uint8]) -> list[FaceBox]:
        time.sleep(self.delay_s)
        return list(self.boxes)


def _large_box(score: float) -> FaceBox:
    return FaceBox(4, 4, 110, 84, score, ("fixed",))


def test_an_image_below_the_working_range_is_quarantined() -> None:
    outcome = filter_image(encode(PHOTO[:20, :20]))
    assert outcome.status == "quarantined"
    assert outcome.image is None
    assert outcome.reason.startswith("outside the face detectors' working range")
    assert "20x20" in outcome.manifest["reason"]


def test_an_extremely_elongated_image_is_quarantined() -> None:
    strip = np.tile(PHOTO[:40], (1, 8, 1))[:, :900]
    outcome = filter_image(encode(strip))
    assert outcome.status == "quarantined"
    assert "aspect ratio" in outcome.reason


def test_outside_the_working_range_can_obscure_the_whole_image_instead() -> None:
    outcome = filter_image(encode(PHOTO[:20, :20]), when_unsure="obscure_image")
    assert outcome.status == "ok", outcome.reason
    assert outcome.image is not None
    pixels = np.asarray(outcome.image.image)
    assert (pixels == FILL_RGB).all()
    assert "whole image obscured" in outcome.reason
    assert outcome.manifest["image_obscured"].startswith("outside the face detectors'")
    assert any(a["action"] == "image_obscured" for a in outcome.manifest["actions"])


def test_a_large_box_in_the_uncertain_band_quarantines() -> None:
    score = (UNCERTAIN_SCORE + CONFIDENT_FACE_SCORE) / 2
    outcome = filter_image(encode(PHOTO), face_detectors=[_FixedDetector([_large_box(score)])])
    assert outcome.status == "quarantined"
    assert outcome.reason.startswith("face detection unsure")
    assert outcome.manifest["face_scan"]["unresolved"][0]["score"] == pytest.approx(score)


def test_a_large_box_in_the_uncertain_band_can_obscure_the_whole_image() -> None:
    detector = _FixedDetector([_large_box(0.55)])
    outcome = filter_image(encode(PHOTO), face_detectors=[detector], when_unsure="obscure_image")
    assert outcome.status == "ok"
    assert outcome.image is not None
    assert (np.asarray(outcome.image.image) == FILL_RGB).all()


def test_a_large_box_below_the_band_is_a_known_artefact_and_dropped() -> None:
    outcome = filter_image(encode(PHOTO), face_detectors=[_FixedDetector([_large_box(0.45)])])
    assert outcome.status == "ok", outcome.reason
    assert outcome.manifest["faces"] == []
    assert outcome.manifest["face_scan"]["unresolved"] == []


def test_a_small_uncertain_detection_is_obscured_not_quarantined() -> None:
    box = FaceBox(30, 30, 20, 24, 0.2, ("fixed",))
    outcome = filter_image(encode(PHOTO), face_detectors=[_FixedDetector([box])])
    assert outcome.status == "ok", outcome.reason
    assert outcome.manifest["faces"][0]["box"] == [30, 30, 20, 24]
    assert outcome.image is not None
    assert (np.asarray(outcome.image.image)[35:50, 35:45] == FILL_RGB).all()


def test_face_detection_past_the_time_limit_quarantines() -> None:
    slow = _FixedDetector([], delay_s=0.3)
    outcome = filter_image(encode(PHOTO), face_detectors=[slow, slow], time_limit_s=0.1)
    assert outcome.status == "quarantined"
    assert outcome.image is None
    assert "time limit" in outcome.reason


def test_scan_faces_checks_the_deadline_between_passes() -> None:
    with pytest.raises(FaceDetectionTimeout):
        scan_faces(PHOTO, [_FixedDetector([])], deadline=time.monotonic() - 1)


def test_an_unknown_unsure_policy_quarantines() -> None:
    outcome = filter_image(encode(PHOTO), when_unsure="shrug")
    assert outcome.status == "quarantined"
    assert "when_unsure" in outcome.reason


def test_the_scan_reports_its_upscale_and_smallest_reliable_face() -> None:
    outcome = filter_image(encode(PHOTO))
    scan = outcome.manifest["face_scan"]
    assert scan["upscale_shortfall"] == pytest.approx(1.0)
    assert scan["smallest_reliable_face_px"] == 12


def test_a_big_photo_upscales_less_and_says_so() -> None:
    from inference.filters.faces import scan_faces

    big = np.zeros((2400, 3600, 3), dtype=np.uint8)
    scan = scan_faces(big, [_FixedDetector([])], deadline=None)
    assert scan.upscale_shortfall == pytest.approx(1.0)  # the fixed detector runs at 1x only
    wide = _FixedDetector([])
    wide.scales = (1.0, 2.0)
    scan = scan_faces(big, [wide])
    assert scan.upscale_shortfall < 0.6
    assert scan.smallest_reliable_face_px > 20
