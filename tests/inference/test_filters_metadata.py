"""Metadata: EXIF (with GPS), XMP and comments gone from the output; orientation applied."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from inference.filters import filter_image

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>Alice Example</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _photo_with_metadata(orientation: int) -> bytes:
    pixels = np.zeros((40, 80, 3), dtype=np.uint8)
    pixels[:, :40] = (255, 0, 0)  # left half red, right half black
    image = Image.fromarray(pixels)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "ExampleCam"
    exif[0x0131] = "SecretSoftware"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, exif=exif.tobytes(), xmp=XMP, comment=b"hello")
    return buffer.getvalue()


def test_exif_gps_xmp_and_comments_are_absent_from_the_output() -> None:
    source = _photo_with_metadata(orientation=1)
    assert b"ExampleCam" in source
    assert b"Alice Example" in source
    outcome = filter_image(source)
    assert outcome.status == "ok", outcome.reason
    assert outcome.image is not None
    stored = outcome.image.png_bytes
    for marker in (
        b"ExampleCam",
        b"SecretSoftware",
        b"Alice Example",
        b"xmpmeta",
        b"eXIf",
        b"hello",
    ):
        assert marker not in stored
    reread = Image.open(io.BytesIO(stored))
    assert len(reread.getexif()) == 0
    assert set(reread.info) <= {"dpi", "gamma"}
    assert {"exif", "gps", "xmp", "comment"} <= set(outcome.manifest["metadata_removed"])
    assert outcome.image.image.info == {}


def test_exif_orientation_is_applied_before_filtering() -> None:
    outcome = filter_image(_photo_with_metadata(orientation=6))
    assert outcome.status == "ok", outcome.reason
    assert outcome.image is not None
    pixels = np.asarray(outcome.image.image)
    assert pixels.shape[:2] == (80, 40)  # portrait once upright
    assert pixels[2, 20, 0] > 200  # top is the red half
    assert pixels[2, 20, 1] < 60
    assert pixels[-3, 20].max() < 60  # bottom is the black half
    assert outcome.manifest["orientation_applied"] == 6
    assert (outcome.manifest["width"], outcome.manifest["height"]) == (40, 80)
