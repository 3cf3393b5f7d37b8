from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from clipguard.accounts.models import ApiKey, BusinessUnit, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("ClipGuard", {"fields": ("platform_role",)}))
    list_display = ("username", "email", "platform_role", "is_active")
    list_filter = ("platform_role", "is_active")
    inlines = [MembershipInline]


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin[BusinessUnit]):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_sha256", "last_used_at")
