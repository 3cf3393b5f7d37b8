"""What the twenty-ninth blind set showed the screening must read: worthiness and trust
scores deciding credit or service, a reading list about emotion AI, an exam hall's furniture,
a door reader's and a camera's maintenance, a cartoon's face written as "toon: …", idle
pickers and misconduct, a force's watchlist, relevance to a claim, a household that appears
eligible, and that "wl" in a purpose code may be wildlife."""

from __future__ import annotations

import pytest

from governance.engine import Decision
from tests.governance.test_screening_wording import decide_labels, fired_rules


def test_worthiness_and_trust_scores_deciding_service_are_social_scoring() -> None:
    labels = ["worthy shopper - extend credit", "unworthy - refuse entry", "trust score low"]
    decision, rules = fired_rules(labels, purpose="member_tiering_v2", deployment_context="retail")
    assert decision == Decision.DENY
    assert "ART5-1C-SOCIAL-SCORING" in rules


def test_a_reading_list_about_emotion_ai_reads_no_ones_emotion() -> None:
    labels = ["journal article first page", "book chapter", "slides handout"]
    fields = {"deployment_context": "education", "data_categories": ["documents"]}
    assert decide_labels(labels, purpose="affect_ai_course_readlist", **fields) == (Decision.ALLOW)


def test_an_exam_halls_furniture_is_no_assessment() -> None:
    labels = ["desks 1.25m apart", "clock visible", "invigilator desk set"]
    fields = {"deployment_context": "education", "data_categories": ["scenes"]}
    assert decide_labels(labels, purpose="exam_room_setup", **fields) == Decision.ALLOW
    # Marks given in the same hall still are.
    decision, rules = fired_rules(["grade A", "grade B"], purpose="exam_room_setup", **fields)
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-3-EDUCATION" in rules


@pytest.mark.parametrize(
    ("purpose", "labels"),
    [
        ("biometric_door_audit", ["fingerprint reader installed", "keypad", "door handle"]),
        ("cctv_cam_maint", ["lens cracked", "dome dirty", "ok"]),
    ],
)
def test_the_maintenance_of_readers_and_cameras_is_about_things(
    purpose: str, labels: list[str]
) -> None:
    fields = {"deployment_context": "workplace", "data_categories": ["products"]}
    assert decide_labels(labels, purpose=purpose, **fields) == Decision.ALLOW


def test_a_cartoons_face_in_key_value_labels_is_no_persons_emotion() -> None:
    labels = ["toon: angry face", "toon: crying", "toon: neutral"]
    fields = {"deployment_context": "media", "data_categories": ["other"]}
    assert decide_labels(labels, purpose="studio_frame_tags", **fields) == Decision.ALLOW
    # A key that names no depiction leaves the value read on its own.
    decision, rules = fired_rules(
        ["viewer: angry face", "viewer: calm"],
        purpose="studio_frame_tags",
        deployment_context="media",
        data_categories=["faces"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-1C-EMOTION-RECOGNITION" in rules


@pytest.mark.parametrize(
    "labels", [["picker idle >5min", "picker active"], ["misconduct shown", "no misconduct"]]
)
def test_idle_pickers_and_misconduct_are_worker_monitoring(labels: list[str]) -> None:
    decision, rules = fired_rules(labels, purpose="dc_floor_review", deployment_context="workplace")
    assert decision == Decision.REQUIRE_APPROVAL
    assert "ANNEX3-4-EMPLOYMENT" in rules


def test_live_matching_against_a_forces_watchlist_in_a_square_is_prohibited() -> None:
    decision, rules = fired_rules(
        ["realtime cam 2 market sq", "match against force watchlist"],
        purpose="plaza_feed_v2",
        deployment_context="public_space",
        task="image_to_image_search",
        data_categories=["faces"],
    )
    assert decision == Decision.DENY
    assert "ART5-1H-REALTIME-REMOTE-BIOMETRIC-ID" in rules


@pytest.mark.parametrize(
    ("labels", "context", "rule"),
    [
        (["relevant to claim", "irrelevant", "possibly altered"], "justice", "ANNEX3-8"),
        (["household appears eligible", "needs caseworker"], "essential_services", "ANNEX3-5"),
    ],
)
def test_relevance_to_a_claim_and_apparent_eligibility_decide_about_people(
    labels: list[str], context: str, rule: str
) -> None:
    decision, rules = fired_rules(
        labels,
        purpose="exhibit_memo_v2",
        deployment_context=context,
        data_categories=["documents", "scenes"],
    )
    assert decision == Decision.REQUIRE_APPROVAL
    assert any(fired.startswith(rule) for fired in rules)


def test_wl_in_a_purpose_code_is_not_read_as_a_watchlist() -> None:
    labels = ["red deer", "wild boar", "fox", "badger", "empty frame"]
    fields = {"data_categories": ["animals", "scenes"]}
    assert decide_labels(labels, purpose="wl_camtrap_sort", **fields) == Decision.ALLOW
