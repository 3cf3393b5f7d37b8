"""Writes the portal makes itself: the audit record of a portal login.

Approvals go through :func:`governance.services.approval_decide`; exports are audited in
:mod:`portal.exports`.
"""

from __future__ import annotations

from audit.models import EventType, LedgerRecord
from audit.services import ledger_append
from clipguard.accounts.models import User


def portal_login_record(*, user: User) -> LedgerRecord:
    """Audit a successful portal login (no IP address or user agent: personal data)."""
    return ledger_append(
        event_type=EventType.LOGIN,
        actor=user,
        details={"channel": "portal", "platform_role": user.platform_role or "none"},
    )
