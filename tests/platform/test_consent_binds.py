"""Consent is checked when each asset is processed; withdrawal stops work and erases."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import EventType, LedgerRecord
from clipguard.consent.models import ConsentRecord, ErasureReceipt
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from clipguard.demo import images
from clipguard.storage import media_path
from inference.models import Job, JobResult, JobStatus
from tests.conftest import Cast, api_client_for
from tests.inference.test_job_pipeline import filters_done, upload, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def run_embedding_job(client: Any, dataset: Dataset, purpose: str = "product_tagging") -> Job:
    response = client.post(
        "/api/v1/jobs/",
        {
            "dataset": dataset.pk,
            "purpose": purpose,
            "deployment_context": "retail",
            "task": "embedding",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    wait_until(lambda: Job.objects.get(pk=job_id).status == JobStatus.COMPLETED, what="job")
    return Job.objects.get(pk=job_id)


def test_consent_gates_processing_and_withdrawal_erases(cast: Cast, celery_worker: Any) -> None:
    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Visits",
        purposes=["product_tagging", "search_own_media"],
        data_categories=["people"],
    )
    shapes = images.shape_images(seed=5)
    consented = upload(client, dataset, "a.png", shapes[0].data, subjects=["s-yes"]).json()["id"]
    unconsented = upload(client, dataset, "b.png", shapes[1].data, subjects=["s-no"]).json()["id"]
    nobody = upload(client, dataset, "c.png", shapes[2].data).json()["id"]
    wait_until(lambda: filters_done(dataset), what="filters")

    grant = client.post(
        "/api/v1/consents/",
        {
            "subject": "s-yes",
            "dataset": dataset.pk,
            "purposes": ["product_tagging"],
            "notice_version": "v2",
            "evidence": "signed form 17",
        },
        format="json",
    )
    assert grant.status_code == 201, grant.json()
    consent_id = grant.json()["id"]

    job = run_embedding_job(client, dataset)
    results = {r.asset_id: r for r in JobResult.objects.filter(job=job)}
    assert results[consented].status == "ok"
    assert results[unconsented].status == "skipped"
    assert "no active consent for purpose 'product_tagging'" in results[unconsented].reason
    assert results[nobody].status == "skipped"
    assert "no data subject" in results[nobody].reason
    assert LedgerRecord.objects.get(job_id=str(job.pk), asset_id=consented).consent_ref == (
        f"consent:{consent_id}"
    )

    other_purpose = run_embedding_job(client, dataset, purpose="search_own_media")
    assert JobResult.objects.get(job=other_purpose, asset_id=consented).status == "skipped"

    filtered_file = media_path(Asset.objects.get(pk=consented).filtered_path)
    assert filtered_file.is_file()
    response = client.post(
        f"/api/v1/consents/{consent_id}/withdraw/", {"reason": "asked"}, format="json"
    )
    assert response.status_code == 200, response.json()
    receipt = response.json()
    assert receipt["asset_ids"] == [consented]
    assert receipt["results_deleted"] >= 1
    assert receipt["filtered_images_deleted"] == 1
    assert not JobResult.objects.filter(asset_id=consented, status="ok").exists()
    asset = Asset.objects.get(pk=consented)
    assert asset.status == AssetStatus.ERASED
    assert asset.filtered_path == ""
    assert not filtered_file.exists()
    assert ErasureReceipt.objects.filter(consent_id=consent_id).count() == 1
    assert ConsentRecord.objects.get(pk=consent_id).withdrawn_at is not None
    erasure = LedgerRecord.objects.get(
        event_type=EventType.ERASURE, consent_ref=f"consent:{consent_id}"
    )
    assert erasure.output_sha256 == receipt["receipt_sha256"]

    again = client.post(f"/api/v1/consents/{consent_id}/withdraw/", {}, format="json")
    assert again.status_code == 400

    after = run_embedding_job(client, dataset)
    assert not JobResult.objects.filter(job=after, status="ok").exists()
    assert Job.objects.get(pk=after.pk).total_assets == 2  # the erased asset is not even tried


def test_business_units_never_see_each_others_results(cast: Cast, celery_worker: Any) -> None:
    alice: Any = api_client_for(cast.alice)
    charlie: Any = api_client_for(cast.charlie)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Catalogue",
        purposes=["product_tagging"],
        data_categories=["products"],
    )
    upload(alice, dataset, "a.png", images.shape_images()[0].data)
    wait_until(lambda: filters_done(dataset), what="filters")
    job = run_embedding_job(alice, dataset)
    assert charlie.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert charlie.get(f"/api/v1/jobs/{job.pk}/results/").status_code == 404
    assert charlie.get("/api/v1/jobs/").json()["count"] == 0
    assert charlie.get("/api/v1/assets/").json()["count"] == 0
    assert alice.get(f"/api/v1/jobs/{job.pk}/results/").json()["count"] == 1
