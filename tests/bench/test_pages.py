"""Every page registered for ``make bench`` answers as registered, for its persona, on seeded
data, within the query budget: a registration that breaks fails here, in ``make test``, not in
the middle of a bench run. (That the count does not grow with rows is each app's own test, with
``tests.performance.querybudget.assert_queries_constant``.)"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from bench.pages import BASELINE, PAGES, PERSONAS, Page, PageContext
from nmo_portal.lib.querycount import QueryCounter
from tests.performance.querybudget import QUERY_BUDGET

SEEDED = 5


@pytest.fixture
def seeded(db: None) -> None:
    call_command("seed_demo", scale=SEEDED, quiet_logins=True, stdout=StringIO())


@pytest.mark.parametrize("page", [BASELINE, *PAGES], ids=lambda page: page.name)
def test_a_registered_page_answers_for_its_persona(seeded: None, page: Page) -> None:
    user = PERSONAS[page.persona]()
    client = Client()
    if user is not None:
        client.force_login(user)
    url = page.build_url(PageContext(page.persona, user))

    def send() -> Any:
        if page.method == "GET":
            return client.get(url, headers=page.headers)
        return client.generic(page.method, url, data=json.dumps(page.data or {}), content_type="application/json")

    if page.method == "GET":
        send()  # warm-up: Django's per-process caches
        # Steady state, as the bench counts it: the portal's caches filled. The budget.
        with QueryCounter() as warm:
            send()
        assert warm.count <= QUERY_BUDGET, f"{page.name}: {warm.count} queries, budget {QUERY_BUDGET}"
        cache.clear()
    # The first request after a change (or a cold Redis) also fills the caches it reads: reference
    # lists, the catalogue's organisations and facet counts, at most CACHE_FILLS queries more.
    with QueryCounter() as counted:
        response = send()
    assert response.status_code == page.expect, f"{page.name}: {url} answered {response.status_code}"
    budget = QUERY_BUDGET + CACHE_FILLS
    assert counted.count <= budget, f"{page.name}: {counted.count} queries with cold caches, budget {budget}"


CACHE_FILLS = 4  # the catalogue page of a logged-in viewer: specialties, regions, organisations, facets


def test_page_names_are_unique() -> None:
    names = [page.name for page in [BASELINE, *PAGES]]
    assert len(names) == len(set(names))


@pytest.mark.django_db
def test_the_baseline_is_tiny_and_runs_no_query(client: Client) -> None:
    with QueryCounter() as counted:
        response = client.get("/_baseline")
    assert response.status_code == 200
    assert response.content == b"ok, anonymous"
    assert counted.count == 0


def test_the_logged_in_baseline_pays_only_the_session_and_the_user(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    with QueryCounter() as counted:
        response = client.get("/_baseline")
    assert response.content == b"ok"
    assert counted.count == 2
