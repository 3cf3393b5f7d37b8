"""The approval queue, and approving or rejecting a waiting job (compliance officers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from governance.services import approval_decide
from portal.forms import ApprovalDecisionForm
from portal.scope import PortalScope
from portal.selectors import approval_queue, pending_job
from portal.views.access import forbidden, page, portal_view


@require_GET
@portal_view()
def approvals(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    return page(
        request,
        scope,
        "approvals.html",
        {"queue": approval_queue(scope), "form": ApprovalDecisionForm()},
        section="approvals",
    )


def _validation_text(error: ValidationError) -> str:
    return "; ".join(str(message) for message in error.messages)


@require_POST
@portal_view()
def decide(request: HttpRequest, scope: PortalScope, job_id: str) -> HttpResponse:
    if not scope.can_decide_approvals:
        return forbidden(request, "Only compliance officers approve or reject jobs.")
    job = pending_job(scope, job_id)
    if job is None:
        raise Http404("No job waiting for approval with that id.")
    form = ApprovalDecisionForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Job {job.pk} not decided: {errors}")
        return redirect("portal:approvals")
    try:
        approval_decide(
            actor=scope.user, job=job, approve=form.approve, reason=form.cleaned_data["reason"]
        )
    except PermissionDenied:
        return forbidden(request, "Only compliance officers approve or reject jobs.")
    except ValidationError as exc:
        messages.error(request, f"Job {job.pk} not decided: {_validation_text(exc)}")
        return redirect("portal:approvals")
    verb = "approved" if form.approve else "rejected"
    messages.success(request, f"Job {job.pk} {verb}; the decision is recorded in the ledger.")
    return redirect("portal:approvals")
