"""Which taxonomy purpose a request's purpose stands for.

A purpose is a code of the taxonomy ("product_tagging") or one of its aliases. A caller who
does not know the taxonomy by heart writes another spelling ("Product Tagging",
"product-tagging") or a code of their own ("catalogue_enrichment", "alt_text_generation").
Such a purpose is matched by meaning, with the offline sentence-embedding model, against
each taxonomy purpose's code, aliases, description and the phrases people use for it
(``taxonomy.PURPOSE_PHRASES``). The decision then applies the rules
of the purpose it matched, and the purpose's own words are screened like a description, so
"ethnicity_estimation" is judged by what it says as well.

Guards keep a guess from lowering a decision, or from raising it on a loose likeness:

- a high-risk purpose is taken only on a closer match than an ordinary one, and a
  prohibited purpose only on a close one;
- when an ordinary purpose and a high-risk or prohibited one both qualify and match almost
  equally well, the riskier one is taken;
- a purpose that matches nothing well enough is ``unmatched``: on images of people the
  rulebook sends such a request to a person (``GOV-UNLISTED-PURPOSE``); otherwise its words,
  labels and context decide, as for any request;
- the purpose's own words can add a concern, never excuse one (``engine``).

Job submission itself still needs a taxonomy code (consent is given per code): there an
unknown purpose is refused with the nearest code as a suggestion.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from governance import taxonomy
from governance.screening.meaning import Embedder, Vectors

# A purpose matched by meaning needs at least this cosine similarity to a purpose's texts.
MATCH_THRESHOLD = 0.5
# A high-risk purpose is taken by meaning only this close ("atm tamper check" is not credit
# scoring); below it an unmatched purpose on images of people still goes to a person.
HIGH_RISK_THRESHOLD = 0.56
# A riskier purpose this close to the best one (and itself above its threshold) is taken
# instead.
RISK_MARGIN = 0.06
# A prohibited purpose is taken by meaning only when this close: "recidivism prediction"
# is crime prediction, but "shoplifting prevention" is left to what its labels say.
PROHIBITED_THRESHOLD = 0.7
MAX_PURPOSE_CHARS = 200
_SEPARATORS = re.compile(r"[\s\-./]+")
# Where a camelCase code starts a new word: a capital after a lower-case letter or digit,
# or the last capital of an acronym before a lower-case letter ("HRPhotoTags").
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class MatchedBy(StrEnum):
    CODE = "code"  # a taxonomy code or alias, possibly spelt with spaces, hyphens or capitals
    MEANING = "meaning"  # the nearest taxonomy purpose by meaning
    UNMATCHED = "unmatched"  # nothing in the taxonomy is close enough


@dataclass(frozen=True)
class PurposeMatch:
    given: str
    code: str | None  # the taxonomy code; None when unmatched
    matched_by: MatchedBy
    similarity: float | None = None  # for a match by meaning
    nearest: str | None = None  # the closest code, also when unmatched

    @property
    def words(self) -> str:
        """The purpose as words ("catalogue enrichment"), for screening by meaning."""
        return expand_abbreviations(humanise(self.given))

    def as_dict(self) -> dict[str, object]:
        return {
            "given": self.given,
            "code": self.code,
            "matched_by": self.matched_by.value,
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "nearest": self.nearest,
        }


def humanise(code: str) -> str:
    """``code`` as words: separators to spaces, camelCase split ("fleetDamageIntake")."""
    text = code.replace("_", " ")
    if _CAMEL_HUMP.search(text):
        # The humps are word starts, not names: "fleet damage intake" (acronyms stay).
        words = _CAMEL_HUMP.sub(" ", text).split()
        text = " ".join(w if w.isupper() else w.lower() for w in words)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def expand_abbreviations(words: str) -> str:
    """``words`` with the abbreviations teams write in purpose codes spelt out
    (``taxonomy.PURPOSE_ABBREVIATIONS``: "wh pickrate cam" is "warehouse pickrate camera")."""
    table = taxonomy.PURPOSE_ABBREVIATIONS
    return " ".join(table.get(w.lower(), w) for w in words.split())


def spelling(code: str) -> str:
    """``code`` lower-cased with spaces, hyphens and dots as underscores."""
    return "_".join(humanise(code).lower().split())


def risk(code: str) -> int:
    """0 for an ordinary purpose, 1 for an Annex III one, 2 for a prohibited one."""
    if code in taxonomy.PROHIBITED_PURPOSES:
        return 2
    if code in taxonomy.HIGH_RISK_PURPOSES:
        return 1
    return 0


@dataclass(frozen=True)
class _PurposeIndex:
    codes: tuple[str, ...]  # one per row of ``vectors``
    vectors: Vectors


@functools.cache
def _embedder(model: str) -> Embedder:
    return Embedder(model)


@functools.cache
def _index(model: str) -> _PurposeIndex:
    codes: list[str] = []
    texts: list[str] = []
    aliases: dict[str, list[str]] = {}
    for alias, code in taxonomy.PURPOSE_ALIASES.items():
        aliases.setdefault(code, []).append(alias)
    for code, description in taxonomy.PURPOSES.items():
        texts_of_code = (
            humanise(code),
            description,
            *map(humanise, aliases.get(code, [])),
            *taxonomy.PURPOSE_PHRASES.get(code, ()),
        )
        for text in texts_of_code:
            codes.append(code)
            texts.append(text)
    return _PurposeIndex(codes=tuple(codes), vectors=_embedder(model).encode(texts))


def _threshold(code: str) -> float:
    return (MATCH_THRESHOLD, HIGH_RISK_THRESHOLD, PROHIBITED_THRESHOLD)[risk(code)]


def match_purpose(given: str, *, model: str) -> PurposeMatch:
    """The taxonomy purpose ``given`` stands for. Raises ``ScreeningUnavailable`` when a
    match by meaning is needed and the model cannot load."""
    exact = taxonomy.canonical_purpose(given) or taxonomy.canonical_purpose(spelling(given))
    if exact is not None:
        return PurposeMatch(given=given, code=exact, matched_by=MatchedBy.CODE)
    index = _index(model)
    words = expand_abbreviations(humanise(given)).lower()
    similarity = index.vectors @ _embedder(model).encode([words])[0]
    best: dict[str, float] = {}
    for code, value in zip(index.codes, similarity.tolist(), strict=True):
        best[code] = max(best.get(code, -1.0), float(value))
    ranked = sorted(best.items(), key=lambda item: -item[1])
    nearest, top = ranked[0]
    # Every threshold is at least MATCH_THRESHOLD, so a weak best match leaves none eligible.
    eligible = [(code, value) for code, value in ranked if value >= _threshold(code)]
    leading = eligible[0][1] if eligible else 0.0
    candidates = [(code, value) for code, value in eligible if leading - value <= RISK_MARGIN]
    if not candidates:
        return PurposeMatch(
            given=given,
            code=None,
            matched_by=MatchedBy.UNMATCHED,
            similarity=top,
            nearest=nearest,
        )
    chosen, chosen_similarity = max(candidates, key=lambda item: (risk(item[0]), item[1]))
    return PurposeMatch(
        given=given,
        code=chosen,
        matched_by=MatchedBy.MEANING,
        similarity=float(np.float32(chosen_similarity)),
        nearest=chosen,
    )
