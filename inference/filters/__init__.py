"""Privacy filters: every image is decoded safely, stripped of metadata, its faces
irreversibly obscured and personal data written in it redacted before any model sees it.

Filters fail closed: an image the filters cannot judge is quarantined with a reason.
"""

from inference.filters.decode import ImageRejected, UploadInfo, inspect_upload
from inference.filters.filtered_image import FilteredImage, UnfilteredImageError
from inference.filters.pipeline import FilterOutcome, filter_image
from inference.filters.text_pii import EntityHit, RedactedText, find_pii, redact_text
from inference.filters.version import FILTER_VERSION

__all__ = [
    "FILTER_VERSION",
    "EntityHit",
    "FilterOutcome",
    "FilteredImage",
    "ImageRejected",
    "RedactedText",
    "UnfilteredImageError",
    "UploadInfo",
    "filter_image",
    "find_pii",
    "inspect_upload",
    "redact_text",
]
