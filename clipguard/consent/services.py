"""Writes for consent: grant, withdraw (which stops processing and erases derived data)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import EventType
from audit.services import ledger_append
from clipguard.accounts.models import User
from clipguard.consent.models import ConsentRecord, DataSubject, ErasureReceipt
from clipguard.consent.selectors import active_consents_for
from clipguard.datasets.models import Asset, AssetStatus, Dataset
from clipguard.storage import delete_quietly, media_path
from governance.taxonomy import PURPOSES
from inference.models import JobResult


@transaction.atomic
def consent_grant(
    *,
    actor: User | None,
    subject: DataSubject,
    dataset: Dataset,
    purposes: Sequence[str],
    notice_version: str,
    evidence: str,
    assets: Sequence[Asset] = (),
    granted_at: datetime | None = None,
) -> ConsentRecord:
    """Record a subject's consent for some purposes over a dataset (or some of its assets)."""
    if subject.business_unit_id != dataset.business_unit_id:
        raise ValidationError({"subject": "subject and dataset belong to different units"})
    unknown = sorted(set(purposes) - set(PURPOSES))
    if not purposes or unknown:
        raise ValidationError({"purposes": f"unknown or missing purpose code(s): {unknown}"})
    if any(asset.dataset_id != dataset.pk for asset in assets):
        raise ValidationError({"assets": "every asset must belong to the dataset"})
    if not notice_version.strip() or not evidence.strip():
        raise ValidationError("notice_version and evidence are required")
    consent = ConsentRecord.objects.create(
        subject=subject,
        dataset=dataset,
        purposes=sorted(set(purposes)),
        notice_version=notice_version.strip(),
        evidence=evidence.strip(),
        granted_at=granted_at or timezone.now(),
        recorded_by=actor,
    )
    if assets:
        consent.assets.add(*assets)
        subject.assets.add(*assets)
    ledger_append(
        event_type=EventType.CONSENT_CHANGE,
        actor=actor,
        business_unit=dataset.business_unit,
        consent_ref=f"consent:{consent.pk}",
        details={
            "change": "granted",
            "subject_id": subject.pk,
            "dataset_id": dataset.pk,
            "purposes": consent.purposes,
            "notice_version": consent.notice_version,
            "asset_ids": sorted(a.pk for a in assets),
        },
    )
    return consent


def _affected_assets(consent: ConsentRecord) -> list[Asset]:
    scoped = list(consent.assets.all())
    if scoped:
        return scoped
    return list(Asset.objects.filter(dataset_id=consent.dataset_id, subjects=consent.subject))


def _purposes_still_covered(asset: Asset) -> set[str] | None:
    """Purposes every subject of the asset still consents to (None: asset needs no consent)."""
    if not asset.dataset.involves_people:
        return None
    covered: set[str] | None = None
    for subject in asset.subjects.all():
        purposes: set[str] = set()
        for consent in active_consents_for(asset, subject):
            purposes.update(consent.purposes)
        covered = purposes if covered is None else covered & purposes
    return covered or set()


@transaction.atomic
def consent_withdraw(
    *, actor: User | None, consent: ConsentRecord, reason: str = ""
) -> ErasureReceipt:
    """Withdraw consent: stop future processing and erase what was derived from it.

    Results of jobs whose purpose is no longer covered for an affected asset are deleted;
    an asset left with no consented purpose at all loses its filtered image too and is
    marked erased. An erasure receipt (ids and counts) is stored and audited.
    """
    consent = (
        ConsentRecord.objects.select_for_update()
        .select_related("dataset__business_unit", "subject")
        .get(pk=consent.pk)
    )
    if consent.withdrawn_at is not None:
        raise ValidationError("this consent has already been withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_reason = reason[:1000]
    consent.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    results_deleted = 0
    files: list[str] = []
    erased_ids: list[int] = []
    # Lock the affected assets first, in id order: a worker recording a result for one of
    # them (its foreign-key check takes a share lock on the asset) waits until this commits,
    # so no result lands between the deletion below and the commit.
    affected = list(
        Asset.objects.select_for_update()
        .filter(pk__in=[asset.pk for asset in _affected_assets(consent)])
        .select_related("dataset")
        .order_by("pk")
    )
    for asset in affected:
        covered = _purposes_still_covered(asset)
        if covered is None:
            continue
        deleted, _ = (
            JobResult.objects.filter(asset=asset).exclude(job__purpose__in=covered).delete()
        )
        results_deleted += deleted
        if not covered and asset.status != AssetStatus.ERASED:
            if asset.filtered_path:
                files.append(asset.filtered_path)
            Asset.objects.filter(pk=asset.pk).update(
                status=AssetStatus.ERASED,
                status_reason="consent withdrawn",
                filtered_path="",
                quarantine_path="",
            )
            erased_ids.append(asset.pk)
    body = {
        "consent_id": consent.pk,
        "asset_ids": sorted(erased_ids),
        "results_deleted": results_deleted,
        "filtered_images_deleted": len(files),
        "withdrawn_at": consent.withdrawn_at.isoformat(),
    }
    receipt = ErasureReceipt.objects.create(
        consent=consent,
        asset_ids=body["asset_ids"],
        results_deleted=results_deleted,
        filtered_images_deleted=len(files),
        receipt_sha256=hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(),
    )
    unit, consent_ref = consent.dataset.business_unit, f"consent:{consent.pk}"
    ledger_append(
        event_type=EventType.CONSENT_CHANGE,
        details={
            "change": "withdrawn",
            "subject_id": consent.subject_id,
            "purposes": consent.purposes,
        },
        actor=actor,
        business_unit=unit,
        consent_ref=consent_ref,
    )
    ledger_append(
        event_type=EventType.ERASURE,
        output_sha256=receipt.receipt_sha256,
        details=body | {"receipt_id": receipt.pk},
        actor=actor,
        business_unit=unit,
        consent_ref=consent_ref,
    )
    paths = [media_path(p) for p in files]
    transaction.on_commit(lambda: [delete_quietly(p) for p in paths])
    return receipt
