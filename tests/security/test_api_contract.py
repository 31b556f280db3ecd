"""The API's error answers are strict and documented (the fuzzing test relies on both)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "1.5", "201"])
def test_a_bad_page_size_is_a_400_naming_the_field(client: Client, page_size: str) -> None:
    response = client.get("/api/v1/reference/regions/", {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.django_db
def test_a_good_page_size_is_honoured(client: Client) -> None:
    assert len(client.get("/api/v1/reference/regions/", {"page_size": "5"}).json()["results"]) == 5


@pytest.mark.django_db
def test_every_operation_documents_the_common_errors(client: Client) -> None:
    schema = client.get("/api/schema/?format=json").json()
    regions = schema["paths"]["/api/v1/reference/regions/"]["get"]
    assert {"400", "404", "429"} <= set(regions["responses"])
    assert "401" not in regions["responses"]  # public: no credentials needed
    assert "Retry-After" in regions["responses"]["429"]["headers"]
    page_size = next(p for p in regions["parameters"] if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "Error" in schema["components"]["schemas"]
