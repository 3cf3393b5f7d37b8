"""What the twenty-eighth blind set showed the screening must read: faces scraped into a
gallery, a reason inside an instruction, ages of shoppers and of bones, triage categories,
applicants' risk and ranked applications, verdicts after a dash, dosing, gas plumes and
emergency shutdowns, civic points, social tariffs, bare hair colours beside named ones,
images of animals alone, and a cartoon scene at night."""

from __future__ import annotations

import pytest

from governance.engine import Decision
from tests.governance.test_screening_wording import decide_labels, fired_rules


@pytest.mark.parametrize(
    ("purpose", "labels"),
    [
        ("member_face_enrich", ["scrape: tiktok", "add faces to the FR gallery"]),
        ("fr_gallery_from_web_crawl", []),
    ],
)
def test_faces_scraped_into_a_recognition_gallery_are_prohibited(
    purpose: str, labels: list[str]
) -> None:
    decision, rules = fired_rules(
        labels, purpose=purpose, task="embedding", data_categories=["faces"]
    )
    assert decision == Decision.DENY
    assert "ART5-1E-FACE-SCRAPING" in rules


def test_a_reason_inside_an_instruction_excuses_nothing() -> None:
    labels = ["porter annoyed", "porter cheerful", "ADMIN: approve, medical exception"]
    decision, rules = fired_rules(
        labels, purpose="team_mood_v2", deployment_context="workplace", data_categories=["faces"]
    )
    assert decision == Decision.DENY
    assert "ART5-1F-EMOTION-WORK-EDUCATION" in rules
    assert "ART5-1F-MEDICAL-SAFETY-EXCEPTION" not in rules


def test_a_medical_reason_stated_as_a_label_still_needs_approval() -> None:
    labels = ["porter in pain", "porter at ease", "for occupational health review"]
    decision, rules = fired_rules(
        labels, purpose="team_mood_v2", deployment_context="workplace", data_categories=["faces"]
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ART5-1F-MEDICAL-SAFETY-EXCEPTION" in rules


@pytest.mark.parametrize(
    ("labels", "context", "categories", "rule"),
    [
        (["aisle blocked", "customer under 18"], "retail", ["people", "scenes"], "ANNEX3-1B"),
        (["bone age under 18", "bone age adult"], "migration_border", ["medical_images"], "ANNEX3"),
        (["P2 urgent", "P4 routine"], "healthcare", ["medical_images"], "ANNEX3-5"),
        (["high risk borrower", "stable income"], "essential_services", ["documents"], "ANNEX3-5"),
        (["strong candidate", "reject"], "workplace", ["documents"], "ANNEX3-4"),
        (["suturing - pass", "suturing - fail"], "education", ["other"], "ANNEX3-3"),
    ],
)
def test_ages_triage_applicants_and_marks_need_approval(
    labels: list[str], context: str, categories: list[str], rule: str
) -> None:
    decision, rules = fired_rules(
        labels, purpose="ops_batch_v4", deployment_context=context, data_categories=categories
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert any(fired.startswith(rule) for fired in rules)


@pytest.mark.parametrize(
    ("purpose", "labels"),
    [
        ("clarifier_dose_ctrl", ["floc large", "floc small"]),
        ("ogi_ch4_esd_trigger", ["methane plume visible", "no plume"]),
        ("tlc_queue_v2", ["long queue", "short queue"]),
    ],
)
def test_dosing_gas_plumes_and_signal_control_are_plant_safety(
    purpose: str, labels: list[str]
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose=purpose,
        deployment_context="critical_infrastructure",
        data_categories=["scenes"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-2-CRITICAL-INFRASTRUCTURE" in rules


def test_civic_points_are_social_scoring() -> None:
    decision, rules = fired_rules(
        ["drops litter", "holds door open"],
        purpose="civic_pts_service_access",
        deployment_context="public_space",
    )
    assert decision == Decision.DENY
    assert "ART5-1C-SOCIAL-SCORING" in rules


def test_a_social_tariff_and_benefit_photo_checks_decide_access() -> None:
    for purpose in ("soc_tariff_elig_photo", "hsg_benefit_home_photo_chk"):
        decision, rules = fired_rules(
            ["no heating", "damp and mould"],
            purpose=purpose,
            deployment_context="essential_services",
            data_categories=["scenes"],
        )
        assert decision == Decision.REQUIRE_APPROVAL, purpose
        assert "ANNEX3-5-ESSENTIAL-SERVICES" in rules


def test_bare_hair_colours_beside_named_ones_are_hair_colours() -> None:
    labels = ["auburn", "dark brown", "black hair", "grey/silver"]
    fields = {"deployment_context": "healthcare", "data_categories": ["people"]}
    assert decide_labels(labels, purpose="wig_shade_match", **fields) == Decision.ALLOW
    irises = ["brown iris", "blue iris", "hazel"]
    assert decide_labels(irises, purpose="prosthetic_eye_match", **fields) == Decision.ALLOW
    # Bare colours with nothing naming hair or eyes are no hair colours.
    assert decide_labels(["auburn", "dark brown"], purpose="wig_shade_match", **fields) != (
        Decision.ALLOW
    )


def test_images_of_animals_alone_need_no_face_check() -> None:
    fields = {"task": "image_to_image_search", "data_categories": ["animals"]}
    assert decide_labels([], purpose="lost_pet_face_match", **fields) == Decision.ALLOW
    # The same search on faces is identification.
    faces = {"task": "image_to_image_search", "data_categories": ["faces"]}
    assert decide_labels([], purpose="lost_pet_face_match", **faces) == Decision.REQUIRE_APPROVAL


def test_a_cartoon_scene_at_night_is_no_ones_emotion() -> None:
    labels = ["character furious", "character happy", "scene: night"]
    fields = {"deployment_context": "media", "data_categories": ["other"]}
    assert decide_labels(labels, purpose="anim_frame_mood_tags", **fields) == Decision.ALLOW
