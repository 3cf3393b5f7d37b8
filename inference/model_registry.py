"""Which CLIP checkpoints this deployment may run, and the hash of their weights.

Any Hugging Face format CLIP directory works (config.json, weights in safetensors or
pytorch_model.bin, preprocessor and tokenizer files). The bundled reference CLIP is the
default; ``CLIPGUARD_EXTRA_MODELS="id=/path/to/dir,other=/path"`` registers more.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

WEIGHT_SUFFIXES = (".safetensors", ".bin")


class UnknownModel(LookupError):
    """A model id that this deployment does not serve."""


@dataclass(frozen=True)
class RegisteredModel:
    model_id: str
    path: Path


def registered_models() -> dict[str, RegisteredModel]:
    models = {
        settings.CLIPGUARD_MODEL_ID: RegisteredModel(
            settings.CLIPGUARD_MODEL_ID, Path(settings.CLIPGUARD_MODEL_DIR)
        )
    }
    for entry in filter(None, os.environ.get("CLIPGUARD_EXTRA_MODELS", "").split(",")):
        model_id, _, path = entry.partition("=")
        if model_id.strip() and path.strip():
            models[model_id.strip()] = RegisteredModel(model_id.strip(), Path(path.strip()))
    return models


def default_model_id() -> str:
    return str(settings.CLIPGUARD_MODEL_ID)


def get_model(model_id: str) -> RegisteredModel:
    try:
        return registered_models()[model_id]
    except KeyError:
        raise UnknownModel(f"unknown model '{model_id}'") from None


@cache
def weights_sha256(path: Path) -> str:
    """sha256 over the checkpoint's weight files (names and bytes), in name order."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.suffix in WEIGHT_SUFFIXES)
    if not files:
        raise FileNotFoundError(f"no weight files in {path}")
    for file in files:
        digest.update(file.name.encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
