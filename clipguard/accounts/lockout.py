"""The lockout of repeated failed password logins (django-axes), keeping as little as it can.

Axes counts failed logins per attempted username and client address, and after
``AXES_FAILURE_LIMIT`` of them refuses that pair (even with the right password) for
``AXES_COOLOFF_TIME``; see the settings and ``docs/operations.md``. What it stores for that
is reduced here:

* the username is stored and compared only as the keyed hash that failed-login ledger
  records carry (:func:`clipguard.accounts.services.username_hmac`): an attempted name is
  personal data, and sometimes a password typed into the wrong field;
* no user agent and no ``Accept`` header is stored (:class:`LockoutHandler`);
* the client address is stored, because the lockout counts by it, and only until the
  attempts expire (they are deleted at the next login or failed login after the cool-off,
  and at once by a successful login of that username from that address).

A locked-out login gets :func:`lockout_response`: HTTP 429 with a page saying when to try
again.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clipguard.accounts.services import username_hmac

LOCKOUT_STATUS = 429
LOCKOUT_TEMPLATE = "portal/locked_out.html"


class LockoutBackend(AxesStandaloneBackend):
    """Axes' checking backend (it authenticates nobody; ``ModelBackend`` after it does).

    A call of ``authenticate()`` without a request (Django's test client ``login()`` makes
    one) has no client address to count an attempt against: it is let through to the
    next backend instead of failing with ``AxesBackendRequestParameterRequired``. The login
    views (the portal's, the admin's) always pass their request, so their logins are
    checked.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, without the user agent and ``Accept`` header of attempts
    (they play no part in a lockout by username and address)."""

    def user_login_failed(
        self,
        sender: object,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return
        request.axes_user_agent = ""  # type: ignore[attr-defined]
        request.axes_http_accept = ""  # type: ignore[attr-defined]
        super().user_login_failed(sender, credentials, request, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The client address the lockout counts by (``AXES_CLIENT_IP_CALLABLE``).

    With ``CLIPGUARD_TRUSTED_PROXIES = 0`` it is the connection's ``REMOTE_ADDR``. With N
    trusted proxies, each appending the address it received the request from to
    ``X-Forwarded-For``, it is the N-th address from the right: the one the outermost
    trusted proxy saw. Addresses further left were written by the client and are never
    trusted. A header with fewer addresses, or one that is no IP address, falls back to
    ``REMOTE_ADDR``.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.CLIPGUARD_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_username(
    request: HttpRequest, credentials: Mapping[str, Any] | None = None
) -> str | None:
    """The name axes counts attempts under (``AXES_USERNAME_CALLABLE``): the keyed hash of
    the attempted username, from the credentials or else from the posted form."""
    field = get_user_model().USERNAME_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not isinstance(username, str) or not username:
        return None
    return username_hmac(username)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``): HTTP 429, a page
    saying how long to wait, and the wait in ``Retry-After``."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    seconds = max(1, math.ceil(cool_off.total_seconds()))
    response = render(
        request,
        LOCKOUT_TEMPLATE,
        {"minutes": math.ceil(seconds / 60), "login_url": request.get_full_path()},
        status=LOCKOUT_STATUS,
    )
    response["Retry-After"] = str(seconds)
    return response
