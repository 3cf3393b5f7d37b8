"""Personal data in text and in images: caught, redacted, and benign labels left alone."""

from __future__ import annotations

import numpy as np
import pytesseract
import pytest
from PIL import Image

from inference.filters import filter_image, find_pii, redact_text
from tests.inference.conftest import draw_text_card, encode

PERSONAL = {
    "Contact John Smith about the order": "PERSON",
    "mail jane.doe@example.com today": "EMAIL_ADDRESS",
    "call +44 20 7946 0958": "PHONE_NUMBER",
    "phone 555-123-4567": "PHONE_NUMBER",
    "card 4111 1111 1111 1111": "CREDIT_CARD",
    "IBAN DE89 3704 0044 0532 0130 00": "IBAN_CODE",
    "she lives at 42 Baker Street": "STREET_ADDRESS",
    "Hauptstraße 12, Berlin": "STREET_ADDRESS",
    "the licence plate AB12 CDE": "LICENSE_PLATE",
    "car reg B-MW 1234": "LICENSE_PLATE",
    # What OCR makes of numbers: letters read for digits, checksums broken.
    "IBAN DE89 37O4 0044 0532 0I30 00": "IBAN_CODE",
    "card 4lll 1111 1111 1111": "CREDIT_CARD",
    "jane.doe @ example.com": "EMAIL_ADDRESS",
}

BENIGN_LABELS = [
    "a red circle",
    "a black cat",
    "a photo of a dog",
    "a photo of a cat",
    "a blue square",
    "Golden Retriever",
    "Chelsea the cat",
    "a photo of Paris",
    "a photo of a Tesla",
    "a photo of a BMW X5",
    "an RTX 4090 graphics card",
    "a 2024 BMW",
    "photos from 2019-2024",
    "invoice dated 12.05.2024",
    "COVID-19 test kit",
    "a USB-C cable",
    "a Boeing 747 on the runway",
    "a photo of 3 dogs on the Road",
    "quality inspection of welded seams",
    "a scratched metal surface",
    "a bottle of Coca-Cola",
    "Mount Everest at sunrise",
    "a close-up of a red apple",
    "an aerial view of a city",
    "a person riding a bike",
    "a damaged cardboard box",
    "a green traffic light",
    "a cup of coffee",
    "a pair of running shoes",
    "a wooden chair",
]


@pytest.mark.parametrize("text", sorted(PERSONAL))
def test_personal_data_is_found(text: str) -> None:
    types = {hit.type for hit in find_pii(text)}
    assert PERSONAL[text] in types


@pytest.mark.parametrize("label", BENIGN_LABELS)
def test_benign_labels_have_no_entities(label: str) -> None:
    assert find_pii(label) == []


def test_redact_text_replaces_each_entity_with_its_type() -> None:
    text = "Ask John Smith (john.smith@example.com, 555-123-4567) about 42 Baker Street."
    result = redact_text(text)
    assert result.text == ("Ask <PERSON> (<EMAIL_ADDRESS>, <PHONE_NUMBER>) about <STREET_ADDRESS>.")
    assert [hit.type for hit in result.entities] == [
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "STREET_ADDRESS",
    ]
    first = result.entities[0]
    assert text[first.start : first.end] == "John Smith"


def test_empty_text_has_no_entities() -> None:
    assert redact_text("   ").entities == []


SECRETS = ["john.smith@example.com", "555-123-4567", "Maria Garcia"]


@pytest.fixture(scope="module")
def text_photo_outcome() -> object:
    pixels = draw_text_card(
        [f"Mail: {SECRETS[0]}", f"Call {SECRETS[1]}", f"Signed {SECRETS[2]}", "Thank you"]
    )
    return filter_image(encode(pixels))


def test_text_drawn_on_a_photo_is_read_and_its_personal_data_blanked(
    text_photo_outcome: object,
) -> None:
    outcome = text_photo_outcome
    assert outcome.status == "ok", outcome.reason  # type: ignore[attr-defined]
    manifest = outcome.manifest  # type: ignore[attr-defined]
    assert manifest["text_gate"]["ocr_ran"] is True
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON"} <= set(manifest["entities"])
    assert len(manifest["text_regions"]) >= 3
    pixels = np.asarray(outcome.image.image)  # type: ignore[attr-defined]
    for region in manifest["text_regions"]:
        x, y, w, h = region["box"]
        assert pixels[y : y + h, x : x + w].max() == 0  # solid fill


def test_ocr_of_the_output_no_longer_finds_the_personal_data(text_photo_outcome: object) -> None:
    image: Image.Image = text_photo_outcome.image.image  # type: ignore[attr-defined]
    big = image.resize((image.width * 2, image.height * 2))
    text = pytesseract.image_to_string(big)
    for secret in (SECRETS[0], SECRETS[1], "Garcia", "example.com", "4567"):
        assert secret not in text
    assert "Thank" in text  # benign words are kept


def test_manifest_holds_no_personal_values(text_photo_outcome: object) -> None:
    import json

    dumped = json.dumps(text_photo_outcome.manifest)  # type: ignore[attr-defined]
    for secret in SECRETS:
        assert secret not in dumped


def test_photo_without_text_skips_ocr(cat_photo_png: bytes) -> None:
    outcome = filter_image(cat_photo_png)
    assert outcome.status == "ok", outcome.reason
    assert outcome.manifest["text_gate"] == {"text_lines": 0, "ocr_ran": False, "ocr_regions": []}
    assert {"action": "ocr_skipped", "reason": "no text-like lines found"} in outcome.manifest[
        "actions"
    ]
    assert "ocr" not in outcome.manifest["timings_ms"]


def test_ocr_failure_quarantines(monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing Tesseract binary is an error the filter cannot judge past: quarantine."""
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    outcome = filter_image(encode(draw_text_card(["Call 555-123-4567 today"])))
    assert outcome.status == "quarantined"
    assert outcome.reason.startswith("text recognition (OCR) failed")


@pytest.mark.parametrize("angle", [-10, 10])
def test_tilted_text_is_deskewed_read_and_blanked(angle: int) -> None:
    from PIL import ImageDraw

    from tests.inference.conftest import font

    layer = Image.new("L", (720, 300), 0)
    draw = ImageDraw.Draw(layer)
    for i, line in enumerate(["Quality inspection passed", "Mail ruth.baker@example.org"]):
        draw.text((60, 90 + 44 * i), line, fill=255, font=font(26))
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, center=(300, 130))
    page = Image.composite(
        Image.new("RGB", layer.size, (20, 20, 20)),
        Image.new("RGB", layer.size, (245, 245, 240)),
        layer,
    )
    outcome = filter_image(encode(np.asarray(page)))
    assert outcome.status == "ok", outcome.reason
    assert outcome.manifest["entities"].get("EMAIL_ADDRESS") == 1
    assert any(abs(a) >= 5 for a in outcome.manifest["text_gate"]["ocr_deskew_degrees"])
    filtered = outcome.image.image.rotate(-angle, resample=Image.Resampling.BICUBIC)  # type: ignore[union-attr]
    text = pytesseract.image_to_string(filtered.resize((1440, 600)))
    assert "ruth" not in text.lower()
    assert "baker" not in text.lower()


def _text_on_gravel(lines: list[str], size: int = 40) -> np.ndarray:
    """Dark serif text printed straight onto a photo of gravel (no card behind it)."""
    from PIL import ImageDraw
    from skimage import data as skdata

    from tests.inference.conftest import font, resize_long_side

    gravel = resize_long_side(np.stack([skdata.gravel()] * 3, axis=-1), 800)[:480]
    page = Image.fromarray(np.ascontiguousarray(gravel))
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((80, 100 + int(size * 1.7) * i), line, fill=(20, 20, 20), font=font(size))
    return np.asarray(page)


def test_busy_photo_reads_the_whole_page_and_the_best_lines_strokes() -> None:
    from inference.filters import text_in_image

    rgb = _text_on_gravel(["Card 5515 4292 3667 5979", "Total weight twelve kilograms"])
    lines = text_in_image.detect_text_lines(rgb)
    plan = text_in_image.ocr_plan(rgb, lines)
    assert len(lines) > text_in_image.MAX_BLOCKS_BEFORE_FULL_PAGE  # the gravel is busy
    assert plan[0].full_page
    assert plan[0].strokes_only is None
    strokes = plan[-1].strokes_only
    assert strokes is not None
    assert plan[-1].full_page
    assert set(np.unique(strokes)) == {0, 255}  # strokes drawn black on white, nothing else
    assert (strokes == 0).mean() < 0.1


def test_number_printed_straight_on_a_busy_photo_is_blanked() -> None:
    rgb = _text_on_gravel(["Card 5515 4292 3667 5979", "Total weight twelve kilograms"])
    outcome = filter_image(encode(rgb))
    assert outcome.status == "ok", outcome.reason
    # OCR reads part of the number on this texture; any number entity blanks the whole run.
    assert {"CREDIT_CARD", "PHONE_NUMBER", "IBAN_CODE"} & set(outcome.manifest["entities"])
    filtered = outcome.image.image  # type: ignore[union-attr]
    for view in (filtered, filtered.convert("L").point(lambda v: 0 if v < 60 else 255)):
        text = pytesseract.image_to_string(view.resize((1600, 960)), config="--psm 11")
        digits = "".join(c for c in text if c.isdigit())
        assert "5515" not in digits
        assert "5979" not in digits
