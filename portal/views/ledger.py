"""Ledger search (keyset pages), one record, its inclusion proof, and the exports."""

from __future__ import annotations

import json

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from audit.selectors import RecordNotSealed, record_inclusion_proof
from audit.signing import SigningKeyError
from portal.exports import EvidencePackTooLarge, build_evidence_pack, export_ledger
from portal.forms import LedgerFilterForm
from portal.scope import PortalScope
from portal.selectors import PAGE_SIZE, LedgerFilters, ledger_page, record_detail
from portal.views.access import page, portal_view


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _filters(request: HttpRequest, scope: PortalScope) -> tuple[LedgerFilterForm, LedgerFilters]:
    form = LedgerFilterForm(request.GET or None, scope=scope)
    if form.is_bound and form.is_valid():
        return form, form.filters()
    return form, LedgerFilters()


def _query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("before", "after"):
        query.pop(name, None)
    return query.urlencode()


@require_GET
@portal_view()
def ledger_search(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    form, filters = _filters(request, scope)
    result = ledger_page(
        scope,
        filters,
        before=_int_param(request, "before"),
        after=_int_param(request, "after"),
        limit=_int_param(request, "limit") or PAGE_SIZE,
    )
    return page(
        request,
        scope,
        "ledger.html",
        {
            "form": form,
            "filters": filters,
            "page": result,
            "query": _query_without_cursor(request),
            "is_first_page": "before" not in request.GET and "after" not in request.GET,
        },
        section="ledger",
    )


@require_GET
@portal_view()
def record(request: HttpRequest, scope: PortalScope, record_id: int) -> HttpResponse:
    view = record_detail(scope, record_id)
    if view is None:
        raise Http404("No such record in your scope.")
    details = json.dumps(view.row.record.details, indent=2, sort_keys=True, ensure_ascii=False)
    return page(
        request,
        scope,
        "record.html",
        {"view": view, "row": view.row, "record": view.row.record, "details_json": details},
        section="ledger",
    )


@require_GET
@portal_view()
def record_proof(request: HttpRequest, scope: PortalScope, record_id: int) -> HttpResponse:
    if record_detail(scope, record_id) is None:
        raise Http404("No such record in your scope.")
    try:
        proof = record_inclusion_proof(record_id)
    except RecordNotSealed as exc:
        raise Http404(str(exc)) from exc
    response = JsonResponse(proof, json_dumps_params={"indent": 2, "sort_keys": True})
    response["Content-Disposition"] = f'attachment; filename="proof-record-{record_id}.json"'
    return response


def _stream(request: HttpRequest, scope: PortalScope, export_format: str) -> HttpResponseBase:
    _form, filters = _filters(request, scope)
    export = export_ledger(scope=scope, filters=filters, export_format=export_format)
    content_type = "text/csv; charset=utf-8" if export_format == "csv" else "application/jsonl"
    response = StreamingHttpResponse(export.lines, content_type=content_type)
    name = f"clipguard-ledger-through-{export.through_id or 0}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Export-Record"] = str(export.audit_record.id)
    return response


@require_GET
@portal_view()
def export_csv(request: HttpRequest, scope: PortalScope) -> HttpResponseBase:
    return _stream(request, scope, "csv")


@require_GET
@portal_view()
def export_jsonl(request: HttpRequest, scope: PortalScope) -> HttpResponseBase:
    return _stream(request, scope, "jsonl")


@require_GET
@portal_view()
def evidence_pack(request: HttpRequest, scope: PortalScope) -> HttpResponse:
    _form, filters = _filters(request, scope)
    try:
        pack = build_evidence_pack(scope=scope, filters=filters)
    except (EvidencePackTooLarge, SigningKeyError) as exc:
        return page(
            request,
            scope,
            "export_error.html",
            {"message": str(exc), "query": _query_without_cursor(request)},
            section="ledger",
            status=409 if isinstance(exc, EvidencePackTooLarge) else 503,
        )
    response = HttpResponse(pack.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    response["X-Export-Record"] = str(pack.audit_record.id)
    return response
