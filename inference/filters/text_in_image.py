"""Text in images: a cheap gate that finds text-like lines, OCR of those regions only.

The gate groups MSER character candidates (stable regions, both dark-on-light and
light-on-dark) into lines of at least four characters of similar height (lines may be
tilted; each line's slope is fitted through its characters). Photos without such lines
skip OCR entirely. Lines found are merged into blocks; each block is cropped, upscaled when
its text is small, deskewed by its lines' median slope (Tesseract garbles lines tilted by
5-10 degrees), and read by Tesseract with word-level boxes, mapped back to the image. When
the candidates are too many or cover too much of the image (text on a photo, a busy
scene), the whole image is read once *and* the blocks whose lines look most like text are
read on their own as well: a full-page pass reads small text on a textured photo poorly.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Box = tuple[int, int, int, int]
# Each character candidate's pixels (x, y) and their mean grey level.
Strokes = dict[Box, tuple[NDArray[np.int32], float]]

MIN_CHAR_HEIGHT = 6
MAX_CHAR_HEIGHT_SHARE = 0.3  # of the image height
MIN_CHARS_PER_LINE = 4
MAX_HEIGHT_VARIATION = 0.25  # std / mean of character heights in a line
MAX_INK_DEVIATION = 30.0  # grey levels from a line's median ink, for its strokes
MAX_BLOCKS_BEFORE_FULL_PAGE = 8
# With a full-page pass, the most text-like lines (this many: most characters in one ink)
# are also read on their own, merged into blocks among themselves.
EXTRA_LINES_WITH_FULL_PAGE = 12
MAX_BLOCK_AREA_SHARE = 0.4
OCR_TARGET_LINE_HEIGHT = 32
OCR_TIMEOUT_S = 30
MIN_DESKEW_DEGREES = 1.5  # blocks tilted less than this are read as they are
MAX_DESKEW_DEGREES = 20.0
OCR_CONFIG = "--oem 1 --psm 6"
OCR_FULL_PAGE_CONFIG = "--oem 1 --psm 11"


@dataclass(frozen=True)
class TextLine:
    """A text-like line: its axis-aligned box, its slope in degrees (y grows downward) and
    how many character candidates it holds."""

    box: Box
    angle: float
    chars: int = MIN_CHARS_PER_LINE
    # (x, y) of the pixels of its characters' stable regions: the text's own strokes.
    strokes: NDArray[np.int32] | None = field(default=None, compare=False, repr=False)
    # Spread (grey levels, std) of its characters' mean ink: printed text has one ink, a
    # row of pebbles or leaves many.
    ink_spread: float = 0.0


@dataclass(frozen=True)
class OcrRegion:
    """A region to read, the angle its text is tilted by (0 for level text), and whether it
    is the whole image read as a sparse page."""

    box: Box
    angle: float = 0.0
    full_page: bool = False
    # When set, this image is read instead of the photo: the strokes of the most text-like
    # lines drawn black on white, which Tesseract reads far better than text on texture.
    strokes_only: NDArray[np.uint8] | None = field(default=None, compare=False, repr=False)
    line_height: float = 0.0  # known text height (px) on a full page; upscaled to read


@dataclass(frozen=True)
class OcrWord:
    """One word Tesseract read: its text, its box in the image and its line's identity."""

    text: str
    box: Box
    line: tuple[int, int, int, int]  # (region index, block, paragraph, line)
    confidence: float


def tesseract_version() -> str:
    """The Tesseract engine's and pytesseract's versions, for the manifest."""
    import pytesseract

    return f"tesseract {pytesseract.get_tesseract_version()}; pytesseract=={_pkg('pytesseract')}"


def _pkg(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "not-installed"


# --- the gate ----------------------------------------------------------------------------


def find_text_lines(rgb: NDArray[np.uint8]) -> list[Box]:
    """Boxes of text-like lines (four or more similar characters side by side)."""
    return [line.box for line in detect_text_lines(rgb)]


def detect_text_lines(rgb: NDArray[np.uint8]) -> list[TextLine]:
    """Text-like lines (four or more similar characters side by side) with their slopes."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    height = gray.shape[0]
    mser = cv2.MSER.create(delta=5, min_area=12, max_area=max(13, int(0.02 * gray.size)))
    regions, raw_boxes = mser.detectRegions(gray)
    strokes: Strokes = {}
    chars = []
    for points, (x, y, w, h) in zip(regions, raw_boxes, strict=True):
        if MIN_CHAR_HEIGHT <= h <= MAX_CHAR_HEIGHT_SHARE * height and 0.1 <= w / h <= 2.0:
            box = (int(x), int(y), int(w), int(h))
            chars.append(box)
            if box not in strokes:
                pixels = np.asarray(points, dtype=np.int32)
                ink = float(gray[pixels[:, 1], pixels[:, 0]].mean())
                strokes[box] = (pixels, ink)
    return [line for line in _group_lines(_dedupe(chars), strokes) if line is not None]


def _dedupe(boxes: list[Box]) -> list[Box]:
    kept: list[Box] = []
    for box in sorted(set(boxes), key=lambda b: -b[2] * b[3]):
        if not any(all(abs(a - b) <= 3 for a, b in zip(box, k, strict=True)) for k in kept):
            kept.append(box)
    return sorted(kept)


def _group_lines(chars: list[Box], strokes: Strokes) -> list[TextLine | None]:
    used = [False] * len(chars)
    lines: list[TextLine | None] = []
    for i, first in enumerate(chars):
        if used[i]:
            continue
        used[i] = True
        members = [first]
        for j in range(i + 1, len(chars)):
            if used[j]:
                continue
            if chars[j][0] > members[-1][0] + members[-1][2] + 3 * members[-1][3]:
                break
            if _continues_line(members[-1], chars[j]):
                members.append(chars[j])
                used[j] = True
        lines.append(_line_box(members, strokes))
    return lines


def _continues_line(last: Box, char: Box) -> bool:
    gap = char[0] - (last[0] + last[2])
    if gap > max(last[3], char[3]) or gap < -0.3 * min(last[2], char[2]):
        return False
    if not 0.7 <= char[3] / last[3] <= 1.4:
        return False
    overlap = min(last[1] + last[3], char[1] + char[3]) - max(last[1], char[1])
    return overlap >= 0.7 * min(last[3], char[3])


def _line_box(members: list[Box], strokes: Strokes) -> TextLine | None:
    heights = np.array([m[3] for m in members], dtype=np.float64)
    if len(members) < MIN_CHARS_PER_LINE or heights.std() / heights.mean() > MAX_HEIGHT_VARIATION:
        return None
    x0, y0 = min(m[0] for m in members), min(m[1] for m in members)
    x1 = max(m[0] + m[2] for m in members)
    y1 = max(m[1] + m[3] for m in members)
    inks = np.array([strokes[m][1] for m in members if m in strokes] or [0.0])
    line_ink = float(np.median(inks))
    # The strokes kept are those in the line's own ink (within MAX_INK_DEVIATION of its
    # median): a pebble of another shade beside a letter stays out.
    points = np.concatenate(
        [
            strokes[m][0]
            for m in members
            if m in strokes and abs(strokes[m][1] - line_ink) <= MAX_INK_DEVIATION
        ]
        or [np.empty((0, 2), dtype=np.int32)]
    )
    return TextLine(
        (x0, y0, x1 - x0, y1 - y0),
        _slope_degrees(members),
        len(members),
        points.astype(np.int32),
        float(inks.std()),
    )


def _slope_degrees(members: list[Box]) -> float:
    """The line's slope fitted through its characters' centres (0 when too short to tell)."""
    xs = np.array([m[0] + m[2] / 2 for m in members], dtype=np.float64)
    ys = np.array([m[1] + m[3] / 2 for m in members], dtype=np.float64)
    if np.ptp(xs) < 3 * float(np.mean([m[3] for m in members])):
        return 0.0
    slope = float(np.polyfit(xs, ys, 1)[0])
    return float(np.degrees(np.arctan(slope)))


def merge_into_blocks(lines: list[Box], width: int, height: int) -> list[Box]:
    """Lines grown by about one line height and merged where they touch."""
    grown = [_grow(line, 0.8, width, height) for line in lines]
    merged = True
    while merged:
        merged = False
        for i in range(len(grown)):
            for j in range(i + 1, len(grown)):
                if _touch(grown[i], grown[j]):
                    grown[i] = _hull(grown[i], grown[j])
                    del grown[j]
                    merged = True
                    break
            if merged:
                break
    return grown


def _grow(box: Box, share_of_height: float, width: int, height: int) -> Box:
    x, y, w, h = box
    pad = int(np.ceil(h * share_of_height))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    return x0, y0, min(width, x + w + pad) - x0, min(height, y + h + pad) - y0


def _touch(a: Box, b: Box) -> bool:
    return not (
        a[0] + a[2] < b[0] or b[0] + b[2] < a[0] or a[1] + a[3] < b[1] or b[1] + b[3] < a[1]
    )


def _hull(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return x0, y0, x1 - x0, y1 - y0


def ocr_plan(rgb: NDArray[np.uint8], lines: list[TextLine]) -> list[OcrRegion]:
    """The regions to read: the merged blocks with their tilt; or, when they are many or
    big, the whole image, blocks made of the ``EXTRA_LINES_WITH_FULL_PAGE`` most text-like
    lines, and those lines' strokes drawn on a white page."""
    height, width = rgb.shape[:2]
    blocks = merge_into_blocks([line.box for line in lines], width, height)
    regions = [
        OcrRegion(block, _block_angle([line for line in lines if _inside(line.box, block)]))
        for block in blocks
    ]
    area = sum(b[2] * b[3] for b in blocks)
    if len(blocks) <= MAX_BLOCKS_BEFORE_FULL_PAGE and area <= MAX_BLOCK_AREA_SHARE * width * height:
        return regions
    page = OcrRegion((0, 0, width, height), _block_angle(lines), full_page=True)
    best = sorted(lines, key=_text_likeness, reverse=True)[:EXTRA_LINES_WITH_FULL_PAGE]
    extra = merge_into_blocks([line.box for line in best], width, height)
    return [
        page,
        *(
            OcrRegion(block, _block_angle([line for line in best if _inside(line.box, block)]))
            for block in extra
            if block[2] * block[3] < 0.9 * width * height
        ),
        OcrRegion(
            page.box,
            _block_angle(best),
            full_page=True,
            strokes_only=_strokes_image(rgb, best),
            line_height=float(np.median([line.box[3] for line in best])),
        ),
    ]


def _text_likeness(line: TextLine) -> float:
    """More characters in one ink rank first: a line of print over a row of pebbles."""
    return line.chars / (1.0 + line.ink_spread / 10.0)


def _strokes_image(rgb: NDArray[np.uint8], lines: list[TextLine]) -> NDArray[np.uint8]:
    """The lines' character strokes drawn black on a white page the size of ``rgb``."""
    page = np.full(rgb.shape, 255, dtype=np.uint8)
    for line in lines:
        if line.strokes is not None and len(line.strokes):
            page[line.strokes[:, 1], line.strokes[:, 0]] = 0
    return page


def _inside(box: Box, block: Box) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return block[0] <= cx <= block[0] + block[2] and block[1] <= cy <= block[1] + block[3]


def _block_angle(lines: list[TextLine]) -> float:
    """The median slope of the block's lines, weighted by length; 0 below the deskew floor."""
    if not lines:
        return 0.0
    weights = np.array([line.box[2] for line in lines], dtype=np.float64)
    angles = np.array([line.angle for line in lines], dtype=np.float64)
    order = np.argsort(angles)
    cumulative = np.cumsum(weights[order])
    median = float(angles[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    if abs(median) < MIN_DESKEW_DEGREES:
        return 0.0
    return float(np.clip(median, -MAX_DESKEW_DEGREES, MAX_DESKEW_DEGREES))


# --- OCR ---------------------------------------------------------------------------------


def read_words(rgb: NDArray[np.uint8], regions: list[OcrRegion] | list[Box]) -> list[OcrWord]:
    """Words Tesseract reads in each region, boxes in full-image coordinates.

    Raises when Tesseract is missing, fails or times out: the caller fails closed.
    """
    plan = [r if isinstance(r, OcrRegion) else OcrRegion(tuple(r)) for r in regions]  # type: ignore[arg-type]
    words: list[OcrWord] = []
    for index, region in enumerate(plan):
        words.extend(_read_region(rgb, region, index))
    return words


def _read_region(rgb: NDArray[np.uint8], region: OcrRegion, index: int) -> list[OcrWord]:
    import pytesseract
    from PIL import Image

    x, y, w, h = region.box
    source = rgb if region.strokes_only is None else region.strokes_only
    crop: NDArray[Any] = source[y : y + h, x : x + w]
    factor = _upscale_factor(
        h, full_page=region.full_page, angle=region.angle, line_height=region.line_height
    )
    if factor > 1.0:
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    # ``to_crop`` maps reading coordinates back to the (scaled) crop: identity, or the
    # inverse of the deskewing rotation.
    to_crop = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    if region.angle:
        crop, to_crop = _deskewed(crop, region.angle)
    data: dict[str, list[Any]] = pytesseract.image_to_data(
        Image.fromarray(np.ascontiguousarray(crop, dtype=np.uint8)),
        lang="eng",
        config=OCR_FULL_PAGE_CONFIG if region.full_page else OCR_CONFIG,
        output_type=pytesseract.Output.DICT,
        timeout=OCR_TIMEOUT_S,
    )
    return list(_words_from_data(data, region.box, factor, index, to_crop))


def _deskewed(crop: NDArray[Any], angle: float) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """``crop`` rotated so its text is level (canvas grown, edges replicated), and the
    affine map from the rotated image back to ``crop``."""
    height, width = crop.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = (
        int(np.ceil(height * sin + width * cos)),
        int(np.ceil(height * cos + width * sin)),
    )
    matrix[0, 2] += new_w / 2.0 - width / 2.0
    matrix[1, 2] += new_h / 2.0 - height / 2.0
    rotated = cv2.warpAffine(
        np.ascontiguousarray(crop),
        matrix,
        (new_w, new_h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return rotated, np.asarray(cv2.invertAffineTransform(matrix), dtype=np.float64)


def _upscale_factor(
    region_height: int, *, full_page: bool, angle: float = 0.0, line_height: float = 0.0
) -> float:
    if full_page:
        # A whole page is read as it is, unless its text is known to be small.
        if line_height:
            return float(min(3.0, max(1.0, OCR_TARGET_LINE_HEIGHT / line_height)))
        return 1.0
    # A block is about 2.6 line heights tall once grown; aim for OCR_TARGET_LINE_HEIGHT.
    # A tilted line's box is taller than the line by its run times the slope: a block's
    # height says less about its line height, so tilted blocks are read at least 2x.
    line_height = region_height / 2.6
    if angle:
        return float(min(4.0, max(2.0, OCR_TARGET_LINE_HEIGHT / max(line_height, 1.0))))
    return float(min(4.0, max(1.0, OCR_TARGET_LINE_HEIGHT / max(line_height, 1.0))))


def _words_from_data(
    data: dict[str, list[Any]],
    region: Box,
    factor: float,
    index: int,
    to_crop: NDArray[np.float64],
) -> list[OcrWord]:
    words = []
    for i, raw_text in enumerate(data["text"]):
        text = str(raw_text).strip()
        if not text:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        right, bottom = left + float(data["width"][i]), top + float(data["height"][i])
        corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
        mapped = (corners @ to_crop[:, :2].T + to_crop[:, 2]) / factor
        x0, y0 = mapped.min(axis=0)
        x1, y1 = mapped.max(axis=0)
        box = (
            max(0, int(np.floor(x0))) + region[0],
            max(0, int(np.floor(y0))) + region[1],
            int(np.ceil(x1 - max(0.0, x0))) + 1,
            int(np.ceil(y1 - max(0.0, y0))) + 1,
        )
        line = (index, int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(OcrWord(text=text, box=box, line=line, confidence=float(data["conf"][i])))
    return words


# --- joining words into text and mapping entities back ---------------------------------


def words_as_text(words: list[OcrWord]) -> tuple[str, list[tuple[int, int]]]:
    """The words joined (spaces within a line, newlines between), and each word's span."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = 0
    previous_line: tuple[int, int, int, int] | None = None
    for word in words:
        if previous_line is not None:
            separator = " " if word.line == previous_line else "\n"
            pieces.append(separator)
            cursor += 1
        spans.append((cursor, cursor + len(word.text)))
        pieces.append(word.text)
        cursor += len(word.text)
        previous_line = word.line
    return "".join(pieces), spans


def words_in_spans(
    spans: list[tuple[int, int]], hits: list[tuple[int, int, str]], words: list[OcrWord]
) -> set[int]:
    """Indices of words overlapping any hit; number-like hits grow over adjacent digit words."""
    chosen: set[int] = set()
    for start, end, entity_type in hits:
        indices = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
        if entity_type in NUMBER_ENTITIES:
            indices = _grow_number_run(indices, words)
        chosen.update(indices)
    return chosen


NUMBER_ENTITIES = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "UK_NHS"})


def _grow_number_run(indices: list[int], words: list[OcrWord]) -> list[int]:
    """Adds neighbouring words on the same line that hold digits (split numbers)."""
    if not indices:
        return indices
    grown = set(indices)
    low, high = min(indices), max(indices)
    while low - 1 >= 0 and _digit_neighbour(words[low - 1], words[low]):
        low -= 1
        grown.add(low)
    while high + 1 < len(words) and _digit_neighbour(words[high + 1], words[high]):
        high += 1
        grown.add(high)
    return sorted(grown)


def _digit_neighbour(candidate: OcrWord, anchor: OcrWord) -> bool:
    return candidate.line == anchor.line and any(c.isdigit() for c in candidate.text)
