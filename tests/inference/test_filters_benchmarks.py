"""The shipped benchmarks: they regenerate as frozen (hash, or fingerprint where only a CPU's
rounding differs; ground truth exactly), and their ground truth is sound."""

from __future__ import annotations

import json

import pytest

from bench.faces import generate as faces_bench
from bench.frozen import check, fingerprint
from bench.pii_images import generate as pii_bench


def _frozen(path: object) -> dict[str, dict[str, object]]:
    return json.loads(path.read_text())["images"]  # type: ignore[attr-defined]


def test_face_heldout_manifest_covers_every_image() -> None:
    frozen = _frozen(faces_bench.HELDOUT_MANIFEST)
    expected = {f"{c.name}/{i:03d}" for c in faces_bench.CONDITIONS for i in range(c.images)}
    assert set(frozen) == expected


def test_face_heldout_images_regenerate_to_their_frozen_hashes() -> None:
    """First image of every condition (the slow tier checks them all)."""
    frozen = _frozen(faces_bench.HELDOUT_MANIFEST)
    for condition in faces_bench.CONDITIONS:
        image = faces_bench.make_image("heldout", condition.name, 0)
        check(image.key, image.sha256(), image.pixels, frozen[image.key])
        assert frozen[image.key]["faces"] == [
            [[round(x, 2), round(y, 2)] for x, y in corners] for corners in image.faces
        ]


@pytest.mark.slow
def test_every_face_heldout_image_regenerates_to_its_frozen_hash() -> None:
    frozen = _frozen(faces_bench.HELDOUT_MANIFEST)
    for image in faces_bench.iter_split("heldout"):
        check(image.key, image.sha256(), image.pixels, frozen[image.key])


def test_face_ground_truth_is_inside_the_frame_and_sized_as_declared() -> None:
    for condition in faces_bench.POSITIVE:
        image = faces_bench.make_image("tune", condition.name, 1)
        height, width = image.pixels.shape[:2]
        assert image.faces, condition.name
        for x, y, w, h in image.boxes():
            assert min(x, y) >= 0
            assert x + w <= width + 1
            assert y + h <= height + 1
            if condition.transform in ("none", "dark", "bright", "blur", "jpeg", "occlude"):
                low, high = condition.sizes
                assert low - 1 <= w <= high + 1, (condition.name, w)


def test_tune_and_heldout_splits_use_different_faces_and_pixels() -> None:
    tune = faces_bench.make_image("tune", "crowd", 0)
    heldout = faces_bench.make_image("heldout", "crowd", 0)
    assert tune.sha256() != heldout.sha256()


def test_pii_heldout_images_regenerate_to_their_frozen_hashes() -> None:
    frozen = _frozen(pii_bench.HELDOUT_MANIFEST)
    assert len(frozen) == pii_bench.IMAGES_PER_SPLIT
    for index in range(0, pii_bench.IMAGES_PER_SPLIT, 10):
        image = pii_bench.make_image("heldout", index)
        check(image.key, image.sha256(), image.pixels, frozen[image.key])
        assert frozen[image.key]["lines"] == [[line.kind, line.text] for line in image.lines]


def test_generated_card_numbers_pass_luhn_and_ibans_their_checksum() -> None:
    import numpy as np

    rng = np.random.default_rng(5)
    for _ in range(200):
        card = pii_bench.make_value("CREDIT_CARD", rng).replace(" ", "")
        digits = [int(c) for c in reversed(card)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
        )
        assert total % 10 == 0, card
        iban = pii_bench.make_value("IBAN_CODE", rng).replace(" ", "")
        rearranged = iban[4:] + iban[:4]
        assert int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1, iban


def test_pii_judge_counts_partial_leaks() -> None:
    from bench.pii_images.generate import TextLine
    from bench.pii_images.run import revealed

    card = TextLine("CREDIT_CARD", "Card 4111 1111 1111 1111", "4111 1111 1111 1111")
    assert revealed(card, "paid 4111 111 ...")  # six digits in a row
    assert not revealed(card, "paid ████ ... 11")
    name = TextLine("PERSON", "Signed Maria Garcia", "Maria Garcia")
    assert revealed(name, "signed GARCIA")
    assert not revealed(name, "signed Maria")


def test_frozen_check_accepts_rounding_and_refuses_a_changed_image() -> None:
    """Rounding (what another CPU's OpenCV code path does) passes by fingerprint; a
    darker image, another image or a missing fingerprint does not."""
    import numpy as np

    image = faces_bench.make_image("heldout", "size_48_128", 1)
    entry = {"sha256": image.sha256(), "fingerprint": fingerprint(image.pixels)}
    assert check(image.key, image.sha256(), image.pixels, entry) == "exact"
    rng = np.random.default_rng(0)
    noise = rng.integers(-1, 2, size=image.pixels.shape)
    rounded = np.clip(image.pixels.astype(int) + noise, 0, 255).astype(np.uint8)
    assert check(image.key, "other", rounded, entry) == "rounding"
    darker = (image.pixels * 0.97).astype(np.uint8)
    with pytest.raises(ValueError, match="moved by"):
        check(image.key, "other", darker, entry)
    other = faces_bench.make_image("heldout", "size_48_128", 2)
    with pytest.raises(ValueError, match="differ from the frozen held-out image"):
        check(image.key, other.sha256(), other.pixels, entry)
    with pytest.raises(ValueError, match="frozen held-out hash"):
        check(image.key, "other", image.pixels, {"sha256": image.sha256()})


def test_pii_judge_paints_filled_boxes_in_their_surroundings() -> None:
    """The judge reads the output with the filters' boxes painted in the colour around them
    (a black box throws Tesseract's contrast stretch off); nothing else changes."""
    import numpy as np

    from bench.pii_images.run import boxes_painted_over

    pixels = np.full((60, 120, 3), 200, dtype=np.uint8)
    pixels[10:30, 20:60] = 0  # a blanked word
    pixels[40:50, 80:110] = 30  # text the filters left alone
    out = boxes_painted_over(pixels, [(20, 10, 40, 20)])
    assert (out[10:30, 20:60] == 200).all()
    assert (out[40:50, 80:110] == 30).all()
    untouched = np.ones((60, 120), dtype=bool)
    untouched[10:30, 20:60] = False
    assert (out[untouched] == pixels[untouched]).all()
