from django.contrib import admin

from governance.models import Approval, StopSwitch


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin[Approval]):
    """Approvals are decided through the API or portal so that each decision is audited."""

    list_display = ("job", "status", "requested_at", "decided_by", "decided_at", "expires_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Approval._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(StopSwitch)
class StopSwitchAdmin(admin.ModelAdmin[StopSwitch]):
    list_display = ("business_unit", "engaged", "changed_by", "changed_at")
    readonly_fields = [f.name for f in StopSwitch._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
