"""Filtering at ingest: once per asset, from the quarantine folder to a filtered copy."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from audit.models import EventType
from audit.services import ledger_append
from clipguard.datasets.models import Asset, AssetStatus
from clipguard.storage import delete_quietly, quarantine_path, store_filtered
from inference.filters import FilterOutcome, filter_image

logger = logging.getLogger(__name__)


def filter_pending_asset(asset_id: int) -> None:
    """Filter one pending asset. Fails closed: any error quarantines it, with the reason."""
    asset = Asset.objects.select_related("dataset__business_unit").filter(pk=asset_id).first()
    if asset is None or asset.status != AssetStatus.PENDING:
        return
    source = quarantine_path(asset.quarantine_path) if asset.quarantine_path else None
    if source is None or not source.is_file():
        quarantine_asset(asset_id, "the uploaded original is missing from quarantine")
        return
    try:
        outcome = filter_image(
            source.read_bytes(),
            expect_people=asset.dataset.involves_people,
            obscure_mode=_obscure_mode(),
        )
    except Exception as exc:  # the filters must never let an error pass as "filtered"
        logger.exception("filter pipeline error on asset %s", asset_id)
        quarantine_asset(asset_id, f"filter error: {type(exc).__name__}")
        return
    if outcome.status != "ok" or outcome.image is None:
        quarantine_asset(asset_id, outcome.reason or "quarantined by a filter", outcome.manifest)
        return
    _store_filtered(asset, outcome)


def _obscure_mode() -> str:
    from django.conf import settings

    return str(settings.CLIPGUARD_FACE_OBSCURE_MODE)


def _store_filtered(asset: Asset, outcome: FilterOutcome) -> None:
    image = outcome.image
    assert image is not None
    relative = f"filtered/{asset.dataset_id}/{asset.pk}-{image.sha256[:16]}.png"
    store_filtered(relative, image.png_bytes)
    with transaction.atomic():
        updated = Asset.objects.filter(pk=asset.pk, status=AssetStatus.PENDING).update(
            status=AssetStatus.READY,
            status_reason="",
            filtered_path=relative,
            filtered_sha256=image.sha256,
            filter_manifest=image.manifest,
            manifest_sha256=image.manifest_sha256,
            filter_version=str(image.manifest.get("filter_version", "")),
            width=image.image.width,
            height=image.image.height,
            filtered_at=timezone.now(),
            quarantine_path="" if not asset.dataset.keep_originals else asset.quarantine_path,
        )
        if not updated:
            return
        ledger_append(
            event_type=EventType.ASSET_FILTERED,
            actor="system:filters",
            business_unit=asset.dataset.business_unit,
            asset_id=asset.pk,
            input_sha256=asset.original_sha256,
            filtered_sha256=image.sha256,
            manifest_sha256=image.manifest_sha256,
            details={
                "faces": len(image.manifest.get("faces", [])),
                "text_regions": len(image.manifest.get("text_regions", [])),
                "entities": image.manifest.get("entities", {}),
                "filter_version": image.manifest.get("filter_version", ""),
            },
        )
        if not asset.dataset.keep_originals:
            original = quarantine_path(asset.quarantine_path)
            transaction.on_commit(lambda: delete_quietly(original))


def quarantine_asset(asset_id: int, reason: str, manifest: dict[str, object] | None = None) -> None:
    """Keep an asset in quarantine for good, with the reason; it is never inferred."""
    from inference.filters.manifest import manifest_sha256

    with transaction.atomic():
        asset = (
            Asset.objects.select_for_update()
            .select_related("dataset__business_unit")
            .filter(pk=asset_id, status=AssetStatus.PENDING)
            .first()
        )
        if asset is None:
            return
        asset.status = AssetStatus.QUARANTINED
        asset.status_reason = reason[:2000]
        asset.filter_manifest = manifest
        asset.manifest_sha256 = manifest_sha256(manifest) if manifest else ""
        asset.save(update_fields=["status", "status_reason", "filter_manifest", "manifest_sha256"])
        ledger_append(
            event_type=EventType.ASSET_QUARANTINED,
            actor="system:filters",
            business_unit=asset.dataset.business_unit,
            asset_id=asset.pk,
            input_sha256=asset.original_sha256,
            manifest_sha256=asset.manifest_sha256,
            details={"reason": reason[:500]},
        )
