"""Wordings the blind corpora showed the screening must read: jargon, names, obfuscation,
look-alikes, and purpose codes that must not excuse anything."""

from __future__ import annotations

import pytest

from governance.engine import Decision, PolicyDecision, decide, parse_request
from governance.screening.language import is_readable
from governance.screening.normalise import normalise

PEOPLE = ["people", "faces"]


def decision_on(labels: list[str], **fields: object) -> PolicyDecision:
    """The whole decision (rules fired, words matched) on a zero-shot request with
    ``labels`` (on images of people, for research, in the general context, unless
    ``fields`` say otherwise)."""
    raw: dict[str, object] = {
        "purpose": "research",
        "deployment_context": "general",
        "task": "zero_shot_classification",
        "labels": labels,
        "data_categories": PEOPLE,
        **fields,
    }
    return decide(parse_request(raw))


def decide_labels(labels: list[str], **fields: object) -> Decision:
    """The decision alone on such a request (see ``decision_on``)."""
    return decision_on(labels, **fields).decision


def fired_rules(labels: list[str], **fields: object) -> tuple[Decision, set[str]]:
    """The decision on such a request and the ids of the rules that fired."""
    decision = decision_on(labels, **fields)
    return decision.decision, {rule.id for rule in decision.rules}


@pytest.mark.parametrize(
    "text",
    [
        "pneumothorax",
        "adenocarcinoma",
        "dermatofibroma",
        "seborrhoeic keratosis",
        "microaneurysms",
        "underproofed",
        "delamination",
        "en-suite bathroom",
        "Diwali diya lamp",
        "Ziehl-Neelsen stain",
    ],
)
def test_english_jargon_and_names_are_readable(text: str) -> None:
    assert is_readable(text)


@pytest.mark.parametrize(
    "text",
    ["hombre triste", "trabajador enojado", "persona negra", "les hommes", "Schwarze Katze"],
)
def test_other_languages_stay_unreadable(text: str) -> None:
    """The large dictionaries list "hombre" or "triste"; the screening must not take such
    text for English, nor split "trabajador" into the syllables "tra" + "bajador"."""
    assert not is_readable(text)


def test_base64_and_wide_spaced_letters_are_decoded() -> None:
    assert normalise("bXVzbGlt").decoded == "muslim"
    assert normalise("a n g r y  e m p l o y e e").decoded == "angry employee"
    assert normalise("Notebook").decoded == "notebook"  # valid base64, but not of words
    assert decide_labels(["bXVzbGlt", "Y2hyaXN0aWFu"]) == Decision.DENY


@pytest.mark.parametrize(
    ("labels", "categories"),
    [
        (["Gothic cathedral", "mosque with minaret", "Buddhist pagoda"], ["scenes"]),
        (["Buddhist thangka", "Islamic calligraphy panel", "Byzantine icon"], ["other"]),
        (["left wing leading-edge dent", "right wing flap corrosion"], ["vehicles"]),
        (["Gay Street sign in Knoxville", "the Enola Gay bomber on display"], ["scenes"]),
        (["religion and spirituality", "LGBTQ+ fiction", "cookery"], ["products"]),
        (["male chick", "female chick"], ["animals"]),
        (["disabled parking bay", "EV charging bay"], ["vehicles", "scenes"]),
        (["face with tears of joy emoji", "angry face emoji"], ["other"]),
        (["pedestrian crossing", "pedestrian bridge"], ["scenes"]),
    ],
)
def test_look_alikes_are_allowed(labels: list[str], categories: list[str]) -> None:
    assert decide_labels(labels, data_categories=categories) == Decision.ALLOW


@pytest.mark.parametrize(
    "labels",
    [
        ["immigrant-looking customer", "native-looking customer"],
        ["model resident", "nuisance resident"],
        ["respectable family", "problem family"],
        ["Leave supporter", "Remain supporter"],
        ["probably fasts during Ramadan", "probably does not fast"],
        ["troublemaker likely to unionise", "team player"],
    ],
)
def test_paraphrases_of_prohibited_uses_are_denied(labels: list[str]) -> None:
    assert decide_labels(labels) == Decision.DENY


def test_low_morale_at_work_is_an_emotion_and_a_purpose_code_cannot_excuse_it() -> None:
    """ "team_health_check" names health, but a purpose code's own words only add concerns:
    the medical or safety exception needs a real reason in the request."""
    labels = ["team morale high", "team morale low"]
    assert decide_labels(labels, deployment_context="workplace") == Decision.DENY
    assert (
        decide_labels(labels, deployment_context="workplace", purpose="team_health_check")
        == Decision.DENY
    )


def test_one_search_query_with_a_smile_is_a_kind_of_picture() -> None:
    """Recital 18: one query for a smiling chef searches for a kind of picture; two
    queries contrasting expressions tell people apart."""
    one = ["a smiling chef plating a dessert", "a barista pouring latte art"]
    assert decide_labels([], task="text_to_image_search", queries=one) == Decision.ALLOW
    two = ["a smiling shopper", "a frowning shopper"]
    assert decide_labels([], task="text_to_image_search", queries=two) == Decision.REQUIRE_APPROVAL


def test_contexts_about_people_allow_images_without_people() -> None:
    found = ["umbrella", "wallet", "mobile phone"]
    assert decide_labels(
        found, deployment_context="law_enforcement", data_categories=["products"]
    ) == (Decision.ALLOW)
    seized = ["seized knife", "seized firearm"]
    assert decide_labels(
        seized, deployment_context="law_enforcement", data_categories=["products"]
    ) == (Decision.REQUIRE_APPROVAL)
    assert decide_labels(found, deployment_context="law_enforcement") == Decision.REQUIRE_APPROVAL


def test_influencing_voters_needs_approval() -> None:
    labels = ["persuades undecided voters", "no effect"]
    assert decide_labels(labels, data_categories=["other"]) == Decision.REQUIRE_APPROVAL


def test_police_border_and_court_words_need_people_documents_or_evidence() -> None:
    furniture = ["office chair", "desk", "laptop"]
    register = "Asset register for the police station's furniture, for the police."
    assert (
        decide_labels(furniture, data_categories=["products"], purpose_description=register)
        == Decision.ALLOW
    )
    buildings = ["courthouse facade", "courtroom interior"]
    assert decide_labels(buildings, data_categories=["scenes"]) == Decision.ALLOW
    application = ["asylum application form", "other form"]
    assert decide_labels(application, data_categories=["documents"]) == Decision.REQUIRE_APPROVAL
    smuggling = ["lorry with smuggled goods", "ordinary lorry"]
    queue = "Count lorries at the border crossing."
    assert (
        decide_labels(smuggling, data_categories=["vehicles"], purpose_description=queue)
        == Decision.REQUIRE_APPROVAL
    )


def test_an_english_word_is_no_other_language_cue() -> None:
    """ "figure" or "profile" are not French or German thing words here: the description
    is about people and their political leaning."""
    description = "figure out which of our users lean right politically from their profile selfies"
    assert (
        decide_labels(
            ["user profile photo"], data_categories=["faces"], purpose_description=description
        )
        == Decision.DENY
    )


@pytest.mark.parametrize(
    ("labels", "categories"),
    [
        (
            ["trade union conference programme", "restaurant menu", "church newsletter"],
            ["documents"],
        ),
        (["nude seamless bra", "skin-tone shapewear", "black lace bralette"], ["products"]),
        (["empty aisle", "one shopper", "small group of shoppers", "queue at checkout"], PEOPLE),
        (["open-plan living room", "en-suite", "conservatory"], ["scenes"]),
    ],
)
def test_more_look_alikes_are_allowed(labels: list[str], categories: list[str]) -> None:
    assert decide_labels(labels, data_categories=categories) == Decision.ALLOW


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["employee with migrant background", "employee without migrant background"], "deny"),
        (
            ["resident with good community standing", "resident with poor community standing"],
            "deny",
        ),
        (["likely drug mule", "regular traveller"], "deny"),
        (["shopper in their twenties", "shopper over sixty"], "require_approval"),
        (
            ["passenger with mobility impairment", "passenger without assistance need"],
            "require_approval",
        ),
    ],
)
def test_more_paraphrases_are_caught(labels: list[str], expected: str) -> None:
    assert decide_labels(labels).value == expected
