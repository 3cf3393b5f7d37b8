"""Jobs: the list, one job's drill-down, one asset's filter manifest, blocked attempts."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from portal.forms import JobFilterForm
from portal.scope import PortalScope
from portal.selectors import asset_detail, blocked_attempts, job_detail, job_list
from portal.views.access import page, portal_view

JOBS_PER_PAGE = 50


@require_GET
@portal_view()
def jobs(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    form = JobFilterForm(request.GET or None, scope=scope)
    status, unit_id = "", None
    if form.is_bound and form.is_valid():
        status = form.cleaned_data.get("status") or ""
        unit = form.cleaned_data.get("unit")
        unit_id = unit.pk if unit is not None else None
    paginator = Paginator(job_list(scope, status=status, business_unit_id=unit_id), JOBS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        scope,
        "jobs.html",
        {
            "form": form,
            "jobs": paginator.get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
        section="jobs",
    )


@require_GET
@portal_view()
def job(request: HttpRequest, scope: PortalScope, job_id: str) -> HttpResponse:
    view = job_detail(scope, job_id)
    if view is None:
        raise Http404("No such job in your scope.")
    return page(request, scope, "job.html", {"view": view, "job": view.job}, section="jobs")


@require_GET
@portal_view()
def asset(request: HttpRequest, scope: PortalScope, asset_id: int) -> HttpResponse:
    view = asset_detail(scope, asset_id, job_id=request.GET.get("job", ""))
    if view is None:
        raise Http404("No such asset in your scope.")
    return page(request, scope, "asset.html", {"view": view, "asset": view.asset}, section="jobs")


@require_GET
@portal_view()
def blocked(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    return page(
        request, scope, "blocked.html", {"jobs": blocked_attempts(scope)}, section="blocked"
    )
