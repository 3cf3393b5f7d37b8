from django.contrib import admin

from inference.models import Job, JobResult


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    """Jobs are submitted through the API so that the rulebook decides every one."""

    list_display = ("id", "business_unit", "task", "purpose", "decision", "status", "created_at")
    list_filter = ("status", "decision", "task", "business_unit")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(JobResult)
class JobResultAdmin(admin.ModelAdmin[JobResult]):
    list_display = ("job", "asset", "status", "created_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in JobResult._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
