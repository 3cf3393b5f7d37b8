"""Consent at submission: the purpose must be the dataset's, and the job says how many
assets no consent covers for it (they will be skipped when processing reaches them)."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import EventType, LedgerRecord
from clipguard.consent.models import DataSubject
from clipguard.consent.services import consent_grant, consent_withdraw
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from inference.models import Job
from tests.conftest import Cast, api_client_for

pytestmark = pytest.mark.django_db


def _asset(dataset: Dataset, n: int, *subjects: DataSubject, status: str = "ready") -> Asset:
    asset = Asset.objects.create(
        dataset=dataset,
        original_sha256=f"{n:064x}",
        original_format="PNG",
        original_bytes=10,
        status=status,
    )
    asset.subjects.set(subjects)
    return asset


def _submit(client: Any, dataset: Dataset, purpose: str) -> Any:
    return client.post(
        "/api/v1/jobs/",
        {
            "dataset": dataset.pk,
            "purpose": purpose,
            "deployment_context": "retail",
            "task": "embedding",
        },
        format="json",
    )


def test_job_reports_assets_without_consent_for_its_purpose(cast: Cast) -> None:
    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Visits",
        purposes=["product_tagging", "search_own_media"],
        data_categories=["people"],
    )
    yes = DataSubject.objects.create(business_unit=cast.unit_a, reference="s-yes")
    other = DataSubject.objects.create(business_unit=cast.unit_a, reference="s-other")
    consent_grant(
        actor=cast.alice,
        subject=yes,
        dataset=dataset,
        purposes=["product_tagging"],
        notice_version="v3",
        evidence="form 1",
    )
    _asset(dataset, 1, yes)  # covered
    _asset(dataset, 2, other)  # subject without consent
    _asset(dataset, 3)  # no subject on record
    _asset(dataset, 4, yes, other)  # one of two subjects lacks consent
    _asset(dataset, 5, status=AssetStatus.ERASED)  # never processed: not counted

    response = _submit(client, dataset, "product_tagging")
    assert response.status_code == 201, response.json()
    assert response.json()["assets_without_consent"] == 3
    job = Job.objects.get(pk=response.json()["id"])
    assert job.assets_without_consent == 3
    record = LedgerRecord.objects.get(event_type=EventType.POLICY_DECISION, job_id=str(job.pk))
    assert record.details["assets_without_consent"] == 3
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["assets_without_consent"] == 3

    nobody_consented = _submit(client, dataset, "search_own_media")
    assert nobody_consented.json()["assets_without_consent"] == 4

    wrong_purpose = _submit(client, dataset, "inventory")
    assert wrong_purpose.status_code == 400
    assert "not registered for purpose" in str(wrong_purpose.json())


def test_withdrawal_is_counted_by_the_next_submission(cast: Cast) -> None:
    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Visits",
        purposes=["product_tagging"],
        data_categories=["faces"],
    )
    subject = DataSubject.objects.create(business_unit=cast.unit_a, reference="s-1")
    consent = consent_grant(
        actor=cast.alice,
        subject=subject,
        dataset=dataset,
        purposes=["product_tagging"],
        notice_version="v1",
        evidence="form 2",
    )
    _asset(dataset, 1, subject)
    _asset(dataset, 2, subject)
    assert _submit(client, dataset, "product_tagging").json()["assets_without_consent"] == 0
    consent_withdraw(actor=cast.alice, consent=consent, reason="asked")
    # Both assets are erased by the withdrawal, so nothing is left to process or count.
    assert _submit(client, dataset, "product_tagging").json()["assets_without_consent"] == 0
    assert set(Asset.objects.values_list("status", flat=True)) == {AssetStatus.ERASED}


def test_datasets_without_people_need_no_consent(cast: Cast) -> None:
    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Shelves",
        purposes=["product_tagging"],
        data_categories=["products"],
    )
    _asset(dataset, 1)
    assert _submit(client, dataset, "product_tagging").json()["assets_without_consent"] == 0
