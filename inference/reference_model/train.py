"""Train the bundled reference CLIP model on synthetic data and save it as a Hugging Face directory.

Usage::

    python -m inference.reference_model.train --out inference/reference_model/weights --seed 0

The saved directory (config.json, model.safetensors, preprocessor_config.json and tokenizer
files) loads with ``transformers.CLIPModel.from_pretrained`` and
``transformers.CLIPProcessor.from_pretrained`` like any other CLIP checkpoint.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import random
import string
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from transformers import CLIPConfig, CLIPModel, CLIPProcessor, CLIPTokenizer

from inference.reference_model import synthetic

IMAGE_SIDE = 96
"""Side in pixels of the model's input image (after resize and centre crop)."""

PATCH = 16
"""ViT patch size in pixels."""

MAX_TEXT_TOKENS = 32
"""Longest token sequence the text encoder accepts."""

OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_STD = [0.26862954, 0.26130258, 0.27577711]
UNK_TOKEN, BOS_TOKEN, EOS_TOKEN = "<|unk|>", "<|startoftext|>", "<|endoftext|>"
SPECIAL_TOKENS = (UNK_TOKEN, BOS_TOKEN, EOS_TOKEN)
"""Tokens appended after the BPE vocabulary; padding reuses the end-of-text token."""


@dataclass(frozen=True)
class TrainSettings:
    """Hyper-parameters of one training run."""

    seed: int = 0
    steps: int = 700
    batch: int = 128
    lr: float = 8e-4
    warmup: int = 60
    weight_decay: float = 0.05
    min_render: int = 96
    max_render: int = 224
    filler_word_p: float = 0.2
    jpeg_p: float = 0.4


def _word_symbols(word: str) -> list[str]:
    """``word`` split into letters, the last one carrying the ``</w>`` end-of-word mark."""
    return [*word[:-1], word[-1] + "</w>"]


def _merge_pair(symbols: list[str], pair: tuple[str, str]) -> list[str]:
    """``symbols`` with every adjacent occurrence of ``pair`` joined into one symbol."""
    out: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def learn_merges(words: tuple[str, ...]) -> list[tuple[str, str]]:
    """Byte-pair merges learned on ``words`` until every word is a single symbol.

    The most frequent adjacent pair is merged first (ties broken alphabetically), so
    applying the merges in order always rebuilds each training word as one token.
    """
    corpus = [_word_symbols(w) for w in words]
    merges: list[tuple[str, str]] = []
    while True:
        counts: dict[tuple[str, str], int] = {}
        for symbols in corpus:
            for pair in itertools.pairwise(symbols):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            return merges
        best = min(counts, key=lambda pair: (-counts[pair], pair))
        merges.append(best)
        corpus = [_merge_pair(symbols, best) for symbols in corpus]


def build_vocab_and_merges(words: tuple[str, ...]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A CLIP-style BPE vocabulary in which every training word is a single token.

    The base alphabet is the 26 lower-case letters (plain and word-final ``</w>`` forms).
    Unseen words fall back to letter pieces; characters outside the alphabet (digits,
    punctuation, accented letters, emoji) become the unknown token ``<|unk|>``.
    """
    tokens = [form for letter in string.ascii_lowercase for form in (letter, letter + "</w>")]
    merges = learn_merges(words)
    tokens += ["".join(pair) for pair in merges]
    ordered = list(dict.fromkeys(tokens)) + list(SPECIAL_TOKENS)
    return {tok: i for i, tok in enumerate(ordered)}, merges


def build_tokenizer() -> CLIPTokenizer:
    """The CLIP tokenizer over ``synthetic.VOCABULARY``."""
    vocab, merges = build_vocab_and_merges(synthetic.VOCABULARY)
    return CLIPTokenizer(
        vocab=vocab,
        merges=merges,  # type: ignore[arg-type]  # the BPE backend takes (left, right) pairs
        unk_token=UNK_TOKEN,
        bos_token=BOS_TOKEN,
        eos_token=EOS_TOKEN,
        pad_token=EOS_TOKEN,
        model_max_length=MAX_TEXT_TOKENS,
    )


def preprocessor_config() -> dict[str, object]:
    """The ``preprocessor_config.json`` contents (OpenAI CLIP layout, smaller input side)."""
    return {
        "crop_size": {"height": IMAGE_SIDE, "width": IMAGE_SIDE},
        "do_center_crop": True,
        "do_convert_rgb": True,
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": OPENAI_MEAN,
        "image_std": OPENAI_STD,
        "image_processor_type": "CLIPImageProcessor",
        "processor_class": "CLIPProcessor",
        "resample": 3,
        "rescale_factor": 1 / 255,
        "size": {"shortest_edge": IMAGE_SIDE},
    }


def build_config(tokenizer: CLIPTokenizer) -> CLIPConfig:
    """Architecture of the reference model: a small ViT and a small text transformer."""
    text = {
        "vocab_size": len(tokenizer),
        "hidden_size": 128,
        "intermediate_size": 512,
        "num_hidden_layers": 3,
        "num_attention_heads": 4,
        "max_position_embeddings": MAX_TEXT_TOKENS,
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "pad_token_id": tokenizer.pad_token_id,
    }
    vision = {
        "hidden_size": 160,
        "intermediate_size": 640,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "image_size": IMAGE_SIDE,
        "patch_size": PATCH,
    }
    return CLIPConfig(text_config=text, vision_config=vision, projection_dim=128)


def write_vocab_files(out: Path) -> None:
    """Also write the classic ``vocab.json`` / ``merges.txt`` pair next to ``tokenizer.json``."""
    vocab, merges = build_vocab_and_merges(synthetic.VOCABULARY)
    (out / "vocab.json").write_text(json.dumps(vocab, indent=1))
    lines = ["#version: 0.2"] + [f"{a} {b}" for a, b in merges]
    (out / "merges.txt").write_text("\n".join(lines) + "\n")


def write_processor(out: Path) -> CLIPProcessor:
    """Save tokenizer and image-processor files into ``out`` and load them back as one processor."""
    out.mkdir(parents=True, exist_ok=True)
    build_tokenizer().save_pretrained(out)
    write_vocab_files(out)
    (out / "preprocessor_config.json").write_text(json.dumps(preprocessor_config(), indent=2))
    return CLIPProcessor.from_pretrained(out, local_files_only=True)


def _filler_word(rng: random.Random) -> str:
    """A random lower-case letter string, standing in for words the model has never seen."""
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 7)))


def _augment_caption(caption: str, rng: random.Random, p: float) -> str:
    """With probability ``p``, insert a random unseen word somewhere in ``caption``."""
    if rng.random() >= p:
        return caption
    words = caption.split()
    words.insert(rng.randint(0, len(words)), _filler_word(rng))
    return " ".join(words)


def _jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    """``image`` after a JPEG round trip at a random quality."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=rng.randint(25, 90))
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def make_batch(
    rng: random.Random, processor: CLIPProcessor, settings: TrainSettings
) -> dict[str, torch.Tensor]:
    """One training batch: processed pixels, tokenized captions and the positive-pair mask."""
    images, captions, specs, templates = [], [], [], []
    for _ in range(settings.batch):
        spec = synthetic.sample_spec(rng)
        template = rng.choice(synthetic.TRAIN_TEMPLATES)
        image = synthetic.make_image(
            spec, rng.randint(settings.min_render, settings.max_render), rng
        )
        if rng.random() < settings.jpeg_p:
            image = _jpeg(image, rng)
        images.append(image)
        caption = synthetic.fill_template(template, spec)
        captions.append(_augment_caption(caption, rng, settings.filler_word_p))
        specs.append(spec)
        templates.append(template)
    encoded = processor(
        text=captions, images=images, return_tensors="pt", padding=True, truncation=True
    )
    mask = torch.tensor(
        [
            [synthetic.caption_fits(t, d, s) for s in specs]
            for t, d in zip(templates, specs, strict=True)
        ],
        dtype=torch.float32,
    )
    return {
        "pixel_values": encoded["pixel_values"],
        "input_ids": encoded["input_ids"],
        "attention_mask": encoded["attention_mask"],
        "text_to_image": mask,
    }


class BatchStream(torch.utils.data.IterableDataset):
    """An endless, seeded stream of training batches (see ``make_batch``)."""

    def __init__(self, processor: CLIPProcessor, settings: TrainSettings) -> None:
        super().__init__()
        self.processor = processor
        self.settings = settings

    def __iter__(self) -> Iterator[dict[str, torch.Tensor]]:
        rng = random.Random(self.settings.seed)  # noqa: S311 - seeded training data
        while True:
            yield make_batch(rng, self.processor, self.settings)


def _single_thread_worker(_: int) -> None:
    """Keep the data worker to one torch thread so it does not fight the training loop."""
    torch.set_num_threads(1)


def batch_loader(processor: CLIPProcessor, settings: TrainSettings) -> torch.utils.data.DataLoader:
    """Batches generated in one background worker process, a few steps ahead of training."""
    return torch.utils.data.DataLoader(
        BatchStream(processor, settings),
        batch_size=None,
        num_workers=1,
        prefetch_factor=4,
        worker_init_fn=_single_thread_worker,
    )


def contrastive_loss(model: CLIPModel, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Symmetric InfoNCE with soft targets: every image a caption is true of counts as positive."""
    out = model(
        input_ids=batch["input_ids"],
        attention_mask=batch["attention_mask"],
        pixel_values=batch["pixel_values"],
    )
    logits = out.logits_per_text
    mask = batch["text_to_image"]
    text_targets = mask / mask.sum(dim=1, keepdim=True)
    image_targets = mask.T / mask.T.sum(dim=1, keepdim=True)
    text_loss = torch.sum(-text_targets * F.log_softmax(logits, dim=1), dim=1).mean()
    image_loss = torch.sum(-image_targets * F.log_softmax(logits.T, dim=1), dim=1).mean()
    return (text_loss + image_loss) / 2


def _lr_at(step: int, settings: TrainSettings) -> float:
    """Linear warm-up then cosine decay to 5% of the peak learning rate."""
    if step < settings.warmup:
        return settings.lr * (step + 1) / settings.warmup
    progress = (step - settings.warmup) / max(1, settings.steps - settings.warmup)
    return settings.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def _optimizer(model: CLIPModel, settings: TrainSettings) -> torch.optim.Optimizer:
    """AdamW with no weight decay on biases, norms, embeddings' positions and the temperature."""
    decay: list[torch.nn.Parameter] = []
    no_decay: list[torch.nn.Parameter] = []
    for name, param in model.named_parameters():
        plain = param.ndim < 2 or "position" in name or "logit_scale" in name
        (no_decay if plain else decay).append(param)
    groups = [
        {"params": decay, "weight_decay": settings.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=settings.lr, betas=(0.9, 0.98), eps=1e-6)


def train(model: CLIPModel, processor: CLIPProcessor, settings: TrainSettings) -> None:
    """Run the training loop in place on ``model``, printing progress."""
    optimizer = _optimizer(model, settings)
    model.train()
    start = time.monotonic()
    batches = iter(batch_loader(processor, settings))
    for step in range(settings.steps):
        for group in optimizer.param_groups:
            group["lr"] = _lr_at(step, settings)
        batch = next(batches)
        loss = contrastive_loss(model, batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0.0, math.log(100.0))
        if step % 25 == 0 or step == settings.steps - 1:
            elapsed = time.monotonic() - start
            print(
                f"step {step:5d}/{settings.steps} loss {loss.item():.4f} "
                f"scale {model.logit_scale.exp().item():6.2f} elapsed {elapsed:7.1f}s",
                flush=True,
            )
    model.eval()


def _seed_everything(seed: int, threads: int) -> None:
    """Seed torch, numpy and Python, and pin torch to ``threads`` CPU threads."""
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True, warn_only=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output model directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=TrainSettings.steps)
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Build, train and save the reference model."""
    args = parse_args(argv)
    settings = TrainSettings(seed=args.seed, steps=args.steps)
    _seed_everything(args.seed, args.threads)
    processor = write_processor(args.out)
    model = CLIPModel(build_config(processor.tokenizer))
    params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {params:,}; settings: {settings}", flush=True)
    start = time.monotonic()
    train(model, processor, settings)
    model.save_pretrained(args.out, safe_serialization=True)
    processor.save_pretrained(args.out)
    write_vocab_files(args.out)
    print(f"saved to {args.out} after {time.monotonic() - start:.1f}s of training", flush=True)


if __name__ == "__main__":
    main()
