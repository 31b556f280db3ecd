"""Project-wide pages: home, the visually impaired switch, the health check, the audit log, the
benchmark baseline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from nmo_portal.context_processors import A11Y_COOKIE
from nmo_portal.lib.audit import audit_search
from nmo_portal.lib.fragments import render_page
from nmo_portal.lib.health import health_report
from nmo_portal.personal_data import personal_data_export


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Drawn once per layout (signed in or not, the name, the menu) and served from the memo."""
    return render_page(request, "home.html", {})


@require_POST
def a11y_toggle(request: HttpRequest) -> HttpResponse:
    """Switch the version for the visually impaired on or off and remember it for a year."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(A11Y_COOKIE) == "1":
        response.delete_cookie(A11Y_COOKIE, samesite="Lax")
    else:
        response.set_cookie(A11Y_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Кто (СНИЛС, e-mail или ФИО)"), required=False, max_length=254)
    action = forms.CharField(label=_("Действие"), required=False, max_length=100)
    target = forms.CharField(label=_("Объект (тип:id)"), required=False, max_length=170)
    date_from = forms.DateField(label=_("С"), required=False)
    date_to = forms.DateField(label=_("По"), required=False)


@login_required
@require_GET
def audit_search_page(request: HttpRequest) -> HttpResponse:
    """The methodologist's search of the audit log; anyone else gets 404 (it is not there)."""
    from accounts.roles import is_methodologist

    if not is_methodologist(request.user):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    paginator = Paginator(audit_search(**filters), 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
def baseline(request: HttpRequest) -> HttpResponse:
    """The smallest page: no template, no query of its own, the full middleware stack. It asks who
    is logged in, as every real page's header does, so a logged-in request pays its session here
    too. ``make bench`` measures every key page beside it, in the same run, as a ratio."""
    known = request.user.is_authenticated
    return HttpResponse(b"ok" if known else b"ok, anonymous", content_type="text/plain")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the shape the client speaks: JSON under /api/ (the API's error body), a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Не найдено."}, status=404)
    return render(request, "404.html", status=404)


def _zip_response(content: bytes, user: Any) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="nmo-my-data-{user.pk}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    """«Скачать мои данные»: the signed-in person's own data, and nobody else's."""
    return _zip_response(personal_data_export(user=request.user, request=request), request.user)


class MyDataExportApi(APIView):
    """GET: a ZIP of everything the portal holds about the caller (``data.json`` and ``pdf/``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request) -> HttpResponse:
        return _zip_response(personal_data_export(user=request.user, request=request._request), request.user)
