"""Writes for datasets and assets: registration, safe upload into quarantine."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction

from clipguard.accounts.models import BusinessUnit, User
from clipguard.consent.models import DataSubject
from clipguard.datasets.models import Asset, AssetStatus, DataCategory, Dataset
from clipguard.storage import store_quarantined
from governance.taxonomy import PURPOSES
from inference.dispatch import send_filter_asset
from inference.filters import inspect_upload, redact_text


def _check_codes(field: str, values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationError({field: "must be a list of codes"})
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError({field: f"unknown code(s): {', '.join(unknown)}"})
    return sorted(set(values))


@transaction.atomic
def dataset_create(
    *,
    actor: User | None,
    business_unit: BusinessUnit,
    name: str,
    purposes: Sequence[str],
    data_categories: Sequence[str],
    description: str = "",
    retention_days: int = 365,
    keep_originals: bool = False,
) -> Dataset:
    """Register a dataset; its description is stored PII-redacted."""
    if not data_categories:
        raise ValidationError({"data_categories": "declare at least one data category"})
    if not purposes:
        raise ValidationError({"purposes": "declare at least one purpose"})
    if Dataset.objects.filter(business_unit=business_unit, name=name).exists():
        raise ValidationError({"name": f"your unit already has a dataset named '{name}'"})
    return Dataset.objects.create(
        business_unit=business_unit,
        name=name,
        description=redact_text(description).text if description else "",
        purposes=_check_codes("purposes", purposes, list(PURPOSES)),
        data_categories=_check_codes("data_categories", data_categories, DataCategory.values),
        retention_days=retention_days,
        keep_originals=keep_originals,
        created_by=actor,
    )


def _safe_original_name(filename: str) -> str:
    """Keep the extension and a PII-redacted stem, so names never leak personal data."""
    path = PurePath(filename or "upload")
    stem = redact_text(path.stem.replace("_", " ")[:120]).text
    return f"{stem}{path.suffix[:10].lower()}"[:255]


@transaction.atomic
def asset_upload(
    *,
    actor: User | None,
    dataset: Dataset,
    data: bytes,
    filename: str = "",
    subject_references: Sequence[str] = (),
) -> tuple[Asset, bool]:
    """Check an upload, park it in quarantine and queue the filters.

    Returns ``(asset, created)``; a file already in the dataset (same sha256) is not stored
    twice. Raises :class:`inference.filters.ImageRejected` for bad input, before anything
    is stored.
    """
    info = inspect_upload(data)
    existing = Asset.objects.filter(dataset=dataset, original_sha256=info.sha256).first()
    if existing is not None:
        return existing, False
    relative = f"{dataset.pk}/{uuid.uuid4().hex}"
    asset = Asset.objects.create(
        dataset=dataset,
        original_name=_safe_original_name(filename),
        original_sha256=info.sha256,
        original_format=info.format,
        original_bytes=info.byte_size,
        quarantine_path=relative,
        width=info.width,
        height=info.height,
        status=AssetStatus.PENDING,
        uploaded_by=actor,
    )
    subjects = [
        DataSubject.objects.get_or_create(business_unit=dataset.business_unit, reference=ref)[0]
        for ref in dict.fromkeys(subject_references)
    ]
    if subjects:
        asset.subjects.add(*subjects)
    store_quarantined(relative, data)
    asset_id = asset.pk
    transaction.on_commit(lambda: send_filter_asset(asset_id))
    return asset, True
