"""The audit ledger: insert-only records, the chain that seals them, signed checkpoints.

Records are written by :func:`audit.services.ledger_append` in the caller's transaction.
The sealer (:mod:`audit.sealer`) later chains committed records in batches into
:class:`LedgerLink` rows and signs a :class:`LedgerCheckpoint` per batch. All three tables
refuse UPDATE, DELETE and TRUNCATE in the database itself (migration 0002); only the
table owner, inside :func:`audit.maintenance.ledger_maintenance`, may lift that.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from audit.hashing import RECORD_HASHED_FIELDS, record_content_sha256


class EventType(models.TextChoices):
    INFERENCE = "inference", "Inference"
    INFERENCE_SKIPPED = "inference_skipped", "Inference skipped"
    POLICY_DECISION = "policy_decision", "Policy decision"
    APPROVAL = "approval", "Approval"
    CONSENT_CHANGE = "consent_change", "Consent change"
    ERASURE = "erasure", "Erasure"
    ASSET_FILTERED = "asset_filtered", "Asset filtered"
    ASSET_QUARANTINED = "asset_quarantined", "Asset quarantined"
    JOB_STATUS = "job_status", "Job status"
    LOGIN = "login", "Login"
    EXPORT = "export", "Export"
    CONFIG_CHANGE = "config_change", "Configuration change"


class LedgerRecord(models.Model):
    """One audited event. Names are copied as text so the record outlives the rows.

    ``details`` holds ids, hashes and already-redacted text only, never raw personal data.
    ``content_sha256`` covers every field but ``id`` (see :mod:`audit.hashing`).
    """

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(editable=False)
    event_type = models.CharField(max_length=32, choices=EventType.choices, editable=False)
    actor = models.CharField(max_length=200, blank=True, editable=False)
    actor_id = models.BigIntegerField(null=True, blank=True, editable=False)
    business_unit_id = models.BigIntegerField(null=True, blank=True, editable=False)
    business_unit = models.CharField(max_length=200, blank=True, editable=False)
    purpose = models.CharField(max_length=100, blank=True, editable=False)
    request_id = models.CharField(max_length=100, blank=True, editable=False)
    job_id = models.CharField(max_length=100, blank=True, editable=False)
    asset_id = models.BigIntegerField(null=True, blank=True, editable=False)
    input_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    filtered_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    manifest_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    model_id = models.CharField(max_length=200, blank=True, editable=False)
    weights_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    policy_version = models.CharField(max_length=100, blank=True, editable=False)
    policy_decision = models.CharField(max_length=32, blank=True, editable=False)
    consent_ref = models.CharField(max_length=200, blank=True, editable=False)
    output_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    details = models.JSONField(default=dict, blank=True, editable=False)
    content_sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        indexes = [
            # Keyset pagination (newest first, by id) under the portal's filters.
            models.Index(fields=["business_unit_id", "id"], name="audit_rec_unit_id"),
            models.Index(fields=["event_type", "id"], name="audit_rec_event_id"),
            models.Index(fields=["actor", "id"], name="audit_rec_actor_id"),
            models.Index(fields=["created_at"], name="audit_rec_time"),
            models.Index(fields=["job_id"], name="audit_rec_job"),
            models.Index(fields=["asset_id"], name="audit_rec_asset"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.event_type} by {self.actor or 'system'}"

    def hashed_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in RECORD_HASHED_FIELDS}

    def compute_content_sha256(self) -> str:
        return record_content_sha256(self.hashed_fields())


class PendingSeal(models.Model):
    """A record waiting for the sealer; written with the record, removed when it is sealed.

    A work queue, not evidence: it is not append-only. A record that is neither sealed nor
    queued was not written by ``ledger_append`` (or its queue entry was removed), and
    verification says so.
    """

    record = models.OneToOneField(
        LedgerRecord,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="pending_seal",
    )

    def __str__(self) -> str:
        return f"pending #{self.record_id}"


class LedgerLink(models.Model):
    """A record's place in the chain. ``position`` counts from 0 in sealing order.

    ``link_sha256 = sha256(domain || position || record id || record_sha256 || prev)``.
    The record is referenced without a foreign-key constraint, so that a deleted record
    shows up in verification instead of being cascaded or blocked.
    """

    position = models.BigIntegerField(primary_key=True, editable=False)
    record = models.OneToOneField(
        LedgerRecord,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="link",
        editable=False,
    )
    record_sha256 = models.CharField(max_length=64, editable=False)
    prev_link_sha256 = models.CharField(max_length=64, editable=False)
    link_sha256 = models.CharField(max_length=64, editable=False)

    def __str__(self) -> str:
        return f"link {self.position} -> record #{self.record_id}"


class LedgerCheckpoint(models.Model):
    """A signed statement over one sealed batch: positions first..last, their Merkle root
    and the chain head after them. Published to ``AUDIT_CHECKPOINT_DIR`` too."""

    sequence = models.BigIntegerField(primary_key=True, editable=False)
    first_position = models.BigIntegerField(editable=False)
    last_position = models.BigIntegerField(unique=True, editable=False)
    first_record_id = models.BigIntegerField(editable=False)
    last_record_id = models.BigIntegerField(editable=False)
    max_record_id = models.BigIntegerField(editable=False)
    batch_root_sha256 = models.CharField(max_length=64, editable=False)
    head_link_sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(editable=False)
    key_id = models.CharField(max_length=16, editable=False)
    signature = models.CharField(max_length=128, editable=False)

    def __str__(self) -> str:
        return f"checkpoint {self.sequence} (positions {self.first_position}..{self.last_position})"

    @property
    def tree_size(self) -> int:
        """How many records the chain holds up to and including this checkpoint."""
        return self.last_position + 1
