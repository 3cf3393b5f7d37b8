"""Input and output serializers for datasets, assets, subjects and consent."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clipguard.accounts.models import BusinessUnit
from clipguard.consent.models import ConsentRecord, DataSubject, ErasureReceipt
from clipguard.datasets.models import Asset, Dataset


class DatasetOut(serializers.ModelSerializer[Dataset]):
    business_unit = serializers.SlugRelatedField[BusinessUnit](slug_field="slug", read_only=True)
    asset_counts = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = [
            "id",
            "business_unit",
            "name",
            "description",
            "purposes",
            "data_categories",
            "retention_days",
            "keep_originals",
            "created_at",
            "asset_counts",
        ]

    def get_asset_counts(self, obj: Dataset) -> dict[str, int]:
        counts: dict[str, int] = {}
        for status in obj.assets.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        return counts


class DatasetIn(serializers.Serializer[Any]):
    business_unit = serializers.SlugField(
        required=False, help_text="Needed if you are in several units."
    )
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    purposes = serializers.ListField(child=serializers.CharField(max_length=64), max_length=50)
    data_categories = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=20
    )
    retention_days = serializers.IntegerField(min_value=1, max_value=3650, default=365)
    keep_originals = serializers.BooleanField(default=False)


class AssetOut(serializers.ModelSerializer[Asset]):
    faces_obscured = serializers.SerializerMethodField()
    text_regions_redacted = serializers.SerializerMethodField()
    subjects = serializers.SlugRelatedField[DataSubject](
        slug_field="reference", many=True, read_only=True
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "dataset",
            "original_name",
            "original_sha256",
            "original_format",
            "width",
            "height",
            "status",
            "status_reason",
            "filtered_sha256",
            "manifest_sha256",
            "filter_version",
            "faces_obscured",
            "text_regions_redacted",
            "subjects",
            "created_at",
            "filtered_at",
        ]

    def _manifest_count(self, obj: Asset, key: str) -> int | None:
        manifest = obj.filter_manifest or {}
        value = manifest.get(key)
        return len(value) if isinstance(value, list) else None

    def get_faces_obscured(self, obj: Asset) -> int | None:
        return self._manifest_count(obj, "faces")

    def get_text_regions_redacted(self, obj: Asset) -> int | None:
        return self._manifest_count(obj, "text_regions")


class AssetManifestOut(serializers.ModelSerializer[Asset]):
    class Meta:
        model = Asset
        fields = ["id", "status", "status_reason", "filter_manifest", "manifest_sha256"]


class AssetUploadIn(serializers.Serializer[Any]):
    file = serializers.FileField(allow_empty_file=True)
    subjects = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=100
    )


class SubjectOut(serializers.ModelSerializer[DataSubject]):
    class Meta:
        model = DataSubject
        fields = ["id", "reference", "created_at"]


class SubjectIn(serializers.Serializer[Any]):
    business_unit = serializers.SlugField(required=False)
    reference = serializers.CharField(max_length=100)


class ConsentOut(serializers.ModelSerializer[ConsentRecord]):
    subject = serializers.SlugRelatedField[DataSubject](slug_field="reference", read_only=True)
    assets = serializers.PrimaryKeyRelatedField[Asset](many=True, read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "subject",
            "dataset",
            "assets",
            "purposes",
            "notice_version",
            "evidence",
            "granted_at",
            "withdrawn_at",
            "withdrawal_reason",
            "active",
        ]


class ConsentIn(serializers.Serializer[Any]):
    subject = serializers.CharField(max_length=100, help_text="The subject's reference.")
    dataset = serializers.IntegerField()
    purposes = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1)
    notice_version = serializers.CharField(max_length=50)
    evidence = serializers.CharField(max_length=2000)
    assets = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    granted_at = serializers.DateTimeField(required=False)


class WithdrawIn(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ErasureReceiptOut(serializers.ModelSerializer[ErasureReceipt]):
    class Meta:
        model = ErasureReceipt
        fields = [
            "id",
            "consent",
            "asset_ids",
            "results_deleted",
            "filtered_images_deleted",
            "receipt_sha256",
            "created_at",
        ]
