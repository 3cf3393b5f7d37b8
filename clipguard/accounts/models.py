"""Users, business units, memberships with roles, and API keys."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction


class PlatformRole(models.TextChoices):
    """Platform-wide roles; business-unit roles live on :class:`Membership`."""

    NONE = "", "None"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"
    COMPLIANCE_OFFICER = "compliance_officer", "Compliance officer"


class UnitRole(models.TextChoices):
    """Roles inside one business unit."""

    ADMIN = "bu_admin", "Business-unit admin"
    MEMBER = "member", "Member"
    SERVICE_ACCOUNT = "service_account", "Service account"


# The fields of a user that grant privileges: Django's flags and the platform role. Every
# change of one is audited, whichever way it is written (see :class:`UserQuerySet`).
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "is_active", "platform_role")


def privilege_changes(
    stored: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """The privilege fields whose value differs, each with its old and new value (flags as
    booleans, the platform role as its code, ``"none"`` for no role)."""

    def plain(name: str, value: Any) -> Any:
        return (str(value or "") or "none") if name == "platform_role" else bool(value)

    changes = {}
    for name, old in stored.items():
        if name in current and plain(name, old) != plain(name, current[name]):
            changes[name] = (plain(name, old), plain(name, current[name]))
    return changes


class UserQuerySet(models.QuerySet["User"]):
    """Users; ``update()`` of a privilege field is audited, and so ``bulk_update()``,
    which Django runs as updates of this queryset.

    Django sends no model signals for either, so ``update()`` reads the stored privileges
    of the users it writes, in the same transaction, before and after, and records what
    changed like a ``save()`` would (:mod:`clipguard.accounts.signals`). Raw SQL is not
    seen.
    """

    def update(self, **kwargs: Any) -> int:
        names = [name for name in PRIVILEGE_FIELDS if name in kwargs]
        if not names:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.select_for_update().values_list("pk", flat=True))
            stored = self._stored_privileges(pks, names)
            count = super().update(**kwargs)
            self._record(stored, self._stored_privileges(pks, names))
        return count

    def _stored_privileges(self, pks: list[Any], names: list[str]) -> dict[Any, dict[str, Any]]:
        rows = (
            self.model._base_manager.using(self.db)
            .filter(pk__in=pks)
            .values("pk", self.model.USERNAME_FIELD, *names)
        )
        return {row["pk"]: row for row in rows}

    def _record(
        self, stored: Mapping[Any, dict[str, Any]], current: Mapping[Any, dict[str, Any]]
    ) -> None:
        # Imported here: the services import this module.
        from clipguard.accounts.services import user_privileges_change_record

        for pk in sorted(stored):
            before = {k: v for k, v in stored[pk].items() if k in PRIVILEGE_FIELDS}
            user_privileges_change_record(
                user_id=pk,
                username=stored[pk][self.model.USERNAME_FIELD],
                changes=privilege_changes(before, current.get(pk, {})),
            )


class ClipguardUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (``create_user`` …) over :class:`UserQuerySet`."""


class User(AbstractUser):
    """A person or service account using ClipGuard."""

    platform_role = models.CharField(
        max_length=32, choices=PlatformRole.choices, blank=True, default=PlatformRole.NONE
    )

    objects: ClassVar[ClipguardUserManager] = ClipguardUserManager()

    @property
    def is_platform_admin(self) -> bool:
        return self.platform_role == PlatformRole.PLATFORM_ADMIN or self.is_superuser

    @property
    def is_compliance_officer(self) -> bool:
        return self.platform_role == PlatformRole.COMPLIANCE_OFFICER

    @property
    def sees_all_units(self) -> bool:
        """Platform admins and compliance officers read across business units."""
        return self.is_platform_admin or self.is_compliance_officer


class BusinessUnit(models.Model):
    """A part of the company that owns datasets and submits jobs."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one business unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=UnitRole.choices, default=UnitRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "business_unit"], name="one_membership_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.business_unit} ({self.role})"


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A bearer key for the internal API. Only its sha256 is stored."""

    PREFIX_LENGTH = 12

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_key() -> str:
        return "cg_" + secrets.token_urlsafe(32)

    @classmethod
    def hash_key(cls, raw: str) -> str:
        return _hash_key(raw)

    def matches(self, raw: str) -> bool:
        return secrets.compare_digest(self.key_sha256, _hash_key(raw))
