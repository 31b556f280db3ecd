"""Every URL of the project against every persona: the table in ``tests/<app>/access.py`` is the
spec (see ``tests/access.py`` for the recipe). A URL pattern without a row fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from tests.access import PERSONAS, Row, World, all_routes, build_world, collect_rows, statuses, uncovered_routes

ROWS = collect_rows()


def test_every_url_pattern_has_a_row_or_a_stated_exemption() -> None:
    missing = uncovered_routes(ROWS)
    assert not missing, "URL patterns with no row in any tests/<app>/access.py:\n  " + "\n  ".join(missing)


@pytest.mark.urls("tests.security.urls_with_a_new_endpoint")
def test_a_new_endpoint_without_a_row_is_reported() -> None:
    assert uncovered_routes(ROWS) == ["new-endpoint  ->  /api/v1/new/", "(unnamed: give it a name)  ->  /unnamed/"]


def test_a_row_must_name_every_persona() -> None:
    with pytest.raises(ValueError, match="missing"):
        Row("home", {"anonymous": 200})
    with pytest.raises(ValueError, match="unknown personas"):
        statuses(200, stranger=404)


def test_every_row_names_a_real_route() -> None:
    names = {route.name for route in all_routes()}
    stale = sorted({row.route for row in ROWS} - names)
    assert not stale, f"rows name routes that do not exist: {stale}"


def _url(row: Row, world: World) -> str:
    if row.url is None:
        return reverse(row.route)
    return row.url(world) if callable(row.url) else row.url


def _request(client: Client, row: Row, world: World, persona: str) -> int:
    url = _url(row, world)
    data = row.data(world) if callable(row.data) else row.data
    is_api = url.startswith("/api/")
    headers: dict[str, Any] = {}
    if persona != "anonymous":
        if is_api:
            headers["HTTP_AUTHORIZATION"] = f"Token {world.tokens[persona]}"
        else:
            client.force_login(world.users[persona])
    content_type = row.content_type or ("application/json" if is_api else None)
    method = getattr(client, row.method.lower())
    kwargs: dict[str, Any] = dict(headers)
    if row.method in {"GET", "HEAD", "OPTIONS", "DELETE"}:
        if data is not None:
            kwargs["data"] = data
    else:
        kwargs["data"] = data if data is not None else ({} if content_type is None else "")
        if content_type:
            kwargs["content_type"] = content_type
    response = method(url, **kwargs)
    return int(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_access(row: Row) -> None:
    world = build_world()
    url = _url(row, world)
    assert resolve(url.split("?")[0]).view_name == row.route, f"{url} does not resolve to {row.route}"
    got: dict[str, int] = {}
    for persona in PERSONAS:
        cache.clear()
        with transaction.atomic():
            got[persona] = _request(Client(), row, world, persona)
            transaction.set_rollback(True)
    wrong = [f"{p:<17} expected {row.expect[p]}, got {got[p]}" for p in PERSONAS if got[p] != row.expect[p]]
    assert not wrong, f"{row.method} {url}:\n  " + "\n  ".join(wrong)
