"""Metadata stripping: the filtered image is rebuilt from its pixels alone.

EXIF (GPS, camera serials, timestamps), XMP, IPTC, ICC profiles, comments and PNG text
chunks are dropped by re-creating the image from raw RGB bytes. Only the *kinds* of metadata
that were present are reported, never their values.
"""

from __future__ import annotations

from PIL import Image

# EXIF tag of the GPS IFD pointer.
_GPS_IFD_TAG = 0x8825


def metadata_kinds(image: Image.Image) -> list[str]:
    """Names of the metadata kinds the decoded image carried (e.g. ``exif``, ``gps``, ``xmp``)."""
    kinds: set[str] = set()
    info = image.info
    if info.get("exif") or _has_exif(image):
        kinds.add("exif")
    if _has_gps(image):
        kinds.add("gps")
    if info.get("xmp") or info.get("XML:com.adobe.xmp"):
        kinds.add("xmp")
    if info.get("icc_profile"):
        kinds.add("icc_profile")
    if info.get("comment"):
        kinds.add("comment")
    if "photoshop" in info or "iptc" in info:
        kinds.add("iptc")
    text_chunks = getattr(image, "text", None)
    if isinstance(text_chunks, dict) and text_chunks:
        kinds.add("text_chunks")
    return sorted(kinds)


def strip_metadata(image: Image.Image) -> Image.Image:
    """A new RGB image holding only the pixels of ``image``: no info, EXIF, ICC or text."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def _has_exif(image: Image.Image) -> bool:
    try:
        return len(image.getexif()) > 0
    except Exception:
        return False


def _has_gps(image: Image.Image) -> bool:
    try:
        exif = image.getexif()
        return _GPS_IFD_TAG in exif or bool(exif.get_ifd(_GPS_IFD_TAG))
    except Exception:
        return False
