"""Every API error is JSON with a clear message and the right 4xx; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError as 400 and a JSON 500 without details."""
    if isinstance(exc, ValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response({"error": "invalid", "detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is not None:
        data = response.data
        if isinstance(data, dict) and "detail" in data and len(data) == 1:
            response.data = {"error": _code(exc), "detail": data["detail"]}
        else:
            response.data = {"error": _code(exc), "detail": data}
        return response
    if isinstance(exc, (Http404, PermissionDenied)):
        return None
    if isinstance(exc, IntegrityError):
        return Response(
            {"error": "conflict", "detail": "This conflicts with a record that already exists."},
            status=status.HTTP_409_CONFLICT,
        )
    logger.exception("unhandled API error", exc_info=exc)
    return Response(
        {"error": "server_error", "detail": "An internal error occurred; it has been logged."},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _code(exc: Exception) -> str:
    code = getattr(exc, "default_code", None)
    return str(code) if code else "error"
