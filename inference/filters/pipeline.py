"""The privacy filter pipeline for one image: decode, strip, obscure faces, redact text.

``filter_image`` never raises on bad input or a failing detector: it returns an outcome
whose status is ``quarantined`` with a reason that says which stage failed and why.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from inference.filters import faces as face_detection
from inference.filters import obscure, text_in_image
from inference.filters.decode import ImageRejected, decode_upload
from inference.filters.filtered_image import FilteredImage, encode_png
from inference.filters.manifest import new_manifest
from inference.filters.metadata import strip_metadata
from inference.filters.text_pii import EntityHit, find_pii
from inference.filters.version import FILTER_VERSION, filter_config

FACE_IN_PEOPLE_FREE_DATASET = "face found in a dataset declared without people"
UNSURE_POLICIES = ("quarantine", "obscure_image")
TEXT_REDACTION_PADDING = 0.2  # of the word's height, on every side

T = TypeVar("T")


class FilterTimeout(Exception):
    """The pipeline ran past its time limit."""


@dataclass(frozen=True)
class FilterOutcome:
    """Result of filtering one image: ``ok`` with a FilteredImage, or ``quarantined``."""

    status: Literal["ok", "quarantined"]
    reason: str
    manifest: dict[str, Any]
    image: FilteredImage | None


class _Run:
    """One pipeline run: its manifest, its clock and its deadline."""

    def __init__(self, manifest: dict[str, Any], time_limit_s: float | None) -> None:
        self.manifest = manifest
        self.started = time.monotonic()
        self.deadline = None if time_limit_s is None else self.started + time_limit_s

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Times a stage into ``timings_ms`` and enforces the deadline after it."""
        began = time.perf_counter()
        try:
            yield
        finally:
            self.manifest["timings_ms"][name] = round((time.perf_counter() - began) * 1000, 1)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise FilterTimeout(f"the filters ran past their time limit (during {name})")

    def act(self, action: str, **details: Any) -> None:
        """Records one action the filters took."""
        self.manifest["actions"].append({"action": action, **details})


def filter_image(
    data: bytes,
    *,
    expect_people: bool = True,
    obscure_mode: str = "fill",
    face_detectors: Sequence[face_detection.FaceDetector] | None = None,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    time_limit_s: float | None = None,
    when_unsure: str = "quarantine",
) -> FilterOutcome:
    """Filter one uploaded image; never raises on bad images or detector errors.

    ``face_detectors`` replaces the default detector union (a seam for tests and for
    deployments that add detectors). ``expect_people=False`` quarantines an image in which
    a confident face is found; uncertain detections are obscured either way.

    When the face detectors cannot judge the image — it is outside their working range, or
    they return a large box in the uncertain band that they cannot place — the image is
    quarantined (``when_unsure="quarantine"``, the default) or obscured whole
    (``when_unsure="obscure_image"``, where the job's policy allows); the manifest says why.
    """
    detectors = (
        face_detection.default_face_detectors() if face_detectors is None else face_detectors
    )
    manifest = new_manifest(
        filter_version=FILTER_VERSION,
        detectors=[*face_detection.describe_detectors(detectors), _ocr_description()],
        thresholds=filter_config(),
        expect_people=expect_people,
        obscure_mode=obscure_mode,
    )
    manifest["when_unsure"] = when_unsure
    run = _Run(manifest, time_limit_s)
    try:
        if when_unsure not in UNSURE_POLICIES:
            return _quarantine(run, f"unknown when_unsure policy {when_unsure!r}")
        return _run_stages(run, data, detectors, expect_people, obscure_mode, when_unsure)
    except ImageRejected as exc:
        return _quarantine(run, f"image rejected: {exc.reason}")
    except face_detection.FaceDetectionError as exc:
        return _quarantine(run, str(exc))
    except (FilterTimeout, face_detection.FaceDetectionTimeout) as exc:
        return _quarantine(run, str(exc))
    except _TextStageError as exc:
        return _quarantine(run, str(exc))
    except Exception as exc:
        return _quarantine(run, f"internal filter error: {type(exc).__name__}: {exc}")


def _run_stages(
    run: _Run,
    data: bytes,
    detectors: Sequence[face_detection.FaceDetector],
    expect_people: bool,
    obscure_mode: str,
    when_unsure: str,
) -> FilterOutcome:
    manifest = run.manifest
    if obscure_mode not in obscure.OBSCURE_MODES:
        return _quarantine(run, f"unknown obscure mode {obscure_mode!r}")
    if isinstance(data, bytes | bytearray | memoryview):
        manifest["input_sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    with run.stage("decode"):
        decoded = decode_upload(bytes(data) if isinstance(data, bytearray | memoryview) else data)
    _record_decode(run, decoded.info.format, decoded.image, decoded.orientation)
    with run.stage("metadata"):
        clean = strip_metadata(decoded.image)
        run.act("metadata_stripped", kinds=decoded.metadata_kinds)
        manifest["metadata_removed"] = decoded.metadata_kinds
    rgb = np.asarray(clean, dtype=np.uint8)
    height, width = rgb.shape[:2]
    out_of_range = face_detection.working_range_problem(width, height)
    if out_of_range is not None:
        return _unsure(
            run, rgb, f"outside the face detectors' working range: {out_of_range}", when_unsure
        )
    with run.stage("faces"):
        scan = face_detection.scan_faces(rgb, detectors, deadline=run.deadline)
        found = scan.faces
        manifest["faces"] = [face.as_manifest() for face in found]
        manifest["face_scan"] = {
            "upscale_shortfall": scan.upscale_shortfall,
            "smallest_reliable_face_px": scan.smallest_reliable_face_px,
            "unresolved": [face.as_manifest() for face in scan.unresolved],
        }
    if scan.unresolved:
        box = scan.unresolved[0]
        reason = (
            f"face detection unsure: a possible face covering {box.w}x{box.h} px scored "
            f"{box.score:.2f}, in the uncertain band "
            f"[{face_detection.UNCERTAIN_SCORE}, {face_detection.CONFIDENT_FACE_SCORE})"
        )
        return _unsure(run, rgb, reason, when_unsure)
    confident = [f for f in found if f.score >= face_detection.CONFIDENT_FACE_SCORE]
    if not expect_people and confident:
        return _quarantine(run, FACE_IN_PEOPLE_FREE_DATASET)
    with run.stage("obscure"):
        rgb = obscure.obscure_faces(rgb, [(f.x, f.y, f.w, f.h) for f in found], obscure_mode)
        if found:
            run.act("faces_obscured", count=len(found), mode=obscure_mode)
    rgb = _redact_text(run, rgb)
    return _finish(run, rgb)


def _unsure(run: _Run, rgb: NDArray[np.uint8], reason: str, when_unsure: str) -> FilterOutcome:
    """The detectors cannot judge the image: quarantine it, or obscure all of it."""
    if when_unsure == "quarantine":
        return _quarantine(run, reason)
    run.act("image_obscured", reason=reason)
    run.manifest["image_obscured"] = reason
    return _finish(run, np.full_like(rgb, obscure.FILL_RGB))


def _record_decode(run: _Run, image_format: str, image: Image.Image, orientation: int) -> None:
    run.manifest.update(
        input_format=image_format,
        width=image.width,
        height=image.height,
        orientation_applied=orientation,
    )
    run.act("decoded", format=image_format)
    if orientation != 1:
        run.act("orientation_applied", exif_orientation=orientation)


class _TextStageError(Exception):
    """OCR or PII analysis failed; the image cannot be judged."""


def _guarded(what: str, call: Callable[[], T]) -> T:
    try:
        return call()
    except Exception as exc:
        raise _TextStageError(f"{what} failed: {type(exc).__name__}: {exc}") from exc


def _redact_text(run: _Run, rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    manifest = run.manifest
    with run.stage("text_gate"):
        lines = text_in_image.detect_text_lines(rgb)
        manifest["text_gate"]["text_lines"] = len(lines)
    if not lines:
        run.act("ocr_skipped", reason="no text-like lines found")
        return rgb
    with run.stage("ocr"):
        regions = text_in_image.ocr_plan(rgb, lines)
        words = _guarded("text recognition (OCR)", lambda: text_in_image.read_words(rgb, regions))
        manifest["text_gate"].update(
            ocr_ran=True,
            ocr_regions=[list(r.box) for r in regions],
            ocr_deskew_degrees=[round(r.angle, 1) for r in regions],
        )
        run.act("ocr", regions=len(regions), words=len(words))
    with run.stage("text_pii"):
        text, spans = text_in_image.words_as_text(words)
        hits = _guarded("personal-data analysis", lambda: find_pii(text, profile="ocr"))
        chosen = text_in_image.words_in_spans(
            spans, [(h.start, h.end, h.type) for h in hits], words
        )
    for entity_type, count in _entity_counts(hits, spans, words, regions).items():
        manifest["entities"][entity_type] = manifest["entities"].get(entity_type, 0) + count
    height, width = rgb.shape[:2]
    boxes = [
        obscure.grown_box(words[i].box, width, height, TEXT_REDACTION_PADDING)
        for i in sorted(chosen)
    ]
    manifest["text_regions"] = [{"box": list(box)} for box in boxes]
    if boxes:
        run.act("text_redacted", regions=len(boxes), entities=sum(manifest["entities"].values()))
    return obscure.fill_boxes(rgb, boxes)


def _entity_counts(
    hits: list[EntityHit],
    spans: list[tuple[int, int]],
    words: list[text_in_image.OcrWord],
    regions: list[text_in_image.OcrRegion],
) -> dict[str, int]:
    """Entities per type. When the whole page and some blocks were both read, the same text
    may be read twice: each type counts as often as the reading that found it most."""
    by_reading: dict[bool, dict[str, int]] = {True: {}, False: {}}
    for hit in hits:
        first = next((i for i, (s, e) in enumerate(spans) if s < hit.end and hit.start < e), None)
        full_page = first is not None and regions[words[first].line[0]].full_page
        counts = by_reading[full_page]
        counts[hit.type] = counts.get(hit.type, 0) + 1
    types = set(by_reading[True]) | set(by_reading[False])
    return {t: max(by_reading[True].get(t, 0), by_reading[False].get(t, 0)) for t in types}


def _finish(run: _Run, rgb: NDArray[np.uint8]) -> FilterOutcome:
    with run.stage("encode"):
        png = encode_png(Image.fromarray(np.ascontiguousarray(rgb)))
    manifest = run.manifest
    manifest["output_sha256"] = hashlib.sha256(png).hexdigest()
    manifest["status"] = "ok"
    manifest["reason"] = _ok_reason(manifest)
    manifest["timings_ms"]["total"] = round((time.monotonic() - run.started) * 1000, 1)
    image = FilteredImage._from_pipeline(png, manifest)
    return FilterOutcome(status="ok", reason=manifest["reason"], manifest=manifest, image=image)


def _ok_reason(manifest: dict[str, Any]) -> str:
    if manifest.get("image_obscured"):
        return f"filtered: the whole image obscured ({manifest['image_obscured']})"
    return (
        f"filtered: {len(manifest['faces'])} face(s) obscured, "
        f"{len(manifest['text_regions'])} text region(s) redacted"
    )


def _quarantine(run: _Run, reason: str) -> FilterOutcome:
    manifest = run.manifest
    manifest["status"] = "quarantined"
    manifest["reason"] = reason
    manifest["output_sha256"] = None
    manifest["timings_ms"]["total"] = round((time.monotonic() - run.started) * 1000, 1)
    run.act("quarantined", reason=reason)
    return FilterOutcome(status="quarantined", reason=reason, manifest=manifest, image=None)


def _ocr_description() -> dict[str, Any]:
    try:
        version = text_in_image.tesseract_version()
    except Exception as exc:
        version = f"unavailable ({type(exc).__name__})"
    return {"name": "tesseract", "version": version, "purpose": "text in images"}
