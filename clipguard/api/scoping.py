"""Deny by default: every API queryset is scoped to the business units the caller may see."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import exceptions, viewsets

from clipguard.accounts.models import User
from clipguard.accounts.selectors import can_write_in, unit_ids_visible_to


class UnitScopedViewSet(viewsets.GenericViewSet[Any]):
    """A viewset whose rows belong to business units.

    Subclasses declare ``model`` and ``unit_field`` (the lookup to the owning unit's id);
    callers see only rows of units they belong to, except platform admins and compliance
    officers, who read every unit. Rows outside the scope answer 404, never 403, so their
    existence is not revealed.
    """

    model: ClassVar[type[Model]]
    unit_field: ClassVar[str] = "business_unit_id"

    def base_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return self.base_queryset().none()
        visible = unit_ids_visible_to(user)
        queryset = self.base_queryset()
        if visible is None:
            return queryset
        return queryset.filter(**{f"{self.unit_field}__in": visible})

    @property
    def actor(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def require_write(self, business_unit_id: int) -> None:
        """Writes need membership in the unit; reading everything does not grant writing."""
        if not can_write_in(self.actor, business_unit_id):
            raise exceptions.NotFound("No such object in your business unit.")
