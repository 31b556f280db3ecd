from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from nmo_portal.lib.querycount import QueryCounter, normalize_sql
from reference.models import EducationLevel, Region, Specialty
from tests.performance.querybudget import assert_queries_constant


def _rows(response: Any) -> int:
    return len(response.json()["results"])


def _adding(make: Callable[[int], Any]) -> Callable[[int], None]:
    made = 0

    def build(n: int) -> None:
        nonlocal made
        for _ in range(n):
            make(made)
            made += 1

    return build


@pytest.mark.django_db
def test_the_regions_endpoint_runs_the_same_queries_for_1_and_20_regions(client: Client) -> None:
    Region.objects.all().delete()
    build = _adding(lambda i: Region.objects.create(code=f"{i:02d}", name=f"Регион {i}"))
    few, many = assert_queries_constant(client, lambda: "/api/v1/reference/regions/", build, listed=_rows)
    assert few == many == 1


@pytest.mark.django_db
def test_the_specialties_endpoint_runs_the_same_queries_for_1_and_20_specialties(client: Client) -> None:
    Specialty.objects.filter(education_level=EducationLevel.SECONDARY).delete()
    build = _adding(
        lambda i: Specialty.objects.create(
            education_level=EducationLevel.SECONDARY, code=f"bench-{i}", name=f"Специальность {i}", source="тест"
        )
    )
    assert_queries_constant(
        client, lambda: "/api/v1/reference/specialties/?education_level=secondary", build, listed=_rows
    )


@pytest.mark.django_db
def test_a_page_that_queries_per_row_is_caught(client: Client) -> None:
    Region.objects.all().delete()
    build = _adding(lambda i: Region.objects.create(code=f"{i:02d}", name=f"Регион {i}"))
    original = Client.get

    def get_with_n_plus_one(self: Client, path: str, *args: Any, **kwargs: Any) -> Any:
        for region in Region.objects.all():  # one query per row, as a careless template would
            Region.objects.get(pk=region.pk)
        return original(self, path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "get", get_with_n_plus_one)
        with pytest.raises(AssertionError, match="runs queries per row"):
            assert_queries_constant(client, lambda: "/api/v1/reference/regions/", build)


@pytest.mark.django_db
def test_repeated_statements_are_named_as_n_plus_one_suspects() -> None:
    with QueryCounter() as counted:
        for pk in Region.objects.values_list("pk", flat=True)[:2]:
            Region.objects.filter(pk=pk).exists()
    assert counted.count == 3
    [(shape, times)] = counted.repeated()
    assert times == 2 and "?" in shape


def test_literals_and_in_lists_are_folded() -> None:
    assert normalize_sql("SELECT 1 FROM t WHERE a = 'x''y' AND b IN (%s, %s)") == normalize_sql(
        "SELECT 2 FROM t WHERE a = 'z' AND b IN (%s)"
    )
