"""Jobs and their per-asset results."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Task(models.TextChoices):
    ZERO_SHOT_CLASSIFICATION = "zero_shot_classification"
    EMBEDDING = "embedding"
    TEXT_TO_IMAGE_SEARCH = "text_to_image_search"
    IMAGE_TO_IMAGE_SEARCH = "image_to_image_search"


class JobStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval"
    DENIED = "denied"
    REJECTED = "rejected"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_JOB_STATUSES = frozenset(
    {
        JobStatus.DENIED,
        JobStatus.REJECTED,
        JobStatus.COMPLETED,
        JobStatus.FAILED,
        JobStatus.CANCELLED,
    }
)


class Job(models.Model):
    """One CLIP job over a dataset, as submitted and as decided by the rulebook."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business_unit = models.ForeignKey(
        "accounts.BusinessUnit", on_delete=models.PROTECT, related_name="jobs"
    )
    dataset = models.ForeignKey("datasets.Dataset", on_delete=models.PROTECT, related_name="jobs")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=64)
    purpose_description = models.TextField(blank=True, help_text="PII-redacted.")
    deployment_context = models.CharField(max_length=32)
    task = models.CharField(max_length=32, choices=Task.choices)
    labels = models.JSONField(default=list, blank=True)
    queries = models.JSONField(default=list, blank=True)
    model_id = models.CharField(max_length=200)
    status = models.CharField(max_length=24, choices=JobStatus.choices, db_index=True)
    status_reason = models.TextField(blank=True)
    decision = models.CharField(max_length=24)
    decision_rules = models.JSONField(default=list)
    policy_version = models.CharField(max_length=64)
    total_assets = models.PositiveIntegerField(default=0)
    processed_assets = models.PositiveIntegerField(default=0)
    skipped_assets = models.PositiveIntegerField(default=0)
    failed_assets = models.PositiveIntegerField(default=0)
    assets_without_consent = models.PositiveIntegerField(
        default=0,
        help_text="At submission: assets no consent covered for the purpose (checked again "
        "per asset at run time).",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"job {self.id} ({self.task}, {self.status})"


class ResultStatus(models.TextChoices):
    OK = "ok"
    SKIPPED = "skipped"
    FAILED = "failed"


class JobResult(models.Model):
    """The outcome of one job on one asset; stored once per (job, asset)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="results")
    asset = models.ForeignKey("datasets.Asset", on_delete=models.CASCADE, related_name="results")
    status = models.CharField(max_length=16, choices=ResultStatus.choices)
    reason = models.TextField(blank=True)
    output = models.JSONField(null=True, blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset_id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "asset"], name="one_result_per_job_asset")
        ]

    def __str__(self) -> str:
        return f"result of job {self.job_id} on asset {self.asset_id} ({self.status})"
