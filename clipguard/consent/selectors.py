"""Reads about consent: does it cover an asset for a purpose right now?"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.datasets.models import Asset, AssetStatus, Dataset


@dataclass(frozen=True)
class ConsentCheck:
    """Whether an asset may be processed for a purpose, and on which consent records."""

    covered: bool
    reason: str
    consent_ids: tuple[int, ...] = ()

    @property
    def reference(self) -> str:
        """The consent records relied on, as stored in the audit ledger."""
        return ",".join(f"consent:{cid}" for cid in self.consent_ids)


def active_consents_for(asset: Asset, subject: DataSubject) -> QuerySet[ConsentRecord]:
    """Active consents of ``subject`` that reach ``asset`` (whole dataset or listed assets)."""
    return (
        ConsentRecord.objects.filter(
            subject=subject, dataset_id=asset.dataset_id, withdrawn_at__isnull=True
        )
        .filter(Q(assets__isnull=True) | Q(assets=asset))
        .distinct()
    )


def consent_covers(asset: Asset, purpose: str) -> ConsentCheck:
    """Check consent at processing time.

    Datasets declared without people need no subjects. Otherwise every subject linked to
    the asset must hold an active consent naming ``purpose`` that reaches this asset; an
    asset in such a dataset with no subject on record is not covered.
    """
    if not asset.dataset.involves_people:
        return ConsentCheck(covered=True, reason="dataset declares no people")
    subjects = list(asset.subjects.all())
    if not subjects:
        return ConsentCheck(covered=False, reason="no data subject or consent on record")
    used: list[int] = []
    for subject in subjects:
        consent = next(
            (c for c in active_consents_for(asset, subject) if purpose in c.purposes), None
        )
        if consent is None:
            return ConsentCheck(
                covered=False,
                reason=f"subject {subject.pk} has no active consent for purpose '{purpose}'",
            )
        used.append(consent.pk)
    return ConsentCheck(covered=True, reason="consent on record", consent_ids=tuple(sorted(used)))


def assets_without_consent(dataset: Dataset, purpose: str) -> int:
    """How many of the dataset's assets no consent covers for ``purpose`` right now.

    Zero for datasets without people. Erased and quarantined assets are not counted (they
    are never processed anyway). Submission reports this number; processing still checks
    every asset again when it is reached, so a later grant or withdrawal counts then.
    """
    if not dataset.involves_people:
        return 0
    assets = (
        Asset.objects.filter(dataset=dataset)
        .exclude(status__in=[AssetStatus.ERASED, AssetStatus.QUARANTINED])
        .select_related("dataset")
        .prefetch_related("subjects")
    )
    return sum(1 for asset in assets if not consent_covers(asset, purpose).covered)
