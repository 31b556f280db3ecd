"""Mounting an app's URL patterns so that a request for another app's page does not try them all.

Django resolves a path by trying every pattern in order. The portal mounts each app's pages at the
root (``path("", include((patterns, app)))``) and every app's API under ``/api/v1/``, so a request
for the provider's application list tried some 120 patterns of the apps before it, one regular
expression and a few calls each: 455 Python calls, more than the page's own view.

``mounted(patterns, app)`` is that include, which first asks whether the path starts with the literal
part of any of its patterns (one ``str.startswith`` with a tuple, in C) and says "no match" at once
when it does not. A route's match always begins with its literal part (the text before its first
``<converter>``), so nothing resolves differently; ``reverse()`` does not resolve and is untouched.
A pattern with no literal start (a bare converter, a regular expression) turns the check off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import URLPattern, URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import ResolverMatch, RoutePattern


def _literal_start(pattern: URLPattern | URLResolver) -> str:
    """The text every path this pattern matches begins with ("" when nothing is certain)."""
    if not isinstance(pattern.pattern, RoutePattern):
        return ""
    return str(pattern.pattern).split("<", 1)[0]


class MountedPatterns(URLResolver):
    """``path("", include((patterns, app_name)))`` that skips a path none of its patterns begins."""

    def __init__(self, patterns: Sequence[URLPattern | URLResolver], app_name: str | None = None) -> None:
        super().__init__(RoutePattern("", is_endpoint=False), list(patterns), app_name=app_name, namespace=app_name)
        starts = tuple(_literal_start(pattern) for pattern in patterns)
        # None: some pattern may match any path, so every path is tried as Django would
        self.starts: tuple[str, ...] | None = starts if starts and all(starts) else None

    def resolve(self, path: Any) -> ResolverMatch:
        if self.starts is not None and not str(path).startswith(self.starts):
            # no "tried": the 404 page of DEBUG lists the group as one pattern, not each of its own
            raise Resolver404({"path": path})
        return super().resolve(path)


def mounted(patterns: Sequence[URLPattern | URLResolver], app_name: str | None = None) -> MountedPatterns:
    """An app's patterns, mounted at the root of where they are listed, namespaced by ``app_name``."""
    return MountedPatterns(patterns, app_name)
