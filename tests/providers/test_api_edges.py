"""Edges the fuzzer found in the providers API: every answer is the API's JSON, never Django's
HTML 404 or a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import UserFactory
from tests.providers.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Any) -> Any:
    user = UserFactory()
    MembershipFactory(user=user)
    client.force_login(user)
    return client


@pytest.mark.parametrize("pk", ["abc", "-1", "0", "99999999999999999999"])
def test_an_id_that_is_no_valid_number_is_the_apis_json_404(client: Any, staff_client: Any, pk: str) -> None:
    for url in (f"/api/v1/catalog/programs/{pk}/", f"/api/v1/provider/programs/{pk}/"):
        response = staff_client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"


def test_an_organisation_id_beyond_bigint_is_a_400_not_a_crash(client: Any) -> None:
    response = client.get("/api/v1/catalog/events/?organization=99999999999999999999")
    assert response.status_code == 400
    assert "organization" in response.json()


def test_the_codes_endpoint_answers_errors_in_json_even_when_csv_is_asked(client: Any) -> None:
    client.force_login(UserFactory())  # not provider staff
    event = EventFactory()
    response = client.post(f"/api/v1/provider/events/{event.pk}/codes/?format=csv", {"count": 1})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
