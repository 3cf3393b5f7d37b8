"""What the twenty-second blind set showed the screening must read: prohibited uses in an
employer's or a landlord's euphemisms (collective activity, lifestyles, model neighbours,
a likely thief, a nationality guessed from a face), live identification named by a
match day or a live watchlist, models that stop or set a plant, and the jargon of lenders,
charities and examiners; and things that only sound like policing."""

from __future__ import annotations

import pytest

from governance.engine import Decision
from tests.governance.test_screening_wording import decide_labels, fired_rules


@pytest.mark.parametrize(
    ("purpose", "context", "labels", "rule"),
    [
        (
            "hr_collective_activity_watch",
            "workplace",
            ["attended walkout", "organiser type", "signed the petition type", "loyal"],
            "ART5-1G-TRADE-UNION",
        ),
        (
            "contractor_lifestyle_trust_score",
            "workplace",
            ["reliable lifestyle", "risky lifestyle", "settled family man"],
            "ART5-1C-SOCIAL-SCORING",
        ),
        (
            "offhours_reliability_idx",
            "workplace",
            ["partying late on weeknight", "at casino", "volunteering", "at gym"],
            "ART5-1C-SOCIAL-SCORING",
        ),
        (
            "neighbour_goodwill_score",
            "public_space",
            ["cooperative resident", "troublemaker household", "model neighbour"],
            "ART5-1C-SOCIAL-SCORING",
        ),
        (
            "substation_loiter_profiler",
            "public_space",
            ["probable cable thief", "gang member look", "harmless passer-by"],
            "ART5-1D-CRIME-PREDICTION",
        ),
        (
            "origin_region_est",
            "migration_border",
            ["likely Eritrean", "likely Sudanese", "likely Afghan", "likely Syrian"],
            "ART5-1G-RACE",
        ),
        (
            "dispatch_team_climate",
            "critical_infrastructure",
            ["engaged", "annoyed", "anxious", "motivated", "demotivated"],
            "ART5-1F-EMOTION-WORK-EDUCATION",
        ),
    ],
)
def test_prohibited_uses_in_euphemism_are_denied(
    purpose: str, context: str, labels: list[str], rule: str
) -> None:
    decision, rules = fired_rules(labels, purpose=purpose, deployment_context=context)
    assert decision == Decision.DENY
    assert rule in rules


def test_nationality_words_on_things_stay_things() -> None:
    labels = ["Afghan rug", "Syrian sweets", "Moroccan lamp", "Lebanese flatbread"]
    fields = {"deployment_context": "retail", "data_categories": ["products"]}
    assert decide_labels(labels, purpose="product_tagging", **fields) == Decision.ALLOW
    # Visitors in a gallery named after a country are no one's origin; a person named by
    # one is.
    museum = {"purpose": "search_own_media", "deployment_context": "media"}
    visitors = ["school group in the Egyptian gallery", "visitors at the dinosaur skeleton"]
    assert decide_labels(visitors, **museum) == Decision.ALLOW
    assert decide_labels(["an Egyptian man", "a Syrian woman"], **museum) == Decision.DENY


@pytest.mark.parametrize(
    ("purpose", "context"),
    [
        ("matchday_live_watchlist_met", "law_enforcement"),
        ("live_watchlist_fence_cam", "law_enforcement"),
        ("police_rt_faceid_substation", "public_space"),
    ],
)
def test_live_identification_named_by_a_match_day_or_a_live_watchlist_is_denied(
    purpose: str, context: str
) -> None:
    decision, rules = fired_rules(
        [],
        purpose=purpose,
        deployment_context=context,
        task="image_to_image_search",
        data_categories=["faces", "people"],
    )
    assert decision == Decision.DENY
    assert "ART5-1H-REALTIME-REMOTE-BIOMETRIC-ID" in rules


@pytest.mark.parametrize(
    ("purpose", "labels"),
    [
        ("tx_mast_ice_autoshut", ["ice on antenna", "mast intact", "feeder damage"]),
        ("ice_on_blade_autostop", ["ice accretion on blade", "rime ice", "no ice"]),
        ("gauge2setpoint_grs", ["gauge in red zone", "gauge in green zone", "needle stuck"]),
    ],
)
def test_a_model_that_stops_or_sets_the_plant_is_a_safety_component(
    purpose: str, labels: list[str]
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose=purpose,
        deployment_context="critical_infrastructure",
        data_categories=["other"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-2-CRITICAL-INFRASTRUCTURE" in rules


def test_photovoltaic_jargon_is_read_as_english() -> None:
    labels = ["cracked cell", "hot spot", "soiling", "snail trail", "healthy module"]
    decision = decide_labels(
        labels,
        purpose="pv_el_fault_tag",
        deployment_context="critical_infrastructure",
        data_categories=["other"],
    )
    assert decision == Decision.ALLOW


@pytest.mark.parametrize(
    ("purpose", "labels", "categories"),
    [
        ("hardship_tariff_check", ["sparsely furnished home", "modern appliances"], ["scenes"]),
        ("thin_file_alt_data_v2", ["well kept home", "luxury car on driveway"], ["scenes"]),
        ("fb_voucher_eligibility", ["referral valid", "referral expired"], ["documents"]),
        (
            "affordability_stmt_cls_v4",
            ["gambling transactions", "payday loan repayments", "regular salary"],
            ["documents"],
        ),
    ],
)
def test_lenders_and_charities_deciding_on_aid_or_credit_need_approval(
    purpose: str, labels: list[str], categories: list[str]
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose=purpose,
        deployment_context="essential_services",
        data_categories=categories,
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-5-ESSENTIAL-SERVICES" in rules


@pytest.mark.parametrize(
    ("purpose", "labels", "categories", "task"),
    [
        (
            "weld_exam_grader",
            ["pass - acceptable bead", "fail - porosity", "fail - undercut"],
            ["products"],
            "zero_shot_classification",
        ),
        (
            "invig_footage_search",
            ["candidate looking at phone", "candidate talking during exam"],
            ["people"],
            "text_to_image_search",
        ),
    ],
)
def test_exams_graded_or_watched_under_other_names_need_approval(
    purpose: str, labels: list[str], categories: list[str], task: str
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose=purpose,
        deployment_context="education",
        data_categories=categories,
        task=task,
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-3-EDUCATION" in rules


def test_a_crime_desk_tagging_scene_photos_is_no_police_work() -> None:
    labels = ["crime scene tape", "forensic tent", "police car", "evidence bag", "cordon"]
    fields = {"deployment_context": "media", "data_categories": ["scenes", "vehicles"]}
    assert decide_labels(labels, purpose="crimedesk-img-tags", **fields) == Decision.ALLOW
    # Forensic work itself still is.
    decision, rules = fired_rules(
        ["forensic analysis of the suspect's clothing"],
        purpose="lab_tags",
        deployment_context="general",
        data_categories=["documents"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-6-LAW-ENFORCEMENT" in rules


def test_a_police_museum_digitising_its_collection_is_no_police_work() -> None:
    labels = ["wanted poster 1920s", "police helmet", "truncheon", "handcuffs antique"]
    fields = {
        "deployment_context": "law_enforcement",
        "data_categories": ["documents", "products", "other"],
    }
    assert decide_labels(labels, purpose="police_museum_digitise", **fields) == Decision.ALLOW
