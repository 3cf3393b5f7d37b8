"""Withdrawing consent while a job runs stops processing of the affected assets at once;
the other assets go on, and what was derived from the affected ones is erased."""

from __future__ import annotations

import time
from typing import Any

import pytest

from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.consent.services import consent_grant
from clipguard.datasets.models import Dataset
from inference.models import Job, JobResult, JobStatus
from tests.conftest import Cast, api_client_for
from tests.inference.test_job_pipeline import wait_until
from tests.platform.test_oversight_worker import (  # noqa: F401 - fixtures used by name
    _own_queues,
    ready_assets,
    small_chunk_worker,
    submit,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("small_chunk_worker")
def test_withdrawal_during_a_running_job_stops_the_affected_assets(cast: Cast) -> None:
    client: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Visits",
        purposes=["product_tagging"],
        data_categories=["people"],
    )
    ada = DataSubject.objects.create(business_unit=cast.unit_a, reference="ada")
    ben = DataSubject.objects.create(business_unit=cast.unit_a, reference="ben")
    grants = {
        subject.reference: consent_grant(
            actor=cast.alice,
            subject=subject,
            dataset=dataset,
            purposes=["product_tagging"],
            notice_version="v4",
            evidence=f"signed form for {subject.reference}",
        )
        for subject in (ada, ben)
    }
    assets = ready_assets(client, dataset, 120, subjects=["ada"])
    # Alternate subjects so both kinds of asset come up all through the job.
    for index, asset in enumerate(assets):
        asset.subjects.set([ada if index % 2 == 0 else ben])
    ada_assets = {a.pk for i, a in enumerate(assets) if i % 2 == 0}
    ben_assets = {a.pk for i, a in enumerate(assets) if i % 2 == 1}

    job_id = submit(client, dataset)["id"]
    assert Job.objects.get(pk=job_id).assets_without_consent == 0
    wait_until(
        lambda: JobResult.objects.filter(job_id=job_id, status="ok").count() >= 6,
        what="the job to be running",
    )
    response = client.post(
        f"/api/v1/consents/{grants['ada'].pk}/withdraw/", {"reason": "asked"}, format="json"
    )
    assert response.status_code == 200, response.json()
    withdrawn_at = time.monotonic()
    assert Job.objects.get(pk=job_id).status == JobStatus.RUNNING, "withdrawn mid-job"
    wait_until(
        lambda: Job.objects.get(pk=job_id).status == JobStatus.COMPLETED, what="job to finish"
    )

    results = {r.asset_id: r for r in JobResult.objects.filter(job_id=job_id)}
    ada_ok = [pk for pk in ada_assets if pk in results and results[pk].status == "ok"]
    ada_skipped = [pk for pk in ada_assets if pk in results and results[pk].status == "skipped"]
    # Results recorded before the withdrawal were erased by it; the result in flight when it
    # came re-checks consent under the asset's lock and is recorded as skipped instead.
    assert ada_ok == [], ada_ok
    assert ada_skipped, "assets reached after the withdrawal are skipped"
    assert all(
        "consent" in results[pk].reason or "erased" in results[pk].reason for pk in ada_skipped
    )
    assert all(results[pk].status == "ok" for pk in ben_assets), "the rest goes on"
    assert ConsentRecord.objects.get(pk=grants["ada"].pk).withdrawn_at is not None
    assert time.monotonic() - withdrawn_at < 180
