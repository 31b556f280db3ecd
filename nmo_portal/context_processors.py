from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nmo_portal.lib.navigation import navigation_for

A11Y_COOKIE = "nmo_a11y"


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "a11y": request.COOKIES.get(A11Y_COOKIE) == "1",
        "nav_items": navigation_for(user, getattr(request, "path", "/")),
        "portal_environment": settings.ENVIRONMENT,
    }
