"""The dashboard: counts, the last checkpoint and charts of activity over time."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from portal.charts import activity_charts
from portal.scope import PortalScope
from portal.selectors import activity_by_day, dashboard_summary
from portal.views.access import page, portal_view

CHART_DAYS = {"7": 7, "30": 30, "90": 90}


@portal_view()
def dashboard(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    period = request.GET.get("days", "30")
    days = CHART_DAYS.get(period, 30)
    return page(
        request,
        scope,
        "dashboard.html",
        {
            "summary": dashboard_summary(scope),
            "charts": activity_charts(activity_by_day(scope, days=days)),
            "days": days,
            "periods": list(CHART_DAYS.values()),
        },
        section="home",
    )
