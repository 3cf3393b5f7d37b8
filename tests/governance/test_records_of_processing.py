"""The Art. 30 records of processing: built from datasets and jobs, JSON or Markdown."""

from __future__ import annotations

from typing import Any

import pytest

from clipguard.consent.models import DataSubject
from clipguard.consent.services import consent_grant
from clipguard.datasets.models import Dataset
from governance.records_of_processing import as_markdown, records_of_processing
from inference.models import Job, JobStatus
from tests.conftest import Cast, api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast, settings: Any) -> Cast:
    settings.CLIPGUARD_CONTROLLER_NAME = "Example Retail Group SE"
    visits = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Store visits",
        purposes=["product_tagging", "crowd_counting"],
        data_categories=["people", "faces"],
        retention_days=90,
    )
    Dataset.objects.create(
        business_unit=cast.unit_b,
        name="Pallets",
        purposes=["inventory"],
        data_categories=["products"],
    )
    subject = DataSubject.objects.create(business_unit=cast.unit_a, reference="s-1")
    consent_grant(
        actor=cast.alice,
        subject=subject,
        dataset=visits,
        purposes=["product_tagging"],
        notice_version="v2",
        evidence="form",
    )
    Job.objects.create(
        business_unit=cast.unit_a,
        dataset=visits,
        purpose="product_tagging",
        deployment_context="retail",
        task="embedding",
        model_id="m",
        status=JobStatus.COMPLETED,
        decision="allow",
        policy_version="v",
    )
    return cast


def test_report_names_controller_purposes_subjects_recipients_retention(world: Cast) -> None:
    report = records_of_processing()
    assert report["controller"]["name"] == "Example Retail Group SE"
    assert report["transfers_to_third_countries"] == "none"
    assert report["audit_log_retention_days"] >= 183
    assert any("Faces detected and irreversibly obscured" in s for s in report["safeguards"])
    assert any("audit ledger" in s for s in report["safeguards"])
    by_purpose = {a["purpose"]: a for a in report["activities"]}
    assert set(by_purpose) == {"product_tagging", "crowd_counting", "inventory"}
    tagging = by_purpose["product_tagging"]
    assert tagging["recipients"] == ["retail"]
    assert "consent" in tagging["legal_basis"]
    assert any("persons" in c for c in tagging["categories_of_data_subjects"])
    assert tagging["datasets"][0]["retention_days"] == 90
    assert tagging["datasets"][0]["consents_active"] == 1
    assert tagging["jobs"] == {"decision:allow": 1, "status:completed": 1}
    inventory = by_purpose["inventory"]
    assert inventory["recipients"] == ["logistics"]
    assert inventory["categories_of_data_subjects"] == []
    assert "no data subjects" in inventory["legal_basis"]

    text = as_markdown(report)
    assert text.startswith("# Records of processing activities (GDPR Art. 30)")
    assert "Example Retail Group SE" in text
    assert "### Purpose `product_tagging`" in text
    assert "| Store visits | retail | people, faces | 90 | 1 / 0 |" in text


@pytest.mark.parametrize("who", ["carol", "root"])
def test_api_serves_json_and_markdown_download(world: Cast, who: str) -> None:
    client: Any = api_client_for(getattr(world, who))
    response = client.get("/api/v1/records-of-processing/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["controller"]["name"] == "Example Retail Group SE"
    download = client.get("/api/v1/records-of-processing/?format=md")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/markdown")
    assert "attachment" in download["Content-Disposition"]
    assert b"### Purpose `inventory`" in download.content
    negotiated = client.get("/api/v1/records-of-processing/", HTTP_ACCEPT="text/markdown")
    assert negotiated.content.startswith(b"# Records of processing")


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "nobody"])
def test_business_units_cannot_read_the_records(world: Cast, who: str) -> None:
    client: Any = api_client_for(getattr(world, who))
    assert client.get("/api/v1/records-of-processing/").status_code == 403
    assert client.get("/api/v1/records-of-processing/?format=md").status_code == 403
