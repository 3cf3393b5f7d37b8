"""FilteredImage: only the pipeline or a verified load makes one; tampering is refused."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from inference.filters import FilteredImage, UnfilteredImageError, filter_image
from inference.filters.manifest import manifest_sha256
from tests.inference.conftest import encode


@pytest.fixture(scope="module")
def filtered(cat_photo_png: bytes) -> FilteredImage:
    outcome = filter_image(cat_photo_png)
    assert outcome.status == "ok", outcome.reason
    assert outcome.image is not None
    return outcome.image


def test_cannot_be_built_from_raw_pixels() -> None:
    raw_png = encode(np.zeros((8, 8, 3), dtype=np.uint8))
    manifest = {"status": "ok", "output_sha256": "0" * 64}
    with pytest.raises(UnfilteredImageError):
        FilteredImage(png_bytes=raw_png, manifest=manifest)


def test_is_immutable_and_hands_out_copies(filtered: FilteredImage) -> None:
    with pytest.raises(AttributeError):
        filtered._png_bytes = b"other"
    first = filtered.image
    first.paste((255, 0, 0), (0, 0, first.width, first.height))
    assert filtered.image.getpixel((0, 0)) != (255, 0, 0)


def test_hashes_describe_the_stored_bytes(filtered: FilteredImage) -> None:
    import hashlib

    assert filtered.sha256 == hashlib.sha256(filtered.png_bytes).hexdigest()
    assert filtered.manifest["output_sha256"] == filtered.sha256
    assert filtered.manifest_sha256 == manifest_sha256(filtered.manifest)


def _store(tmp_path: Path, filtered: FilteredImage) -> Path:
    path = tmp_path / "asset.png"
    path.write_bytes(filtered.png_bytes)
    return path


def test_load_verified_round_trip(tmp_path: Path, filtered: FilteredImage) -> None:
    loaded = FilteredImage.load_verified(
        _store(tmp_path, filtered),
        expected_sha256=filtered.sha256,
        manifest=filtered.manifest,
        expected_manifest_sha256=filtered.manifest_sha256,
    )
    assert loaded.sha256 == filtered.sha256
    assert list(loaded.image.getdata()) == list(filtered.image.getdata())


def test_load_verified_refuses_a_tampered_file(tmp_path: Path, filtered: FilteredImage) -> None:
    path = _store(tmp_path, filtered)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(UnfilteredImageError, match="does not match its recorded hash"):
        FilteredImage.load_verified(
            path,
            expected_sha256=filtered.sha256,
            manifest=filtered.manifest,
            expected_manifest_sha256=filtered.manifest_sha256,
        )


def test_load_verified_refuses_a_swapped_unfiltered_file(
    tmp_path: Path, filtered: FilteredImage, cat_photo_png: bytes
) -> None:
    import hashlib

    path = tmp_path / "asset.png"
    path.write_bytes(cat_photo_png)  # the original, not the filtered image
    with pytest.raises(UnfilteredImageError):
        FilteredImage.load_verified(
            path,
            expected_sha256=hashlib.sha256(cat_photo_png).hexdigest(),
            manifest=filtered.manifest,
            expected_manifest_sha256=filtered.manifest_sha256,
        )


def test_load_verified_refuses_an_edited_manifest(tmp_path: Path, filtered: FilteredImage) -> None:
    manifest = copy.deepcopy(filtered.manifest)
    manifest["faces"] = []
    with pytest.raises(UnfilteredImageError, match="manifest does not match"):
        FilteredImage.load_verified(
            _store(tmp_path, filtered),
            expected_sha256=filtered.sha256,
            manifest=manifest,
            expected_manifest_sha256=filtered.manifest_sha256,
        )


def test_load_verified_refuses_a_quarantine_manifest(
    tmp_path: Path, filtered: FilteredImage
) -> None:
    manifest = copy.deepcopy(filtered.manifest)
    manifest["status"] = "quarantined"
    with pytest.raises(UnfilteredImageError, match=r"does not say"):
        FilteredImage.load_verified(
            _store(tmp_path, filtered),
            expected_sha256=filtered.sha256,
            manifest=manifest,
            expected_manifest_sha256=manifest_sha256(manifest),
        )
