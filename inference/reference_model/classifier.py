"""Loading the shipped reference CLIP weights and using them as a zero-shot classifier."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from PIL import Image
from transformers import CLIPModel, CLIPProcessor

from inference.reference_model.evaluate import Classifier, evaluate_classifier

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
"""Directory of the trained reference model, in Hugging Face CLIP layout."""


def load_reference_model(path: Path = WEIGHTS_DIR) -> tuple[CLIPModel, CLIPProcessor]:
    """The CLIP model and processor stored at ``path``, in eval mode, from local files only."""
    model = CLIPModel.from_pretrained(path, local_files_only=True)
    processor = CLIPProcessor.from_pretrained(path, local_files_only=True)
    model.eval()
    return model, processor


def make_classifier(model: CLIPModel, processor: CLIPProcessor) -> Classifier:
    """A ``classify(images, labels)`` callable giving softmax probabilities over ``labels``."""

    def classify(images: list[Image.Image], labels: list[str]) -> list[list[float]]:
        inputs = processor(
            text=labels,
            images=[image.convert("RGB") for image in images],
            return_tensors="pt",
            padding=True,
            truncation=True,
        )
        with torch.inference_mode():
            logits = model(**inputs).logits_per_image
        return logits.softmax(dim=-1).tolist()

    return classify


def main(argv: list[str] | None = None) -> None:
    """Print the held-out zero-shot accuracy of the shipped weights."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    classify = make_classifier(*load_reference_model(args.weights))
    result = evaluate_classifier(classify, seed=args.seed, n=args.n, size=args.size)
    print(json.dumps({"seed": args.seed, "n": args.n, "size": args.size, **result}, indent=2))


if __name__ == "__main__":
    main()
