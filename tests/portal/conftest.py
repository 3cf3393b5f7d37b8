"""A small governed world for the portal: two units' datasets, jobs, results and ledger.

Unit A (alice, bob) has an allowed and completed job with two results, a denied job and
a job awaiting approval; unit B (charlie) has a completed job and a denied job. Every
write has the ledger record the real services would append; everything is sealed and
published to a per-test checkpoint folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from audit.models import EventType, LedgerRecord
from audit.sealer import seal_pending
from audit.services import ledger_append
from clipguard.accounts.models import BusinessUnit, UnitRole, User
from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from governance.models import Approval
from inference.models import Job, JobResult, JobStatus, ResultStatus
from tests.conftest import Cast
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"
MODEL = "clipguard-reference-clip"


def sha(n: int) -> str:
    return f"{n:064x}"


@dataclass
class PortalWorld:
    cast: Cast
    dataset_a: Dataset
    dataset_b: Dataset
    assets_a: list[Asset]
    asset_b: Asset
    job_a: Job
    job_a_denied: Job
    job_a_waiting: Job
    job_b: Job
    job_b_denied: Job
    subject_a: DataSubject
    consent_a: ConsentRecord
    records_a: list[int] = field(default_factory=list)
    records_b: list[int] = field(default_factory=list)
    records_platform: list[int] = field(default_factory=list)
    # Login records written by client_for: signing a client in is a login like any other.
    client_logins: list[int] = field(default_factory=list)

    def client_for(self, user: User) -> Client:
        """A client signed in as ``user``; the login records this writes (channel "other",
        under the user's units) are added to ``client_logins``."""
        before = LedgerRecord.objects.order_by("-id").values_list("id", flat=True).first()
        client = Client()
        client.force_login(user)
        self.client_logins.extend(
            LedgerRecord.objects.filter(id__gt=before or 0, event_type=EventType.LOGIN)
            .order_by("id")
            .values_list("id", flat=True)
        )
        return client


def _manifest(faces: int) -> dict[str, Any]:
    return {
        "status": "ok",
        "reason": "",
        "filter_version": "filters-1.4.0",
        "detectors": [{"name": "yunet", "version": "2023.5"}],
        "thresholds": {"face_score": 0.5},
        "obscure_mode": "fill",
        "width": 640,
        "height": 480,
        "metadata_removed": ["exif", "xmp"],
        "faces": [{"box": [10 + i, 20, 30, 40], "score": 0.93} for i in range(faces)],
        "text_regions": [{"box": [100, 200, 50, 12]}],
        "entities": {"PERSON": 1},
        "actions": ["strip_metadata", "obscure_faces", "redact_text"],
    }


def _job(unit: BusinessUnit, dataset: Dataset, user: User, **fields: Any) -> Job:
    defaults: dict[str, Any] = {
        "purpose": "product_tagging",
        "deployment_context": "retail",
        "task": "zero_shot_classification",
        "labels": ["shoe", "bag"],
        "model_id": MODEL,
        "status": JobStatus.COMPLETED,
        "decision": "allow",
        "decision_rules": [],
        "policy_version": "rulebook-7",
    }
    defaults.update(fields)
    return Job.objects.create(business_unit=unit, dataset=dataset, submitted_by=user, **defaults)


def _decision_record(job: Job, rules: list[str]) -> int:
    return ledger_append(
        event_type=EventType.POLICY_DECISION,
        actor=job.submitted_by,
        business_unit=job.business_unit,
        purpose=job.purpose,
        request_id=job.request_id,
        job_id=str(job.pk),
        policy_version=job.policy_version,
        policy_decision=job.decision,
        details={"task": job.task, "rules": rules, "labels": job.labels},
    ).id


def _inference_record(job: Job, asset: Asset, output: str) -> int:
    return ledger_append(
        event_type=EventType.INFERENCE,
        actor=job.submitted_by,
        business_unit=job.business_unit,
        purpose=job.purpose,
        job_id=str(job.pk),
        asset_id=asset.pk,
        input_sha256=asset.original_sha256,
        filtered_sha256=asset.filtered_sha256,
        manifest_sha256=asset.manifest_sha256,
        model_id=job.model_id,
        weights_sha256=sha(99),
        policy_version=job.policy_version,
        policy_decision=job.decision,
        output_sha256=output,
        details={"task": job.task},
    ).id


def build_world(cast: Cast) -> PortalWorld:
    cast_records = list(LedgerRecord.objects.order_by("id").values_list("id", flat=True))
    for user in (cast.alice, cast.bob, cast.charlie, cast.carol, cast.root, cast.nobody):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    dataset_a = Dataset.objects.create(
        business_unit=cast.unit_a,
        name="Shop floor photos",
        purposes=["product_tagging"],
        data_categories=["people", "products"],
    )
    dataset_b = Dataset.objects.create(
        business_unit=cast.unit_b,
        name="Parcel photos",
        purposes=["product_tagging", "quality_inspection"],
        data_categories=["products"],
    )
    assets_a = [
        Asset.objects.create(
            dataset=dataset_a,
            original_sha256=sha(10 + i),
            original_format="JPEG",
            original_bytes=1000,
            status=AssetStatus.READY,
            filtered_sha256=sha(20 + i),
            manifest_sha256=sha(30 + i),
            filter_manifest=_manifest(faces=i + 1),
            filter_version="filters-1.4.0",
            width=640,
            height=480,
        )
        for i in range(2)
    ]
    asset_b = Asset.objects.create(
        dataset=dataset_b,
        original_sha256=sha(40),
        original_format="PNG",
        original_bytes=2000,
        status=AssetStatus.READY,
        filtered_sha256=sha(41),
        manifest_sha256=sha(42),
        filter_manifest=_manifest(faces=0),
    )
    subject_a = DataSubject.objects.create(business_unit=cast.unit_a, reference="cust-0042")
    subject_a.assets.add(assets_a[0])
    consent_a = ConsentRecord.objects.create(
        subject=subject_a,
        dataset=dataset_a,
        purposes=["product_tagging"],
        notice_version="v3",
        evidence="form 2026/118",
        granted_at=timezone.now(),
    )
    consent_a.assets.add(assets_a[0])

    job_a = _job(
        cast.unit_a, dataset_a, cast.alice, total_assets=2, processed_assets=2, request_id="req-a"
    )
    job_a_denied = _job(
        cast.unit_a,
        dataset_a,
        cast.bob,
        purpose="recruitment",
        deployment_context="workplace",
        labels=["tired worker", "alert worker"],
        status=JobStatus.DENIED,
        decision="deny",
        decision_rules=[
            {"id": "emotion-workplace", "article": "Art. 5(1)(f)", "reason": "emotion at work"}
        ],
        status_reason="emotion-workplace (Art. 5(1)(f)): emotion at work",
    )
    job_a_waiting = _job(
        cast.unit_a,
        dataset_a,
        cast.alice,
        purpose="safety_monitoring",
        deployment_context="workplace",
        labels=["helmet", "no helmet"],
        status=JobStatus.AWAITING_APPROVAL,
        decision="require_approval",
        decision_rules=[
            {"id": "workplace-monitoring", "article": "Art. 26(7)", "reason": "workers"}
        ],
    )
    Approval.objects.create(job=job_a_waiting, expires_at=timezone.now() + timedelta(days=30))
    job_b = _job(cast.unit_b, dataset_b, cast.charlie, total_assets=1, processed_assets=1)
    job_b_denied = _job(
        cast.unit_b,
        dataset_b,
        cast.charlie,
        purpose="credit_scoring",
        labels=["risky", "safe"],
        status=JobStatus.DENIED,
        decision="deny",
        decision_rules=[
            {"id": "social-scoring", "article": "Art. 5(1)(c)", "reason": "social scoring"}
        ],
    )
    world = PortalWorld(
        cast=cast,
        dataset_a=dataset_a,
        dataset_b=dataset_b,
        assets_a=assets_a,
        asset_b=asset_b,
        job_a=job_a,
        job_a_denied=job_a_denied,
        job_a_waiting=job_a_waiting,
        job_b=job_b,
        job_b_denied=job_b_denied,
        subject_a=subject_a,
        consent_a=consent_a,
        # The cast's platform roles, recorded when its users were created.
        records_platform=cast_records,
    )
    world.records_a.append(
        ledger_append(
            event_type=EventType.CONSENT_CHANGE,
            actor=cast.alice,
            business_unit=cast.unit_a,
            consent_ref=f"consent:{consent_a.pk}",
            details={"change": "granted", "subject_id": subject_a.pk},
        ).id
    )
    world.records_a.append(_decision_record(job_a, []))
    for i, asset in enumerate(assets_a):
        output = sha(500 + i)
        JobResult.objects.create(
            job=job_a, asset=asset, status=ResultStatus.OK, output={"x": i}, output_sha256=output
        )
        world.records_a.append(_inference_record(job_a, asset, output))
    world.records_a.append(_decision_record(job_a_denied, ["emotion-workplace"]))
    world.records_a.append(_decision_record(job_a_waiting, ["workplace-monitoring"]))
    world.records_b.append(_decision_record(job_b, []))
    JobResult.objects.create(
        job=job_b, asset=asset_b, status=ResultStatus.OK, output={"y": 1}, output_sha256=sha(600)
    )
    world.records_b.append(_inference_record(job_b, asset_b, sha(600)))
    world.records_b.append(_decision_record(job_b_denied, ["social-scoring"]))
    world.records_platform.append(
        ledger_append(event_type=EventType.CONFIG_CHANGE, actor=cast.root, details={"k": 1}).id
    )
    return world


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Published checkpoints outlive database rollbacks: each test gets its own folder."""
    folder = tmp_path / "checkpoints"
    settings.AUDIT_CHECKPOINT_DIR = folder
    return folder


@pytest.fixture
def world(cast: Cast) -> PortalWorld:
    built = build_world(cast)
    seal_pending()
    return built


@pytest.fixture
def dave(world: PortalWorld) -> User:
    """A member of unit A and an admin of unit B."""
    user = UserFactory.create(username="dave")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    MembershipFactory.create(user=user, business_unit=world.cast.unit_a, role=UnitRole.MEMBER)
    MembershipFactory.create(user=user, business_unit=world.cast.unit_b, role=UnitRole.ADMIN)
    return user


def visible_ids(content: bytes, ids: list[int]) -> set[int]:
    """Which of ``ids`` a page links to as ledger records."""
    text = content.decode()
    return {i for i in ids if f'href="/portal/ledger/{i}/"' in text}


def all_record_ids() -> list[int]:
    return list(LedgerRecord.objects.values_list("id", flat=True))
