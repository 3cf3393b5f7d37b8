"""Human oversight: approvals of high-risk jobs, and stop switches."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApprovalStatus(models.TextChoices):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # the job was stopped before anyone decided


class Approval(models.Model):
    """A compliance officer's decision on a job the rulebook sent for approval."""

    job = models.OneToOneField("inference.Job", on_delete=models.PROTECT, related_name="approval")
    status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"approval of job {self.job_id} ({self.status})"


class StopSwitch(models.Model):
    """Halts work for a business unit (or the whole platform when no unit is set)."""

    business_unit = models.OneToOneField(
        "accounts.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stop_switch",
    )
    engaged = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        scope = self.business_unit or "platform"
        return f"stop switch for {scope} ({'engaged' if self.engaged else 'off'})"
