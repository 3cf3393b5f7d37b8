"""The rulebook: policy rules and screening concepts as versioned YAML files in this folder.

Loading validates every file and refuses a bad one loudly (``RulebookError`` names the file
and the entry). The version is the sha256 of the canonical content: the parsed YAML of
every file (so comments and layout do not count), the purpose taxonomy and the screening
method's own version. Any change to a rule, a lexicon term, an exemplar phrase, a threshold
or a purpose code is therefore a new version, and every decision records the version it
was made under.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from governance import taxonomy

RULEBOOK_DIR = Path(__file__).resolve().parent

# Bump when the screening method (normalisation, subject detection, scoring) changes in a
# way that can change decisions; it is part of the version hash.
SCREENING_METHOD_VERSION = "11"

# Concepts the screener itself reports, not found by lexicon or meaning.
BUILTIN_CONCEPTS: Mapping[str, str] = {
    "unreadable_text": "text in a language or script the screening does not cover",
    "unreadable_person_text": "such text that names a person (a person word of any language)",
    "other_script_text": "such text in another script (not Latin letters) or in symbols only",
    "screening_unavailable": "the meaning-based screening could not run",
    "unlisted_purpose": "a purpose that is not in the taxonomy and matches none of its purposes",
    "purpose_by_meaning_alone": (
        "a purpose that is not a taxonomy code, matched to one by meaning only, in a request "
        "with no labels, queries or description to read"
    ),
    "nothing_about_people": (
        "no data category shows people, and every label or query names a thing (with none, "
        "the images show products, vehicles or animals alone)"
    ),
    "guess_about_people_on_things": (
        "a purpose taken by meaning alone for an Annex III purpose about people, in an "
        "ordinary context, on images where nothing is about people"
    ),
    "people_among_things": "images of people among scenes, products or vehicles (no faces)",
    "only_things_pictured": (
        "the images show products, vehicles or animals only, and the job has labels or "
        "queries to screen"
    ),
    "people_not_at_work": "images of people (no faces); no label or query names a worker or pupil",
    "rooms_and_things_only": (
        "images of scenes, products, vehicles or animals only (no documents or other work), "
        "and every label or query names a thing"
    ),
    "hair_or_eye_colours_only": (
        "images of people or faces, and every label or query names a hair or eye colour, "
        "which is no protected trait (Recital 30)"
    ),
    "emotions_beyond_safety": (
        "labels or queries name emotions that are no safety state, and no text but a label "
        "or query names a medical or safety reason"
    ),
    "ordinary_use_among_things": (
        "such images, for an ordinary taxonomy purpose that is about things "
        "(an archive, a search of one's own media, an inventory …)"
    ),
}

_RULE_ID = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_CONCEPT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE_KEYS = frozenset(
    {"description", "rules", "concepts", "subjects", "screening", "other_languages"}
)
_RULE_KEYS = frozenset({"id", "article", "decision", "reason", "when", "unless"})
_CLAUSE_KEYS = frozenset(
    {
        "purposes",
        "except_purposes",
        "except_concepts",
        "contexts",
        "tasks",
        "data_categories",
        "concepts",
        "with_concepts",
        "and_concepts",
    }
)
_CONCEPT_KEYS = frozenset(
    {
        "description",
        "about_people",
        "terms",
        "person_terms",
        "explicit_person_terms",
        "label_terms",
        "exemplars",
        "negatives",
        "threshold",
    }
)
_SCREENING_KEYS = frozenset({"model", "threshold", "margin", "innocent"})
_SCREENING_CONTEXT_LISTS = frozenset({"ordinary_contexts"})
_SCREENING_WORD_LISTS = frozenset(
    {"purpose_activity_words", "added_english_words", "baseline_state_words", "depiction_words"}
)
_OTHER_LANGUAGE_KEYS = frozenset({"person_words", "non_person_words", "concepts"})
_OTHER_LANGUAGE_WORD_LISTS = frozenset({"function_words", "with_words"})
_PLAIN_WORD = re.compile(r"^[a-z]+$")
_OTHER_LANGUAGE_CONCEPT_KEYS = frozenset({"terms", "person_terms", "explicit_person_terms"})
# Letters that have no decomposition but are read as their base letter.
_WIDE_FOLD_LETTERS = str.maketrans(
    {"ß": "ss", "\u0131": "i", "ł": "l", "đ": "d", "ø": "o", "œ": "oe", "æ": "ae"}
)
# Scripts written without spaces between words: their terms match anywhere in a text.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI")
# Arabic clitics written onto the next word: و and, ف so, ب with, ل for, ك like; ال the.
_ARABIC_CLITIC = "[\u0648\u0641\u0628\u0644\u0643]"
_ARABIC_PREFIX = f"(?:{_ARABIC_CLITIC}?\u0627\u0644|{_ARABIC_CLITIC})?"


class RulebookError(ValueError):
    """A rulebook file is missing, unreadable or invalid."""


class RuleDecision(StrEnum):
    DENY = "deny"
    REQUIRE_APPROVAL = "require_approval"
    # A note: the rule is listed with the decision (and audited with it) but stops nothing.
    ALLOW = "allow"


@dataclass(frozen=True)
class Clause:
    """Conditions that must all hold; each list holds when the request has any of its items."""

    purposes: frozenset[str] = frozenset()
    contexts: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    data_categories: frozenset[str] = frozenset()
    concepts: frozenset[str] = frozenset()
    with_concepts: frozenset[str] = frozenset()
    and_concepts: frozenset[str] = frozenset()
    # The clause does not hold for these purposes, or when one of these concepts was found.
    except_purposes: frozenset[str] = frozenset()
    except_concepts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    id: str
    article: str
    decision: RuleDecision
    reason: str
    when: tuple[Clause, ...]
    unless: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Term:
    """One lexicon entry: its text as written in the rulebook, and its compiled pattern."""

    text: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Concept:
    name: str
    description: str
    about_people: bool = False
    terms: tuple[Term, ...] = ()
    person_terms: tuple[Term, ...] = ()
    explicit_person_terms: tuple[Term, ...] = ()
    label_terms: tuple[Term, ...] = ()
    exemplars: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    threshold: float | None = None


@dataclass(frozen=True)
class ScreeningSettings:
    model: str
    threshold: float
    margin: float
    innocent: tuple[str, ...]
    # Words of a purpose code that name an activity, not a thing in the images ("watch").
    purpose_activity_words: frozenset[str] = frozenset()
    # English words the bundled word lists lack: loanwords and words newer than them.
    added_english_words: frozenset[str] = frozenset()
    # Words of the state a safety label set compares against ("operator calm at console").
    baseline_state_words: frozenset[str] = frozenset()
    # Words of a depiction: the person word after one is depicted ("cartoon old man").
    depiction_words: frozenset[str] = frozenset()
    # Contexts of no Annex III area, where a guessed purpose about people does not hold on
    # a request about things only.
    ordinary_contexts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Subjects:
    person: tuple[Term, ...]
    non_person: tuple[Term, ...]


@dataclass(frozen=True)
class OtherLanguageLexicon:
    """A concept's terms in languages other than English (matched by ``wide_fold``).

    ``terms`` fire whatever the text is about unless it is plainly a thing (for concepts
    about people); ``person_terms`` when the text names a person, or holds no thing word and
    the job's data include people; ``explicit_person_terms`` only when the text names a
    person ("pessoa negra", never "gato negro").
    """

    terms: tuple[Term, ...] = ()
    person_terms: tuple[Term, ...] = ()
    explicit_person_terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class OtherLanguages:
    """Multilingual lexicons for the concepts whose requests must be denied in any language."""

    person_words: tuple[Term, ...] = ()
    non_person_words: tuple[Term, ...] = ()
    concepts: Mapping[str, OtherLanguageLexicon] = field(default_factory=dict)
    # Frequent words of other languages that are rare in English ("und", "les"): they mark
    # a text as written in another language.
    function_words: frozenset[str] = frozenset()
    # "with" and "in" of other languages: what follows describes what a person wears.
    with_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rulebook:
    version: str
    rules: tuple[Rule, ...]
    concepts: Mapping[str, Concept]
    subjects: Subjects
    screening: ScreeningSettings
    files: tuple[str, ...] = field(default=())
    other_languages: OtherLanguages = field(default_factory=OtherLanguages)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def compile_term(text: str) -> re.Pattern[str]:
    """A lexicon term as a pattern over normalised text, bounded by word edges.

    ``re:...`` is a raw regular expression; otherwise words are separated by any spacing,
    and a word ending in ``*`` matches any ending (``ethnic*``).
    """
    if text.startswith("re:"):
        body = text[3:]
    else:
        words = []
        for word in text.lower().split():
            if word.endswith("*"):
                words.append(re.escape(word[:-1]) + r"[a-z0-9]*")
            else:
                words.append(re.escape(word))
        body = r"\s+".join(words)
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


def wide_fold(text: str) -> str:
    """Text folded for the other-language lexicons, keeping every script's letters.

    Unicode NFKC, lower case (casefold), accents and other combining marks dropped (ß as
    ss, Turkish dotless i as i, Polish ł as l), anything that is not a letter or digit to a space.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_WIDE_FOLD_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
    # Vowel signs of Indic scripts are marks, not letters, but belong to the word.
    kept = (c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in stripped)
    return " ".join("".join(kept).split())


def _unspaced(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(_UNSPACED_SCRIPTS) for c in text)


def compile_other_language_term(text: str) -> re.Pattern[str]:
    """An other-language term as a pattern over ``wide_fold`` text.

    Words are separated by any spacing and a word ending in ``*`` matches any ending, as
    in English; terms in scripts written without spaces (Chinese, Japanese, Korean, Thai)
    match anywhere, and Arabic terms also match with a clitic or the article written on.
    ``re:...`` is a raw regular expression over ``wide_fold`` text.
    """
    if text.startswith("re:"):
        return re.compile(text[3:])
    words = []
    for word in text.split():
        if word.endswith("*"):
            words.append(re.escape(wide_fold(word[:-1])) + r"\w*")
        else:
            words.append(re.escape(wide_fold(word)))
    body = r"\s+".join(words)
    if _unspaced(text):
        return re.compile(body)
    if any("\u0600" <= c <= "\u06ff" for c in text):
        # Clitics and the article before, plural or feminine endings after.
        body = _ARABIC_PREFIX + body + r"\w{0,3}"
    return re.compile(rf"(?<!\w){body}(?!\w)")


def default_rulebook() -> Rulebook:
    """The rulebook shipped in this folder, loaded and validated once per process."""
    return _default_rulebook()


@functools.cache
def _default_rulebook() -> Rulebook:
    return load_rulebook(RULEBOOK_DIR)


def load_rulebook(directory: Path) -> Rulebook:
    """Load and validate every ``*.yaml`` file in ``directory``; raise RulebookError if bad."""
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise RulebookError(f"no rulebook files (*.yaml) in {directory}")
    contents: dict[str, object] = {}
    for path in paths:
        try:
            contents[path.name] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RulebookError(f"{path.name}: cannot be read as YAML: {exc}") from exc
    return build_rulebook(contents)


def rulebook_version(contents: Mapping[str, object]) -> str:
    """sha256 over the canonical JSON of the parsed files, the taxonomy and the method."""
    canonical = json.dumps(
        {
            "files": contents,
            "taxonomy": taxonomy.taxonomy_content(),
            "screening_method": SCREENING_METHOD_VERSION,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_rulebook(contents: Mapping[str, object]) -> Rulebook:
    """Validate parsed rulebook files (file name → parsed YAML) into a Rulebook."""
    raw_rules: list[tuple[str, object]] = []
    raw_concepts: dict[str, tuple[str, object]] = {}
    subjects: Subjects | None = None
    screening: ScreeningSettings | None = None
    raw_other: tuple[str, object] | None = None
    for name, content in contents.items():
        if not isinstance(content, dict):
            raise RulebookError(f"{name}: must be a mapping at the top level")
        unknown = set(content) - _FILE_KEYS
        if unknown:
            raise RulebookError(f"{name}: unknown top-level keys {sorted(unknown)}")
        rules = content.get("rules", [])
        if not isinstance(rules, list):
            raise RulebookError(f"{name}: 'rules' must be a list")
        raw_rules.extend((name, rule) for rule in rules)
        concepts = content.get("concepts", {})
        if not isinstance(concepts, dict):
            raise RulebookError(f"{name}: 'concepts' must be a mapping")
        for concept_name, body in concepts.items():
            if concept_name in raw_concepts:
                raise RulebookError(f"{name}: concept {concept_name!r} is defined twice")
            raw_concepts[str(concept_name)] = (name, body)
        if "subjects" in content:
            if subjects is not None:
                raise RulebookError(f"{name}: 'subjects' is defined in more than one file")
            subjects = _subjects(name, content["subjects"])
        if "screening" in content:
            if screening is not None:
                raise RulebookError(f"{name}: 'screening' is defined in more than one file")
            screening = _screening(name, content["screening"])
        if "other_languages" in content:
            if raw_other is not None:
                raise RulebookError(f"{name}: 'other_languages' is defined in more than one file")
            raw_other = (name, content["other_languages"])
    if subjects is None:
        raise RulebookError("no file defines 'subjects' (person and non-person words)")
    if screening is None:
        raise RulebookError("no file defines 'screening' (model and thresholds)")
    concepts_by_name = {
        concept_name: _concept(file_name, concept_name, body)
        for concept_name, (file_name, body) in raw_concepts.items()
    }
    known_concepts = set(concepts_by_name) | set(BUILTIN_CONCEPTS)
    other_languages = (
        OtherLanguages()
        if raw_other is None
        else _other_languages(raw_other[0], raw_other[1], set(concepts_by_name))
    )
    rules_list: list[Rule] = []
    seen_ids: set[str] = set()
    for file_name, raw in raw_rules:
        rule = _rule(file_name, raw, known_concepts)
        if rule.id in seen_ids:
            raise RulebookError(f"{file_name}: rule id {rule.id} is used twice")
        seen_ids.add(rule.id)
        rules_list.append(rule)
    if not rules_list:
        raise RulebookError("the rulebook holds no rules")
    return Rulebook(
        version=rulebook_version(contents),
        rules=tuple(rules_list),
        concepts=concepts_by_name,
        subjects=subjects,
        screening=screening,
        files=tuple(contents),
        other_languages=other_languages,
    )


def _string_list(where: str, value: object, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulebookError(f"{where}: must be a list of non-empty strings")
    if not value and not allow_empty:
        raise RulebookError(f"{where}: must not be empty")
    return tuple(value)


def _terms(where: str, value: object) -> tuple[Term, ...]:
    terms = []
    for text in _string_list(where, value, allow_empty=True):
        try:
            terms.append(Term(text=text, pattern=compile_term(text)))
        except re.error as exc:
            raise RulebookError(f"{where}: term {text!r} is not a valid pattern: {exc}") from exc
    return tuple(terms)


def _other_language_terms(where: str, value: object) -> tuple[Term, ...]:
    terms = []
    for text in _string_list(where, value, allow_empty=True):
        try:
            terms.append(Term(text=text, pattern=compile_other_language_term(text)))
        except re.error as exc:
            raise RulebookError(f"{where}: term {text!r} is not a valid pattern: {exc}") from exc
    return tuple(terms)


def _other_languages(file_name: str, raw: object, known_concepts: set[str]) -> OtherLanguages:
    where = f"{file_name}: other_languages"
    if (
        not isinstance(raw, dict)
        or not set(raw) >= _OTHER_LANGUAGE_KEYS
        or set(raw) - _OTHER_LANGUAGE_KEYS - _OTHER_LANGUAGE_WORD_LISTS
    ):
        raise RulebookError(
            f"{where}: must have {sorted(_OTHER_LANGUAGE_KEYS)} "
            f"and may have {sorted(_OTHER_LANGUAGE_WORD_LISTS)}"
        )
    concepts = raw["concepts"]
    if not isinstance(concepts, dict) or not concepts:
        raise RulebookError(f"{where}.concepts: must be a non-empty mapping")
    lexicons: dict[str, OtherLanguageLexicon] = {}
    for name, body in concepts.items():
        if name not in known_concepts:
            raise RulebookError(f"{where}.concepts: unknown concept {name!r}")
        if not isinstance(body, dict) or not body or set(body) - _OTHER_LANGUAGE_CONCEPT_KEYS:
            raise RulebookError(
                f"{where}.concepts.{name}: must be a mapping of "
                f"{sorted(_OTHER_LANGUAGE_CONCEPT_KEYS)}"
            )
        lexicons[str(name)] = OtherLanguageLexicon(
            **{
                key: _other_language_terms(f"{where}.concepts.{name}.{key}", value)
                for key, value in body.items()
            }
        )
    return OtherLanguages(
        person_words=_other_language_terms(f"{where}.person_words", raw["person_words"]),
        non_person_words=_other_language_terms(
            f"{where}.non_person_words", raw["non_person_words"]
        ),
        concepts=lexicons,
        function_words=_word_set(f"{where}.function_words", raw.get("function_words", [])),
        with_words=_word_set(f"{where}.with_words", raw.get("with_words", [])),
    )


def _word_set(where: str, value: object) -> frozenset[str]:
    """A list of plain lower-case words (matched against words of a folded text)."""
    words = _string_list(where, value, allow_empty=True)
    odd = [w for w in words if not _PLAIN_WORD.match(w)]
    if odd:
        raise RulebookError(f"{where}: must hold single lower-case words a-z, not {odd}")
    return frozenset(words)


def _context_set(where: str, value: object) -> frozenset[str]:
    """A list of deployment contexts of the contract."""
    contexts = _string_list(where, value, allow_empty=True)
    unknown = sorted(set(contexts) - set(taxonomy.DEPLOYMENT_CONTEXTS))
    if unknown:
        raise RulebookError(f"{where}: unknown deployment contexts {unknown}")
    return frozenset(contexts)


def _subjects(file_name: str, raw: object) -> Subjects:
    if not isinstance(raw, dict) or set(raw) != {"person", "non_person"}:
        raise RulebookError(f"{file_name}: 'subjects' must have exactly 'person' and 'non_person'")
    return Subjects(
        person=_terms(f"{file_name}: subjects.person", raw["person"]),
        non_person=_terms(f"{file_name}: subjects.non_person", raw["non_person"]),
    )


def _unit_float(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise RulebookError(f"{where}: must be a number between 0 and 1")
    return float(value)


def _screening(file_name: str, raw: object) -> ScreeningSettings:
    if not isinstance(raw, dict):
        raise RulebookError(f"{file_name}: 'screening' must be a mapping")
    unknown = set(raw) - _SCREENING_KEYS - _SCREENING_WORD_LISTS - _SCREENING_CONTEXT_LISTS
    missing = _SCREENING_KEYS - set(raw)
    if unknown or missing:
        raise RulebookError(
            f"{file_name}: 'screening' has unknown keys {sorted(unknown)} "
            f"or lacks keys {sorted(missing)}"
        )
    if not isinstance(raw["model"], str) or not raw["model"]:
        raise RulebookError(f"{file_name}: screening.model must name the embedding model")
    return ScreeningSettings(
        model=raw["model"],
        threshold=_unit_float(f"{file_name}: screening.threshold", raw["threshold"]),
        margin=_unit_float(f"{file_name}: screening.margin", raw["margin"]),
        innocent=_string_list(f"{file_name}: screening.innocent", raw["innocent"]),
        purpose_activity_words=_word_set(
            f"{file_name}: screening.purpose_activity_words",
            raw.get("purpose_activity_words", []),
        ),
        added_english_words=_word_set(
            f"{file_name}: screening.added_english_words", raw.get("added_english_words", [])
        ),
        baseline_state_words=_word_set(
            f"{file_name}: screening.baseline_state_words", raw.get("baseline_state_words", [])
        ),
        depiction_words=_word_set(
            f"{file_name}: screening.depiction_words", raw.get("depiction_words", [])
        ),
        ordinary_contexts=_context_set(
            f"{file_name}: screening.ordinary_contexts", raw.get("ordinary_contexts", [])
        ),
    )


def _concept(file_name: str, name: str, raw: object) -> Concept:
    where = f"{file_name}: concept {name!r}"
    if not _CONCEPT_NAME.match(name):
        raise RulebookError(f"{where}: name must be lower_snake_case")
    if name in BUILTIN_CONCEPTS:
        raise RulebookError(f"{where}: this name is reserved for the screener")
    if not isinstance(raw, dict):
        raise RulebookError(f"{where}: must be a mapping")
    unknown = set(raw) - _CONCEPT_KEYS
    if unknown:
        raise RulebookError(f"{where}: unknown keys {sorted(unknown)}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise RulebookError(f"{where}: needs a plain 'description'")
    about_people = raw.get("about_people", False)
    if not isinstance(about_people, bool):
        raise RulebookError(f"{where}: 'about_people' must be true or false")
    threshold = raw.get("threshold")
    concept = Concept(
        name=name,
        description=description,
        about_people=about_people,
        terms=_terms(f"{where}.terms", raw.get("terms", [])),
        person_terms=_terms(f"{where}.person_terms", raw.get("person_terms", [])),
        explicit_person_terms=_terms(
            f"{where}.explicit_person_terms", raw.get("explicit_person_terms", [])
        ),
        label_terms=_terms(f"{where}.label_terms", raw.get("label_terms", [])),
        exemplars=_string_list(f"{where}.exemplars", raw.get("exemplars", []), allow_empty=True),
        negatives=_string_list(f"{where}.negatives", raw.get("negatives", []), allow_empty=True),
        threshold=None if threshold is None else _unit_float(f"{where}.threshold", threshold),
    )
    if not (
        concept.terms
        or concept.person_terms
        or concept.explicit_person_terms
        or concept.label_terms
        or concept.exemplars
    ):
        raise RulebookError(f"{where}: needs lexicon terms or exemplar phrases")
    if concept.negatives and not concept.exemplars:
        raise RulebookError(f"{where}: negatives without exemplars have no effect")
    return concept


def _clause(where: str, raw: object, known_concepts: set[str]) -> Clause:
    if not isinstance(raw, dict) or not raw:
        raise RulebookError(f"{where}: a clause must be a non-empty mapping")
    unknown = set(raw) - _CLAUSE_KEYS
    if unknown:
        raise RulebookError(f"{where}: unknown condition keys {sorted(unknown)}")
    allowed: dict[str, set[str]] = {
        "purposes": set(taxonomy.PURPOSES),
        "except_purposes": set(taxonomy.PURPOSES),
        "contexts": set(taxonomy.DEPLOYMENT_CONTEXTS),
        "tasks": set(taxonomy.TASKS),
        "data_categories": set(taxonomy.DATA_CATEGORIES),
        "concepts": known_concepts,
        "with_concepts": known_concepts,
        "and_concepts": known_concepts,
        "except_concepts": known_concepts,
    }
    values: dict[str, frozenset[str]] = {}
    for key, items in raw.items():
        listed = _string_list(f"{where}.{key}", items)
        bad = sorted(set(listed) - allowed[key])
        if bad:
            raise RulebookError(f"{where}.{key}: unknown {key.replace('_', ' ')} {bad}")
        values[key] = frozenset(listed)
    for extra in ("with_concepts", "and_concepts"):
        if extra in values and "concepts" not in values:
            raise RulebookError(f"{where}: '{extra}' needs 'concepts' in the same clause")
    return Clause(**values)


def _rule(file_name: str, raw: object, known_concepts: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise RulebookError(f"{file_name}: every rule must be a mapping")
    rule_id = raw.get("id")
    where = f"{file_name}: rule {rule_id!r}"
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RulebookError(f"{where}: 'id' must be UPPER-CASE words joined by hyphens")
    unknown = set(raw) - _RULE_KEYS
    missing = {"id", "article", "decision", "reason", "when"} - set(raw)
    if unknown or missing:
        raise RulebookError(f"{where}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
    article, reason = raw["article"], raw["reason"]
    if not isinstance(article, str) or not article.strip():
        raise RulebookError(f"{where}: 'article' must name the article it implements")
    if not isinstance(reason, str) or len(reason.strip()) < 20:
        raise RulebookError(f"{where}: 'reason' must be a plain sentence a business user reads")
    try:
        decision = RuleDecision(raw["decision"])
    except ValueError as exc:
        raise RulebookError(
            f"{where}: 'decision' must be deny or require_approval (or allow, for a note)"
        ) from exc
    when, unless = raw["when"], raw.get("unless", [])
    if not isinstance(when, list) or not when:
        raise RulebookError(f"{where}: 'when' must be a non-empty list of clauses")
    if not isinstance(unless, list):
        raise RulebookError(f"{where}: 'unless' must be a list of clauses")
    return Rule(
        id=rule_id,
        article=article.strip(),
        decision=decision,
        reason=" ".join(reason.split()),
        when=tuple(_clause(f"{where}.when", c, known_concepts) for c in when),
        unless=tuple(_clause(f"{where}.unless", c, known_concepts) for c in unless),
    )
