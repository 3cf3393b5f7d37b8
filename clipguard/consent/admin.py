from django.contrib import admin

from clipguard.consent.models import ConsentRecord, DataSubject, ErasureReceipt


@admin.register(DataSubject)
class DataSubjectAdmin(admin.ModelAdmin[DataSubject]):
    list_display = ("reference", "business_unit", "created_at")
    list_filter = ("business_unit",)
    search_fields = ("reference",)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    """Consent is granted and withdrawn through the API (which audits and erases)."""

    list_display = ("id", "subject", "dataset", "notice_version", "granted_at", "withdrawn_at")
    list_filter = ("dataset__business_unit",)
    readonly_fields = [f.name for f in ConsentRecord._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ErasureReceipt)
class ErasureReceiptAdmin(admin.ModelAdmin[ErasureReceipt]):
    list_display = ("id", "consent", "results_deleted", "filtered_images_deleted", "created_at")
    readonly_fields = [f.name for f in ErasureReceipt._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
