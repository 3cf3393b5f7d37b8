"""Screening of a job's labels, queries and purpose description, by words and by meaning.

Every text is normalised (``normalise``), checked for readability (``language``), matched
against the rulebook's lexicons, and compared by meaning with each concept's exemplar
phrases (``meaning``). What a text is about matters: an angry dog is not an angry person,
so concepts about people need a person as the text's subject. The subject is the first
person word or non-person word in the text (a possessive such as "women's" in "women's
shoes" does not count); a text with neither is about a person when the job's data
categories include people or faces.

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

from governance.rulebook import Concept, Rulebook, Term
from governance.screening.language import is_readable
from governance.screening.meaning import ScreeningUnavailable, exemplar_index
from governance.screening.normalise import NormalisedText, normalise
from governance.taxonomy import PERSON_DATA_CATEGORIES

logger = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[.!?;:\n])\s+|\n+")
_MAX_CLAUSE_WORDS = 30
# Words between a person word and an adjective about them: "the man is black".
_COPULA = frozenset(
    {"is", "are", "was", "were", "who", "that", "looks", "look", "seems", "appears"}
)
_PERSON_WINDOW = 2


class Source(StrEnum):
    LABEL = "label"
    QUERY = "query"
    DESCRIPTION = "description"


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
    """A possessive ("women's") or a "for …" phrase ("shoes for kids") only qualifies a noun."""
    return text[end : end + 1] == "'" or text[max(0, start - 4) : start] == "for "


def _subject(
    text: str, rulebook: Rulebook, people_data: bool
) -> tuple[Subject, tuple[tuple[int, int], ...]]:
    """What ``text`` is about, and where its person words are.

    The first cue decides (at one position the longer phrase: "smiley face" is no person).
    A possessive or "for …" cue only counts when no other cue follows ("the shopper's race"
    is about the shopper, "women's shoes" about shoes).
    """
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
        return main[0][2], tuple(people)
    if people:
        return Subject.PERSON, tuple(people)
    if others:
        return Subject.NON_PERSON, ()
    return (Subject.PERSON if people_data else Subject.UNSTATED), ()


def _between_words(text: str) -> list[str]:
    return [w for w in text.split() if w not in {"'s", "'"}]


def _next_to_person(text: str, span: tuple[int, int], people: Sequence[tuple[int, int]]) -> bool:
    """Is the matched adjective right before a person word, or after "<person>'s" or
    "<person> is/looks"?"""
    start, end = span
    for p_start, p_end in people:
        if p_start >= end:
            if len(_between_words(text[end:p_start])) <= _PERSON_WINDOW - 1:
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


def _lexicon_findings(concept: Concept, text: _Text, *, zero_shot: bool) -> list[Finding]:
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
            if match and _next_to_person(text.norm.decoded, match.span(), text.person_spans):
                found.append((term, match))
                break
    if zero_shot and text.source == Source.LABEL and person_subject and not found:
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
) -> ScreeningResult:
    """Find the rulebook's concepts in a job's texts (see the module docstring)."""
    people_data = bool(PERSON_DATA_CATEGORIES & set(data_categories))
    zero_shot = task == "zero_shot_classification"
    raw: list[tuple[str, Source]] = [(t, Source.LABEL) for t in labels]
    raw += [(t, Source.QUERY) for t in queries]
    raw += [(t, Source.DESCRIPTION) for t in split_description(description)]
    texts: list[_Text] = []
    for original, source in dict.fromkeys(raw):
        norm = normalise(original)
        subject, person_spans = _subject(norm.decoded, rulebook, people_data)
        texts.append(_Text(original, source, norm, subject, person_spans))

    findings: list[Finding] = []
    readable: list[_Text] = []
    for text in texts:
        if is_readable(text.original):
            readable.append(text)
        else:
            findings.append(
                Finding("unreadable_text", text.original, text.source, "language or script")
            )
        for concept in rulebook.concepts.values():
            findings.extend(_lexicon_findings(concept, text, zero_shot=zero_shot))
    findings.extend(_meaning_findings(readable, rulebook))
    return ScreeningResult(findings=tuple(dict.fromkeys(findings)))


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
