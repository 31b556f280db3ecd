"""django-axes glue: one username per person whatever the spelling, and a Russian lockout answer.

Axes counts failures per login and per address (``AXES_LOCKOUT_PARAMETERS``). A SNILS typed as
``112-233-445 95`` and as ``11223344595`` is the same login, so the username axes sees is the
normalised SNILS or the lower-cased e-mail; otherwise changing the spelling would reset the count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.snils import looks_like_snils, normalize_snils


def login_key(login: str | None) -> str:
    """The canonical form of a login: 11 SNILS digits or the lower-cased e-mail."""
    login = (login or "").strip()
    if looks_like_snils(login):
        try:
            return normalize_snils(login)
        except ValidationError:
            return login
    return login.lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """``AXES_USERNAME_CALLABLE``."""
    raw = None
    if credentials:
        raw = credentials.get("login") or credentials.get("username") or credentials.get("email")
    if raw is None:
        raw = request.POST.get("login")
    return login_key(str(raw) if raw is not None else "")


def lockout_ends_at(request: HttpRequest, credentials: dict[str, Any] | None = None) -> datetime:
    """When the lockout that hit this request ends: the last recorded failure plus the cool-off."""
    cool_off = get_cool_off(request) or timedelta(minutes=15)
    username = axes_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    latest = (
        AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=ip_address))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    now = timezone.now()
    return (latest or now) + cool_off


def minutes_ru(n: int) -> str:
    """``1 минуту``, ``2 минуты``, ``5 минут``, ``21 минуту``: Russian plural forms."""
    if n % 10 == 1 and n % 100 != 11:
        word = _("минуту")
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = _("минуты")
    else:
        word = _("минут")
    return f"{n} {word}"


def lockout_message(ends_at: datetime, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    minutes = max(1, math.ceil((ends_at - now).total_seconds() / 60))
    local = timezone.localtime(ends_at)
    return _(
        "Слишком много неудачных попыток входа. Вход временно заблокирован: попробуйте снова после "
        "%(time)s (через %(minutes)s). Если вы забыли пароль, восстановите его по СНИЛС."
    ) % {
        "time": date_format(local, "H:i"),
        "minutes": minutes_ru(minutes),
    }


def lockout_state(request: HttpRequest, credentials: dict[str, Any] | None = None) -> tuple[str, int, datetime]:
    """The Russian message, the seconds to wait (``Retry-After``) and when the lockout ends."""
    ends_at = lockout_ends_at(request, credentials)
    now = timezone.now()
    retry_after = max(1, math.ceil((ends_at - now).total_seconds()))
    return lockout_message(ends_at, now=now), retry_after, ends_at


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 with ``Retry-After``; JSON for the API, a page otherwise."""
    message, retry_after, ends_at = lockout_state(request, credentials)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "retry_after": retry_after}, status=429)
    else:
        response = render(
            request,
            "account/lockout.html",
            {"lockout_message": message, "lockout_ends_at": ends_at},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response
