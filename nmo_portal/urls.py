"""URL configuration. Each app exposes ``urlpatterns`` (pages, namespaced by app) and, when it has
an API, ``api_urlpatterns`` mounted under /api/v1/."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import password_reset
from nmo_portal import views
from nmo_portal.lib.routing import mounted

PROJECT_APPS = ["reference", "accounts", "providers", "trajectory", "portfolio", "enrolment", "accreditation"]


def _app_urls(app: str) -> tuple[list[Any], list[Any]]:
    if find_spec(f"{app}.urls") is None:
        return [], []
    module = import_module(f"{app}.urls")
    return list(getattr(module, "urlpatterns", [])), list(getattr(module, "api_urlpatterns", []))


# Each app's patterns mounted as a group that a path for another app skips at once (lib.routing).
api_patterns: list[URLPattern | URLResolver] = []
page_patterns: list[URLPattern | URLResolver] = []
for _app in PROJECT_APPS:
    _pages, _api = _app_urls(_app)
    if _api:
        api_patterns.append(mounted(_api))
    if _pages:
        page_patterns.append(mounted(_pages, _app))

# Swagger UI comes from its CDN and carries a small inline <style>; the split view serves its
# start-up script from our origin, so only this page's policy is widened, and not for scripts.
_SWAGGER_CDN = "https://cdn.jsdelivr.net"
_api_docs = csp_update(
    {"script-src": [_SWAGGER_CDN], "style-src": [_SWAGGER_CDN, "'unsafe-inline'"], "img-src": [_SWAGGER_CDN]}
)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("a11y/", views.a11y_toggle, name="a11y-toggle"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_search_page, name="audit-search"),
    path("me/export/", views.my_data_export, name="my-data-export"),
    path("_baseline", views.baseline, name="baseline"),
    path("admin/", admin.site.urls),
    # Recovery is allauth's page behind a rate (issue 9, item 5); the rest of allauth as it is.
    path("auth/password/reset/", password_reset, name="account_reset_password"),
    path("auth/", include("allauth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", _api_docs, name="api-docs"),
    path("api/v1/me/export/", views.MyDataExportApi.as_view(), name="api-my-data-export"),
    path("api/v1/", include(api_patterns)),
    *page_patterns,
]

handler404 = "nmo_portal.views.not_found"
