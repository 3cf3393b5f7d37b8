"""Datasets of images owned by a business unit, and the assets in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clipguard.accounts.models import BusinessUnit


class DataCategory(models.TextChoices):
    """What a dataset's images show; ``people`` and ``faces`` bring data subjects."""

    PEOPLE = "people"
    FACES = "faces"
    DOCUMENTS = "documents"
    PRODUCTS = "products"
    VEHICLES = "vehicles"
    SCENES = "scenes"
    ANIMALS = "animals"
    MEDICAL_IMAGES = "medical_images"
    OTHER = "other"


PERSONAL_CATEGORIES = frozenset({DataCategory.PEOPLE.value, DataCategory.FACES.value})


class Dataset(models.Model):
    """A named collection of images, with the purposes it may be used for."""

    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, related_name="datasets"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Stored PII-redacted.")
    purposes = models.JSONField(default=list, help_text="Purpose codes this dataset may serve.")
    data_categories = models.JSONField(default=list)
    retention_days = models.PositiveIntegerField(default=365)
    keep_originals = models.BooleanField(
        default=False,
        help_text="Keep originals (encrypted at rest by the operator) so a new filter version "
        "can re-filter them. Off by default: only the original's sha256 is kept.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["business_unit", "name"], name="dataset_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def involves_people(self) -> bool:
        """True when the dataset declares people or faces (its assets need consent)."""
        return bool(PERSONAL_CATEGORIES.intersection(self.data_categories))


class AssetStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the privacy filters"
    READY = "ready", "Filtered and usable"
    QUARANTINED = "quarantined", "Quarantined by a filter"
    ERASED = "erased", "Erased"


class Asset(models.Model):
    """One image. Only the filtered copy is ever stored outside quarantine."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="assets")
    original_name = models.CharField(max_length=255, blank=True, help_text="PII-redacted.")
    original_sha256 = models.CharField(max_length=64)
    original_format = models.CharField(max_length=16)
    original_bytes = models.PositiveBigIntegerField()
    quarantine_path = models.CharField(
        max_length=500, blank=True, help_text="Relative to QUARANTINE_ROOT; empty once deleted."
    )
    filtered_path = models.CharField(
        max_length=500, blank=True, help_text="Relative to MEDIA_ROOT."
    )
    filtered_sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=AssetStatus.choices, default=AssetStatus.PENDING, db_index=True
    )
    status_reason = models.TextField(blank=True)
    filter_manifest = models.JSONField(null=True, blank=True)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    filter_version = models.CharField(max_length=64, blank=True)
    subjects = models.ManyToManyField("consent.DataSubject", blank=True, related_name="assets")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filtered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "original_sha256"], name="asset_unique_per_dataset"
            )
        ]

    def __str__(self) -> str:
        return f"asset {self.pk} ({self.status})"
