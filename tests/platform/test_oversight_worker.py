"""Human oversight with a real worker: approval runs a job, rejection never does, and stop
switches (per job, per business unit) halt a running job within seconds.

The worker here runs one asset per chunk (``CLIPGUARD_INFERENCE_BATCH_SIZE=1``) on queues
of its own, so a job over many assets is still running when a switch is thrown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Generator
from typing import Any

import pytest
from django.db import connection

from audit.models import EventType, LedgerRecord
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from clipguard.demo import images
from clipguard.storage import media_path
from governance.models import Approval, ApprovalStatus
from inference.models import Job, JobResult, JobStatus
from tests.conftest import Cast, _worker_env, api_client_for, start_worker, stop_worker
from tests.inference.test_job_pipeline import filters_done, upload, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PREFIX = f"cgtest{os.getpid()}.oversight."
HALT_WITHIN_SECONDS = 5.0


@pytest.fixture(scope="module")
def small_chunk_worker(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Generator[subprocess.Popen[bytes], None, None]:
    """A worker on this module's own queues that processes one asset per chunk."""
    env = _worker_env(connection.settings_dict["NAME"])
    env["CLIPGUARD_QUEUE_PREFIX"] = PREFIX
    env["CLIPGUARD_INFERENCE_BATCH_SIZE"] = "1"
    log_path = tmp_path_factory.mktemp("oversight-worker") / "worker.log"
    proc = start_worker(env, log_path, name=f"oversight-{os.getpid()}")
    yield proc
    stop_worker(proc)


@pytest.fixture(autouse=True)
def _own_queues(settings: Any) -> None:
    settings.CLIPGUARD_QUEUE_PREFIX = PREFIX


def ready_assets(
    client: Any, dataset: Dataset, count: int, subjects: list[str] | None = None
) -> list[Asset]:
    """``count`` ready assets: one filtered by the worker, the rest copies of its filtered
    file (each with its own file, so erasing one leaves the others intact)."""
    first = upload(client, dataset, "seed.png", images.shape_images(seed=3)[0].data, subjects)
    assert first.status_code == 201, first.json()
    wait_until(lambda: filters_done(dataset), what="filters")
    seed = Asset.objects.get(pk=first.json()["id"])
    assert seed.status == AssetStatus.READY, seed.status_reason
    assets = [seed]
    for index in range(1, count):
        relative = seed.filtered_path.replace(".png", f"-copy{index}.png")
        shutil.copyfile(media_path(seed.filtered_path), media_path(relative))
        copy = Asset.objects.create(
            dataset=dataset,
            original_sha256=f"{index:064x}",
            original_format=seed.original_format,
            original_bytes=seed.original_bytes,
            filtered_path=relative,
            filtered_sha256=seed.filtered_sha256,
            filter_manifest=seed.filter_manifest,
            manifest_sha256=seed.manifest_sha256,
            filter_version=seed.filter_version,
            width=seed.width,
            height=seed.height,
            status=AssetStatus.READY,
        )
        copy.subjects.set(seed.subjects.all())
        assets.append(copy)
    return assets


def submit(client: Any, dataset: Dataset, **body: Any) -> dict[str, Any]:
    request = {
        "dataset": dataset.pk,
        "purpose": "product_tagging",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["a red circle", "a blue square"],
        **body,
    }
    response = client.post("/api/v1/jobs/", request, format="json")
    assert response.status_code in {201, 202}, response.json()
    return dict(response.json())


def processed(job_id: str) -> int:
    return JobResult.objects.filter(job_id=job_id).count()


def queued_tasks() -> int:
    """Messages waiting on this module's queues (a halted job's remaining chunks)."""
    from clipguard.celery import app
    from clipguard.queues import Queue

    total = 0
    for queue in Queue:
        with app.connection_for_write() as conn:
            channel: Any = conn.default_channel
            try:
                declared = channel.queue_declare(queue=f"{PREFIX}{queue.value}", passive=True)
            except conn.channel_errors:
                continue  # never declared: nothing was sent to it
            total += declared.message_count
    return total


def wait_for_the_worker_to_settle() -> None:
    """Let the worker drain what a halted job left queued before the test database is
    flushed: a chunk task still reading while the tables are truncated deadlocks them."""
    wait_until(lambda: queued_tasks() == 0, timeout=120, what="the queues to drain")
    time.sleep(2.0)  # the task in hand finishes


def test_approved_job_runs_and_rejected_job_never_runs(cast: Cast, small_chunk_worker: Any) -> None:
    alice: Any = api_client_for(cast.alice)
    carol: Any = api_client_for(cast.carol)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Houses",
        purposes=["credit_scoring"],
        data_categories=["scenes"],
    )
    ready_assets(alice, dataset, 3)
    body = {
        "purpose": "credit_scoring",
        "deployment_context": "essential_services",
        "labels": ["a well-kept house", "a run-down house"],
    }
    approved, rejected = submit(alice, dataset, **body), submit(alice, dataset, **body)
    for job in (approved, rejected):
        assert job["status"] == "awaiting_approval"
    time.sleep(1.0)
    assert processed(approved["id"]) == 0, "a job waiting for approval does not run"

    queue = carol.get("/api/v1/approvals/?status=pending").json()
    by_job = {row["job"]: row for row in queue["results"]}
    assert set(by_job) == {approved["id"], rejected["id"]}
    ok = carol.post(
        f"/api/v1/approvals/{by_job[approved['id']]['id']}/approve/",
        {"reason": "credit model reviewed"},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    no = carol.post(
        f"/api/v1/approvals/{by_job[rejected['id']]['id']}/reject/",
        {"reason": "no legal basis"},
        format="json",
    )
    assert no.status_code == 200, no.json()

    wait_until(lambda: Job.objects.get(pk=approved["id"]).status == JobStatus.COMPLETED, what="job")
    assert processed(approved["id"]) == 3
    time.sleep(1.0)
    rejected_job = Job.objects.get(pk=rejected["id"])
    assert rejected_job.status == JobStatus.REJECTED
    assert rejected_job.started_at is None
    assert processed(rejected["id"]) == 0
    assert "no legal basis" in rejected_job.status_reason

    audited = {
        r.job_id: r
        for r in LedgerRecord.objects.filter(event_type=EventType.APPROVAL, actor="carol")
    }
    assert audited[approved["id"]].policy_decision == "approved"
    assert audited[rejected["id"]].policy_decision == "rejected"
    assert audited[rejected["id"]].details["reason"] == "no legal basis"
    assert LedgerRecord.objects.filter(
        event_type=EventType.INFERENCE, job_id=approved["id"]
    ).count() == 3  # fmt: skip


@pytest.mark.parametrize("how", ["unit_switch", "platform_switch", "job_stop"])
def test_a_running_job_halts_within_seconds(cast: Cast, small_chunk_worker: Any, how: str) -> None:
    alice: Any = api_client_for(cast.alice)
    carol: Any = api_client_for(cast.carol)
    root: Any = api_client_for(cast.root)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Catalogue",
        purposes=["product_tagging"],
        data_categories=["products"],
    )
    total = 150
    ready_assets(alice, dataset, total)
    job_id = submit(alice, dataset)["id"]
    wait_until(lambda: processed(job_id) >= 2, what="the job to be running")

    if how == "unit_switch":
        response = carol.post(
            "/api/v1/stop-switches/engage/",
            {"business_unit": cast.unit_a.slug, "reason": "incident 42"},
            format="json",
        )
    elif how == "platform_switch":
        response = root.post(
            "/api/v1/stop-switches/engage/", {"reason": "platform incident"}, format="json"
        )
    else:
        response = alice.post(f"/api/v1/jobs/{job_id}/stop/", {"reason": "wrong labels"}, "json")
    assert response.status_code == 200, response.json()
    thrown = time.monotonic()
    wait_until(
        lambda: Job.objects.get(pk=job_id).status == JobStatus.CANCELLED,
        timeout=HALT_WITHIN_SECONDS,
        what="the job to halt",
    )
    after_halt = processed(job_id)
    time.sleep(2.0)
    halted_in = time.monotonic() - thrown
    job = Job.objects.get(pk=job_id)
    assert job.status == JobStatus.CANCELLED
    # At most the chunk in flight when the switch was thrown still lands; nothing after.
    assert processed(job_id) <= after_halt + 1
    assert processed(job_id) < total, "the job halted before its end"
    assert halted_in < HALT_WITHIN_SECONDS + 2.5
    if how == "job_stop":
        assert job.status_reason.startswith("stopped by alice")
        assert LedgerRecord.objects.filter(
            event_type=EventType.JOB_STATUS, job_id=job_id, actor="alice"
        ).exists()
    else:
        assert job.status_reason == "halted by a stop switch"
        assert LedgerRecord.objects.filter(
            event_type=EventType.CONFIG_CHANGE, details__stop_switch="engaged"
        ).exists()
        # While the switch is engaged, new work halts at once; released, it runs again.
        blocked = submit(alice, dataset)["id"]
        wait_until(
            lambda: Job.objects.get(pk=blocked).status == JobStatus.CANCELLED,
            timeout=HALT_WITHIN_SECONDS * 2,
            what="a new job to halt under the engaged switch",
        )
        releaser, body = (carol, {"business_unit": cast.unit_a.slug}) if how == "unit_switch" else (
            root, {})  # fmt: skip
        released = releaser.post(
            "/api/v1/stop-switches/release/", {**body, "reason": "resolved"}, format="json"
        )
        assert released.status_code == 200, released.json()
        assert released.json()["engaged"] is False
    wait_for_the_worker_to_settle()


def test_a_pending_approval_is_withdrawn_when_its_job_is_stopped(
    cast: Cast, small_chunk_worker: Any
) -> None:
    alice: Any = api_client_for(cast.alice)
    dataset = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Houses",
        purposes=["credit_scoring"],
        data_categories=["scenes"],
    )
    job = submit(
        alice,
        dataset,
        purpose="credit_scoring",
        deployment_context="essential_services",
        labels=["a well-kept house", "a run-down house"],
    )
    stopped = alice.post(f"/api/v1/jobs/{job['id']}/stop/", {"reason": "not needed"}, "json")
    assert stopped.status_code == 200, stopped.json()
    assert stopped.json()["status"] == "cancelled"
    assert Approval.objects.get(job_id=job["id"]).status == ApprovalStatus.WITHDRAWN
    carol: Any = api_client_for(cast.carol)
    approval_id = Approval.objects.get(job_id=job["id"]).pk
    late = carol.post(f"/api/v1/approvals/{approval_id}/approve/", {"reason": "ok"}, "json")
    assert late.status_code == 400
    assert Job.objects.get(pk=job["id"]).status == JobStatus.CANCELLED
