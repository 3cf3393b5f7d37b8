"""A job end to end through a real Celery worker: upload, filter, decide, infer, record."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from audit.models import EventType, LedgerRecord
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from clipguard.demo import images
from clipguard.storage import media_path, quarantine_path
from inference.job_execution import output_sha256
from inference.models import Job, JobResult, JobStatus
from tests.conftest import Cast, api_client_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until(condition: Callable[[], bool], *, timeout: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def upload(
    client: Any, dataset: Dataset, name: str, data: bytes, subjects: list[str] | None = None
) -> Any:
    return client.post(
        f"/api/v1/datasets/{dataset.pk}/assets/",
        {"file": SimpleUploadedFile(name, data), "subjects": subjects or []},
        format="multipart",
    )


def filters_done(dataset: Dataset) -> bool:
    return not Asset.objects.filter(dataset=dataset, status=AssetStatus.PENDING).exists()


def decompression_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (20000, 20000), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_allowed_job_runs_end_to_end_and_bad_files_lose_nothing(
    cast: Cast, celery_worker: Any
) -> None:
    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Shapes",
        purposes=["product_tagging"],
        data_categories=["products"],
    )
    shapes = images.shape_images(seed=11)
    for image in shapes:
        assert upload(client, dataset, image.name, image.data).status_code == 201
    again = upload(client, dataset, "copy.png", shapes[0].data)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True

    truncated = upload(client, dataset, "broken.jpg", images.truncated_jpeg().data)
    assert truncated.status_code == 400
    assert truncated.json()["error"] == "invalid"
    bomb = upload(client, dataset, "bomb.png", decompression_bomb())
    assert bomb.status_code == 400
    assert "pixels" in str(bomb.json()).lower()
    not_image = upload(client, dataset, "notes.jpg", b"just some text, not an image")
    assert not_image.status_code == 400
    assert Asset.objects.filter(dataset=dataset).count() == len(shapes)

    wait_until(lambda: filters_done(dataset), what="filters")
    assets = list(Asset.objects.filter(dataset=dataset).order_by("pk"))
    assert all(a.status == AssetStatus.READY for a in assets)
    for asset in assets:
        assert asset.quarantine_path == ""  # original deleted, only its hash kept
        assert media_path(asset.filtered_path).is_file()

    labels = [images.shape_label(c, s) for c, s, _ in images.SHAPE_SCENES]
    response = client.post(
        "/api/v1/jobs/",
        {
            "dataset": dataset.pk,
            "purpose": "product_tagging",
            "deployment_context": "retail",
            "task": "zero_shot_classification",
            "labels": labels,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    wait_until(lambda: Job.objects.get(pk=job_id).status == JobStatus.COMPLETED, what="job")

    job = client.get(f"/api/v1/jobs/{job_id}/").json()
    reasons = [r.reason for r in JobResult.objects.filter(job_id=job_id).exclude(status="ok")]
    assert job["progress"] == {
        "total": len(shapes),
        "processed": len(shapes),
        "skipped": 0,
        "failed": 0,
    }, reasons
    rows = client.get(f"/api/v1/jobs/{job_id}/results/").json()["results"]
    by_asset = {row["asset"]: row for row in rows}
    correct = sum(
        by_asset[asset.pk]["output"]["label"] == images.shape_label(*truth.truth.split())
        for asset, truth in zip(assets, shapes, strict=True)
    )
    assert correct >= len(shapes) - 1, rows
    for row in rows:
        assert abs(sum(row["output"]["scores"].values()) - 1.0) < 1e-3
        assert row["output_sha256"] == output_sha256(row["output"])

    records = LedgerRecord.objects.filter(event_type=EventType.INFERENCE, job_id=job_id)
    assert records.count() == len(shapes)
    for record in records:
        assert record.asset_id is not None
        result = JobResult.objects.get(job_id=job_id, asset_id=record.asset_id)
        asset = Asset.objects.get(pk=record.asset_id)
        assert record.output_sha256 == result.output_sha256
        assert record.filtered_sha256 == asset.filtered_sha256
        assert record.input_sha256 == asset.original_sha256
        assert record.manifest_sha256 == asset.manifest_sha256
        assert record.weights_sha256
        assert record.model_id
        assert record.policy_decision == "allow"
        assert record.policy_version


def test_a_face_never_survives_into_storage_results_or_responses(
    cast: Cast, celery_worker: Any
) -> None:
    from inference.filters.faces import default_face_detectors, detect_faces

    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Visits",
        purposes=["product_tagging"],
        data_categories=["people", "faces"],
    )
    photo = images.face_photo()
    original = np.asarray(Image.open(io.BytesIO(photo.data)).convert("RGB"))
    assert detect_faces(original, default_face_detectors()), (
        "the test photo must show a detectable face"
    )
    response = upload(client, dataset, photo.name, photo.data, subjects=["s-1"])
    assert response.status_code == 201
    asset_id = response.json()["id"]
    wait_until(lambda: filters_done(dataset), what="filters")
    asset = Asset.objects.get(pk=asset_id)
    assert asset.status == AssetStatus.READY, asset.status_reason
    assert not quarantine_path(f"{dataset.pk}").exists() or not any(
        quarantine_path(f"{dataset.pk}").iterdir()
    )

    stored = Image.open(media_path(asset.filtered_path))
    assert not stored.info.get("exif")
    assert "GPSInfo" not in str(stored.info)
    pixels = np.asarray(stored.convert("RGB"))
    assert detect_faces(pixels, default_face_detectors()) == []
    manifest = asset.filter_manifest or {}
    for face in manifest["faces"]:
        x, y, w, h = face["box"]
        region = pixels[y : y + h, x : x + w].astype(float)
        assert region.std() < 2.0, "solid fill leaves no recoverable detail"

    body = client.get(f"/api/v1/assets/{asset_id}/").json()
    assert body["faces_obscured"] >= 1
    assert "filtered_path" not in body
    assert "quarantine_path" not in body


def test_a_denied_job_never_queues(cast: Cast, celery_worker: Any) -> None:
    client: Any = api_client_for(cast.bob)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Staff",
        purposes=["product_tagging"],
        data_categories=["people", "faces"],
    )
    shape = images.shape_images()[0]
    assert upload(client, dataset, shape.name, shape.data).status_code == 201
    response = client.post(
        "/api/v1/jobs/",
        {
            "dataset": dataset.pk,
            "purpose": "product_tagging",
            "deployment_context": "workplace",
            "task": "zero_shot_classification",
            "labels": ["an employee who looks furious", "a relaxed employee"],
        },
        format="json",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "policy_denied"
    job = Job.objects.get(pk=body["job"]["id"])
    assert job.status == JobStatus.DENIED
    assert any("5(1)(f)" in rule["article"] for rule in job.decision_rules)
    wait_until(lambda: filters_done(dataset), what="filters")
    time.sleep(2)  # give a wrongly queued job every chance to run
    job.refresh_from_db()
    assert job.status == JobStatus.DENIED
    assert job.started_at is None
    assert not JobResult.objects.filter(job=job).exists()
    decision = LedgerRecord.objects.get(event_type=EventType.POLICY_DECISION, job_id=str(job.pk))
    assert decision.policy_decision == "deny"
    assert decision.policy_version == job.policy_version
