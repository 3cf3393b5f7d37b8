"""Ledger verification status, the public key, and the retention horizon."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from audit.retention import RetentionTooShort, last_pruning, prune_plan
from audit.verification import verify_ledger
from portal.scope import PortalScope
from portal.selectors import ledger_status
from portal.views.access import page, portal_view


@require_http_methods(["GET", "POST"])
@portal_view(platform_wide=True)
def verify(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    report = verify_ledger() if request.method == "POST" else None
    try:
        plan, retention_error = prune_plan(), ""
    except RetentionTooShort as exc:
        plan, retention_error = None, str(exc)
    return page(
        request,
        scope,
        "verify.html",
        {
            "report": report,
            "status": ledger_status(),
            "plan": plan,
            "retention_error": retention_error,
            "last_pruning": last_pruning(),
        },
        section="verify",
    )


@require_GET
@portal_view()
def public_key(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    pem = ledger_status().public_key_pem
    if pem is None:
        raise Http404("The ledger's signing key is not configured yet.")
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="clipguard-ledger-public-key.pem"'
    return response
