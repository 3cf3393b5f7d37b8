"""Face recall and false positives per condition, per detector pass and for production.

    .venv/bin/python -m bench.faces                      # held-out split, all rows
    .venv/bin/python -m bench.faces --split tune         # the split used while tuning
    .venv/bin/python -m bench.faces --markdown out.md    # also write the table
    .venv/bin/python -m bench.faces --freeze             # rewrite heldout.json (don't)

Rows: each detector alone at 1x and 2x, YuNet at 2.5x and at its production scales (1x
and 2.5x), CenterFace at 2.5x and at its production scales (1x and 2.5x), CenterFace on
the image rotated by +-45 degrees, and ``production``:
``scan_faces(rgb, default_face_detectors())``, the code the filters run, timed. A face
counts as caught when at least ``--coverage`` (default 0.8) of its quadrilateral lies
inside the obscured region (each detection padded as the filters pad it). A false
positive is a detection whose centre is in no face's box.
The held-out images are checked against ``heldout.json`` first (bench/frozen.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from bench.faces.generate import (
    CONDITIONS,
    HELDOUT_MANIFEST,
    NEGATIVE,
    BenchImage,
    iter_split,
    split_manifest,
)
from bench.frozen import check, rounding_note

Pass = Callable[[NDArray[np.uint8]], Any]


@dataclass
class Tally:
    """Counts for one (row, condition) cell."""

    faces: int = 0
    caught: int = 0
    images: int = 0
    false_positives: int = 0
    images_with_fp: int = 0
    unsure_images: int = 0
    ms: list[float] = field(default_factory=list)

    def recall(self) -> float:
        return self.caught / self.faces if self.faces else float("nan")


def _passes() -> dict[str, Pass]:
    from inference.filters.faces import (
        CenterFaceDetector,
        YuNetDetector,
        default_face_detectors,
        detect_faces,
        scan_faces,
    )

    def single(detector: object) -> Pass:
        return lambda rgb: detect_faces(rgb, [detector])  # type: ignore[list-item]

    production = default_face_detectors()
    return {
        "yunet 1x": single(YuNetDetector(scales=(1.0,))),
        "yunet 2x": single(YuNetDetector(scales=(2.0,))),
        "yunet 2.5x": single(YuNetDetector(scales=(2.5,))),
        "centerface 1x": single(CenterFaceDetector(scales=(1.0,), rotations=())),
        "centerface 2x": single(CenterFaceDetector(scales=(2.0,), rotations=())),
        "centerface 2.5x": single(CenterFaceDetector(scales=(2.5,), rotations=())),
        "centerface rotated": single(CenterFaceDetector(scales=())),
        "production": lambda rgb: scan_faces(rgb, production),
    }


COMBINED_ROWS = {
    "yunet 1x+2x": ("yunet 1x", "yunet 2x"),
    "yunet 1x+2.5x": ("yunet 1x", "yunet 2.5x"),
    "centerface 1x+2x": ("centerface 1x", "centerface 2x"),
    "centerface 1x+2.5x": ("centerface 1x", "centerface 2.5x"),
    "union 1x+2x (earlier production)": ("yunet 1x", "yunet 2x", "centerface 1x", "centerface 2x"),
}
ROW_ORDER = (
    "yunet 1x",
    "yunet 2x",
    "yunet 2.5x",
    "yunet 1x+2.5x",
    "centerface 1x",
    "centerface 2.5x",
    "centerface 1x+2.5x",
    "centerface rotated",
    "production",
)
# Also available with --rows: "yunet 1x+2x", "centerface 2x", "centerface 1x+2x" and
# "union 1x+2x (earlier production)" (the four passes the filters ran before).


def _obscured_mask(boxes: Sequence[tuple[int, int, int, int]], shape: tuple[int, int]) -> NDArray:
    from inference.filters.obscure import padded_box

    height, width = shape
    mask = np.zeros((height, width), dtype=bool)
    for box in boxes:
        x, y, w, h = padded_box(box, width, height)
        mask[y : y + h, x : x + w] = True
    return mask


def _coverage(mask: NDArray, corners: list[tuple[float, float]]) -> float:
    face = np.zeros(mask.shape, dtype=np.uint8)
    cv2.fillPoly(face, [np.round(np.array(corners)).astype(np.int32)], 1)
    inside = face.astype(bool)
    total = int(inside.sum())
    return float(mask[inside].sum()) / total if total else 1.0


def score_image(
    image: BenchImage, boxes: Sequence[tuple[int, int, int, int]], min_coverage: float
) -> tuple[int, int]:
    """(faces caught, false-positive boxes) for detections ``boxes`` on ``image``."""
    mask = _obscured_mask(boxes, image.pixels.shape[:2])
    caught = sum(_coverage(mask, corners) >= min_coverage for corners in image.faces)
    truth = image.boxes()
    false_positives = 0
    for x, y, w, h in boxes:
        cx, cy = x + w / 2, y + h / 2
        near = any(
            tx - 0.25 * tw <= cx <= tx + 1.25 * tw and ty - 0.25 * th <= cy <= ty + 1.25 * th
            for tx, ty, tw, th in truth
        )
        false_positives += not near
    return caught, false_positives


def _merge(boxes_by_pass: dict[str, list], names: Sequence[str]) -> list:
    from inference.filters.faces import merge_boxes

    return merge_boxes([box for name in names for box in boxes_by_pass[name]])


def evaluate(
    split: str,
    *,
    rows: Sequence[str] = ROW_ORDER,
    conditions: Sequence[str] | None = None,
    min_coverage: float = 0.8,
    verify: bool = True,
    progress: bool = True,
) -> dict[str, dict[str, Tally]]:
    """Tallies per row and condition over ``split``."""
    frozen = _frozen_entries() if split == "heldout" and verify else {}
    rounded = checked = 0
    passes = _passes()
    needed = {name for row in rows for name in COMBINED_ROWS.get(row, (row,))}
    chosen = tuple(c for c in CONDITIONS if conditions is None or c.name in conditions)
    results: dict[str, dict[str, Tally]] = {row: {} for row in rows}
    passes["production"](np.zeros((64, 64, 3), dtype=np.uint8))  # load models once
    for image in iter_split(split, chosen):
        if frozen:
            try:
                match = check(image.key, image.sha256(), image.pixels, frozen.get(image.key, {}))
            except ValueError as exc:
                raise SystemExit(str(exc)) from exc
            checked += 1
            rounded += match == "rounding"
        found: dict[str, Any] = {}
        times: dict[str, float] = {}
        for name in sorted(needed):
            began = time.perf_counter()
            found[name] = passes[name](image.pixels)
            times[name] = (time.perf_counter() - began) * 1000
        unsure = False
        if "production" in found:
            scan = found["production"]
            found["production"], unsure = scan.faces, bool(scan.unresolved)
        for row in rows:
            boxes = found[row] if row in found else _merge(found, COMBINED_ROWS[row])
            caught, fps = score_image(image, [(b.x, b.y, b.w, b.h) for b in boxes], min_coverage)
            tally = results[row].setdefault(image.condition, Tally())
            tally.faces += len(image.faces)
            tally.caught += caught
            tally.images += 1
            tally.false_positives += fps
            tally.images_with_fp += fps > 0
            tally.unsure_images += row == "production" and unsure
            tally.ms.append(sum(times[n] for n in COMBINED_ROWS.get(row, (row,))))
        if progress:
            print(f"  {image.key}", end="\r", file=sys.stderr, flush=True)
    if rounded:
        print(("\n" if progress else "") + rounding_note(rounded, checked))
    return results


def _frozen_entries() -> dict[str, dict[str, Any]]:
    manifest = json.loads(HELDOUT_MANIFEST.read_text())
    return dict(manifest["images"])


def table(results: dict[str, dict[str, Tally]], rows: Sequence[str]) -> str:
    """A markdown table: one line per condition, recall (or FP) per row."""
    conditions = [c for c in CONDITIONS if c.name in results[rows[0]]]
    header = "| condition | faces | " + " | ".join(rows) + " |"
    lines = [header, "|" + "---|" * (len(rows) + 2)]
    for condition in conditions:
        if condition in NEGATIVE:
            continue
        first = results[rows[0]][condition.name]
        cells = [_recall_cell(results[row][condition.name]) for row in rows]
        lines.append(f"| {condition.name} | {first.faces} | " + " | ".join(cells) + " |")
    lines.append(
        "| **all faces** | "
        + _total_faces(results, rows[0])
        + " | "
        + " | ".join(_overall(results[row]) for row in rows)
        + " |"
    )
    lines.append("")
    lines.append("False-positive boxes (images with any / images), face-free sets and overall:")
    lines.append("")
    lines.append("| set | images | " + " | ".join(rows) + " |")
    lines.append("|" + "---|" * (len(rows) + 2))
    for condition in conditions:
        if condition not in NEGATIVE:
            continue
        first = results[rows[0]][condition.name]
        cells = [_fp_cell(results[row][condition.name]) for row in rows]
        lines.append(f"| {condition.name} | {first.images} | " + " | ".join(cells) + " |")
    lines.append(
        "| FP boxes per image, face images | | "
        + " | ".join(_fp_rate(results[row], negative=False) for row in rows)
        + " |"
    )
    lines.append(
        "| images the filters would quarantine as unsure | | "
        + " | ".join(_unsure(results[row]) if row == "production" else "" for row in rows)
        + " |"
    )
    lines.append(
        "| median ms per image | | " + " | ".join(_median_ms(results[row]) for row in rows) + " |"
    )
    return "\n".join(lines)


def _recall_cell(tally: Tally) -> str:
    return f"{100 * tally.recall():.1f}%"


def _overall(by_condition: dict[str, Tally]) -> str:
    positives = [t for name, t in by_condition.items() if name not in _negative_names()]
    faces = sum(t.faces for t in positives)
    caught = sum(t.caught for t in positives)
    return f"{100 * caught / faces:.1f}%" if faces else "-"


def _total_faces(results: dict[str, dict[str, Tally]], row: str) -> str:
    return str(sum(t.faces for name, t in results[row].items() if name not in _negative_names()))


def _negative_names() -> set[str]:
    return {c.name for c in NEGATIVE}


def _fp_cell(tally: Tally) -> str:
    return f"{tally.false_positives} ({tally.images_with_fp})"


def _fp_rate(by_condition: dict[str, Tally], *, negative: bool) -> str:
    chosen = [t for n, t in by_condition.items() if (n in _negative_names()) == negative]
    images = sum(t.images for t in chosen)
    return f"{sum(t.false_positives for t in chosen) / images:.2f}" if images else "-"


def _unsure(by_condition: dict[str, Tally]) -> str:
    return (
        ", ".join(
            f"{name} {t.unsure_images}" for name, t in by_condition.items() if t.unsure_images
        )
        or "0"
    )


def _median_ms(by_condition: dict[str, Tally]) -> str:
    values = [ms for t in by_condition.values() for ms in t.ms]
    return f"{statistics.median(values):.0f}" if values else "-"


def _load_tallies(paths: Sequence[Path]) -> dict[str, dict[str, Tally]]:
    results: dict[str, dict[str, Tally]] = {}
    for path in paths:
        for row, by_condition in json.loads(path.read_text()).items():
            for condition, fields in by_condition.items():
                results.setdefault(row, {})[condition] = Tally(**fields)
    return results


def manifest_json(manifest: dict) -> str:
    """The manifest as JSON with one line per image (readable diffs, small file)."""
    head = {key: value for key, value in manifest.items() if key != "images"}
    lines = [json.dumps(head, sort_keys=True)[:-1] + ', "images": {']
    items = sorted(manifest["images"].items())
    for i, (key, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"  {json.dumps(key)}: {json.dumps(entry, sort_keys=True)}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faces", description=__doc__)
    parser.add_argument("--split", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--rows", nargs="*", default=list(ROW_ORDER))
    parser.add_argument("--conditions", nargs="*", default=None)
    parser.add_argument("--coverage", type=float, default=0.8)
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--freeze", action="store_true", help="rewrite heldout.json and stop")
    parser.add_argument("--save", type=Path, default=None, help="write the tallies as JSON")
    parser.add_argument(
        "--combine",
        type=Path,
        nargs="*",
        default=None,
        help="print the table of tallies saved by earlier runs (split across processes)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.freeze:
        manifest = split_manifest("heldout")
        HELDOUT_MANIFEST.write_text(manifest_json(manifest))
        print(f"wrote {HELDOUT_MANIFEST} ({len(manifest['images'])} images)")
        return 0
    if args.combine:
        results = _load_tallies(args.combine)
        args.rows = [row for row in args.rows if row in results]
    else:
        results = evaluate(
            args.split, rows=args.rows, conditions=args.conditions, min_coverage=args.coverage
        )
    if args.save:
        args.save.write_text(
            json.dumps({row: {c: asdict(t) for c, t in by.items()} for row, by in results.items()})
        )
    text = table(results, args.rows)
    print(f"\nsplit {args.split}; face caught when >= {args.coverage:.0%} of it is obscured\n")
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
