"""Logging in and out of the portal (session authentication, Django's auth views)."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpResponse

from clipguard.accounts.models import User
from portal.forms import LoginForm
from portal.services import portal_login_record


class PortalLoginView(LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = "portal:home"

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        if isinstance(user, User):
            portal_login_record(user=user)
        return response


class PortalLogoutView(LogoutView):
    next_page = "portal:login"
