"""API-key authentication: ``Authorization: Bearer cg_…`` (or ``X-API-Key: cg_…``)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from clipguard.accounts.models import ApiKey, User


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Looks a key up by its prefix, then compares hashes in constant time."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        raw = self._raw_key(request)
        if raw is None:
            return None
        prefix = raw[: ApiKey.PREFIX_LENGTH]
        key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
        if key is None or not key.matches(raw):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        if not key.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    def _raw_key(self, request: Request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            parts = header.split()
            if len(parts) != 2 or parts[0] != self.keyword:
                return None
            return parts[1]
        raw = request.META.get("HTTP_X_API_KEY", "")
        return raw or None
