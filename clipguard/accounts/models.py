"""Users, business units, memberships with roles, and API keys."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


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


class User(AbstractUser):
    """A person or service account using ClipGuard."""

    platform_role = models.CharField(
        max_length=32, choices=PlatformRole.choices, blank=True, default=PlatformRole.NONE
    )

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
