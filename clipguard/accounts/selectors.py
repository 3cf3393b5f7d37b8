"""Who may see and do what: the business units a user belongs to, and their roles."""

from __future__ import annotations

from django.db.models import QuerySet

from clipguard.accounts.models import BusinessUnit, Membership, UnitRole, User


def units_of(user: User) -> QuerySet[BusinessUnit]:
    """Business units the user is a member of (any role)."""
    return BusinessUnit.objects.filter(memberships__user=user)


def unit_ids_visible_to(user: User) -> set[int] | None:
    """Unit ids whose rows the user may read; ``None`` means every unit."""
    if user.sees_all_units:
        return None
    return set(Membership.objects.filter(user=user).values_list("business_unit_id", flat=True))


def role_in(user: User, business_unit_id: int) -> UnitRole | None:
    role = (
        Membership.objects.filter(user=user, business_unit_id=business_unit_id)
        .values_list("role", flat=True)
        .first()
    )
    return UnitRole(role) if role else None


def can_write_in(user: User, business_unit_id: int) -> bool:
    """Members, unit admins and service accounts write in their own unit; nobody else does."""
    return role_in(user, business_unit_id) is not None
