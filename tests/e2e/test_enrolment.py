"""In the browser: a specialist applies and downloads the заявка; the organisation enrols them and
uploads the results as CSV; the specialist sees the credited ZET in the portfolio."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_from_application_to_credited_zet(live_server: Any, page: Any, tmp_path: Any) -> None:
    from accounts.models import Role
    from providers.models import ProgrammeCycle
    from tests.enrolment.factories import (
        enrolment_cycle,
        enrolment_organisation,
        enrolment_staff,
        reference_data_ensure,
    )
    from tests.factories import UserFactory
    from tests.trajectory.factories import cycle_for

    reference_data_ensure()
    organisation = enrolment_organisation()
    staff = enrolment_staff(organisation)
    cycle = enrolment_cycle(organisation, hours=36)
    specialist = UserFactory(roles=[Role.SPECIALIST], last_name="Орлова", first_name="Анна")
    five_year = cycle_for(specialist, specialty=cycle.programme.specialty)

    # the specialist applies and downloads the printable application
    _log_in(page, live_server, specialist)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/apply/")
    page.get_by_label("Основа обучения").select_option("budget")
    page.get_by_label("Занятость").select_option("state")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Сформировать заявку").click()
    page.get_by_test_id("application-status").wait_for()
    assert page.get_by_test_id("application-status").inner_text() == "Сформирована"
    with page.expect_download() as download_info:
        page.get_by_test_id("application-pdf").click()
    pdf = tmp_path / "zayavka.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # the organisation enrols them
    _log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/provider/cycles/{cycle.pk}/applications/")
    page.get_by_role("button", name="Зачислить").first.click()
    page.get_by_text("зачислен").first.wait_for()

    # the course ends; the organisation uploads the results as CSV
    ends = timezone.localdate() - timedelta(days=2)
    ProgrammeCycle.objects.filter(pk=cycle.pk).update(starts_on=ends - timedelta(days=14), ends_on=ends)
    csv_file = tmp_path / "results.csv"
    csv_file.write_bytes(
        f"СНИЛС;Результат;Дата;Номер удостоверения\n{specialist.snils_display};освоил;{ends:%d.%m.%Y};УД-0042\n".encode(
            "cp1251"
        )
    )
    page.goto(f"{live_server.url}/provider/cycles/{cycle.pk}/results/")
    page.locator("#id_file").set_input_files(str(csv_file))
    page.get_by_test_id("results-upload").get_by_role("button", name="Загрузить").click()
    page.get_by_test_id("results-summary").wait_for()
    assert "Принято строк: 1" in page.get_by_test_id("results-summary").inner_text()

    # the specialist sees the ZET
    _log_in(page, live_server, specialist)
    page.goto(f"{live_server.url}/cycles/{five_year.pk}/portfolio/")
    entries = page.get_by_test_id("entries")
    entries.wait_for()
    assert cycle.programme.title in entries.inner_text()
    assert "36" in entries.inner_text()
