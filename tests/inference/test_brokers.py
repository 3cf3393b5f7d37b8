"""The pipeline on RabbitMQ too: a worker on the test vhost, with its own queue prefix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

from clipguard.datasets.models import Asset, AssetStatus, Dataset
from clipguard.demo import images
from clipguard.queues import Queue
from clipguard.storage import store_quarantined
from tests.conftest import Cast, _worker_env, start_worker, stop_worker
from tests.inference.test_job_pipeline import wait_until

RABBITMQ_URL = os.environ.get(
    "CLIPGUARD_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/clipguard_test"
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_assets_are_filtered_by_a_worker_on_rabbitmq(cast: Cast, tmp_path: Path) -> None:
    from inference.tasks import filter_asset

    prefix = f"cgrmq{os.getpid()}."
    env = _worker_env(connection.settings_dict["NAME"]) | {
        "CELERY_BROKER_URL": RABBITMQ_URL,
        "CLIPGUARD_QUEUE_PREFIX": prefix,
    }
    worker = start_worker(env, tmp_path / "rabbit-worker.log", name="rabbit")
    try:
        dataset = Dataset.objects.create(
            business_unit=cast.unit_a, name="Via RabbitMQ", purposes=["product_tagging"],
            data_categories=["products"],
        )  # fmt: skip
        image = images.shape_images()[1]
        store_quarantined(f"{dataset.pk}/rabbit", image.data)
        asset = Asset.objects.create(
            dataset=dataset, original_sha256="b" * 64, original_format="PNG",
            original_bytes=len(image.data), quarantine_path=f"{dataset.pk}/rabbit",
        )  # fmt: skip
        from clipguard.celery import app

        with app.connection_for_write(RABBITMQ_URL) as amqp:
            # Celery accepts an explicit broker connection; its type stubs do not list it.
            filter_asset.apply_async(  # type: ignore[call-arg]
                (asset.pk,), connection=amqp, queue=f"{prefix}{Queue.FILTERS.value}"
            )
        wait_until(
            lambda: Asset.objects.get(pk=asset.pk).status != AssetStatus.PENDING,
            timeout=120,
            what="the RabbitMQ worker",
        )
        asset.refresh_from_db()
        assert asset.status == AssetStatus.READY, asset.status_reason
        assert asset.filtered_sha256
    finally:
        stop_worker(worker)
