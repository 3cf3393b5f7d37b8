"""Held-out zero-shot evaluation for CLIP-style image classifiers.

``zero_shot_suite`` builds seeded test cases from the synthetic generator: each case is
an image plus candidate labels written with the HELD-OUT prompt templates, which a model
trained on ``synthetic.TRAIN_TEMPLATES`` has never seen. Cases come in four kinds:

* ``colour`` - the same sentence filled with every colour;
* ``shape``  - the same sentence filled with every shape;
* ``count``  - the same sentence filled with every count;
* ``combo``  - the image shows a colour x shape pair held out of training; the labels are
  the right pair and five pairs that share its colour or its shape.

``evaluate_classifier`` runs any ``classify(images, labels)`` callable over a suite, so
the same check applies to a bare model or to a full inference pipeline around one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PIL import Image

from inference.reference_model import synthetic

KINDS: tuple[str, ...] = ("colour", "shape", "count", "combo")
"""Case kinds, in the order ``zero_shot_suite`` cycles through them."""

COMBO_CHOICES = 6
"""Number of candidate labels in a ``combo`` case."""

Classifier = Callable[[list[Image.Image], list[str]], list[list[float]]]
"""``classify(images, labels)``: per image, one probability (or score) per label."""


@dataclass(frozen=True)
class ZeroShotCase:
    """One zero-shot question: which of ``labels`` describes ``image``?"""

    image: Image.Image
    labels: list[str]
    answer: int
    kind: str
    spec: synthetic.SceneSpec


def chance_level(kind: str) -> float:
    """Accuracy of uniform random guessing for a case kind."""
    options = {
        "colour": len(synthetic.COLOURS),
        "shape": len(synthetic.SHAPES),
        "count": len(synthetic.COUNTS),
        "combo": COMBO_CHOICES,
    }
    return 1.0 / options[kind]


def _variants(spec: synthetic.SceneSpec, kind: str) -> list[synthetic.SceneSpec]:
    """Specs that differ from ``spec`` only in the attribute ``kind`` asks about."""
    if kind == "colour":
        return [replace(spec, colour=c) for c in synthetic.COLOURS]
    if kind == "shape":
        return [replace(spec, shape=s) for s in synthetic.SHAPES]
    return [replace(spec, count=n) for n in synthetic.COUNTS]


def _combo_variants(spec: synthetic.SceneSpec, rng: random.Random) -> list[synthetic.SceneSpec]:
    """The true spec followed by distractors sharing its colour or its shape."""
    same_shape = [c for c in synthetic.COLOURS if c != spec.colour]
    same_colour = [s for s in synthetic.SHAPES if s != spec.shape]
    n_colour = (COMBO_CHOICES - 1) // 2
    picks = [replace(spec, colour=c) for c in rng.sample(same_shape, COMBO_CHOICES - 1 - n_colour)]
    picks += [replace(spec, shape=s) for s in rng.sample(same_colour, n_colour)]
    return [spec, *picks]


def _make_case(kind: str, size: int, rng: random.Random) -> ZeroShotCase:
    """Draw one case of ``kind`` with an image of ``size`` pixels."""
    spec = synthetic.sample_spec(rng, held_out=kind == "combo")
    image = synthetic.make_image(spec, size, rng)
    template = rng.choice(synthetic.HELD_OUT_TEMPLATES)
    if kind == "combo":
        options = _combo_variants(spec, rng)
        order = list(range(len(options)))
        rng.shuffle(order)
        options = [options[i] for i in order]
        answer = order.index(0)
    else:
        options = _variants(spec, kind)
        answer = options.index(spec)
    labels = [synthetic.fill_template(template, option) for option in options]
    return ZeroShotCase(image=image, labels=labels, answer=answer, kind=kind, spec=spec)


def zero_shot_suite(*, seed: int, n: int, size: int = 128) -> list[ZeroShotCase]:
    """``n`` seeded zero-shot cases, cycling through ``KINDS``, with ``size``-pixel images."""
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not security
    return [_make_case(KINDS[i % len(KINDS)], size, rng) for i in range(n)]


def score(cases: Sequence[ZeroShotCase], predictions: Sequence[int]) -> dict[str, float]:
    """Accuracy of ``predictions`` (chosen label indices): ``overall`` and one entry per kind."""
    if len(cases) != len(predictions):
        raise ValueError(f"{len(cases)} cases but {len(predictions)} predictions")
    hits: dict[str, list[bool]] = {"overall": []}
    for case, predicted in zip(cases, predictions, strict=True):
        correct = case.answer == predicted
        hits["overall"].append(correct)
        hits.setdefault(case.kind, []).append(correct)
    return {kind: sum(values) / len(values) for kind, values in hits.items() if values}


def predict(cases: Sequence[ZeroShotCase], classify: Classifier) -> list[int]:
    """Index of the highest-probability label for every case.

    Cases that share a label list go to ``classify`` together, in one call.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, case in enumerate(cases):
        groups.setdefault(tuple(case.labels), []).append(index)
    predictions = [-1] * len(cases)
    for labels, indices in groups.items():
        probabilities = classify([cases[i].image for i in indices], list(labels))
        if len(probabilities) != len(indices):
            raise ValueError("classify must return one probability list per image")
        for index, row in zip(indices, probabilities, strict=True):
            predictions[index] = max(range(len(row)), key=row.__getitem__)
    return predictions


def evaluate_classifier(
    classify: Classifier, *, seed: int, n: int, size: int = 128
) -> dict[str, float]:
    """Held-out zero-shot accuracy (overall and per kind) of ``classify`` on a fresh suite."""
    cases = zero_shot_suite(seed=seed, n=n, size=size)
    return score(cases, predict(cases, classify))
