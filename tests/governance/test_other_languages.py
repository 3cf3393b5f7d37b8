# ruff: noqa: RUF001 (Turkish words are written with the dotless i)
"""Prohibited requests are denied in other languages too; benign ones are never silently
allowed.

The screening's model reads English only, so a text in another language needs approval
(GOV-UNREADABLE-TEXT) unless the multilingual lexicon of the prohibited concepts
(``governance/rulebook/other_languages.yaml``) finds one of them: then it is denied. Text
in Latin letters that names no person, on images of things in an ordinary context, is
allowed with a note (GOV-OTHER-LANGUAGE-NOTED); another script always goes to a person.
"""

from __future__ import annotations

import pytest

from governance.engine import Decision, decide
from governance.rulebook import compile_other_language_term, wide_fold
from tests.governance.test_engine import fired, request

# (labels, context, the prohibited rule that must fire)
PROHIBITED = [
    (["persona de origen gitano", "persona"], "retail", "ART5-1G-RACE"),
    (["un homme noir", "un homme"], "general", "ART5-1G-RACE"),
    (["Frau mit Migrationshintergrund"], "general", "ART5-1G-RACE"),
    (["黑人顾客", "白人顾客"], "retail", "ART5-1G-RACE"),
    (["человек цыганской внешности"], "public_space", "ART5-1G-RACE"),
    (["donna musulmana", "donna cattolica"], "general", "ART5-1G-RELIGION"),
    (["مواطن مسيحي"], "general", "ART5-1G-RELIGION"),
    (["dindar kadın", "ateist kadın"], "general", "ART5-1G-RELIGION"),
    (["mulher lésbica"], "media", "ART5-1G-SEXUAL-ORIENTATION"),
    (["homosexuelle Frau"], "general", "ART5-1G-SEXUAL-ORIENTATION"),
    (["同性恋顾客"], "retail", "ART5-1G-SEXUAL-ORIENTATION"),
    (["성소수자 고객"], "retail", "ART5-1G-SEXUAL-ORIENTATION"),
    (["elettrice di destra"], "media", "ART5-1G-POLITICAL-OPINION"),
    (["kiezer van de PVV", "stemt op links"], "general", "ART5-1G-POLITICAL-OPINION"),
    (["siyasi görüşü solcu olan kişi"], "general", "ART5-1G-POLITICAL-OPINION"),
    (["délégué syndical", "salarié"], "workplace", "ART5-1G-TRADE-UNION"),
    (["członek związku zawodowego"], "workplace", "ART5-1G-TRADE-UNION"),
    (["член профсоюза"], "manufacturing", "ART5-1G-TRADE-UNION"),
    (["empleada aburrida", "empleada feliz"], "workplace", "ART5-1F-EMOTION-WORK-EDUCATION"),
    (["gestresster Mitarbeiter"], "workplace", "ART5-1F-EMOTION-WORK-EDUCATION"),
    (["生气的学生"], "education", "ART5-1F-EMOTION-WORK-EDUCATION"),
    (["موظف غاضب"], "workplace", "ART5-1F-EMOTION-WORK-EDUCATION"),
    (["sinirli öğrenci"], "education", "ART5-1F-EMOTION-WORK-EDUCATION"),
    (["wygląda na złodzieja"], "retail", "ART5-1D-CRIME-PREDICTION"),
    (["potentieel crimineel", "verdachte klant"], "retail", "ART5-1D-CRIME-PREDICTION"),
    (["潜在罪犯"], "public_space", "ART5-1D-CRIME-PREDICTION"),
    (["ciudadano poco fiable", "buen ciudadano"], "public_space", "ART5-1C-SOCIAL-SCORING"),
    (["низкий социальный рейтинг"], "general", "ART5-1C-SOCIAL-SCORING"),
]


@pytest.mark.parametrize(("labels", "context", "rule_id"), PROHIBITED)
def test_prohibited_requests_in_other_languages_are_denied(
    labels: list[str], context: str, rule_id: str
) -> None:
    outcome = decide(request(labels, context=context))
    assert outcome.decision == Decision.DENY, (labels, outcome.rules)
    assert rule_id in fired(request(labels, context=context))


@pytest.mark.parametrize(
    ("labels", "categories"),
    [
        (["perro negro", "gato feliz"], ["animals"]),
        (["schwarze Katze", "weiße Wand"], ["animals", "scenes"]),
        (["vestido negro", "vestido blanco"], ["products"]),
        (["红色连衣裙", "黑猫"], ["products"]),
        (["счастливая собака"], ["animals"]),
        (["mutlu köpek"], ["animals"]),
    ],
)
def test_benign_requests_in_other_languages_are_not_denied(
    labels: list[str], categories: list[str]
) -> None:
    """Nothing prohibited is found; what the screening reads only in part is noted or goes
    to a person, never allowed without a word."""
    outcome = decide(request(labels, purpose="product_tagging", categories=categories))
    assert outcome.decision != Decision.DENY, (labels, outcome.rules)
    fired_ids = {rule.id for rule in outcome.rules}
    assert fired_ids in ({"GOV-UNREADABLE-TEXT"}, {"GOV-OTHER-LANGUAGE-NOTED"}), fired_ids


@pytest.mark.parametrize(
    ("labels", "categories", "context", "expected"),
    [
        # Latin letters, no person, things, an ordinary context: allowed, with the note.
        (["ein Gabelstapler", "eine Palette"], ["products"], "manufacturing", "allow"),
        (["una iglesia", "una mezquita"], ["scenes"], "general", "allow"),
        # A city's bins and pavements, a school's workshop tools: things, no person.
        (["volle afvalbak", "schone stoep"], ["scenes"], "public_space", "allow"),
        (["een boormachine", "een soldeerbout"], ["products"], "education", "allow"),
        # Another script, symbols, a person word, people, documents or a context where
        # images of things can decide about people or safety: a person decides.
        (["红色连衣裙", "黑猫"], ["products"], "retail", "require_approval"),
        (["счастливая собака"], ["animals"], "general", "require_approval"),
        (["顧客の年齢", "shoes"], ["products"], "retail", "require_approval"),
        (["trabajador con casco"], ["products"], "manufacturing", "require_approval"),
        (["ein Gabelstapler", "eine Palette"], ["people"], "manufacturing", "require_approval"),
        (["Kontoauszug der Bank", "Lohnzettel"], ["documents"], "general", "require_approval"),
        (
            ["een kapotte kabel"],
            ["scenes"],
            "critical_infrastructure",
            "require_approval",
        ),
        (["een mes in de tas"], ["products"], "law_enforcement", "require_approval"),
    ],
)
def test_other_language_text_is_noted_or_goes_to_a_person(
    labels: list[str], categories: list[str], context: str, expected: str
) -> None:
    outcome = decide(
        request(labels, purpose="product_tagging", categories=categories, context=context)
    )
    assert outcome.decision.value == expected, outcome.rules
    fired_ids = {rule.id for rule in outcome.rules}
    if expected == "allow":
        assert fired_ids == {"GOV-OTHER-LANGUAGE-NOTED"}
    else:
        assert "GOV-UNREADABLE-TEXT" in fired_ids


def test_colour_words_deny_only_next_to_a_person() -> None:
    assert decide(request(["pessoa negra"], categories=["people"])).decision == Decision.DENY
    for thing in (["gato negro"], ["chat noir"], ["schwarzer Hund"]):
        outcome = decide(request(thing, categories=["people", "animals"]))
        assert outcome.decision != Decision.DENY, (thing, outcome.rules)


def test_english_words_that_look_like_other_languages_are_untouched() -> None:
    benign = request(
        [
            "content moderation queue",
            "a customer holding a blanket",
            "chinos",
            "china teacup",
            "homo sapiens skull",
            "the din of the crowd",
            "Donna Karan handbag",
        ],
        purpose="product_tagging",
        categories=["people", "products"],
    )
    assert decide(benign).decision == Decision.ALLOW


def test_other_language_terms_fold_like_the_text() -> None:
    assert wide_fold("Kızgın  İŞÇİ!") == "kizgin isci"
    assert wide_fold("ZŁY pracownik") == "zly pracownik"
    assert compile_other_language_term("مسلم").search(wide_fold("والمسلمون"))
    assert compile_other_language_term("同性恋").search(wide_fold("他是同性恋者吗"))
    assert not compile_other_language_term("gay").search(wide_fold("gayety"))
