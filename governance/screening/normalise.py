"""Text normalisation for screening: undo the usual tricks before any matching.

Lower case, Unicode NFKC, invisible characters dropped, Cyrillic/Greek look-alike letters
inside Latin words folded, accents stripped, leetspeak undone ("3thn1c1ty"), spaced-out
letters joined ("e t h n i c i t y", "e.t.h.n.i.c"), punctuation to spaces, base64 of
plain words decoded ("bXVzbGlt").
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass

_CONFUSABLES = str.maketrans(
    # Cyrillic, Greek and other letters that look like the Latin letters below them.
    "\u0430\u0432\u0435\u0451\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445\u0456"
    "\u0457\u0458\u0455\u0501\u0261\u0578\u057d\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf"
    "\u03c1\u03c4\u03c5\u03c7\u03c2",
    "abeekmhopctyxiijsdgnuabeikvoptuxc",
)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
     "@": "a", "$": "s", "!": "i", "|": "l", "€": "e"}
)  # fmt: skip
_LEET_ALT = {**_LEET, ord("1"): "l"}
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_WORD = re.compile(r"\S+")
_WIDE_GAP = re.compile(r"\s{2,}|\s[^\w\s]+\s")
# Letters joined by a sign ("s.e.x.u.a.l", "e-t-h-n-i-c"): a plain space then parts words.
_SIGN_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])(?:[a-z][.\-_*]){2,}[a-z](?![a-z0-9])")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_MIN_BASE64 = 8
_MIN_BASE64_LETTERS = 4
_LEET_CHARS = re.compile(r"[0-9@$!|€]")
# A leet character between two letters ("m4n", "w0n"): a word, even with two letters only.
_LEET_INSIDE = re.compile(r"[^\W\d_][0-9@$!|€]+[^\W\d_]")
_MIN_LEET_LETTERS = 3
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])(?:[a-z] ){2,}[a-z](?![a-z0-9])")
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}<>"
_LOOSE_APOSTROPHE = re.compile(r"(?<![a-z])'|(?<!s)'(?![a-z])")


@dataclass(frozen=True)
class NormalisedText:
    original: str
    plain: str  # folded, lower case, punctuation to spaces
    decoded: str  # plain with leetspeak undone and spaced-out letters joined
    decoded_alt: str  # the same, reading "1" as "l" rather than "i"

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.plain, self.decoded, self.decoded_alt)))


def is_latin_letter(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def _fold_mixed_script_word(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if any(is_latin_letter(c) for c in letters) and not all(is_latin_letter(c) for c in letters):
        return word.translate(_CONFUSABLES)
    return word


def fold(text: str) -> str:
    """NFKC, no invisible characters, look-alikes folded in mixed words, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").casefold()
    text = _WORD.sub(lambda m: _fold_mixed_script_word(m.group()), text)
    return text.translate(_APOSTROPHES)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tidy(text: str) -> str:
    text = _NOT_WORD.sub(" ", text)
    text = _LOOSE_APOSTROPHE.sub(" ", text)
    return " ".join(text.split())


def _undo_leet(word: str, table: dict[int, str]) -> str:
    core = word.strip(_EDGE_PUNCTUATION)
    letters = sum(c.isalpha() for c in core)
    if _LEET_CHARS.search(core) and (
        letters >= _MIN_LEET_LETTERS or (letters == 2 and _LEET_INSIDE.fullmatch(core))
    ):
        start = word.index(core)
        return word[:start] + core.translate(table) + word[start + len(core) :]
    return word


def _decode(folded: str, table: dict[int, str]) -> str:
    # Wider gaps, or a sign between spaces, separate the words of spaced-out letters
    # ("a n g r y  e m p l o y e e", "e t h n i c i t y = j e w i s h"); where letters are
    # joined by a sign, a plain space does ("s.e.x.u.a.l o.r.i.e.n.t.a.t.i.o.n").
    if _SIGN_SPACED_LETTERS.search(folded):
        folded = re.sub(r"\s+", "  ", folded)
    return " ".join(
        _join_spaced_letters(_tidy(_WORD.sub(lambda m: _undo_leet(m.group(), table), part)))
        for part in _WIDE_GAP.split(folded)
    ).strip()


def _join_spaced_letters(text: str) -> str:
    return _SPACED_LETTERS.sub(lambda m: m.group().replace(" ", ""), text)


def _from_base64(text: str) -> str:
    """``text`` decoded when it is base64 of plain words ("bXVzbGlt" is "muslim")."""
    core = text.strip()
    if len(core) < _MIN_BASE64 or len(core) % 4 or not _BASE64.fullmatch(core):
        return text
    try:
        decoded = base64.b64decode(core, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return text
    letters = sum(c.isalpha() for c in decoded)
    if letters < _MIN_BASE64_LETTERS or not all(c.isprintable() for c in decoded):
        return text
    return decoded if letters >= len(decoded.replace(" ", "")) * 0.8 else text


def normalise(text: str) -> NormalisedText:
    """``text`` folded and decoded for matching (see the module docstring); base64 of plain
    words is read as those words."""
    folded = strip_accents(fold(_from_base64(text)))
    plain = _tidy(folded)
    # Leetspeak is read before punctuation goes, since '@', '$', '!' and '|' stand for letters;
    # spaced-out letters ("e.t.h.n.i.c") are joined after it, once dots became spaces.
    return NormalisedText(
        original=text,
        plain=plain,
        decoded=_decode(folded, _LEET),
        decoded_alt=_decode(folded, _LEET_ALT),
    )
