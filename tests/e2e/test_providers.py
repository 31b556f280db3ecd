"""In a real browser: provider staff create a programme with a cycle and submit it, a methodologist
approves it, and it appears in the catalogue search."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from providers.models import ElementStatus, Programme
from reference.models import Specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """A transactional test before this one may have flushed the rows the migrations loaded."""
    if not Specialty.objects.exists():
        call_command("load_reference", stdout=StringIO())


def _log_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_programme_goes_from_the_cabinet_through_review_into_the_catalogue(
    live_server: Any, page: Any, provider_a: Any, methodologist: Any
) -> None:
    title = "Эхокардиография для терапевтов"
    starts = dt.date.today() + dt.timedelta(days=30)

    _log_in(page, live_server, provider_a)
    page.goto(live_server.url + "/provider/programs/")
    page.get_by_test_id("element-new").click()
    page.get_by_label("Наименование").fill(title)
    page.get_by_label("Трудоёмкость, часов (ЗЕТ)").fill("36")
    page.get_by_label("Форма обучения").select_option("distance")
    page.get_by_label("Бюджет").check()
    page.get_by_label("Основная специальность").select_option(str(Specialty.objects.get(code="76").pk))
    page.get_by_label("Аннотация").fill("Ультразвуковая диагностика сердца в практике терапевта.")
    page.get_by_role("button", name="Сохранить").click()

    page.get_by_label("Дата начала").fill(starts.isoformat())
    page.get_by_label("Дата окончания").fill((starts + dt.timedelta(days=5)).isoformat())
    page.get_by_label("Мест (бюджет)").fill("12")
    page.get_by_role("button", name="Добавить цикл").click()
    assert page.get_by_text("Цикл добавлен.").is_visible()
    page.get_by_test_id("element-submit").click()
    assert page.get_by_test_id("element-status").inner_text() == "На проверке"

    # Not in the catalogue before approval.
    page.context.clear_cookies()
    page.goto(live_server.url + "/catalog/programs/?q=Эхокардиография")
    assert page.get_by_test_id("catalogue-empty").is_visible()

    _log_in(page, live_server, methodologist)
    page.goto(live_server.url + "/review/")
    item = page.get_by_test_id("review-item").filter(has_text=title)
    item.get_by_test_id("review-approve").click()
    assert page.get_by_text("Одобрено.").is_visible()
    assert Programme.objects.get(title=title).status == ElementStatus.PUBLISHED

    page.context.clear_cookies()
    page.goto(live_server.url + "/catalog/programs/")
    page.get_by_label("Поиск").fill("Эхокардиография")
    page.get_by_role("button", name="Найти").click()
    result = page.get_by_test_id("catalogue-item").filter(has_text=title)
    result.wait_for()
    assert starts.strftime("%d.%m.%Y") in result.inner_text()
    result.get_by_role("link", name=title).click()
    assert page.get_by_role("heading", name=title).is_visible()
