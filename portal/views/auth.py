"""Logging in and out of the portal (session authentication, Django's auth views).

A login is audited by the ``user_logged_in`` receiver in :mod:`clipguard.accounts.signals`,
as every Django login is; the view records nothing itself, so nothing is recorded twice.
"""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView

from portal.forms import LoginForm


class PortalLoginView(LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = "portal:home"


class PortalLogoutView(LogoutView):
    next_page = "portal:login"
