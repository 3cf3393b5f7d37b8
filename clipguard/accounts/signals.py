"""Every interactive login is audited, whichever Django view performed it.

Django sends ``user_logged_in`` from :func:`django.contrib.auth.login` (the portal's login
page, the admin's, DRF's browsable-API login when it is routed, and any other view that
logs a user in) and ``user_login_failed`` from :func:`django.contrib.auth.authenticate`.
The receivers only name the channel and call the services; they are connected once, in
:meth:`clipguard.accounts.apps.AccountsConfig.ready`. Requests authenticated with an API
key never call either, and are not logins.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from clipguard.accounts.models import User
from clipguard.accounts.services import LoginChannel, login_failed_record, login_record

# URL namespaces of the login views, and the channel each stands for.
_CHANNELS = {
    "portal": LoginChannel.PORTAL,
    "admin": LoginChannel.ADMIN,
    "rest_framework": LoginChannel.API_SESSION,
}


def login_channel(request: HttpRequest | None) -> str:
    """The channel of a login request: the namespace of the view that handled it."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return LoginChannel.OTHER
    for namespace in match.namespaces:
        if namespace in _CHANNELS:
            return _CHANNELS[namespace]
    return LoginChannel.OTHER


def record_login(
    sender: object, request: HttpRequest | None = None, user: object = None, **_: Any
) -> None:
    if isinstance(user, User):
        login_record(user=user, channel=login_channel(request))


def record_failed_login(
    sender: object,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **_: Any,
) -> None:
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD)
    login_failed_record(
        username=username if isinstance(username, str) else "", channel=login_channel(request)
    )
