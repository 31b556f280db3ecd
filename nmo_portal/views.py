"""Project-wide pages: home, the visually impaired switch, the health check, the benchmark baseline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from nmo_portal.context_processors import A11Y_COOKIE
from nmo_portal.lib.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


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


@require_GET
def baseline(request: HttpRequest) -> HttpResponse:
    """The smallest page: no template, no query of its own, the full middleware stack. It asks who
    is logged in, as every real page's header does, so a logged-in request pays its session here
    too. ``make bench`` measures every key page beside it, in the same run, as a ratio."""
    known = request.user.is_authenticated
    return HttpResponse(b"ok" if known else b"ok, anonymous", content_type="text/plain")
