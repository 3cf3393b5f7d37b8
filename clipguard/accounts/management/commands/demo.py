"""``python manage.py demo``: ClipGuard end to end on the embedded default.

Migrates, seeds a demo business unit, starts a real Celery worker process, uploads images
through the REST API (shapes, a photo with a face, a label with personal data, a broken
file), runs one allowed and one refused job, and prints results, filter actions, policy
decisions and a verified audit trail.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rest_framework.test import APIClient

from clipguard.datasets.models import Asset, AssetStatus
from clipguard.demo import images
from clipguard.demo.seed import DEMO_PASSWORD, DemoWorld, seed_demo
from clipguard.queues import Queue
from inference.models import TERMINAL_JOB_STATUSES, Job

REPO_ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = "Run ClipGuard end to end: seed, upload, filter, decide, infer, audit."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--timeout", type=int, default=240, help="seconds to wait for work")

    def handle(self, *args: Any, **options: Any) -> None:
        self.timeout = int(options["timeout"])
        logging.getLogger("django.request").setLevel(logging.ERROR)  # refusals are shown below
        for folder in (settings.VAR_DIR, settings.MEDIA_ROOT, settings.QUARANTINE_ROOT):
            Path(folder).mkdir(parents=True, exist_ok=True)
        self._title("1. Set up")
        call_command("migrate", verbosity=0)
        from audit.signing import ensure_signing_key

        ensure_signing_key()
        world = seed_demo()
        self.stdout.write(
            f"Business unit '{world.unit.name}': alice (unit admin), bob (member); "
            f"carol is a compliance officer. Demo password: {DEMO_PASSWORD}"
        )
        worker = self._start_worker()
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.alice_key}")
            self._upload(client, world)
            self._wait_for_filters()
            self._show_filters(world)
            jobs = self._submit_jobs(client, world)
            self._wait_for_jobs(jobs)
            self._show_jobs(client, jobs)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        self._title("6. Audit trail")
        call_command("audit_seal")
        self._show_ledger()
        call_command("audit_verify")
        self.stdout.write(self.style.SUCCESS("\nDemo complete."))
        self.stdout.write(
            "Browse it: `.venv/bin/python manage.py runserver`, then open "
            "http://127.0.0.1:8000/portal/ as carol (compliance officer) or bob "
            f"(business-unit member), password {DEMO_PASSWORD}."
        )

    # --- steps ------------------------------------------------------------------------

    def _start_worker(self) -> subprocess.Popen[bytes]:
        log_path = Path(settings.VAR_DIR) / "demo-worker.log"
        queues = ",".join(q.routed_name for q in Queue)
        self.stdout.write(f"Starting a Celery worker process (queues {queues}; log {log_path})")
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="clipguard.settings")
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clipguard",
                "worker",
                "-Q",
                queues,
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def _upload(self, client: APIClient, world: DemoWorld) -> None:
        self._title("2. Upload through the API (originals wait in quarantine)")
        uploads: list[tuple[int, images.DemoImage, list[str]]] = [
            (world.catalogue.pk, image, []) for image in images.shape_images()
        ]
        uploads.append((world.catalogue.pk, images.personal_data_image(), []))
        uploads.append((world.store_visits.pk, images.face_photo(), [world.subject.reference]))
        uploads.append((world.catalogue.pk, images.truncated_jpeg(), []))
        for dataset_id, image, subjects in uploads:
            from django.core.files.uploadedfile import SimpleUploadedFile

            response: Any = client.post(
                f"/api/v1/datasets/{dataset_id}/assets/",
                {"file": SimpleUploadedFile(image.name, image.data), "subjects": subjects},
                format="multipart",
            )
            body = response.json()
            if response.status_code in (200, 201):
                note = " (already uploaded: found by hash)" if body.get("duplicate") else ""
                self.stdout.write(f"  {image.name:28} -> asset {body['id']}{note}")
            else:
                self.stdout.write(f"  {image.name:28} -> HTTP {response.status_code}: {body}")

    def _wait_for(self, what: str, done: Any) -> None:
        deadline = time.monotonic() + self.timeout
        while not done():
            if time.monotonic() > deadline:
                raise CommandError(f"timed out waiting for {what}; see var/demo-worker.log")
            time.sleep(0.5)

    def _wait_for_filters(self) -> None:
        self._wait_for(
            "the privacy filters",
            lambda: not Asset.objects.filter(status=AssetStatus.PENDING).exists(),
        )

    def _show_filters(self, world: DemoWorld) -> None:
        self._title("3. What the privacy filters did")
        for asset in Asset.objects.filter(dataset__business_unit=world.unit).order_by("pk"):
            manifest = asset.filter_manifest or {}
            faces = len(manifest.get("faces", []))
            regions = len(manifest.get("text_regions", []))
            entities = manifest.get("entities", {})
            detail = f"faces obscured {faces}, text regions redacted {regions}, entities {entities}"
            if asset.status != AssetStatus.READY:
                detail = asset.status_reason
            self.stdout.write(
                f"  asset {asset.pk:3} {asset.original_name:28} {asset.status:12} {detail}"
            )
        self.stdout.write("  Originals deleted after filtering; only their sha256 is kept.")

    def _submit_jobs(self, client: APIClient, world: DemoWorld) -> list[str]:
        self._title("4. Jobs and policy decisions")
        labels = [images.shape_label(colour, shape) for colour, shape, _ in images.SHAPE_SCENES]
        requests = [
            {
                "dataset": world.catalogue.pk,
                "purpose": "product_tagging",
                "deployment_context": "retail",
                "task": "zero_shot_classification",
                "labels": labels,
            },
            {
                "dataset": world.store_visits.pk,
                "purpose": "product_tagging",
                "deployment_context": "retail",
                "task": "embedding",
            },
            {
                "dataset": world.store_visits.pk,
                "purpose": "product_tagging",
                "purpose_description": "Check which staff look angry at the till",
                "deployment_context": "workplace",
                "task": "zero_shot_classification",
                "labels": ["an angry employee", "a calm employee"],
            },
        ]
        job_ids = []
        for request in requests:
            response: Any = client.post("/api/v1/jobs/", request, format="json")
            body = response.json()
            job = body.get("job", body)
            rules = ", ".join(f"{r['id']} ({r['article']})" for r in job.get("decision_rules", []))
            self.stdout.write(
                f"  {request['task']:26} context={request['deployment_context']:10} "
                f"-> HTTP {response.status_code}, decision {job.get('decision')}"
                + (f": {rules}" if rules else "")
            )
            if "id" in job:
                job_ids.append(job["id"])
        return job_ids

    def _wait_for_jobs(self, job_ids: list[str]) -> None:
        self._wait_for(
            "the jobs",
            lambda: all(
                Job.objects.get(pk=j).status in TERMINAL_JOB_STATUSES
                or Job.objects.get(pk=j).status == "awaiting_approval"
                for j in job_ids
            ),
        )

    def _show_jobs(self, client: APIClient, job_ids: list[str]) -> None:
        self._title("5. Results (read back through the API)")
        for job_id in job_ids:
            job: Any = client.get(f"/api/v1/jobs/{job_id}/").json()
            self.stdout.write(
                f"  job {job_id[:8]} {job['task']}: {job['status']} {job['progress']}"
            )
            if job["status"] != "completed":
                continue
            results: Any = client.get(f"/api/v1/jobs/{job_id}/results/?limit=50").json()
            for row in results["results"]:
                output = row["output"] or {}
                if "label" in output:
                    shown = f"'{output['label']}' (p={output['scores'][output['label']]:.2f})"
                elif "embedding" in output:
                    shown = f"embedding of {len(output['embedding'])} dims"
                else:
                    shown = row["reason"]
                self.stdout.write(f"    asset {row['asset']:3} {row['status']:8} {shown}")

    def _show_ledger(self) -> None:
        from audit.models import LedgerRecord

        records = LedgerRecord.objects.order_by("-pk")[:12]
        for record in reversed(list(records)):
            self.stdout.write(
                f"  #{record.pk:4} {record.event_type:18} actor={record.actor:14} "
                f"decision={record.policy_decision or '-':16} asset={record.asset_id or '-'} "
                f"output={(record.output_sha256 or '-')[:12]}"
            )

    def _title(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{text}"))
