"""Data subjects (pseudonymous) and their consent records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clipguard.accounts.models import BusinessUnit


class DataSubject(models.Model):
    """A person shown in images, known only by a pseudonymous reference."""

    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, related_name="data_subjects"
    )
    reference = models.CharField(
        max_length=100, help_text="A pseudonymous id from the unit's own records; never a name."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_unit", "reference"], name="subject_reference_per_unit"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class ConsentRecord(models.Model):
    """Consent of one subject, for some purposes, over a dataset or some of its assets."""

    subject = models.ForeignKey(DataSubject, on_delete=models.PROTECT, related_name="consents")
    dataset = models.ForeignKey(
        "datasets.Dataset", on_delete=models.PROTECT, related_name="consents"
    )
    assets = models.ManyToManyField(
        "datasets.Asset",
        blank=True,
        related_name="consents",
        help_text="Empty: every asset of the subject in the dataset.",
    )
    purposes = models.JSONField(default=list)
    notice_version = models.CharField(max_length=50)
    evidence = models.TextField(help_text="Where the signed consent is kept (a reference).")
    granted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"consent {self.pk} of {self.subject} ({state})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ErasureReceipt(models.Model):
    """What was erased after a consent withdrawal (GDPR Art. 7(3), 17): ids and counts only."""

    consent = models.ForeignKey(ConsentRecord, on_delete=models.PROTECT, related_name="erasures")
    asset_ids = models.JSONField(default=list)
    results_deleted = models.PositiveIntegerField(default=0)
    filtered_images_deleted = models.PositiveIntegerField(default=0)
    receipt_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"erasure receipt {self.pk} for consent {self.consent_id}"
