"""Writes the portal makes itself: the audit record of a portal login.

Approvals go through :func:`governance.services.approval_decide`; exports are audited in
:mod:`portal.exports`.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from audit.models import EventType, LedgerRecord
from audit.services import LedgerEntry, ledger_append_many
from clipguard.accounts.models import Membership, User


@transaction.atomic
def portal_login_record(*, user: User) -> list[LedgerRecord]:
    """Audit a successful portal login (no IP address or user agent: personal data).

    A business-unit user's login is recorded once per unit the user belongs to, each
    record under that unit, so that every unit's users see their colleagues' logins in
    the portal and nothing about the user's other units (not even how many there are).
    The records of one login share a request id. Platform-wide users (admins, compliance
    officers) and users without a unit get one record without a unit, seen only by those
    who see every unit.
    """
    login_id = uuid.uuid4().hex
    details = {"channel": "portal", "platform_role": user.platform_role or "none"}
    memberships = (
        []
        if user.sees_all_units
        else list(
            Membership.objects.filter(user=user)
            .select_related("business_unit")
            .order_by("business_unit_id")
        )
    )
    if not memberships:
        entries = [
            LedgerEntry(
                event_type=EventType.LOGIN, actor=user, request_id=login_id, details=details
            )
        ]
    else:
        entries = [
            LedgerEntry(
                event_type=EventType.LOGIN,
                actor=user,
                business_unit=membership.business_unit,
                request_id=login_id,
                details={**details, "unit_role": membership.role},
            )
            for membership in memberships
        ]
    return ledger_append_many(entries)
