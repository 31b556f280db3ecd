"""API answers kept as their JSON (nmo_portal.lib.rendered): written as they are, alone or inside a
page's wrapper, byte for byte what DRF would have rendered from the data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework import renderers

from nmo_portal.lib.rendered import JSONRenderer, RawJSON
from portfolio.models import SourceKind
from portfolio.services import CreditItem, credit_record_many
from tests.trajectory.factories import catalogue_module, cycle_for

ROWS = [
    {"id": 1, "title": "Кардиология сегодня", "zet": Decimal("36.50"), "on": date(2026, 11, 24)},
    {"id": 2, "title": 'Кавычки " и \\ и \u2028', "zet": Decimal(18), "on": None},
]


def _drf(data: Any, accepted: str | None = None) -> bytes:
    rendered: bytes = renderers.JSONRenderer().render(data, accepted)
    return rendered


def test_a_kept_answer_is_what_drf_renders_from_its_data() -> None:
    page = {"count": 2, "next": "http://testserver/api/v1/x/?page=2", "previous": None, "results": ROWS}
    kept = {**page, "results": RawJSON.of(ROWS)}
    assert JSONRenderer().render(kept) == _drf(page)
    assert JSONRenderer().render(RawJSON.of(page)) == _drf(page)
    assert JSONRenderer().render(page) == _drf(page)  # plain data: DRF's own path
    assert RawJSON.of(ROWS).data == json.loads(_drf(ROWS))


def test_several_kept_values_and_look_alike_strings_stay_in_place() -> None:
    lookalike = "\ue000raw-0\ue001"  # what stands in for a kept value while the rest is encoded
    answer = {"first": RawJSON.of([1]), "text": lookalike, "second": RawJSON.of({"a": "б"})}
    assert json.loads(JSONRenderer().render(answer)) == {"first": [1], "text": lookalike, "second": {"a": "б"}}


def test_an_indented_answer_is_the_same_json() -> None:
    page = {"count": 2, "results": ROWS}
    indented = JSONRenderer().render({**page, "results": RawJSON.of(ROWS)}, "application/json; indent=4")
    assert json.loads(indented) == json.loads(_drf(page))


def test_it_survives_the_cache() -> None:
    from django.core.cache import cache

    kept = RawJSON.of(ROWS)
    cache.set("test:rendered", kept, 30)
    assert cache.get("test:rendered") == kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "shows"),
    [("/api/v1/me/cycles/{pk}/portfolio/", "Модуль «Аритмии»"), ("/api/v1/me/cycles/{pk}/", '"module":2.5')],
)
def test_a_served_answer_is_byte_for_byte_the_answer_drawn_anew(specialist: Any, path: str, shows: str) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    credit_record_many(
        items=[
            CreditItem(
                owner_id=specialist.pk,
                element=catalogue_module(zet=Decimal("2.5"), title="Модуль «Аритмии»"),
                completed_on=date(2022, 4, 1),
                source_kind=SourceKind.MODULE_COMPLETION,
                source_key="m:1",
            )
        ]
    )
    browser = Client()
    browser.force_login(specialist)
    url = path.format(pk=cycle.pk)
    with override_settings(FRAGMENT_CACHE=False):
        drawn = browser.get(url).content
    made, served = browser.get(url).content, browser.get(url).content
    assert served == made == drawn
    assert shows in served.decode()
