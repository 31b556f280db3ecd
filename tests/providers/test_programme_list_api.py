"""The provider's programme list API: each programme with its additional specialties' codes, in the
specialties' own order, and any change to them shown at once, though the answer is memoized (on
PostgreSQL the codes are a value of the row, which its row-version stamp holds)."""

from __future__ import annotations

from typing import Any

import pytest

from providers.models import Programme
from reference.models import Specialty
from tests.providers.factories import ProgrammeFactory, specialty

pytestmark = pytest.mark.django_db

URL = "/api/v1/provider/programs/"


def _codes(client: Any) -> dict[int, list[str]]:
    response = client.get(URL)
    assert response.status_code == 200
    return {row["id"]: row["additional_specialties"] for row in response.json()["results"]}


def test_each_programme_lists_its_additional_specialties_in_their_order(
    client: Any, provider_a: Any, org_a: Any, org_b: Any
) -> None:
    extra = [specialty("25"), specialty("219"), specialty("76")]
    mine = ProgrammeFactory(organisation=org_a, additional_specialties=extra)
    bare = ProgrammeFactory(organisation=org_a)
    ProgrammeFactory(organisation=org_b, additional_specialties=extra)  # another organisation's
    client.force_login(provider_a)
    expected = [s.code for s in mine.additional_specialties.all()]  # Specialty's Meta.ordering
    assert _codes(client) == {mine.pk: expected, bare.pk: []}


def test_a_change_to_the_specialties_is_shown_at_once(client: Any, provider_a: Any, org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a, additional_specialties=[specialty("25")])
    client.force_login(provider_a)
    assert _codes(client) == {programme.pk: ["25"]}
    assert _codes(client) == {programme.pk: ["25"]}  # served again
    Programme.objects.get(pk=programme.pk).additional_specialties.set([specialty("76")])
    assert _codes(client) == {programme.pk: ["76"]}
    Specialty.objects.filter(pk=specialty("76").pk).update(code="76.1")  # a joined row, no signal sent
    assert _codes(client) == {programme.pk: ["76.1"]}
