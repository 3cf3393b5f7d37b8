from django.contrib import admin

from clipguard.datasets.models import Asset, Dataset


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin[Dataset]):
    list_display = ("name", "business_unit", "retention_days", "keep_originals", "created_at")
    list_filter = ("business_unit",)
    search_fields = ("name",)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin[Asset]):
    """Assets are written by uploads and filters only; the admin shows them."""

    list_display = ("id", "dataset", "status", "original_format", "width", "height", "created_at")
    list_filter = ("status", "dataset__business_unit")
    readonly_fields = [f.name for f in Asset._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
