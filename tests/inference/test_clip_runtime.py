"""The model runtime: real zero-shot accuracy through the privacy filters, any CLIP
checkpoint directory, and no way in for an unfiltered image."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from inference.clip_runtime import ClipRuntime, get_runtime
from inference.filters import FilteredImage, UnfilteredImageError, filter_image
from inference.model_registry import default_model_id, weights_sha256
from inference.reference_model.classifier import WEIGHTS_DIR, load_reference_model, make_classifier
from inference.reference_model.evaluate import evaluate_classifier


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _filtered(image: Image.Image) -> FilteredImage | None:
    outcome = filter_image(_png(image), expect_people=False)
    return outcome.image if outcome.status == "ok" else None


@pytest.fixture(scope="module")
def runtime() -> ClipRuntime:
    return get_runtime(default_model_id())


def test_zero_shot_accuracy_through_the_filters_matches_the_bare_model(
    runtime: ClipRuntime,
) -> None:
    """Unseen wordings on fresh images: the platform path (filters, then runtime) must score
    what the bare model scores; a wrong label order, preprocessing or filter would not."""
    quarantined = 0

    def platform_classify(images: list[Image.Image], labels: list[str]) -> list[list[float]]:
        nonlocal quarantined
        filtered = [_filtered(image) for image in images]
        quarantined += sum(f is None for f in filtered)
        ok = [f for f in filtered if f is not None]
        probs = iter(runtime.classify(ok, labels).tolist()) if ok else iter([])
        return [next(probs) if f is not None else [0.0] * len(labels) for f in filtered]

    seed, n = 4242, 60
    platform = evaluate_classifier(platform_classify, seed=seed, n=n, size=160)
    bare = evaluate_classifier(make_classifier(*load_reference_model()), seed=seed, n=n, size=160)
    assert quarantined == 0
    assert platform["colour"] >= 0.85
    assert platform["overall"] >= 0.6
    assert abs(platform["overall"] - bare["overall"]) <= 0.05, (platform, bare)


def test_probabilities_follow_the_label_order(runtime: ClipRuntime) -> None:
    from clipguard.demo.images import shape_images, shape_label

    image = _filtered(Image.open(io.BytesIO(shape_images()[0].data)))
    assert image is not None
    labels = [
        shape_label("red", "circle"),
        shape_label("blue", "square"),
        shape_label("green", "star"),
    ]
    forward = runtime.classify([image], labels)[0]
    backward = runtime.classify([image], labels[::-1])[0]
    assert np.allclose(forward, backward[::-1], atol=1e-5)
    assert int(np.argmax(forward)) == 0


def test_the_runtime_refuses_unfiltered_pixels(runtime: ClipRuntime) -> None:
    raw = Image.new("RGB", (64, 64), (200, 30, 30))
    with pytest.raises(UnfilteredImageError):
        runtime.embed_images([raw])  # type: ignore[list-item]
    with pytest.raises(UnfilteredImageError):
        runtime.classify([raw], ["a red circle"])  # type: ignore[list-item]
    with pytest.raises(UnfilteredImageError):
        FilteredImage(png_bytes=_png(raw), manifest={"status": "ok"})


def test_any_hugging_face_clip_directory_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is specific to the reference model: a checkpoint with other sizes loads and runs."""
    import torch
    from transformers import CLIPConfig, CLIPModel

    torch.manual_seed(0)
    config = CLIPConfig(
        text_config={
            "vocab_size": 200,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": 32,
        },
        vision_config={
            "image_size": 64,
            "patch_size": 16,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
        },
        projection_dim=48,
    )
    directory = tmp_path / "other-clip"
    CLIPModel(config).save_pretrained(directory)
    for name in ("vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(WEIGHTS_DIR / name, directory / name)
    preprocessor = (WEIGHTS_DIR / "preprocessor_config.json").read_text()
    (directory / "preprocessor_config.json").write_text(preprocessor.replace("96", "64"))
    monkeypatch.setenv("CLIPGUARD_EXTRA_MODELS", f"other-clip={directory}")
    other = ClipRuntime("other-clip")
    assert other.identity.weights_sha256 == weights_sha256(directory)
    assert other.identity.weights_sha256 != weights_sha256(WEIGHTS_DIR)
    image = _filtered(Image.new("RGB", (120, 90), (20, 160, 40)))
    assert image is not None
    assert other.embed_images([image]).shape == (1, 48)
    probs = other.classify([image], ["a green square", "a red circle"])
    assert probs.shape == (1, 2)
    assert abs(float(probs.sum()) - 1.0) < 1e-5
