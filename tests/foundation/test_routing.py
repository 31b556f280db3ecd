"""Mounted app patterns (nmo_portal.lib.routing) resolve every path as Django's plain includes do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from unittest import mock

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from nmo_portal.lib.routing import MountedPatterns, mounted

SAMPLES = {"int": "7", "str": "x", "slug": "x-1", "uuid": "0b5a1c9e-4f6d-4a8e-9b1f-3c2d5e6f7a8b", "path": "a/b"}


def _paths(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    """A path for every route pattern of the project, its converters filled with sample values."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[str(m.group(1) or "str")], str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, route)
        else:
            yield "/" + route


def _resolved(path: str) -> tuple[str, dict[str, object]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, match.kwargs


def _project_paths() -> list[str]:
    paths = [path for path in _paths(get_resolver().url_patterns) if not path.startswith("/admin/")]
    return [*paths, "/nowhere/", "/provider/nowhere/", "/api/v1/nowhere/", "/cycles/x/", "/"]


def test_every_path_of_the_project_resolves_as_without_the_check() -> None:
    paths = _project_paths()
    assert len(paths) > 150
    mounts = [r for r in get_resolver().url_patterns if isinstance(r, MountedPatterns)]
    api = next(r for r in get_resolver().url_patterns if isinstance(r, URLResolver) and str(r.pattern) == "api/v1/")
    mounts += [r for r in api.url_patterns if isinstance(r, MountedPatterns)]
    assert len(mounts) >= 10 and all(mount.starts for mount in mounts)
    checked = {path: _resolved(path) for path in paths}
    with mock.patch.object(MountedPatterns, "resolve", URLResolver.resolve):
        plain = {path: _resolved(path) for path in paths}
    assert checked == plain
    assert checked["/nowhere/"] is None
    assert sum(found is not None for found in checked.values()) > 150


def test_a_path_no_pattern_begins_is_not_tried_pattern_by_pattern() -> None:
    group = mounted([_pattern("provider/cycles/<int:pk>/", "one"), _pattern("catalog/", "two")], "demo")
    assert group.starts == ("provider/cycles/", "catalog/")
    spy = mock.patch.object(RoutePattern, "match", autospec=True, side_effect=RoutePattern.match)
    with spy as matched, pytest.raises(Resolver404):
        group.resolve("cycles/7/")
    assert matched.call_args_list == []
    assert group.resolve("provider/cycles/7/").url_name == "one"


def test_a_pattern_that_may_match_any_path_turns_the_check_off() -> None:
    group = mounted([_pattern("catalog/", "one"), _pattern("<int:pk>/", "two")])
    assert group.starts is None
    assert group.resolve("7/").url_name == "two"


def _pattern(route: str, name: str) -> URLPattern:
    return path(route, lambda request, **kwargs: HttpResponse(), name=name)
