"""System checks: the portal refuses to start with a log retention below six months."""

from __future__ import annotations

from typing import Any

from django.core import checks

from audit.retention import RetentionTooShort, retention_days


@checks.register(checks.Tags.compatibility)
def retention_at_least_six_months(**_kwargs: Any) -> list[checks.CheckMessage]:
    try:
        retention_days()
    except RetentionTooShort as exc:
        return [checks.Error(str(exc), id="portal.E001")]
    return []
