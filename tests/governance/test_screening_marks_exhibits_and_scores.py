"""What the twenty-seventh blind set showed the screening must read: a picket and a coded
word for orientation, marks given to learners' answers, who can afford a plan, vouchers and
triage by phone, exhibits weighed for one side of a case, behaviour off duty moving a
score, failed traffic signals, a live watchlist on a concourse, and an emotion flashcard
pack that is only a product."""

from __future__ import annotations

import pytest

from governance.engine import Decision
from tests.governance.test_screening_wording import decide_labels, fired_rules


@pytest.mark.parametrize(
    ("labels", "rule"),
    [
        (["nurse on the picket", "visitor", "manager"], "ART5-1G-TRADE-UNION"),
        (["friends of Dorothy", "outdoorsy type"], "ART5-1G-SEXUAL-ORIENTATION"),
    ],
)
def test_a_picket_and_a_coded_word_for_orientation_are_prohibited(
    labels: list[str], rule: str
) -> None:
    decision, rules = fired_rules(labels, purpose="ward_photo_tags", data_categories=["faces"])
    assert decision == Decision.DENY
    assert rule in rules


@pytest.mark.parametrize(
    ("purpose", "labels", "categories"),
    [
        ("quiz_ocr_v2", ["correct", "partially correct", "wrong", "no attempt"], ["documents"]),
        ("cookery_school_plates", ["pass", "fail", "resubmit"], ["products"]),
        ("cadet_paper_mark", ["passed", "refer for resit"], ["documents"]),
    ],
)
def test_verdicts_on_learners_work_are_assessment_in_education(
    purpose: str, labels: list[str], categories: list[str]
) -> None:
    decision, rules = fired_rules(
        labels, purpose=purpose, deployment_context="education", data_categories=categories
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-3-EDUCATION" in rules


def test_a_pass_or_fail_of_things_outside_education_is_inspection() -> None:
    fields = {"deployment_context": "manufacturing", "data_categories": ["products"]}
    assert decide_labels(["pass", "fail", "resubmit"], purpose="weld_qc", **fields) == (
        Decision.ALLOW
    )


@pytest.mark.parametrize(
    ("purpose", "labels", "categories", "context"),
    [
        ("fines_plan_docs", ["can afford plan", "cannot afford"], ["documents"], "general"),
        ("pantry_docs", ["eligible for a voucher", "not eligible"], ["documents"], "general"),
        ("tele_triage_v3", ["A&E now", "GP this week"], ["medical_images"], "healthcare"),
    ],
)
def test_affordability_vouchers_and_triage_decide_access_to_services(
    purpose: str, labels: list[str], categories: list[str], context: str
) -> None:
    decision, rules = fired_rules(
        labels, purpose=purpose, deployment_context=context, data_categories=categories
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-5-ESSENTIAL-SERVICES" in rules


@pytest.mark.parametrize(
    ("purpose", "labels"),
    [
        ("bundle_sort_v2", ["supports the appellant", "supports respondent's case", "neutral"]),
        ("magistrates_assist", ["relevant exhibit", "irrelevant exhibit"]),
    ],
)
def test_exhibits_weighed_for_a_side_or_for_judges_assist_justice(
    purpose: str, labels: list[str]
) -> None:
    decision, rules = fired_rules(
        labels, purpose=purpose, deployment_context="justice", data_categories=["documents"]
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-8-JUSTICE" in rules


@pytest.mark.parametrize(
    "labels",
    [
        ["clubbing pics -> lower score", "charity run pics -> higher score"],
        ["score passed on to lenders", "neutral"],
        ["troublemaker type", "model resident"],
    ],
)
def test_behaviour_off_duty_moving_a_score_is_social_scoring(labels: list[str]) -> None:
    decision, rules = fired_rules(
        labels, purpose="crew_index_v2", deployment_context="workplace", data_categories=["people"]
    )
    assert decision == Decision.DENY
    assert "ART5-1C-SOCIAL-SCORING" in rules


def test_traffic_signals_failing_are_infrastructure_safety() -> None:
    decision, rules = fired_rules(
        ["traffic signal dark", "all red fault", "normal"],
        purpose="jn_cam_health",
        deployment_context="critical_infrastructure",
        data_categories=["scenes"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-2-CRITICAL-INFRASTRUCTURE" in rules


def test_a_live_watchlist_in_a_purpose_code_on_a_concourse_is_prohibited() -> None:
    decision, rules = fired_rules(
        [],
        purpose="mall_concourse_live_watchlist",
        deployment_context="public_space",
        task="image_to_image_search",
        data_categories=["faces"],
    )
    assert decision == Decision.DENY
    assert "ART5-1H-REALTIME-REMOTE-BIOMETRIC-ID" in rules


def test_an_emotion_flashcard_pack_is_a_product() -> None:
    labels = ["emotion flashcards pack", "feelings wheel poster", "jigsaw"]
    fields = {"deployment_context": "retail", "data_categories": ["products"]}
    assert decide_labels(labels, purpose="toy_shelf_tags", **fields) == Decision.ALLOW


def test_an_evidence_review_of_a_theft_is_law_enforcement_not_a_prediction() -> None:
    decision, rules = fired_rules(
        ["item hidden in bag", "item paid for", "unclear"],
        purpose="theft_cctv_evid_rev",
        deployment_context="law_enforcement",
    )
    assert "ART5-1D-CRIME-PREDICTION" not in rules
    assert decision == Decision.REQUIRE_APPROVAL
