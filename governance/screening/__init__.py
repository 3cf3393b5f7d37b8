"""Screening of a job's labels, queries and purpose description, by words and by meaning.

Every text is normalised (``normalise``), checked for readability (``language``), matched
against the rulebook's lexicons, and compared by meaning with each concept's exemplar
phrases (``meaning``). What a text is about matters: an angry dog is not an angry person,
so concepts about people need a person as the text's subject. The subject is the head (last
noun) of the first noun compound holding a person word or non-person word ("a baby doll"
is a doll, "a truck driver" a person; a possessive such as "women's" in "women's shoes"
does not count); failing that, a person or thing word of another language; a text with
none is about a person when the job's data categories include people or faces.

Other languages: the English lexicons and model cannot read them (such text needs
approval), but the rulebook's multilingual lexicons of the prohibited concepts are matched
on every text, so a prohibited request is denied in any of the languages they cover.

The result lists which concepts were found on which words of the request. Text that tries
to instruct the screening is just more text to screen: nothing in a request can switch a
check off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from governance.rulebook import Concept, OtherLanguageLexicon, Rulebook, Term, wide_fold
from governance.screening.language import (
    emoji_as_words,
    is_english_only,
    is_other_script,
    is_readable,
    rejoin_split_words,
    without_abbreviations,
)
from governance.screening.meaning import ScreeningUnavailable, exemplar_index
from governance.screening.normalise import NormalisedText, fold, normalise
from governance.taxonomy import PERSON_DATA_CATEGORIES, THING_DATA_CATEGORIES

logger = logging.getLogger(__name__)

EXPRESSION_CONCEPT = "facial_expression"
EMOTION_CONCEPT = "emotion"
DRESS_CONCEPT = "religious_dress"
BELIEF_CONCEPT = "religion_belief"
_SENTENCE_END = re.compile(r"(?<=[.!?;:\n])\s+|\n+")
_MAX_CLAUSE_WORDS = 30
# Words between a person word and an adjective about them: "the man is black".
_COPULA = frozenset(
    {"is", "are", "was", "were", "who", "that", "looks", "look", "seems", "appears"}
)
_PERSON_WINDOW = 2
# Words that end a noun compound: a cue after one of these starts a new phrase ("a man
# with a dog" is about the man; "a baby doll" and "a truck driver" are about their last noun).
_PHRASE_BREAKS = _COPULA | frozenset(
    """
    a an the with and or in on at of near by to from for beside next behind under over
    into onto while has have had holding wearing carrying riding walking
    """.split()  # noqa: SIM905
)
_ARTICLES = frozenset({"a", "an", "the"})
# Words that make a whole text about a thing, whatever else it names: an emoji of a crying
# face is a picture, not a person.
_ALWAYS_THINGS = frozenset({"emoji", "emojis", "emoticon", "emoticons"})
_PREPOSITIONS = frozenset(
    "at on in near by to from for beside behind under over into onto with of".split()  # noqa: SIM905
)
# "hoodie-wearing", "knife-carrying", "suit-clad": the thing qualifies the person after it.
_COMPOUND_ADJECTIVE_ENDS = frozenset({"wearing", "clad", "carrying", "wielding", "toting"})
# A label that starts with one of these, on images of people, is about whoever it describes.
_WEARER_STARTS = frozenset({"wearing", "wears", "dressed", "carrying", "carries", "sporting"})

# Nouns ending in "-ing" that, unlike a verb ("adult wearing a cap"), keep a noun compound
# going ("adult herring gull").
_ING_NOUNS = frozenset(
    """
    herring herrings ring rings king wing wings string ceiling pudding duckling morning
    evening building clothing bedding icing awning railing shilling sterling
    """.split()  # noqa: SIM905
)


class Source(StrEnum):
    LABEL = "label"
    QUERY = "query"
    DESCRIPTION = "description"
    PURPOSE = "purpose"  # the words of a purpose that is not a taxonomy code


# Sources that list alternatives (labels, queries): one expression among them describes a
# picture, two or more tell people apart.
_LISTED = frozenset({Source.LABEL, Source.QUERY})


class Subject(StrEnum):
    PERSON = "person"
    NON_PERSON = "non_person"
    UNSTATED = "unstated"


@dataclass(frozen=True)
class Finding:
    """A concept found in one text of the request."""

    concept: str
    evidence: str  # the words of the request that triggered it
    source: Source
    how: str  # "lexicon: <term>" or "meaning: <exemplar> (0.71)"
    # Found by a lexicon of another language: the text is read only through those terms.
    other_language: bool = False


@dataclass(frozen=True)
class ScreeningResult:
    findings: tuple[Finding, ...]

    def evidence(self, concept: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.evidence for f in self.findings if f.concept == concept))

    @property
    def concepts(self) -> frozenset[str]:
        return frozenset(f.concept for f in self.findings)


@dataclass(frozen=True)
class _Text:
    original: str
    source: Source
    norm: NormalisedText
    subject: Subject
    person_spans: tuple[tuple[int, int], ...]  # in norm.decoded


def split_description(description: str) -> list[str]:
    """Sentences of a description, long ones cut at commas, for screening one by one."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(description):
        sentence = sentence.strip()
        if not sentence:
            continue
        if len(sentence.split()) > _MAX_CLAUSE_WORDS:
            pieces.extend(p.strip() for p in sentence.split(",") if p.strip())
        else:
            pieces.append(sentence)
    return pieces


def _parts_read_alone(text: str, depictions: frozenset[str] = frozenset()) -> list[str]:
    """Parts of a label or query screened on their own as well as the whole of it:

    - the clauses of a long one, so that what its opening is about ("studio product photo
      of a model …") cannot hide a request further on ("… and tag whether the model looks
      gay");
    - the value of "key: value" ("price tier A: caucasian": the key names a thing, the
      value sorts people), unless the key names a depiction ("toon: angry face" is a
      cartoon's face);
    - its emoji by their names ("😡" is "pouting face"); the emoji themselves are still
      noted as text the screening cannot read.
    """
    parts = (
        [c for c in split_description(text) if c != text]
        if len(text.split()) > _MAX_CLAUSE_WORDS
        else []
    )
    key, _, value = (part.strip() for part in text.rpartition(":"))
    depicted = fold(key) in depictions
    if value and value != text.strip() and any(c.isalpha() for c in value) and not depicted:
        parts.append(value)
    named = emoji_as_words(text)
    if named:
        parts.append(named)
    return parts


def _alternation(terms: Iterable[Term]) -> re.Pattern[str]:
    texts = sorted({t.text for t in terms}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in texts)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


_SUBJECT_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _subject_patterns(rulebook: Rulebook) -> tuple[re.Pattern[str], re.Pattern[str]]:
    patterns = _SUBJECT_PATTERNS.get(rulebook.version)
    if patterns is None:
        patterns = (
            _alternation(rulebook.subjects.person),
            _alternation(rulebook.subjects.non_person),
        )
        _SUBJECT_PATTERNS[rulebook.version] = patterns
    return patterns


def _is_modifier(text: str, start: int, end: int) -> bool:
    """A possessive ("women's"), a "for …" phrase ("shoes for kids") or a thing in a
    compound adjective ("hoodie-wearing teen") only qualifies a noun."""
    following = text[end:].split()[:1]
    return (
        text[end : end + 1] == "'"
        or text[max(0, start - 4) : start] == "for "
        or (bool(following) and following[0] in _COMPOUND_ADJECTIVE_ENDS)
    )


def _subject(
    text: str, rulebook: Rulebook, people_data: bool
) -> tuple[Subject, tuple[tuple[int, int], ...]]:
    """What ``text`` is about, and where its person words are.

    The first noun compound with a cue decides, by its last cue (at one position the
    longer phrase: "smiley face" is no person): "a baby doll" and "a senior discount sign"
    are things, "a truck driver" is a person. A possessive or "for …" cue only counts when
    no other cue follows ("the shopper's race" is about the shopper, "women's shoes" about
    shoes). A text naming an emoji is about the emoji.
    """
    words = text.split()
    if _ALWAYS_THINGS.intersection(words):
        return Subject.NON_PERSON, ()
    if people_data and words[:1] and words[0] in _WEARER_STARTS:
        # "wearing MAGA cap", "carrying a prayer mat": about whoever wears or carries it.
        return Subject.PERSON, ()
    person, non_person = _subject_patterns(rulebook)
    others = [m.span() for m in non_person.finditer(text)]
    people = [
        m.span()
        for m in person.finditer(text)
        if not any(o_start <= m.start() and m.end() <= o_end for o_start, o_end in others)
    ]
    cues = sorted(
        [(start, start - end, Subject.PERSON, start, end) for start, end in people]
        + [(start, start - end, Subject.NON_PERSON, start, end) for start, end in others]
    )
    main = [cue for cue in cues if not _is_modifier(text, cue[3], cue[4])]
    if main:
        return (
            _compound_head(text, main, rulebook.screening.depiction_words),
            tuple(people),
        )
    if people:
        return Subject.PERSON, tuple(people)
    if others:
        return Subject.NON_PERSON, ()
    return (Subject.PERSON if people_data else Subject.UNSTATED), ()


def _compound_head(
    text: str,
    cues: Sequence[tuple[int, int, Subject, int, int]],
    depictions: frozenset[str] = frozenset(),
) -> Subject:
    """The kind of the last cue of the noun compound that starts at the first cue; after a
    depiction ("cartoon", "anime", "doll") the rest of the compound is what is depicted."""
    kind, end = cues[0][2], cues[0][4]
    for _, _, cue_kind, start, cue_end in cues[1:]:
        last_word = text[:end].split()[-1:]
        if kind == Subject.NON_PERSON and last_word and last_word[0] in depictions:
            break
        if start < end:
            continue  # a shorter cue inside the one already read
        if text[start:cue_end] in _PHRASE_BREAKS:
            break  # "staff who show signs": "who" starts a clause about the staff
        between = text[end:start].split()
        if len(between) > 1 or any(
            w in _PHRASE_BREAKS or (w.endswith("ing") and w not in _ING_NOUNS) for w in between
        ):
            break
        kind, end = cue_kind, cue_end
    return kind


_ACTION_AFTER_PERSON = re.compile(r"\s*([a-z]{2,}ing)\b")
# A person word followed by the danger they are in ("child in unsafe situation", "toddler
# left unattended"): a content or safety category about the scene, not a class of people.
_DANGER_AFTER_PERSON = re.compile(
    r"\s+(in (an? )?(unsafe|dangerous|hazardous|risky|harmful) (situation|place|position|"
    r"setting|environment|context)s?|in danger|in peril|at risk|left (alone|unattended)|"
    r"unattended|unsupervised)\b"
)
# A colour word before "haired" or "eyed" ("brown-haired couple") is hair or eye colour
# (Recital 30), not a skin colour.
_HAIR_OR_EYES_AFTER = re.compile(r"\s*(haired|eyed|hair|eyes|bearded)\b")


def _is_category_label(text: _Text, people_data: bool) -> bool:
    """Could this zero-shot label name a class of people rather than describe a scene?

    Not when a person word is followed by what the person is doing ("a man jogging in the
    park", "a woman reading"); in data without people, only a bare person word ("man").
    """
    decoded = text.norm.decoded
    if any(
        _ACTION_AFTER_PERSON.match(decoded, end) or _DANGER_AFTER_PERSON.match(decoded, end)
        for _, end in text.person_spans
    ):
        return False
    words = [w for w in decoded.split() if w not in _ARTICLES]
    return people_data or len(words) <= 1


def _between_words(text: str) -> list[str]:
    return [w for w in text.split() if w not in {"'s", "'"}]


def _next_to_person(text: str, span: tuple[int, int], people: Sequence[tuple[int, int]]) -> bool:
    """Is the matched adjective right before a person word, or after "<person>'s" or
    "<person> is/looks"?"""
    start, end = span
    for p_start, p_end in people:
        if p_start >= end:
            between = _between_words(text[end:p_start])
            # A preposition ends the phrase: "sack race at family picnic" is no family's race.
            if len(between) <= _PERSON_WINDOW - 1 and not _PREPOSITIONS.intersection(between):
                return True
        elif p_end <= start:
            between = _between_words(text[p_end:start].replace("'s", " "))
            if len(between) <= _PERSON_WINDOW and all(w in _COPULA for w in between):
                return True
    return False


def _first_match(
    terms: Sequence[Term], variants: Sequence[str]
) -> tuple[Term, str, re.Match[str]] | None:
    for variant in variants:
        for term in terms:
            match = term.pattern.search(variant)
            if match:
                return term, variant, match
    return None


def _lexicon_findings(
    concept: Concept, text: _Text, *, zero_shot: bool, people_data: bool
) -> list[Finding]:
    variants = text.norm.variants
    person_subject = text.subject == Subject.PERSON
    found: list[tuple[Term, re.Match[str]]] = []
    if not (concept.about_people and text.subject == Subject.NON_PERSON):
        hit = _first_match(concept.terms, variants)
        if hit:
            found.append((hit[0], hit[2]))
    if person_subject and not found:
        hit = _first_match(concept.person_terms, variants)
        if hit:
            found.append((hit[0], hit[2]))
    if text.person_spans and not found:
        for term in concept.explicit_person_terms:
            match = term.pattern.search(text.norm.decoded)
            if (
                match
                and not _HAIR_OR_EYES_AFTER.match(text.norm.decoded, match.end())
                and _next_to_person(text.norm.decoded, match.span(), text.person_spans)
            ):
                found.append((term, match))
                break
    if (
        zero_shot
        and text.source == Source.LABEL
        and person_subject
        and not found
        and concept.label_terms
        and _is_category_label(text, people_data)
    ):
        hit = _first_match(concept.label_terms, variants)
        if hit:
            found.append((hit[0], hit[2]))
    return [
        Finding(
            concept=concept.name,
            evidence=text.original if text.source != Source.DESCRIPTION else match.group(),
            source=text.source,
            how=f"lexicon: {term.text}",
        )
        for term, match in found
    ]


def screen(
    *,
    labels: Sequence[str],
    queries: Sequence[str],
    description: str,
    task: str,
    data_categories: Sequence[str],
    rulebook: Rulebook,
    purpose_words: str = "",
) -> ScreeningResult:
    """Find the rulebook's concepts in a job's texts (see the module docstring)."""
    people_data = bool(PERSON_DATA_CATEGORIES & set(data_categories))
    zero_shot = task == "zero_shot_classification"
    given = [(t, Source.LABEL) for t in labels] + [(t, Source.QUERY) for t in queries]
    raw: list[tuple[str, Source]] = list(given)
    depictions = rulebook.screening.depiction_words
    raw += [
        (part, source) for text, source in given for part in _parts_read_alone(text, depictions)
    ]
    raw += [(t, Source.DESCRIPTION) for t in split_description(description)]
    if purpose_words.strip():
        raw.append((purpose_words, Source.PURPOSE))
    texts: list[_Text] = []
    for original, source in dict.fromkeys(raw):
        norm = _rejoined(normalise(original))
        if source == Source.PURPOSE:
            subject, person_spans = _purpose_subject(norm.decoded, rulebook, people_data)
            asked = [t for t in texts if t.source in (Source.LABEL, Source.QUERY)]
            if asked and not person_spans and all(t.subject == Subject.NON_PERSON for t in asked):
                # A purpose code is about what its labels are about when every one names a
                # thing: "race_classifier" over race cars and horse races.
                subject = Subject.NON_PERSON
        else:
            subject, person_spans = _subject(norm.decoded, rulebook, people_data)
        if not person_spans:
            subject = _other_language_subject(original, rulebook, subject)
        texts.append(_Text(original, source, norm, subject, person_spans))

    findings: list[Finding] = []
    readable: list[_Text] = []
    for text in texts:
        as_read = (
            without_abbreviations(text.original) if text.source == Source.PURPOSE else text.original
        )
        if is_readable(as_read):
            readable.append(text)
        else:
            findings.append(
                Finding("unreadable_text", text.original, text.source, "language or script")
            )
            if is_other_script(text.original):
                findings.append(
                    Finding("other_script_text", text.original, text.source, "script or symbols")
                )
            if text.subject == Subject.PERSON:
                findings.append(
                    Finding(
                        "unreadable_person_text",
                        text.original,
                        text.source,
                        "language or script, about a person",
                    )
                )
        for concept in rulebook.concepts.values():
            findings.extend(
                _lexicon_findings(concept, text, zero_shot=zero_shot, people_data=people_data)
            )
        findings.extend(_other_language_findings(text, rulebook, people_data=people_data))
    findings.extend(_meaning_findings(readable, rulebook))
    findings.extend(_signs_telling_people_apart(findings))
    findings.extend(_emotions_beyond_safety(findings, rulebook))
    findings.extend(_what_is_pictured(texts, data_categories, findings))
    findings.extend(_hair_or_eye_colours_only([t for t, _ in given], data_categories))
    return ScreeningResult(findings=tuple(dict.fromkeys(findings)))


# Data categories of images that show a person (a patient, in medical images).
_PICTURING_PEOPLE = frozenset({"people", "faces", "medical_images"})
# Data categories of images of things alone (scenes may hold passers-by, documents and
# "other" images people's photos or work).
_ONLY_THINGS = THING_DATA_CATEGORIES - {"scenes"}
_COLOUR = (
    r"(?:red|ginger|auburn|strawberry blonde?|blonde?|brown|black|jet black|dark|light|grey|gray"
    r"|white|silver|platinum|green|blue|hazel|amber|chestnut|brunette?|pink|purple|violet"
    r"|copper|honey|dyed|natural|bleached)"
)
_EYE_OR_HAIR = r"(?:hair(?:ed)?|eyes?|eyed|iris|irises)"
# A hair or eye colour, and nothing else: "dark brown hair", "blue-eyed", "eye colour: hazel".
_HAIR_OR_EYE_COLOUR = re.compile(
    rf"(?:{_COLOUR}[\s-]+)*{_COLOUR}[\s-]*{_EYE_OR_HAIR}(?: colou?rs?)?"
    rf"|(?:hair|eyes?|iris)(?: colou?rs?)?\W+(?:{_COLOUR}[\s-]*)+"
    r"|redhead|brunette|blonde?"
)
# A colour alone ("auburn", "grey/silver"), read as one when another label names the hair
# or eyes it is the colour of.
_BARE_COLOUR = re.compile(rf"{_COLOUR}(?:\W+{_COLOUR})*")


def _hair_or_eye_colours_only(
    given: Sequence[str], data_categories: Sequence[str]
) -> list[Finding]:
    """``hair_or_eye_colours_only``: people or faces are pictured, and every label or query,
    read whole, is a hair or eye colour ("red hair", "eye colour: hazel", or "auburn" beside
    them): no protected trait (Recital 30)."""
    categories = set(data_categories) & {"people", "faces"}
    if not given or not categories:
        return []
    folded = [fold(text).strip() for text in given]
    named = [text for text in folded if _HAIR_OR_EYE_COLOUR.fullmatch(text)]
    if not named or not all(t in named or _BARE_COLOUR.fullmatch(t) for t in folded):
        return []
    evidence = ", ".join(sorted(categories))
    return [Finding("hair_or_eye_colours_only", evidence, Source.LABEL, "labels")]


def _what_is_pictured(
    texts: Sequence[_Text], data_categories: Sequence[str], findings: Sequence[Finding]
) -> list[Finding]:
    """Facts about the images, from the data categories and the labels or queries:

    - ``nothing_about_people``: no category shows people, and every label and query is
      about a thing ("grumpy cat", "angry face emoji", "adult herring gull"); with no
      labels or queries, the images show products, vehicles or animals alone;
    - ``only_things_pictured``: the images show products, vehicles or animals only, so a
      person word among the labels names whom a thing is for ("Baby" department, "young
      adult" books), not a pictured person (a face in such a dataset quarantines the
      asset); not when words of another language were found, which are read only through
      the lexicons;
    - ``rooms_and_things_only``: as ``nothing_about_people``, on images of scenes,
      products, vehicles or animals only (no documents or "other" images: someone's work);
    - ``people_among_things``: people appear among other things (people with scenes,
      products or vehicles; no faces), and the job has labels or queries to screen;
    - ``people_not_at_work``: people are pictured (no faces), and no label or query names
      a worker, a pupil or their work ("deadlift", "blonde hair", but not "cashier idle").
    """
    asked = [t for t in texts if t.source in (Source.LABEL, Source.QUERY)]
    categories = set(data_categories)
    if not asked:
        # An embedding or image search of products, vehicles or animals alone: "pet face
        # match" looks at no person (a face found in such a dataset quarantines the asset).
        if categories and categories <= _ONLY_THINGS:
            evidence = ", ".join(sorted(categories))
            return [Finding("nothing_about_people", evidence, Source.LABEL, "data categories")]
        return []
    evidence = ", ".join(sorted(categories))
    facts: list[Finding] = []
    if not categories & _PICTURING_PEOPLE:
        # Words of another language are read only through the lexicons: "para hombre" may
        # be whom shoes are for, but a person checks.
        other_language = any(f.other_language for f in findings)
        if categories <= _ONLY_THINGS and not other_language:
            facts.append(Finding("only_things_pictured", evidence, Source.LABEL, "data categories"))
        if all(t.subject == Subject.NON_PERSON for t in asked):
            facts.append(Finding("nothing_about_people", evidence, Source.LABEL, "data categories"))
            if categories <= THING_DATA_CATEGORIES:
                facts.append(
                    Finding("rooms_and_things_only", evidence, Source.LABEL, "data categories")
                )
        return facts
    if "people" not in categories or categories & {"faces", "medical_images"}:
        return []
    if categories - _PICTURING_PEOPLE:
        facts.append(Finding("people_among_things", evidence, Source.LABEL, "data categories"))
    if not any(f.concept == "at_work_or_school" for f in findings):
        facts.append(Finding("people_not_at_work", evidence, Source.LABEL, "data categories"))
    return facts


def _purpose_subject(
    text: str, rulebook: Rulebook, people_data: bool
) -> tuple[Subject, tuple[tuple[int, int], ...]]:
    """What a purpose code's own words are about, its activity words left aside."""
    activity = rulebook.screening.purpose_activity_words
    kept = " ".join(w if w not in activity else "_" * len(w) for w in text.split(" "))
    return _subject(kept, rulebook, people_data)


def _rejoined(norm: NormalisedText) -> NormalisedText:
    """``norm`` read with words spelled in pieces put back together ("ha ppy em ploy ee");
    the text as it was stays a variant."""
    joined = rejoin_split_words(norm.decoded)
    if joined is None:
        return norm
    return NormalisedText(
        original=norm.original, plain=norm.plain, decoded=joined, decoded_alt=norm.decoded
    )


@dataclass(frozen=True)
class _TellingApart:
    """A marker that, used to tell people apart, counts as the concept it is a sign of."""

    marker: str
    sign_of: str
    how: str
    # Whether one mention outside the listed labels and queries (the purpose description)
    # is enough on its own.
    one_described_is_enough: bool


# Recital 18: detecting a readily apparent expression is not emotion recognition unless it is
# used to infer emotions; a garment is not a belief unless people are sorted by it. Each is
# taken to be so used when two or more zero-shot labels carry one ("smiling viewer" /
# "frowning viewer", "wears kippah" / "wears turban"), or two or more search queries do; a
# purpose description naming an expression is enough on its own. One query for "a smiling
# chef plating a dessert" searches a library for a kind of picture, and one label for
# "model wearing a hijab" tags a garment: neither sorts people.
_TELLING_PEOPLE_APART = (
    _TellingApart(
        EXPRESSION_CONCEPT, EMOTION_CONCEPT, "expression used to tell people apart", True
    ),
    _TellingApart(DRESS_CONCEPT, BELIEF_CONCEPT, "religious dress telling people apart", False),
)


def _signs_telling_people_apart(findings: Sequence[Finding]) -> list[Finding]:
    """Expressions and religious dress that the request uses to tell people apart, as the
    emotions (Art. 5(1)(f)) and beliefs (Art. 5(1)(g)) they are then signs of."""
    signs: list[Finding] = []
    for rule in _TELLING_PEOPLE_APART:
        marked = [
            f
            for f in findings
            if f.concept == rule.marker and (f.source in _LISTED or rule.one_described_is_enough)
        ]
        listed = {f.evidence for f in marked if f.source in _LISTED}
        signs.extend(
            Finding(rule.sign_of, f.evidence, f.source, f"{rule.how}: {f.how}")
            for f in marked
            if f.source not in _LISTED or len(listed) >= 2
        )
    return signs


# Concepts that make a label a safety matter rather than an emotion ("operator panicking",
# "driver drowsy").
_SAFETY_CONCEPTS = frozenset({"safety_state", "medical_safety"})


def _emotions_beyond_safety(findings: Sequence[Finding], rulebook: Rulebook) -> list[Finding]:
    """Emotion labels beside a safety label: "agent looks exhausted" among "frustrated",
    "bored" and "engaged" makes the fatigue a safety matter, not the rest. Reported when
    only labels or queries name a medical or safety reason (none in the description), for
    each listed emotion that is not itself a safety state or reason, nor the baseline the
    safety labels compare against ("operator calm at console")."""
    reasons = [f for f in findings if f.concept == "medical_safety"]
    if not reasons or any(f.source not in _LISTED for f in reasons):
        return []
    safety = {f.evidence for f in findings if f.concept in _SAFETY_CONCEPTS}
    baseline = rulebook.screening.baseline_state_words
    return [
        Finding("emotions_beyond_safety", f.evidence, f.source, "emotion beside a safety label")
        for f in findings
        if f.concept == EMOTION_CONCEPT
        and f.source in _LISTED
        and f.evidence not in safety
        and not baseline.intersection(fold(f.evidence).split())
    ]


def _other_language_subject(original: str, rulebook: Rulebook, subject: Subject) -> Subject:
    """With no English person word, a person or thing word of another language decides
    ("gato negro" is about a cat, "persona triste" about a person); an English thing word
    stays a thing."""
    other = rulebook.other_languages
    wide = wide_fold(original)
    if subject != Subject.NON_PERSON and _names_any(other.person_words, wide):
        return Subject.PERSON
    if _names_any(other.non_person_words, wide):
        return Subject.NON_PERSON
    return subject


def _names_any(words: Sequence[Term], wide: str) -> bool:
    """Does ``wide`` hold one of ``words``, other than as an English word ("figure")?"""
    return any(
        not is_english_only(match.group())
        for word in words
        for match in word.pattern.finditer(wide)
    )


def _other_language_findings(
    text: _Text, rulebook: Rulebook, *, people_data: bool
) -> list[Finding]:
    """Concepts found by the other-language lexicons (see ``OtherLanguageLexicon``).

    A text names a person when it holds a person word of any language; it is plainly about
    a thing when its English head word is a thing, or it holds a thing word and no person
    word.
    """
    other = rulebook.other_languages
    if not other.concepts:
        return []
    wide = wide_fold(text.original)
    names_person = bool(text.person_spans) or _names_any(other.person_words, wide)
    # An English thing as the head word wins ("Donna Karan handbag" is a handbag).
    names_thing = text.subject == Subject.NON_PERSON or (
        not names_person and _names_any(other.non_person_words, wide)
    )
    findings: list[Finding] = []
    for name, lexicon in other.concepts.items():
        about_people = rulebook.concepts[name].about_people
        hit = _other_language_hit(
            lexicon,
            wide,
            any_subject=not (about_people and names_thing),
            person_subject=names_person or (people_data and not names_thing),
            names_person=names_person,
            with_words=rulebook.other_languages.with_words,
        )
        if hit is not None:
            term, match = hit
            findings.append(
                Finding(
                    concept=name,
                    evidence=text.original if text.source != Source.DESCRIPTION else match.group(),
                    source=text.source,
                    how=f"lexicon (other language): {term.text}",
                    other_language=True,
                )
            )
    return findings


def _other_language_hit(
    lexicon: OtherLanguageLexicon,
    wide: str,
    *,
    any_subject: bool,
    person_subject: bool,
    names_person: bool,
    with_words: frozenset[str],
) -> tuple[Term, re.Match[str]] | None:
    tiers = (
        (lexicon.terms, any_subject, False),
        (lexicon.person_terms, person_subject, True),
        (lexicon.explicit_person_terms, names_person, True),
    )
    for terms, applies, about_the_person in tiers:
        if not applies:
            continue
        for term in terms:
            for match in term.pattern.finditer(wide):
                if is_english_only(match.group()):
                    continue
                if about_the_person and _describes_what_is_worn(wide, match.start(), with_words):
                    continue
                return term, match
    return None


_WITH_WINDOW = 6


def _describes_what_is_worn(wide: str, start: int, with_words: frozenset[str]) -> bool:
    """Does a "with" or "in" word come shortly before ``start``?"""
    before = wide[:start].split()[-_WITH_WINDOW:]
    return any(word in with_words for word in before)


def _meaning_findings(texts: Sequence[_Text], rulebook: Rulebook) -> list[Finding]:
    candidates = [t for t in texts if t.norm.decoded]
    if not candidates:
        return []
    try:
        index = exemplar_index(rulebook)
        scores = index.score([t.norm.decoded for t in candidates])
    except ScreeningUnavailable as exc:
        logger.error("screening by meaning unavailable: %s", exc)
        return [Finding("screening_unavailable", "(all texts)", Source.DESCRIPTION, str(exc))]
    findings: list[Finding] = []
    for text, text_scores in zip(candidates, scores, strict=True):
        for score in text_scores:
            concept = rulebook.concepts[score.concept]
            if concept.about_people and text.subject != Subject.PERSON:
                continue
            if index.is_hit(score):
                findings.append(
                    Finding(
                        concept=score.concept,
                        evidence=text.original,
                        source=text.source,
                        how=f"meaning: {score.exemplar} ({score.similarity:.2f})",
                    )
                )
    return findings
