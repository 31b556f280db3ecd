from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.trajectory.factories import catalogue_event, cycle_for, ensure_reference_data, event_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def specialist(transactional_db: Any) -> Any:
    """A transactional test may follow another one's flush: reload the reference data first."""
    from accounts.models import Role
    from tests.factories import UserFactory

    ensure_reference_data()
    return UserFactory(roles=[Role.SPECIALIST], last_name="Иванова", first_name="Елена")


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_specialist_activates_a_code_and_sees_the_zet_on_the_portfolio_with_its_bar(
    live_server: Any, page: Any, specialist: Any
) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    event = catalogue_event(title="Школа кардиолога", zet=4, starts_on=date(2024, 5, 14))
    raw = event_code(event)
    _sign_in(page, live_server, specialist)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ввести код").click()
    page.get_by_label("Код подтверждения").fill(raw.lower())
    page.get_by_role("button", name="Активировать").click()
    status = page.get_by_test_id("activation-status")
    status.and_(page.locator('[data-status="accepted"]')).wait_for()
    assert "Школа кардиолога" in status.inner_text()

    page.get_by_role("link", name="Портфолио: ").first.click()
    page.wait_for_url(f"**/cycles/{cycle.pk}/portfolio/")
    assert "Зачтено 4 из 250 ЗЕТ" in page.get_by_test_id("total-zet").inner_text()
    bar = page.locator('[data-testid="year-bars"] g.bar[data-year="3"]')
    assert bar.get_attribute("data-zet") == "4"
    assert bar.locator("text").first.text_content() == "4"
    assert "Школа кардиолога" in page.get_by_test_id("entries").inner_text()
