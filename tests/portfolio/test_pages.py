from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from portfolio.models import SourceKind
from portfolio.services import CreditItem, credit_record_many
from tests.trajectory.factories import catalogue_event, catalogue_module, cycle_document, cycle_for, event_code

pytestmark = pytest.mark.django_db


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_cycles_page_opens_a_cycle_from_a_document(specialist: Any) -> None:
    document = cycle_document(specialist, issued_on=date(2022, 3, 1))
    browser = _browser(specialist)
    page = browser.get("/cycles/").content.decode()
    assert "Открыть цикл" in page and document.number in page
    response = browser.post("/cycles/", {"document": document.pk})
    assert response.status_code == 302
    cycle_page = browser.get(response["Location"]).content.decode()
    assert "01.03.2022" in cycle_page and "28.02.2027" in cycle_page


def test_the_plan_page_adds_and_removes_with_htmx(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    event = catalogue_event(title="Вебинар по кардиологии")
    browser = _browser(specialist)
    page = browser.get(f"/cycles/{cycle.pk}/plan/").content.decode()
    assert 'data-testid="plan-empty"' in page and "Вебинар по кардиологии" in page
    partial = browser.post(
        f"/cycles/{cycle.pk}/plan/add/", {"element": f"event:{event.pk}"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in partial and "Вебинар по кардиологии" in partial and "Включён в план" in partial
    item = cycle.plan_items.get()
    partial = browser.post(f"/cycles/{cycle.pk}/plan/{item.pk}/remove/", headers={"HX-Request": "true"}).content
    assert b"plan-empty" in partial


def test_the_plan_shows_why_an_element_cannot_be_added(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    partial = _browser(specialist).post(
        f"/cycles/{cycle.pk}/plan/add/", {"element": "event:999999"}, headers={"HX-Request": "true"}
    )
    assert "Такого опубликованного элемента" in partial.content.decode()


def test_the_code_page_decides_and_explains(specialist: Any, django_capture_on_commit_callbacks: Any) -> None:
    cycle_for(specialist)
    browser = _browser(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/codes/", {"code": "AAAA-BBBB-CCCC"})
    page = browser.get(response["Location"]).content.decode()
    assert "не принят" in page and "Такого кода нет" in page and "Что делать" in page
    raw = event_code(catalogue_event(title="Съезд терапевтов"))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/codes/", {"code": raw}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert 'data-status="pending"' in fragment and "hx-trigger" in fragment
    activation_id = fragment.split('id="activation-')[1].split('"')[0]
    decided = browser.get(f"/codes/{activation_id}/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="accepted"' in decided and "Съезд терапевтов" in decided and "hx-trigger" not in decided


def test_the_code_page_answers_429_when_throttled(specialist: Any, django_capture_on_commit_callbacks: Any) -> None:
    browser = _browser(specialist)
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            browser.post("/codes/", {"code": f"BAD{n:09d}"})
    response = browser.post("/codes/", {"code": "BAD999999999"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Слишком много" in response.content.decode()


@pytest.mark.parametrize("entries", [1, 20])
def test_the_portfolio_page_runs_a_fixed_number_of_queries(
    entries: int, specialist: Any, django_assert_num_queries: Any
) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    module = catalogue_module(zet=3)
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
    browser = _browser(specialist)
    browser.get(f"/cycles/{cycle.pk}/portfolio/")
    # session, the user with his roles (menu), the cycle, the entries
    with django_assert_num_queries(4):
        page = browser.get(f"/cycles/{cycle.pk}/portfolio/").content.decode()
    assert 'data-testid="year-bars"' in page
    assert page.count("<tr") >= entries


def test_every_page_of_a_cycle_is_404_to_another_specialist(specialist: Any, other_specialist: Any) -> None:
    cycle = cycle_for(specialist)
    item_event = catalogue_event()
    browser = _browser(specialist)
    browser.post(f"/cycles/{cycle.pk}/plan/add/", {"element": f"event:{item_event.pk}"})
    item = cycle.plan_items.get()
    stranger = _browser(other_specialist)
    for method, url in [
        ("get", f"/cycles/{cycle.pk}/"),
        ("get", f"/cycles/{cycle.pk}/plan/"),
        ("post", f"/cycles/{cycle.pk}/plan/add/"),
        ("post", f"/cycles/{cycle.pk}/plan/{item.pk}/remove/"),
        ("get", f"/cycles/{cycle.pk}/portfolio/"),
        ("post", f"/cycles/{cycle.pk}/portfolio/pdf/"),
    ]:
        assert getattr(stranger, method)(url).status_code == 404, url
        assert getattr(Client(), method)(url).status_code == 302, url  # to the login page
    assert cycle.plan_items.count() == 1


def test_the_menu_shows_the_credit_pages_to_specialists(specialist: Any) -> None:
    page = _browser(specialist).get("/").content.decode()
    for label in ("Мой план", "Портфолио", "Ввести код"):
        assert label in page


def test_my_plan_and_portfolio_go_to_the_only_active_cycle(specialist: Any) -> None:
    browser = _browser(specialist)
    assert browser.get("/plan/")["Location"] == "/cycles/"
    cycle = cycle_for(specialist)
    assert browser.get("/plan/")["Location"] == f"/cycles/{cycle.pk}/plan/"
    assert browser.get("/portfolio/")["Location"] == f"/cycles/{cycle.pk}/portfolio/"


def test_the_verification_page_of_an_unknown_code_is_404() -> None:
    assert Client().get("/verify/NOPE/").status_code == 404
