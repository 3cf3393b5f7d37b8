"""Login and scope for every portal view: anonymous users go to the login page, users
without any role get a 403 page, everyone else gets a :class:`PortalScope`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from clipguard.accounts.models import User
from portal.scope import PortalScope, scope_for

P = ParamSpec("P")
PortalViewFunc = Callable[Concatenate[HttpRequest, PortalScope, P], HttpResponseBase]


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(
        request,
        "portal/forbidden.html",
        {"message": message or "Your account has no role that shows anything here."},
        status=403,
    )


def portal_view(
    *, platform_wide: bool = False
) -> Callable[[PortalViewFunc[P]], Callable[Concatenate[HttpRequest, P], HttpResponseBase]]:
    """Wrap a view taking ``(request, scope, ...)``.

    ``platform_wide`` views (verification, retention) are for compliance officers and
    platform admins only.
    """

    def decorate(
        view: PortalViewFunc[P],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            user = request.user
            if not isinstance(user, User) or not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("portal:login"))
            scope = scope_for(user)
            if scope is None:
                return forbidden(request)
            if platform_wide and not scope.can_verify:
                return forbidden(
                    request, "This page is for compliance officers and platform admins."
                )
            return view(request, scope, *args, **kwargs)

        return wrapper

    return decorate


def page(
    request: HttpRequest,
    scope: PortalScope,
    template: str,
    context: dict[str, Any],
    *,
    section: str,
    status: int = 200,
) -> HttpResponse:
    """Render a portal page with the scope (for the role-aware navigation)."""
    return render(
        request,
        f"portal/{template}",
        {"scope": scope, "section": section, **context},
        status=status,
    )
