"""Recall of personal data written in images, per entity type, and benign text kept.

    .venv/bin/python -m bench.pii_images                   # held-out split
    .venv/bin/python -m bench.pii_images --split tune
    .venv/bin/python -m bench.pii_images --markdown out.md
    .venv/bin/python -m bench.pii_images --freeze          # rewrite heldout.json (don't)

Each image is filtered by ``filter_image``. A judge then reads the original and the
filtered image with Tesseract at its best: the whole image and the text block (cropped,
contrast stretched), deskewed by the true angle, upscaled 2x, both readings pooled. An
entity is *readable* when the judge finds it in the original, and *caught* when the judge
no longer finds any part of it in the filtered output (a 6-digit run of a number, 8
characters of an IBAN, the local part of an e-mail, a surname, a street name, the plate).
Benign words (4+ letters) the judge read in the original and still reads in the output
count as kept.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from bench.frozen import check, rounding_note
from bench.pii_images.generate import (
    ENTITY_TYPES,
    HELDOUT_MANIFEST,
    TextLine,
    iter_split,
    split_manifest,
)

_LOOKALIKE_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1", "s": "5", "b": "8"})


def judge_text(pixels: NDArray[np.uint8], angle: float, text_box: tuple[int, ...]) -> str:
    """All the judge reads in ``pixels``: the whole image (page mode 11, sparse text) and the
    text block (cropped, contrast stretched; page mode 6), each deskewed by the true angle
    and upscaled 2x; readings pooled."""
    import pytesseract
    from PIL import ImageOps

    x0, y0, x1, y1 = text_box
    margin = 12
    crop = Image.fromarray(pixels).crop(
        (max(0, x0 - margin), max(0, y0 - margin), x1 + margin, y1 + margin)
    )
    views = []
    for view in (Image.fromarray(pixels), ImageOps.autocontrast(crop.convert("L"), cutoff=1)):
        if angle:
            view = view.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True)
        views.append(view.resize((view.width * 2, view.height * 2), Image.Resampling.BICUBIC))
    readings = [
        pytesseract.image_to_string(view, lang="eng", config=f"--oem 1 --psm {psm}")
        for view, psm in zip(views, (11, 6), strict=True)
    ]
    return "\n".join(readings)


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]", "", text.lower())


def _digitish(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.lower().translate(_LOOKALIKE_DIGITS))


def fragments(line: TextLine) -> list[str]:
    """The pieces of ``line.value`` whose presence in a reading reveals it (normalised)."""
    value = line.value
    if line.kind in ("PHONE_NUMBER", "CREDIT_CARD"):
        digits = re.sub(r"\D", "", value)
        return [digits[i : i + 6] for i in range(len(digits) - 5)]
    if line.kind == "IBAN_CODE":
        compact = _letters(value)
        return [compact[i : i + 8] for i in range(len(compact) - 7)]
    if line.kind == "EMAIL_ADDRESS":
        return [_letters(value.split("@")[0])]
    if line.kind == "PERSON":
        return [_letters(value.split()[-1])]
    if line.kind == "STREET_ADDRESS":
        words = [w for w in re.findall(r"[A-Za-zäöüß]+", value) if w[0].isupper()]
        return [_letters(w) for w in words if len(w) >= 4]
    if line.kind == "LICENSE_PLATE":
        return [_letters(value)]
    return [_letters(w) for w in value.split() if len(w) >= 4]


def revealed(line: TextLine, reading: str) -> bool:
    """Whether ``reading`` gives away any fragment of ``line``'s value."""
    parts = fragments(line)
    if line.kind in ("PHONE_NUMBER", "CREDIT_CARD"):
        digits = _digitish(reading)
        return any(part in digits for part in parts)
    letters = _letters(reading)
    return any(part and part in letters for part in parts)


@dataclass
class EntityTally:
    total: int = 0
    readable: int = 0
    leaked: int = 0


def evaluate(
    split: str,
    *,
    verify: bool = True,
    progress: bool = True,
    contrasts: Sequence[str] | None = None,
) -> dict[str, object]:
    """Tallies per entity type, per condition (angle, size, contrast) and benign words;
    ``contrasts`` limits the run to images of those contrasts (e.g. ``["on_photo"]``)."""
    from inference.filters import filter_image

    frozen = _frozen_entries() if split == "heldout" and verify else {}
    rounded = checked = 0
    by_type: dict[str, EntityTally] = defaultdict(EntityTally)
    by_condition: dict[str, EntityTally] = defaultdict(EntityTally)
    benign_read = benign_kept = 0
    quarantined = 0
    misses: list[str] = []
    for image in iter_split(split):
        if contrasts is not None and image.contrast not in contrasts:
            continue
        if frozen:
            try:
                match = check(image.key, image.sha256(), image.pixels, frozen.get(image.key, {}))
            except ValueError as exc:
                raise SystemExit(str(exc)) from exc
            checked += 1
            rounded += match == "rounding"
        outcome = filter_image(_png(image.pixels))
        if outcome.image is None:
            quarantined += 1
            continue
        before = judge_text(image.pixels, image.angle, image.text_box)
        filtered = np.asarray(outcome.image.image, dtype=np.uint8)
        after = judge_text(
            boxes_painted_over(filtered, _filled_boxes(outcome.manifest)),
            image.angle,
            image.text_box,
        )
        for line in image.lines:
            if line.kind == "BENIGN":
                words = [w for w in line.text.split() if len(w) >= 4]
                seen = [w for w in words if _letters(w) in _letters(before)]
                benign_read += len(seen)
                benign_kept += sum(_letters(w) in _letters(after) for w in seen)
                continue
            readable = revealed(line, before)
            leaked = revealed(line, after)
            for tally in (
                by_type[line.kind],
                by_condition[f"angle {image.angle:+.0f}"],
                by_condition[f"size {image.size} px"],
                by_condition[f"contrast {image.contrast}"],
                by_condition[f"font {image.font}"],
            ):
                tally.total += 1
                tally.readable += readable
                tally.leaked += leaked
            if leaked:
                misses.append(
                    f"{image.key} {line.kind} {line.text!r} ({image.font}, "
                    f"{image.size}px, {image.angle:+.0f}, {image.contrast})"
                )
        if progress:
            print(f"  {image.key}", end="\r", file=sys.stderr, flush=True)
    if rounded:
        print(("\n" if progress else "") + rounding_note(rounded, checked))
    return {
        "by_type": dict(by_type),
        "by_condition": dict(by_condition),
        "benign_read": benign_read,
        "benign_kept": benign_kept,
        "quarantined": quarantined,
        "misses": misses,
    }


def _filled_boxes(manifest: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """Every box the filters filled: blanked words, and faces as padded when obscured."""
    from inference.filters.obscure import padded_box

    width, height = manifest["width"], manifest["height"]
    boxes = [tuple(region["box"]) for region in manifest["text_regions"]]
    boxes += [padded_box(tuple(face["box"]), width, height) for face in manifest["faces"]]
    return boxes


def boxes_painted_over(
    pixels: NDArray[np.uint8], boxes: Sequence[tuple[int, int, int, int]]
) -> NDArray[np.uint8]:
    """``pixels`` with each filled box painted in the median colour of a ring around it.

    The judge reads the output this way: a solid black box beside untouched text throws
    Tesseract's contrast stretch and page layout off, and the untouched words would count
    as lost. What was blanked stays gone; the rest reads as it would without the boxes.
    """
    out = pixels.copy()
    height, width = out.shape[:2]
    covered = np.zeros((height, width), dtype=bool)
    for x, y, w, h in boxes:
        covered[y : y + h, x : x + w] = True
    for x, y, w, h in boxes:
        pad = max(4, h // 2)
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(width, x + w + pad), min(height, y + h + pad)
        ring = pixels[y0:y1, x0:x1][~covered[y0:y1, x0:x1]]
        colour = np.median(ring, axis=0) if len(ring) else np.median(pixels.reshape(-1, 3), axis=0)
        out[y : y + h, x : x + w] = colour.astype(np.uint8)
    return out


def _png(pixels: NDArray[np.uint8]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _frozen_entries() -> dict[str, dict[str, Any]]:
    manifest = json.loads(HELDOUT_MANIFEST.read_text())
    return dict(manifest["images"])


def _row(name: str, tally: EntityTally) -> str:
    caught = tally.total - tally.leaked
    readable_caught = tally.readable - min(tally.readable, tally.leaked)
    share = f"{100 * caught / tally.total:.1f}%" if tally.total else "-"
    return (
        f"| {name} | {tally.total} | {tally.readable} | {tally.leaked} | {share} | "
        f"{readable_caught}/{tally.readable} |"
    )


def table(results: dict[str, object]) -> str:
    """Markdown tables: per entity type, per condition, and benign words kept."""
    header = [
        "| entity | in images | judge reads in original | judge reads in output | caught | "
        "readable ones caught |",
        "|---|---|---|---|---|---|",
    ]
    by_type = results["by_type"]
    assert isinstance(by_type, dict)
    lines = list(header)
    total = EntityTally()
    for kind in ENTITY_TYPES:
        tally = by_type.get(kind, EntityTally())
        lines.append(_row(kind, tally))
        total.total += tally.total
        total.readable += tally.readable
        total.leaked += tally.leaked
    lines.append(_row("**all**", total))
    lines += ["", *header]
    lines[-2] = lines[-2].replace("| entity |", "| condition |")
    by_condition = results["by_condition"]
    assert isinstance(by_condition, dict)
    for name in sorted(by_condition, key=_condition_order):
        lines.append(_row(name, by_condition[name]))
    read, kept = results["benign_read"], results["benign_kept"]
    assert isinstance(read, int)
    assert isinstance(kept, int)
    lines += [
        "",
        f"Benign words kept: {kept}/{read} ({100 * kept / max(read, 1):.1f}%) of those the "
        f"judge read in the originals. Quarantined images: {results['quarantined']}.",
    ]
    return "\n".join(lines)


def _condition_order(name: str) -> tuple[str, float]:
    kind, _, rest = name.partition(" ")
    number = re.match(r"[+-]?\d+", rest)
    return kind, float(number.group()) if number else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pii_images", description=__doc__)
    parser.add_argument("--split", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="list every entity leaked")
    parser.add_argument("--freeze", action="store_true", help="rewrite heldout.json and stop")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if args.freeze:
        from bench.faces.run import manifest_json

        HELDOUT_MANIFEST.write_text(manifest_json(split_manifest("heldout")))
        print(f"wrote {HELDOUT_MANIFEST}")
        return 0
    results = evaluate(args.split)
    text = table(results)
    print(f"\nsplit {args.split}\n")
    print(text)
    if args.misses:
        misses = results["misses"]
        assert isinstance(misses, list)
        print("\n".join(["", "Leaked:", *misses]))
    if args.markdown:
        args.markdown.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
