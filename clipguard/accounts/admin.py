"""The Django admin for accounts. Every change of who may do what goes through
:mod:`clipguard.accounts.services`, so it is audited exactly as it is anywhere else:
platform roles and the superuser flag, unit memberships (the inline on a user), API keys
(created here, revoked with an action, never edited or deleted), and the deletion of a
user or a unit with what goes with it. The staff and active flags, groups and direct
permissions, saved by the form itself, are recorded from signals, attributed to the admin
user with :func:`clipguard.accounts.services.acting_as`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from clipguard.accounts.models import ApiKey, BusinessUnit, Membership, PlatformRole, UnitRole, User
from clipguard.accounts.services import (
    acting_as,
    api_key_create,
    api_key_revoke,
    business_unit_delete,
    membership_grant,
    membership_remove,
    user_delete,
    user_platform_role_set,
)


def _actor(request: HttpRequest) -> User:
    """The admin user making the change (the admin only lets staff users in)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("changes need a signed-in user")
    return request.user


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    fields = ("business_unit", "role")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("ClipGuard", {"fields": ("platform_role",)}))
    list_display = ("username", "email", "platform_role", "is_active")
    list_filter = ("platform_role", "is_active")
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form saves every other field; the platform role and the superuser flag keep
        # their stored values here and are then set (and audited) by the service.
        platform_role, is_superuser = obj.platform_role, obj.is_superuser
        if change:
            obj.platform_role, obj.is_superuser = (
                User.objects.filter(pk=obj.pk).values_list("platform_role", "is_superuser").get()
            )
        else:
            obj.platform_role, obj.is_superuser = PlatformRole.NONE, False
        with acting_as(_actor(request)):
            super().save_model(request, obj, form, change)
        user_platform_role_set(
            actor=_actor(request),
            user=obj,
            platform_role=PlatformRole(platform_role),
            is_superuser=is_superuser,
        )

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        # Groups and direct permissions are saved here (and recorded from signals).
        with acting_as(_actor(request)):
            super().save_related(request, form, formsets, change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        _save_memberships(actor=_actor(request), user=form.instance, formset=formset)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # A user's API keys go with the user (user_delete revokes and audits them first),
        # although a key on its own is never deleted.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(str(ApiKey._meta.verbose_name))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_delete(actor=_actor(request), user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = _actor(request)
        with transaction.atomic():
            for user in queryset:
                user_delete(actor=actor, user=user)


def _save_memberships(
    *, actor: User, user: User, formset: BaseModelFormSet[Membership, Any]
) -> None:
    """Apply the membership inline through the services: removals first (rows deleted, and
    rows moved to another unit), then grants and role changes."""
    changed = formset.save(commit=False)
    for membership in formset.deleted_objects:
        membership_remove(actor=actor, membership=membership)
    for membership in changed:
        if membership.pk is None:
            continue
        stored = Membership.objects.select_related("user", "business_unit").get(pk=membership.pk)
        if stored.business_unit_id != membership.business_unit_id:
            membership_remove(actor=actor, membership=stored)
    for membership in changed:
        membership_grant(
            actor=actor,
            user=user,
            business_unit=membership.business_unit,
            role=UnitRole(membership.role),
        )


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin[BusinessUnit]):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}

    def delete_model(self, request: HttpRequest, obj: BusinessUnit) -> None:
        business_unit_delete(actor=_actor(request), business_unit=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BusinessUnit]) -> None:
        actor = _actor(request)
        with transaction.atomic():
            for unit in queryset:
                business_unit_delete(actor=actor, business_unit=unit)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    actions = ["revoke_keys"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        # A key's user is never changed (that would hand its access to someone else), and
        # it is revoked with the action, so only its name can be edited.
        if obj is None:
            return ()
        return ("user", "prefix", "created_at", "last_used_at", "revoked_at")

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False  # keys are revoked, and kept

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = api_key_create(actor=_actor(request), user=obj.user, name=obj.name)
        obj.pk, obj.prefix, obj.key_sha256 = key.pk, key.prefix, key.key_sha256
        obj.created_at = key.created_at
        obj._state.adding, obj._state.db = False, key._state.db
        self.message_user(
            request,
            f"API key created. Copy it now; it is not stored and is shown only once: {raw}",
            messages.WARNING,
        )

    @admin.action(description="Revoke selected API keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        actor = _actor(request)
        revoked = 0
        with transaction.atomic():
            for key in queryset.select_related("user").filter(revoked_at__isnull=True):
                api_key_revoke(actor=actor, key=key)
                revoked += 1
        self.message_user(request, f"{revoked} API key(s) revoked.", messages.SUCCESS)
