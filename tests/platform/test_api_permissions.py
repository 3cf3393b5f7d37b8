"""Deny by default: every endpoint, for anonymous callers, outsiders and each role.

Generated from one table of endpoints so a new endpoint cannot forget its checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from governance.models import Approval
from inference.models import Job, JobResult, JobStatus, ResultStatus
from tests.conftest import Cast, api_client_for


@dataclass
class World:
    cast: Cast
    dataset: Dataset
    asset: Asset
    subject: DataSubject
    consent: ConsentRecord
    job: Job
    approval: Approval


@pytest.fixture
def world(cast: Cast) -> World:
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="A photos",
        purposes=["product_tagging"],
        data_categories=["people"],
    )
    asset = Asset.objects.create(
        dataset=dataset,
        original_sha256="a" * 64,
        original_format="PNG",
        original_bytes=10,
        status=AssetStatus.READY,
        filter_manifest={"status": "ok", "faces": []},
    )
    subject = DataSubject.objects.create(business_unit=cast.unit_a, reference="s-1")
    consent = ConsentRecord.objects.create(
        subject=subject,
        dataset=dataset,
        purposes=["product_tagging"],
        notice_version="v1",
        evidence="ref",
        granted_at=timezone.now(),
    )
    job = Job.objects.create(
        business_unit=cast.unit_a,
        dataset=dataset,
        submitted_by=cast.alice,
        purpose="recruitment",
        deployment_context="workplace",
        task="zero_shot_classification",
        labels=["a red circle"],
        model_id="m",
        status=JobStatus.AWAITING_APPROVAL,
        decision="require_approval",
        policy_version="v",
    )
    JobResult.objects.create(job=job, asset=asset, status=ResultStatus.OK, output={"label": "x"})
    approval = Approval.objects.create(job=job)
    return World(cast, dataset, asset, subject, consent, job, approval)


def _detail_urls(w: World) -> list[str]:
    return [
        f"/api/v1/datasets/{w.dataset.pk}/",
        f"/api/v1/assets/{w.asset.pk}/",
        f"/api/v1/assets/{w.asset.pk}/manifest/",
        f"/api/v1/subjects/{w.subject.pk}/",
        f"/api/v1/consents/{w.consent.pk}/",
        f"/api/v1/jobs/{w.job.pk}/",
        f"/api/v1/jobs/{w.job.pk}/results/",
        f"/api/v1/approvals/{w.approval.pk}/",
    ]


LIST_URLS = [
    "/api/v1/datasets/",
    "/api/v1/assets/",
    "/api/v1/subjects/",
    "/api/v1/consents/",
    "/api/v1/jobs/",
    "/api/v1/approvals/",
]


def _writes(w: World) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"/api/v1/datasets/{w.dataset.pk}/assets/", {}),
        (f"/api/v1/consents/{w.consent.pk}/withdraw/", {"reason": "x"}),
        (f"/api/v1/approvals/{w.approval.pk}/approve/", {"reason": "fine"}),
        (f"/api/v1/approvals/{w.approval.pk}/reject/", {"reason": "no"}),
    ]


@pytest.mark.django_db
def test_anonymous_callers_get_401_everywhere(world: World) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    for url in [*LIST_URLS, *_detail_urls(world)]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"] == "not_authenticated"
    for url, body in _writes(world):
        assert client.post(url, body).status_code == 401, url
    assert client.post("/api/v1/jobs/", {}, format="json").status_code == 401


@pytest.mark.django_db
def test_a_bad_api_key_is_refused_clearly(world: World) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer cg_not-a-real-key-at-all")
    response = client.get("/api/v1/datasets/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid API key."


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["charlie", "nobody"])
def test_outsiders_see_nothing_of_another_unit(world: World, who: str) -> None:
    client: Any = api_client_for(getattr(world.cast, who))
    for url in LIST_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["count"] == 0, url
    for url in _detail_urls(world):
        assert client.get(url).status_code == 404, url
    for url, body in _writes(world):
        assert client.post(url, body, format="json").status_code in (403, 404), url
    response = client.post(
        "/api/v1/jobs/",
        {
            "dataset": world.dataset.pk,
            "purpose": "product_tagging",
            "deployment_context": "retail",
            "task": "embedding",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "no such dataset" in str(response.json())
    assert Job.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "root"])
def test_members_and_platform_roles_read_the_unit(world: World, who: str) -> None:
    client: Any = api_client_for(getattr(world.cast, who))
    for url in LIST_URLS:
        assert client.get(url).json()["count"] == 1, url
    for url in _detail_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_compliance_officer_reads_but_cannot_write_into_a_unit(world: World) -> None:
    client: Any = api_client_for(world.cast.carol)
    response = client.post(f"/api/v1/consents/{world.consent.pk}/withdraw/", {}, format="json")
    assert response.status_code == 404
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_at is None


@pytest.mark.django_db
def test_only_compliance_officers_decide_approvals(world: World) -> None:
    for who in ("alice", "bob", "root"):
        client: Any = api_client_for(getattr(world.cast, who))
        response = client.post(
            f"/api/v1/approvals/{world.approval.pk}/approve/", {"reason": "ok"}, format="json"
        )
        assert response.status_code == 403, who
    world.approval.refresh_from_db()
    assert world.approval.status == "pending"


@pytest.mark.django_db
def test_api_schema_is_served_to_authenticated_callers(world: World) -> None:
    client: Any = api_client_for(world.cast.bob)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/jobs/" in response.content
