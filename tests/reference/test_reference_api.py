from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_nomenclatures_are_loaded_by_migrate(client: Client) -> None:
    higher = client.get("/api/v1/reference/specialties/?education_level=higher").json()
    secondary = client.get("/api/v1/reference/specialties/?education_level=secondary").json()
    assert higher["count"] == 104
    assert secondary["count"] == 35
    row = higher["results"][0]
    assert set(row) >= {"code", "name", "education_level"}
    assert "700н" in row["legal_act"]


@pytest.mark.django_db
def test_all_89_subjects_of_the_federation_are_listed(client: Client) -> None:
    body = client.get("/api/v1/reference/regions/?page_size=200").json()
    assert body["count"] == 89
    codes = {row["code"] for row in body["results"]}
    assert {"77", "78", "92", "95"} <= codes


@pytest.mark.django_db
def test_an_unknown_education_level_is_a_field_error(client: Client) -> None:
    for _ in range(2):  # the second time too: a refused query is never kept as an answer
        response = client.get("/api/v1/reference/specialties/?education_level=phd")
        assert response.status_code == 400
        assert "education_level" in response.json()


@pytest.mark.django_db
def test_the_lists_are_paginated(client: Client) -> None:
    body = client.get("/api/v1/reference/specialties/?page=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["previous"] is not None


@pytest.mark.django_db
def test_a_cached_list_shows_an_edit_of_the_nomenclature(
    client: Client, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    from reference.models import Region

    url = "/api/v1/reference/regions/?page_size=200"
    client.get(url)
    with django_assert_num_queries(0):
        assert {row["name"] for row in client.get(url).json()["results"]} >= {"Москва"}
    with django_capture_on_commit_callbacks(execute=True):
        moscow = Region.objects.get(code="77")
        moscow.name = "город федерального значения Москва"
        moscow.save()
    assert "город федерального значения Москва" in {row["name"] for row in client.get(url).json()["results"]}
