from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from portfolio.models import SourceKind
from portfolio.services import CreditItem, credit_record, credit_record_many
from tests.trajectory.factories import (
    catalogue_event,
    catalogue_module,
    catalogue_programme,
    cycle_document,
    cycle_for,
    specialty_pick,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_opening_a_cycle_answers_201_with_the_contract_fields(specialist: Any) -> None:
    document = cycle_document(specialist, issued_on=date(2022, 3, 1))
    response = _client(specialist).post("/api/v1/me/cycles/", {"document": document.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("specialty", "starts_on", "ends_on", "target_zet", "status")} == {
        "specialty": document.specialty.code,
        "starts_on": "2022-03-01",
        "ends_on": "2027-02-28",
        "target_zet": 250,
        "status": "active",
    }


def test_a_newer_document_closes_the_older_cycle_in_the_api(specialist: Any) -> None:
    client = _client(specialist)
    old = client.post("/api/v1/me/cycles/", {"document": cycle_document(specialist).pk}, format="json").json()
    newer = cycle_document(specialist, issued_on=date(2024, 1, 10))
    assert client.post("/api/v1/me/cycles/", {"document": newer.pk}, format="json").status_code == 201
    assert client.get(f"/api/v1/me/cycles/{old['id']}/").json()["status"] == "closed"


def test_a_diploma_is_a_400_on_the_document_field(specialist: Any) -> None:
    document = cycle_document(specialist, kind="diploma")
    response = _client(specialist).post("/api/v1/me/cycles/", {"document": document.pk}, format="json")
    assert response.status_code == 400 and "document" in response.json()


def test_someone_elses_document_is_refused_like_a_missing_one(specialist: Any, other_specialist: Any) -> None:
    document = cycle_document(other_specialist)
    client = _client(specialist)
    theirs = client.post("/api/v1/me/cycles/", {"document": document.pk}, format="json")
    missing = client.post("/api/v1/me/cycles/", {"document": 10**9}, format="json")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_the_cycle_shows_its_progress_by_year_and_kind(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    credit_record(
        owner=specialist,
        element=catalogue_programme(hours=36),
        completed_on=date(2023, 3, 1),
        source_kind=SourceKind.PROGRAM_RESULT,
        source_key="p1",
    )
    credit_record(
        owner=specialist,
        element=catalogue_module(zet=2),
        completed_on=date(2022, 4, 1),
        source_kind=SourceKind.MODULE_COMPLETION,
        source_key="m1",
    )
    progress = _client(specialist).get(f"/api/v1/me/cycles/{cycle.pk}/").json()["progress"]
    assert progress["total_zet"] == 38
    assert progress["by_kind"] == {"program": 36, "event": 0, "module": 2}
    assert [(y["year"], y["zet"], y["target"]) for y in progress["by_year"]] == [
        (1, 2, 50),
        (2, 36, 50),
        (3, 0, 50),
        (4, 0, 50),
        (5, 0, 50),
    ]
    assert progress["by_year"][1]["starts_on"] == "2023-03-01" and progress["by_year"][1]["ends_on"] == "2024-02-29"


def test_the_plan_adds_and_removes_elements(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    event = catalogue_event(zet=3)
    client = _client(specialist)
    url = f"/api/v1/me/cycles/{cycle.pk}/plan/"
    response = client.post(url, {"element_type": "event", "element_id": event.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("element_type", "element_id", "title", "zet", "status")} == {
        "element_type": "event",
        "element_id": event.pk,
        "title": event.title,
        "zet": 3.0,
        "status": "included",
    }
    again = client.post(url, {"element_type": "event", "element_id": event.pk}, format="json")
    assert again.status_code == 409
    assert client.get(url).json()["count"] == 1
    assert client.delete(f"{url}{body['id']}/").status_code == 204
    assert client.get(url).json()["count"] == 0


def test_an_element_of_another_specialty_is_a_400(specialist: Any) -> None:
    cycle = cycle_for(specialist, specialty=specialty_pick(0))
    event = catalogue_event(specialties=[specialty_pick(5)])
    response = _client(specialist).post(
        f"/api/v1/me/cycles/{cycle.pk}/plan/", {"element_type": "event", "element_id": event.pk}, format="json"
    )
    assert response.status_code == 400 and "element_id" in response.json()


def test_a_credited_item_cannot_be_removed(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    module = catalogue_module()
    credit_record(
        owner=specialist,
        element=module,
        completed_on=date(2022, 6, 1),
        source_kind=SourceKind.MODULE_COMPLETION,
        source_key="m",
    )
    client = _client(specialist)
    [item] = client.get(f"/api/v1/me/cycles/{cycle.pk}/plan/").json()["results"]
    assert item["status"] == "credited"
    assert client.delete(f"/api/v1/me/cycles/{cycle.pk}/plan/{item['id']}/").status_code == 409


def test_x2_plan_items_show_every_cycle_they_count_for(specialist: Any) -> None:
    first = cycle_for(specialist, specialty=specialty_pick(0))
    second = cycle_for(specialist, specialty=specialty_pick(1))
    programme = catalogue_programme(specialty=specialty_pick(0), additional=[specialty_pick(1)])
    client = _client(specialist)
    body = client.post(
        f"/api/v1/me/cycles/{first.pk}/plan/", {"element_type": "program", "element_id": programme.pk}, format="json"
    ).json()
    assert body["x2"] is True
    assert sorted(c["cycle"] for c in body["counts_for"]) == sorted([first.pk, second.pk])


def test_the_portfolio_endpoint_lists_the_entries_with_their_sources(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    event = catalogue_event(zet=5, starts_on=date(2022, 10, 3))
    credit_record(
        owner=specialist,
        element=event,
        completed_on=event.ends_on,
        source_kind=SourceKind.EVENT_CODE,
        source_key="event_code:1",
    )
    body = _client(specialist).get(f"/api/v1/me/cycles/{cycle.pk}/portfolio/").json()
    assert body["total_zet"] == 5
    assert body["by_kind"]["event"] == 5
    [entry] = body["entries"]
    assert {k: entry[k] for k in ("element_type", "title", "zet", "completed_on", "cycle_year", "source")} == {
        "element_type": "event",
        "title": event.title,
        "zet": 5.0,
        "completed_on": "2022-10-03",
        "cycle_year": 1,
        "source": "event_code",
    }
    assert body["minimum"]["required_hours"] == 144 and body["minimum"]["required_program_hours"] == 72


@pytest.mark.parametrize("entries", [1, 20])
def test_the_portfolio_endpoint_runs_a_fixed_number_of_queries(
    entries: int, specialist: Any, django_assert_num_queries: Any
) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    module = catalogue_module(zet=1)
    credit_record_many(
        items=[
            CreditItem(
                owner_id=specialist.pk,
                element=module,
                completed_on=date(2022, 4, 1),
                source_kind=SourceKind.MODULE_COMPLETION,
                source_key=f"m:{n}",
            )
            for n in range(entries)
        ]
    )
    client = _client(specialist)
    client.get(f"/api/v1/me/cycles/{cycle.pk}/portfolio/")  # warm the rule-set cache
    with django_assert_num_queries(2):  # the cycle, the entries
        response = client.get(f"/api/v1/me/cycles/{cycle.pk}/portfolio/")
    assert len(response.json()["entries"]) == entries


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_cycles_list_runs_a_fixed_number_of_queries(
    cycles: int, specialist: Any, django_assert_num_queries: Any
) -> None:
    for n in range(cycles):
        cycle_for(specialist, specialty=specialty_pick(n))
    client = _client(specialist)
    client.get("/api/v1/me/cycles/")
    with django_assert_num_queries(3):  # count, the page, the progress aggregate
        assert client.get("/api/v1/me/cycles/").json()["count"] == cycles


def test_another_specialist_gets_404_on_every_cycle_endpoint(specialist: Any, other_specialist: Any) -> None:
    cycle = cycle_for(specialist)
    event = catalogue_event()
    mine = _client(specialist)
    item = mine.post(
        f"/api/v1/me/cycles/{cycle.pk}/plan/", {"element_type": "event", "element_id": event.pk}, format="json"
    ).json()
    pdf = mine.post(f"/api/v1/me/cycles/{cycle.pk}/portfolio/pdf/").json()
    theirs = _client(other_specialist)
    for method, url in [
        ("get", f"/api/v1/me/cycles/{cycle.pk}/"),
        ("get", f"/api/v1/me/cycles/{cycle.pk}/plan/"),
        ("post", f"/api/v1/me/cycles/{cycle.pk}/plan/"),
        ("get", f"/api/v1/me/cycles/{cycle.pk}/plan/{item['id']}/"),
        ("delete", f"/api/v1/me/cycles/{cycle.pk}/plan/{item['id']}/"),
        ("get", f"/api/v1/me/cycles/{cycle.pk}/portfolio/"),
        ("post", f"/api/v1/me/cycles/{cycle.pk}/portfolio/pdf/"),
        ("get", f"/api/v1/me/portfolio-pdfs/{pdf['id']}/"),
        ("get", f"/api/v1/me/portfolio-pdfs/{pdf['id']}/file/"),
    ]:
        response = getattr(theirs, method)(url, {"element_type": "event", "element_id": event.pk}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert getattr(APIClient(), method)(url).status_code in (401, 403), url
    assert theirs.get("/api/v1/me/cycles/").json()["count"] == 0


def test_the_cabinet_is_for_specialists(secretary: Any) -> None:
    client = _client(secretary)
    assert client.get("/api/v1/me/cycles/").status_code == 403
    assert client.post("/api/v1/me/code-activations/", {"code": "AAAA"}, format="json").status_code == 403
    browser = __import__("django.test", fromlist=["Client"]).Client()
    browser.force_login(secretary)
    assert browser.get("/cycles/").status_code == 403
    assert APIClient().get("/api/v1/me/cycles/").status_code == 401


def test_an_id_that_is_not_a_number_is_a_json_404(specialist: Any) -> None:
    response = _client(specialist).get("/api/v1/me/cycles/-863/plan/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_the_forecast_extrapolates_the_pace_and_says_what_is_needed(specialist: Any) -> None:
    from portfolio.selectors import portfolio_of

    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    credit_record(
        owner=specialist,
        element=catalogue_programme(hours=144),
        completed_on=date(2022, 6, 1),
        source_kind=SourceKind.PROGRAM_RESULT,
        source_key="p",
    )
    # 144 ZET in the first 366 days: the missing 106 take 270 more days at that pace
    forecast = portfolio_of(cycle=cycle, today=date(2023, 3, 1)).forecast
    assert forecast.reach_on == date(2023, 11, 26) and forecast.in_time
    assert forecast.missing_program_hours == 0 and forecast.missing_zet == 106
    slow = portfolio_of(cycle=cycle, today=date(2026, 12, 1)).forecast
    assert not slow.in_time and slow.has_pace and slow.needed_per_month > 0
