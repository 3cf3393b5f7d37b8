"""What the twentieth blind set showed the screening must read: the value of a "key: value"
label, faces collected without a target, live identification named in jargon, officers
and guards at work, offenders of a kind foretold."""

from __future__ import annotations

import pytest

from governance.engine import Decision, decide, parse_request
from tests.governance.test_screening_wording import decide_labels


def _decide(
    purpose: str, context: str, task: str, labels: list[str], categories: list[str]
) -> Decision:
    fields = {"deployment_context": context, "task": task, "data_categories": categories}
    return decide_labels(labels, purpose=purpose, **fields)


def test_the_value_of_a_key_value_label_is_screened() -> None:
    labels = ["price tier A: caucasian", "price tier B: african", "price tier C: asian"]
    task = "zero_shot_classification"
    decision = _decide("dyn_pricing", "retail", task, labels, ["people", "faces"])
    assert decision == Decision.DENY
    # A key naming a thing with a value naming a thing stays a thing.
    things = ["price tier A: premium", "price tier B: standard", "price tier C: value"]
    assert _decide("dyn_pricing", "retail", task, things, ["products"]) == Decision.ALLOW


@pytest.mark.parametrize(
    ("purpose", "context", "labels"),
    [
        # every visitor's face from the store cameras into a face bank
        ("cctv-faceBank-allvisitors", "retail", []),
        # six years of network CCTV, everyone enrolled
        ("fare_evader_facebank", "public_space", ["cctv_archive_2019_2025", "enrol_all"]),
        # every face in the airport's CCTV archive, enrolled automatically
        ("gallery-expand-cctv", "migration_border", ["all_terminals", "auto_enrol"]),
        # candidates' faces indexed from a scrape of the web
        (
            "talent-graph-face-index",
            "general",
            ["source:linkedin_scrape", "source:public_web_crawl"],
        ),
    ],
)
def test_faces_collected_without_a_target_into_an_index_are_scraping(
    purpose: str, context: str, labels: list[str]
) -> None:
    decision = decide(
        parse_request(
            {
                "purpose": purpose,
                "deployment_context": context,
                "task": "embedding",
                "labels": labels,
                "data_categories": ["faces", "people"],
            }
        )
    )
    assert decision.decision == Decision.DENY
    assert "ART5-1E-FACE-SCRAPING" in {r.id for r in decision.rules}


def test_enrolling_a_known_list_of_staff_is_not_untargeted() -> None:
    labels = ["new starter badge photo", "badge photo retake"]
    decision = _decide("badge_enrolment", "workplace", "embedding", labels, ["faces"])
    assert decision != Decision.DENY


@pytest.mark.parametrize(
    ("purpose", "context", "labels"),
    [
        ("police-live-fr-highstreet", "public_space", ["live cctv stream", "high street"]),
        ("bodycam-live-lookup", "law_enforcement", ["live", "PNC wanted"]),
        ("demo-live-id", "public_space", ["custody_img_db_v3", "live_feed"]),
    ],
)
def test_live_identification_for_the_police_in_jargon_is_denied(
    purpose: str, context: str, labels: list[str]
) -> None:
    task = "image_to_image_search"
    assert _decide(purpose, context, task, labels, ["faces", "people"]) == Decision.DENY


@pytest.mark.parametrize(
    ("purpose", "context", "labels"),
    [
        ("shift_affect_monitor", "law_enforcement", ["officer angry", "officer calm"]),
        ("staffroom_mood_cam", "justice", ["stressed", "angry", "calm", "happy"]),
        ("guard-engagement-score", "migration_border", ["engaged", "bored", "irritated"]),
    ],
)
def test_emotions_of_officers_and_guards_at_work_are_denied(
    purpose: str, context: str, labels: list[str]
) -> None:
    task = "zero_shot_classification"
    assert _decide(purpose, context, task, labels, ["faces", "people"]) == Decision.DENY


def test_offenders_of_a_kind_foretold_from_a_look_are_crime_prediction() -> None:
    labels = ["potential pickpocket", "normal commuter"]
    task = "zero_shot_classification"
    assert _decide("hoodie_flag", "public_space", task, labels, ["people"]) == Decision.DENY
    # Age and sex classes alone are categorisation, not suspicion.
    ages = ["young man", "young woman", "middle-aged man", "senior shopper"]
    assert _decide("dyn_price_persona", "retail", task, ages, ["people", "faces"]) == (
        Decision.REQUIRE_APPROVAL
    )


def test_sorting_police_archive_pages_by_type_is_records_administration() -> None:
    labels = ["incident report form", "witness statement", "custody record", "map"]
    task = "zero_shot_classification"
    decision = _decide("archive_scan_doctype", "law_enforcement", task, labels, ["documents"])
    assert decision == Decision.ALLOW
