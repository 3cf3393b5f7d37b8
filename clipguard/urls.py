"""URL map: the portal (the root redirects to it), the Django admin, the internal REST API
under /api/v1/, and its schema."""

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView


def healthz(_request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("portal/", include("portal.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("clipguard.api_urls")),
]
