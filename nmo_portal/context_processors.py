from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix

from nmo_portal.lib.navigation import navigation_for

A11Y_COOKIE = "nmo_a11y"


@dataclass(frozen=True)
class Viewer:
    """What the layout shows of whoever asks: whether he is signed in, and his name."""

    is_authenticated: bool
    label: str

    def __str__(self) -> str:
        return self.label


def layout(request: HttpRequest) -> dict[str, Any]:
    """Everything ``base.html`` and its page templates read of the request, as plain values: a page
    memoized by ``nmo_portal.lib.fragments.render_page`` is drawn from these, not from the request."""
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "a11y": request.COOKIES.get(A11Y_COOKIE) == "1",
        "nav_items": navigation_for(user, request.path),
        "portal_environment": settings.ENVIRONMENT,
        "path": request.path,
        "full_path": request.get_full_path(),
        "script_prefix": get_script_prefix(),
        "viewer": Viewer(signed_in, str(user) if signed_in else ""),
    }


def portal(request: HttpRequest) -> dict[str, Any]:
    return layout(request)
