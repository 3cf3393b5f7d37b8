"""Reads for governance: is work halted?"""

from __future__ import annotations

from django.db.models import Q

from governance.models import StopSwitch


def stop_switch_engaged(business_unit_id: int | None) -> bool:
    """True when the platform-wide switch or the unit's own switch is engaged."""
    scope = Q(business_unit__isnull=True)
    if business_unit_id is not None:
        scope |= Q(business_unit_id=business_unit_id)
    return StopSwitch.objects.filter(scope, engaged=True).exists()
