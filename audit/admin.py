"""Read-only admin for the ledger: nobody adds, changes or deletes records here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import LedgerCheckpoint, LedgerRecord


class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerRecord)
class LedgerRecordAdmin(_ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "event_type",
        "actor",
        "business_unit",
        "purpose",
        "policy_decision",
        "job_id",
    )
    list_filter = ("event_type", "policy_decision")
    search_fields = ("=job_id", "=request_id", "=actor")
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = None


@admin.register(LedgerCheckpoint)
class LedgerCheckpointAdmin(_ReadOnlyAdmin):
    list_display = ("sequence", "created_at", "first_position", "last_position", "key_id")
    actions = None
