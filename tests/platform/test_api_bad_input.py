"""Bad input to the API gets a clear JSON 4xx, never a 500 or a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clipguard.datasets.models import Asset, Dataset
from inference.models import Job
from tests.conftest import Cast, api_client_for


@pytest.fixture
def dataset(cast: Cast) -> Dataset:
    return Dataset.objects.create(
        business_unit=cast.unit_a, name="Catalogue", purposes=["product_tagging"],
        data_categories=["products"],
    )  # fmt: skip


def _assert_clear_4xx(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "detail"}
    assert "Traceback" not in response.content.decode()
    return body


@pytest.mark.django_db
def test_job_requests_with_bad_fields_are_refused_clearly(cast: Cast, dataset: Dataset) -> None:
    client: Any = api_client_for(cast.alice)
    base = {
        "dataset": dataset.pk,
        "purpose": "product_tagging",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["a red circle", "a blue square"],
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "task": "face_recognition"}, "task"),
        ({**base, "labels": []}, "labels"),
        ({**base, "labels": ["a red circle", "a red circle"]}, "labels"),
        ({**base, "labels": ["a red circle", ""]}, "labels"),
        ({**base, "labels": ["x"] * 5000}, "labels"),
        ({**base, "purpose": "no_such_purpose"}, "purpose"),
        ({**base, "deployment_context": "the moon"}, "deployment_context"),
        ({**base, "dataset": 999999}, "dataset"),
        ({**base, "dataset": "one"}, "dataset"),
        ({**base, "model_id": "gpt-17"}, "model_id"),
        ({**base, "purpose": "search_own_media"}, "purpose"),  # not registered for the dataset
        ({k: v for k, v in base.items() if k != "task"}, "task"),
    ]
    for body, field in cases:
        detail = _assert_clear_4xx(client.post("/api/v1/jobs/", body, format="json"))
        assert field in str(detail["detail"]), (field, detail)
    assert Job.objects.count() == 0
    response = client.post("/api/v1/jobs/", "{not json", content_type="application/json")
    _assert_clear_4xx(response)


@pytest.mark.django_db
def test_labels_with_personal_data_are_refused_naming_the_label(
    cast: Cast, dataset: Dataset
) -> None:
    client: Any = api_client_for(cast.alice)
    response = client.post(
        "/api/v1/jobs/",
        {"dataset": dataset.pk, "purpose": "product_tagging", "deployment_context": "retail",
         "task": "zero_shot_classification",
         "labels": ["a red circle", "a parcel for john.smith@example.com"]},
        format="json",
    )  # fmt: skip
    body = _assert_clear_4xx(response)
    message = str(body["detail"])
    assert "entry 2" in message
    assert "EMAIL_ADDRESS" in message
    assert "john.smith" not in message  # the refusal does not echo the personal data
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_uploads_that_are_not_images_are_refused_and_nothing_is_stored(
    cast: Cast, dataset: Dataset
) -> None:
    client: Any = api_client_for(cast.alice)
    url = f"/api/v1/datasets/{dataset.pk}/assets/"
    _assert_clear_4xx(client.post(url, {}, format="multipart"))
    empty = SimpleUploadedFile("empty.png", b"")
    _assert_clear_4xx(client.post(url, {"file": empty}, format="multipart"))
    pdf = SimpleUploadedFile("doc.png", b"%PDF-1.4 not an image")
    body = _assert_clear_4xx(client.post(url, {"file": pdf}, format="multipart"))
    assert "file" in str(body["detail"])
    assert Asset.objects.count() == 0


@pytest.mark.django_db
def test_malformed_ids_answer_404(cast: Cast) -> None:
    client: Any = api_client_for(cast.alice)
    for url in ("/api/v1/jobs/not-a-uuid/", "/api/v1/assets/abc/", "/api/v1/datasets/-1/"):
        _assert_clear_4xx(client.get(url), status=404)


@pytest.mark.django_db
def test_dataset_registration_validates_codes(cast: Cast) -> None:
    client: Any = api_client_for(cast.alice)
    response = client.post(
        "/api/v1/datasets/",
        {"name": "X", "purposes": ["mind_reading"], "data_categories": ["products"]},
        format="json",
    )
    assert "mind_reading" in str(_assert_clear_4xx(response)["detail"])
    response = client.post(
        "/api/v1/datasets/",
        {"name": "X", "purposes": ["product_tagging"], "data_categories": ["souls"]},
        format="json",
    )
    assert "souls" in str(_assert_clear_4xx(response)["detail"])
    ok = client.post(
        "/api/v1/datasets/",
        {"name": "X", "purposes": ["product_tagging"], "data_categories": ["products"],
         "description": "Shelf photos; contact jane.doe@example.com for access"},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201
    assert "jane.doe" not in ok.json()["description"]
    duplicate = client.post(
        "/api/v1/datasets/",
        {"name": "X", "purposes": ["product_tagging"], "data_categories": ["products"]},
        format="json",
    )
    _assert_clear_4xx(duplicate)
