"""The CLIP model runtime: loads a checkpoint once per process and runs it on filtered images.

It accepts :class:`inference.filters.FilteredImage` only; anything else is refused at run
time, so no unfiltered pixel can reach a model or an embedding.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from django.conf import settings

from inference.filters import FilteredImage, UnfilteredImageError
from inference.model_registry import get_model, weights_sha256

_lock = threading.Lock()
_loaded: dict[str, ClipRuntime] = {}


@dataclass(frozen=True)
class ModelIdentity:
    model_id: str
    weights_sha256: str


class ClipRuntime:
    """One loaded CLIP checkpoint with its processor."""

    def __init__(self, model_id: str) -> None:
        from transformers import CLIPModel, CLIPProcessor

        registered = get_model(model_id)
        torch.set_num_threads(max(1, int(settings.CLIPGUARD_TORCH_THREADS)))
        self.identity = ModelIdentity(model_id, weights_sha256(registered.path))
        self.model: Any = CLIPModel.from_pretrained(registered.path, local_files_only=True)
        self.model.eval()
        self.processor: Any = CLIPProcessor.from_pretrained(registered.path, local_files_only=True)
        self.batch_size = max(1, int(settings.CLIPGUARD_INFERENCE_BATCH_SIZE))

    @staticmethod
    def _checked(images: Sequence[FilteredImage]) -> list[Any]:
        pixels = []
        for image in images:
            if not isinstance(image, FilteredImage):
                raise UnfilteredImageError(
                    f"the model runtime accepts filtered images only, got {type(image).__name__}"
                )
            pixels.append(image.image)
        return pixels

    @torch.inference_mode()
    def embed_images(self, images: Sequence[FilteredImage]) -> np.ndarray:
        """L2-normalised image embeddings, one row per image."""
        pixels = self._checked(images)
        rows = []
        for start in range(0, len(pixels), self.batch_size):
            batch = self.processor(
                images=pixels[start : start + self.batch_size], return_tensors="pt"
            )
            features = self.model.get_image_features(pixel_values=batch["pixel_values"])
            rows.append(_normalised(features))
        return np.concatenate(rows) if rows else np.zeros((0, self.embedding_dim), np.float32)

    @torch.inference_mode()
    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised text embeddings, one row per text."""
        tokens = self.processor(
            text=list(texts), return_tensors="pt", padding=True, truncation=True
        )
        features = self.model.get_text_features(
            input_ids=tokens["input_ids"], attention_mask=tokens["attention_mask"]
        )
        return _normalised(features)

    def classify(self, images: Sequence[FilteredImage], labels: Sequence[str]) -> np.ndarray:
        """Zero-shot probabilities: one row per image, one column per label (rows sum to 1)."""
        image_emb = self.embed_images(images)
        text_emb = self.embed_texts(labels)
        scale = float(self.model.logit_scale.exp().item())
        logits = scale * image_emb @ text_emb.T
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return np.asarray(probs / probs.sum(axis=1, keepdims=True))

    @property
    def embedding_dim(self) -> int:
        return int(self.model.config.projection_dim)


def _normalised(features: Any) -> np.ndarray:
    if not isinstance(features, torch.Tensor):  # newer transformers may return an output object
        features = features.pooler_output
    array: np.ndarray = features.float().cpu().numpy()
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.asarray(array / np.clip(norms, 1e-12, None), dtype=np.float32)


def get_runtime(model_id: str) -> ClipRuntime:
    """The process's runtime for ``model_id``; loaded on first use, then reused."""
    runtime = _loaded.get(model_id)
    if runtime is None:
        with _lock:
            runtime = _loaded.get(model_id)
            if runtime is None:
                runtime = ClipRuntime(model_id)
                _loaded[model_id] = runtime
    return runtime
