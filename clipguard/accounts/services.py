"""Writes for users, business units, memberships and API keys."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from clipguard.accounts.models import ApiKey, BusinessUnit, Membership, UnitRole, User


@transaction.atomic
def business_unit_create(*, name: str, slug: str = "") -> BusinessUnit:
    return BusinessUnit.objects.create(name=name, slug=slug or slugify(name))


@transaction.atomic
def membership_grant(*, user: User, business_unit: BusinessUnit, role: UnitRole) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, business_unit=business_unit, defaults={"role": role}
    )
    return membership


@transaction.atomic
def api_key_create(*, user: User, name: str) -> tuple[ApiKey, str]:
    """Create a key; the raw key is returned once and never stored."""
    raw = ApiKey.new_raw_key()
    key = ApiKey.objects.create(
        user=user, name=name, prefix=raw[: ApiKey.PREFIX_LENGTH], key_sha256=ApiKey.hash_key(raw)
    )
    return key, raw
