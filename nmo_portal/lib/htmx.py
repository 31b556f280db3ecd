"""Requests sent by htmx."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (its ``HX-Request`` header). Read from ``META``: the first use
    of ``request.headers`` builds a dict of every header, some 60 calls on each page that asks."""
    return bool(request.META.get("HTTP_HX_REQUEST"))
