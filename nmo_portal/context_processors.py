from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.encoding import escape_uri_path, iri_to_uri

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
        "full_path": full_path(request.path, request.META.get("QUERY_STRING", "")),
        "script_prefix": get_script_prefix(),
        "viewer": Viewer(signed_in, str(user) if signed_in else ""),
    }


@lru_cache(maxsize=1024)
def full_path(path: str, query_string: str) -> str:
    """``request.get_full_path()``, its quoting done once per path and query: a search in Cyrillic
    quotes each of its bytes in Python (some 100 calls for "кардиология")."""
    return escape_uri_path(path) + (f"?{iri_to_uri(query_string)}" if query_string else "")


def portal(request: HttpRequest) -> dict[str, Any]:
    return layout(request)
