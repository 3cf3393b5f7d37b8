"""Data-subject access: everything involving one subject reference, on screen or as JSON."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from portal.exports import export_subject_access
from portal.forms import SubjectLookupForm
from portal.scope import PortalScope
from portal.selectors import subject_access
from portal.views.access import page, portal_view


@require_GET
@portal_view()
def subjects(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    form = SubjectLookupForm(request.GET or None)
    reports = None
    reference = ""
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["reference"].strip()
        reports = subject_access(scope, reference)
    return page(
        request,
        scope,
        "subjects.html",
        {"form": form, "reports": reports, "reference": reference},
        section="subjects",
    )


@require_GET
@portal_view()
def subject_export(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    form = SubjectLookupForm(request.GET or None)
    if not (form.is_bound and form.is_valid()):
        raise Http404("Give a subject reference.")
    reference = form.cleaned_data["reference"].strip()
    reports = subject_access(scope, reference)
    if not reports:
        raise Http404("No subject with that reference in your scope.")
    document = export_subject_access(scope=scope, reference=reference, reports=reports)
    response = HttpResponse(
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False),
        content_type="application/json",
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in reference)[:60]
    response["Content-Disposition"] = f'attachment; filename="subject-access-{safe}.json"'
    return response
