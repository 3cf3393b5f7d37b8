"""Who sees what in the portal: one scope object per request, deny by default.

Compliance officers and platform admins read every business unit; business-unit users
read their own units' rows only; a user with no role anywhere gets no scope at all (the
portal answers 403). Every selector takes a :class:`PortalScope` and filters with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from clipguard.accounts.models import BusinessUnit, User
from clipguard.accounts.selectors import unit_ids_visible_to

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class PortalScope:
    user: User
    unit_ids: frozenset[int] | None  # None: every unit

    @property
    def sees_all_units(self) -> bool:
        return self.unit_ids is None

    @property
    def can_decide_approvals(self) -> bool:
        """Approvals are decided by compliance officers only (governance enforces it too)."""
        return self.user.is_compliance_officer

    @property
    def can_verify(self) -> bool:
        """Whole-ledger checks and retention are platform-wide: officers and admins."""
        return self.sees_all_units

    @property
    def is_platform_admin(self) -> bool:
        return self.user.is_platform_admin

    @property
    def role_label(self) -> str:
        if self.user.is_compliance_officer:
            return "Compliance officer"
        if self.user.is_platform_admin:
            return "Platform admin"
        return "Business-unit user"

    def units(self) -> QuerySet[BusinessUnit]:
        units = BusinessUnit.objects.order_by("name")
        return units if self.unit_ids is None else units.filter(pk__in=self.unit_ids)

    def allows_unit(self, unit_id: int | None) -> bool:
        """Rows without a unit (platform events) are for those who see every unit."""
        if self.unit_ids is None:
            return True
        return unit_id is not None and unit_id in self.unit_ids

    def restrict(self, queryset: QuerySet[M], unit_field: str = "business_unit_id") -> QuerySet[M]:
        """The rows of ``queryset`` this scope may read (``unit_field`` leads to the unit id)."""
        if self.unit_ids is None:
            return queryset
        return queryset.filter(Q(**{f"{unit_field}__in": self.unit_ids}))


def scope_for(user: User) -> PortalScope | None:
    """The user's scope, or None when the user has no role that shows anything."""
    visible = unit_ids_visible_to(user)
    if visible is None:
        return PortalScope(user=user, unit_ids=None)
    if not visible:
        return None
    return PortalScope(user=user, unit_ids=frozenset(visible))
