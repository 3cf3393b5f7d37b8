"""What the twenty-fifth and twenty-sixth blind sets showed the screening must read: worth to
society and trust verdicts handed to landlords, Brexit as a political opinion, stewards who
are staff, not union officers, visas and the right to rent, undeclared income, grades given
to learners' work, traffic signals and chemical leaks in plants, fan zones as public places,
hair and eye colours on faces, and the same prohibitions written in Italian and Polish."""

from __future__ import annotations

import pytest

from governance.engine import Decision
from tests.governance.test_screening_wording import decide_labels, fired_rules


@pytest.mark.parametrize(
    "labels",
    [
        ["of high social worth", "of low social worth - limit library access"],
        ["reliable tenant", "untrustworthy, tell letting agents"],
        ["antisocial lifestyle", "settled household"],
    ],
)
def test_worth_to_society_and_trust_verdicts_passed_on_are_social_scoring(
    labels: list[str],
) -> None:
    decision, rules = fired_rules(
        labels, purpose="resident_profile_v2", deployment_context="essential_services"
    )
    assert decision == Decision.DENY
    assert "ART5-1C-SOCIAL-SCORING" in rules


def test_a_trustworthy_brand_is_no_ones_score() -> None:
    labels = ["trustworthy brand badge", "untrustworthy seller listing"]
    fields = {"deployment_context": "retail", "data_categories": ["products"]}
    assert decide_labels(labels, purpose="product_tagging", **fields) == Decision.ALLOW


def test_backing_brexit_is_a_political_opinion_of_the_person_pictured() -> None:
    decision, rules = fired_rules(
        ["cyclist", "backs Brexit", "dog walker"],
        purpose="audience_seg_v3",
        data_categories=["faces"],
    )
    assert decision == Decision.DENY
    assert "ART5-1G-POLITICAL-OPINION" in rules


def test_event_stewards_at_their_posts_are_staff_not_union_officers() -> None:
    decision, rules = fired_rules(
        ["steward at gate", "gate unattended", "steward on break"],
        purpose="gate_cover_audit",
        deployment_context="workplace",
    )
    assert "ART5-1G-TRADE-UNION" not in rules
    # Watching whether staff are at their posts is still worker monitoring.
    assert decision == Decision.REQUIRE_APPROVAL
    # A shop steward is a union officer.
    decision, rules = fired_rules(["shop steward", "line worker"], deployment_context="workplace")
    assert decision == Decision.DENY
    assert "ART5-1G-TRADE-UNION" in rules


@pytest.mark.parametrize(
    ("labels", "context", "rule"),
    [
        (["work visa", "expired visa", "valid passport"], "essential_services", "ANNEX3-7"),
        (["BRP", "CAS letter", "bank statement"], "education", "ANNEX3-7"),
        (["undeclared income", "consistent with claim"], "essential_services", "ANNEX3-5"),
    ],
)
def test_immigration_papers_and_undeclared_income_decide_about_people(
    labels: list[str], context: str, rule: str
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose="lettings_doc_review",
        deployment_context=context,
        data_categories=["documents"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert any(fired.startswith(rule) for fired in rules)


def test_a_visa_card_and_documents_sorted_by_kind_are_ordinary() -> None:
    fields = {"deployment_context": "retail", "data_categories": ["products"]}
    cards = ["expired visa card", "debit card"]
    assert decide_labels(cards, purpose="product_tagging", **fields) == Decision.ALLOW
    # A bank statement abbreviated is a document kind like any other.
    labels = ["passport", "driving licence", "council tax bill", "bank stmt"]
    fields = {"deployment_context": "essential_services", "data_categories": ["documents"]}
    assert decide_labels(labels, purpose="onboarding_doc_sort", **fields) == Decision.ALLOW


@pytest.mark.parametrize(
    "labels",
    [
        ["grade A", "grade B", "grade C", "fail"],
        ["pass unit", "fail unit", "merit", "distinction"],
    ],
)
def test_grades_given_to_learners_work_are_assessment_in_education(labels: list[str]) -> None:
    fields = {"deployment_context": "education", "data_categories": ["documents"]}
    decision, rules = fired_rules(labels, purpose="coursework_batch_v2", **fields)
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-3-EDUCATION" in rules
    # Graded eggs in a shop are no learner's work.
    shop = {"deployment_context": "retail", "data_categories": ["products"]}
    assert decide_labels(labels, purpose="product_tagging", **shop) == Decision.ALLOW


def test_an_apprentices_practical_assessed_is_education_assessment() -> None:
    decision, rules = fired_rules(
        ["joint pass", "joint fail", "rework"],
        purpose="trainee_weld_assess",
        deployment_context="education",
        data_categories=["products"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-3-EDUCATION" in rules


def test_field_engineers_scored_on_their_jobs_is_employment() -> None:
    decision, rules = fired_rules(
        ["fixed first time", "callback needed"],
        purpose="installer_scorecard",
        deployment_context="workplace",
        data_categories=["scenes"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-4-EMPLOYMENT" in rules


@pytest.mark.parametrize(
    ("purpose", "labels", "categories"),
    [
        ("jn_sig_ctl_feed", ["queue back to roundabout", "no queue"], ["vehicles"]),
        ("reservoir_ammonia_cam", ["ammonia tank leak", "no release"], ["scenes"]),
    ],
)
def test_signals_controlled_and_chemical_leaks_watched_are_plant_safety(
    purpose: str, labels: list[str], categories: list[str]
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose=purpose,
        deployment_context="critical_infrastructure",
        data_categories=categories,
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-2-CRITICAL-INFRASTRUCTURE" in rules


def test_live_face_matching_in_a_fan_zone_for_the_police_is_prohibited() -> None:
    decision, rules = fired_rules(
        [],
        purpose="fan_zone_facematch",
        deployment_context="law_enforcement",
        task="image_to_image_search",
        data_categories=["faces"],
    )
    assert decision == Decision.DENY
    assert "ART5-1H-REALTIME-REMOTE-BIOMETRIC-ID" in rules


def test_crimes_foretold_of_occupants_are_criminal_prediction() -> None:
    decision, rules = fired_rules(
        ["probable meter tamperer", "ordinary occupant"],
        purpose="site_visit_review",
        deployment_context="essential_services",
    )
    assert decision == Decision.DENY
    assert "ART5-1D-CRIME-PREDICTION" in rules


@pytest.mark.parametrize(
    ("labels", "context"),
    [
        (["auburn hair", "jet black hair", "green eyes", "hazel eyes"], "media"),
        (["eye colour: grey", "blue-eyed", "strawberry blonde hair"], "retail"),
    ],
)
def test_hair_and_eye_colours_on_faces_need_no_purpose_check(
    labels: list[str], context: str
) -> None:
    fields = {"deployment_context": context, "data_categories": ["faces"]}
    assert decide_labels(labels, purpose="lens_filter_pack", **fields) == Decision.ALLOW
    # One label more, about the person, and a person checks what the job is for.
    assert decide_labels([*labels, "older woman"], purpose="lens_filter_pack", **fields) != (
        Decision.ALLOW
    )


def test_hair_colours_of_staff_still_need_a_purpose_check_at_work() -> None:
    fields = {"deployment_context": "workplace", "data_categories": ["faces"]}
    decision = decide_labels(["dyed hair", "natural hair"], purpose="crew_look_audit", **fields)
    assert decision == Decision.REQUIRE_APPROVAL


@pytest.mark.parametrize(
    ("purpose", "labels", "task", "rule"),
    [
        (
            "dogana_profilo",
            ["aria da spacciatore", "viaggiatore tranquillo"],
            "zero_shot_classification",
            "ART5-1D-CRIME-PREDICTION",
        ),
        (
            "baza_twarzy_z_internetu",
            [],
            "embedding",
            "ART5-1E-FACE-SCRAPING",
        ),
    ],
)
def test_prohibitions_written_in_italian_and_polish_are_denied(
    purpose: str, labels: list[str], task: str, rule: str
) -> None:
    decision, rules = fired_rules(labels, purpose=purpose, task=task, data_categories=["faces"])
    assert decision == Decision.DENY
    assert rule in rules


def test_abbreviated_alt_text_and_safety_purposes_are_read() -> None:
    fields = {"deployment_context": "workplace", "data_categories": ["people", "scenes"]}
    labels = ["team photo on stage", "people at buffet", "dance floor"]
    assert decide_labels(labels, purpose="staff_summer_party_alttxt", **fields) == Decision.ALLOW
    # A crew's distress watched for safety needs approval, not a ban.
    decision, rules = fired_rules(
        ["panicked", "distressed", "calm"],
        purpose="deck_crew_distress_sfty",
        deployment_context="workplace",
        data_categories=["faces"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ART5-1F-MEDICAL-SAFETY-EXCEPTION" in rules
