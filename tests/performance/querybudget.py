"""Query budgets (issue 8, item 3): a list page or endpoint runs the same number of queries for 1
row as for 20, and no more than the budget.

    from tests.performance.querybudget import assert_queries_constant

    def test_the_application_list_does_not_grow_with_its_rows(client, provider_staff):
        client.force_login(provider_staff)
        cycle = ProgramCycleFactory(program__organization=provider_staff_org)
        assert_queries_constant(
            client,
            lambda: f"/api/v1/provider/cycles/{cycle.pk}/applications/",
            lambda n: ApplicationFactory.create_batch(n, cycle=cycle),
            listed=lambda response: len(response.json()["results"]),
        )

``build_rows(n)`` adds n rows that the page lists; it is called with ``small`` and then with
``large - small`` more. The cache is cleared before each measured request (a cached list would
hide its queries), after one warm-up request that fills Django's own per-process caches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.test import Client

from nmo_portal.lib.querycount import QueryCounter

QUERY_BUDGET = 12  # the target per key page


def _measure(client: Client, url: str, expect: int) -> tuple[QueryCounter, Any]:
    cache.clear()
    with QueryCounter() as counted:
        response = client.get(url)
    assert response.status_code == expect, f"GET {url} answered {response.status_code}, expected {expect}"
    return counted, response


def _describe(counted: QueryCounter) -> str:
    repeated = counted.repeated()
    if repeated:
        return "repeated statements (N+1 suspects):\n" + "\n".join(f"  {n} x {sql[:300]}" for sql, n in repeated)
    return "statements:\n" + "\n".join(f"  {sql[:300]}" for sql in counted.statements)


def assert_queries_constant(
    client: Client,
    url_factory: Callable[[], str],
    build_rows: Callable[[int], Any],
    *,
    small: int = 1,
    large: int = 20,
    budget: int = QUERY_BUDGET,
    expect: int = 200,
    listed: Callable[[Any], int] | None = None,
) -> tuple[int, int]:
    """Fail when the page's query count differs between ``small`` and ``large`` rows or exceeds
    ``budget``. ``listed(response)`` (optional) says how many rows the page showed, so that a
    test cannot pass by measuring an empty page. Returns the two counts."""
    build_rows(small)
    client.get(url_factory())  # warm-up: per-process caches (content types, site, ...)
    few, response = _measure(client, url_factory(), expect)
    if listed is not None:
        assert listed(response) == small, f"the page listed {listed(response)} rows, expected {small}"
    build_rows(large - small)
    many, response = _measure(client, url_factory(), expect)
    if listed is not None:
        assert listed(response) == large, f"the page listed {listed(response)} rows, expected {large}"
    assert many.count == few.count, (
        f"{few.count} queries for {small} row(s) but {many.count} for {large}: the page runs queries per row.\n"
        + _describe(many)
    )
    assert many.count <= budget, f"{many.count} queries, over the budget of {budget}.\n" + _describe(many)
    return few.count, many.count
