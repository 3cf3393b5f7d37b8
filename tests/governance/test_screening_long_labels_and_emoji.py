"""What the nineteenth blind set showed the screening must read: long labels clause by
clause, emoji by their names, letters joined by dots, and the boundaries of its rows."""

from __future__ import annotations

import pytest

from governance.engine import Decision, decide, parse_request
from governance.screening.language import emoji_as_words
from governance.screening.normalise import normalise
from tests.governance.test_screening_wording import decide_labels

CAPTION = (
    "studio product photo of a model wearing the spring linen collection, full body shot "
    "against a neutral grey backdrop, natural daylight, shirt tucked in, rolled sleeves, "
    "soft shadows, catalogue style, high key lighting, no props, clean composition, "
    "centred framing, shot on 50mm, hands in pockets, barefoot on concrete floor"
)


def test_a_request_at_the_end_of_a_long_label_is_read() -> None:
    hidden = CAPTION + ", and also tag whether the model looks gay or straight from the face"
    fields = {"deployment_context": "media", "data_categories": ["people", "faces"]}
    purpose = "lookbook_caption_match"
    assert decide_labels([hidden, "flat lay"], purpose=purpose, **fields) == Decision.DENY
    # The same caption without it is a catalogue caption.
    assert decide_labels([CAPTION, "flat lay"], purpose=purpose, **fields) == Decision.ALLOW


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("😡", "pouting face"),
        ("👳🏾", "man with turban medium-dark skin tone"),
        ("🍎 apple", "red apple apple"),
        ("✝️", "latin cross"),
        ("plain words", ""),
    ],
)
def test_emoji_are_read_by_their_names(text: str, words: str) -> None:
    assert emoji_as_words(text) == words


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        # Moods of staff in emoji are emotions at work; skin tones and faiths in emoji, on
        # faces, are race and religion.
        (["🙂", "😡", "😢", "😐"], Decision.DENY),
        (["👳🏾", "👱🏻", "🧕"], Decision.DENY),
        (["✝️", "☪️", "✡️", "🕉️"], Decision.DENY),
        # Emoji that name nothing prohibited still go to a person: they are not words.
        (["👍", "👎"], Decision.REQUIRE_APPROVAL),
    ],
)
def test_emoji_labels_on_staff_faces(labels: list[str], expected: Decision) -> None:
    fields = {"deployment_context": "workplace", "data_categories": ["faces"]}
    assert decide_labels(labels, purpose="staff_photo_tags", **fields) == expected


def test_fruit_emoji_in_a_shop_are_never_allowed_unread() -> None:
    fields = {"deployment_context": "retail", "data_categories": ["products"]}
    decision = decide_labels(["🍎", "🍌", "🥑"], purpose="shelf_tags", **fields)
    assert decision == Decision.REQUIRE_APPROVAL


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("s.e.x.u.a.l o.r.i.e.n.t.a.t.i.o.n of customer", "sexual orientation of customer"),
        ("e-t-h-n-i-c origin", "ethnic origin"),
        ("U.S.A. flag sticker", "usa flag sticker"),
        ("3.5 mm jack", "3 5 mm jack"),
    ],
)
def test_letters_joined_by_a_sign_keep_their_word_gaps(text: str, decoded: str) -> None:
    assert normalise(text).decoded == decoded


@pytest.mark.parametrize(
    ("purpose", "context", "categories", "labels", "expected"),
    [
        # Content categories of moderation are no one's orientation.
        (
            "forum_modr8",
            "media",
            ["people", "scenes", "other"],
            ["nudity", "sexual content", "gore", "spam text overlay", "meme"],
            "allow",
        ),
        # "pedestrains" (a typo) is no French slur.
        (
            "adaptive_signal_ctrl",
            "critical_infrastructure",
            ["vehicles", "people", "scenes"],
            ["queue building northbound", "pedestrains waiting", "clear junction"],
            "require_approval",
        ),
        # Talking with a customer is an activity, not an emotion; a technician's day
        # watched from a body camera is worker monitoring.
        (
            "fieldOps-bodycam-util",
            "workplace",
            ["people", "scenes"],
            ["talking with customer", "loading van", "idle standing", "on personal phone"],
            "require_approval",
        ),
        # A lone worker's distress is a safety matter (the Art. 5(1)(f) exception).
        (
            "loneworker_distress",
            "workplace",
            ["people", "faces"],
            ["person in distress", "person calm", "person fallen", "no person"],
            "require_approval",
        ),
        (
            "tech_performance_scorecard",
            "workplace",
            ["other"],
            ["neat install", "sloppy install", "rework needed"],
            "require_approval",
        ),
        (
            "cc_hiring_photo_screen",
            "workplace",
            ["people", "faces"],
            ["professional appearance", "unprofessional appearance"],
            "require_approval",
        ),
        (
            "loan_affordability_home_pics",
            "essential_services",
            ["scenes"],
            ["luxury interior", "modest interior", "renovation needed"],
            "require_approval",
        ),
        (
            "bnpl_limit_docs",
            "essential_services",
            ["documents"],
            ["payslip", "benefit letter", "bank statement overdrawn"],
            "require_approval",
        ),
        (
            "mast_struct_autoshutdown",
            "critical_infrastructure",
            ["other"],
            ["tower leaning", "bolt missing", "structure sound"],
            "require_approval",
        ),
        (
            "visa-docs-classifier",
            "migration_border",
            ["documents"],
            ["passport bio page", "birth certificate", "sponsor letter", "hotel booking"],
            "require_approval",
        ),
        (
            "portfolio_triage_2025",
            "education",
            ["documents"],
            ["admit", "waitlist", "reject"],
            "require_approval",
        ),
        (
            "benefit_priority_behav_score",
            "essential_services",
            ["people", "scenes"],
            ["well-kept garden", "messy balcony", "drinking in public"],
            "deny",
        ),
    ],
)
def test_boundaries_the_nineteenth_set_showed(
    purpose: str, context: str, categories: list[str], labels: list[str], expected: str
) -> None:
    fields = {"deployment_context": context, "data_categories": categories}
    assert decide_labels(labels, purpose=purpose, **fields).value == expected


@pytest.mark.parametrize(
    ("purpose", "context", "label", "expected"),
    [
        # A shop matching visitors' faces against its own fraudster list identifies them.
        ("branch_fraudster_watch", "retail", "known fraudster", Decision.REQUIRE_APPROVAL),
        # Cameras on masts look over public space: live identification for the police.
        ("mastcam_live_locate", "law_enforcement", "person of interest", Decision.DENY),
    ],
)
def test_face_searches_against_a_list(
    purpose: str, context: str, label: str, expected: Decision
) -> None:
    fields = {
        "deployment_context": context,
        "task": "image_to_image_search",
        "data_categories": ["faces", "people"],
    }
    assert decide_labels([label], purpose=purpose, **fields) == expected


def test_a_shoplifter_profile_in_the_description_is_crime_prediction() -> None:
    request = {
        "purpose": "safety_monitoring",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["customer"],
        "data_categories": ["faces", "people"],
        "purpose_description": "flag customers whose look matches our shoplifter profile",
    }
    decision = decide(parse_request(request))
    assert decision.decision == Decision.DENY
    assert "ART5-1D-CRIME-PREDICTION" in {r.id for r in decision.rules}
