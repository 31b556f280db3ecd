"""One application from submission to a published pass, in a real browser: the specialist files,
the secretary registers and passes it on, a commission member decides, the secretary publishes,
and the specialist sees the result and their new cycle."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role
from tests.accreditation.factories import (
    accr_commission,
    accr_credit,
    accr_cycle,
    accr_member,
    accr_reference_data,
    accr_specialty,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: None) -> None:
    accr_reference_data()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _login_as(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_an_application_goes_from_submission_to_a_published_pass(live_server: Any, page: Any) -> None:
    from accreditation.models import AccreditationApplication
    from trajectory.models import Cycle

    specialist = UserFactory(roles=[Role.SPECIALIST], last_name="Иванова", first_name="Елена")
    secretary = UserFactory(roles=[Role.SECRETARY], last_name="Секретарёва")
    member = UserFactory(roles=[Role.COMMISSION], last_name="Комиссаров")
    commission = accr_commission(specialties=[accr_specialty()], name="Подкомиссия по терапии")
    accr_member(commission, secretary, "secretary")
    accr_member(commission, member, "member")
    cycle = accr_cycle(specialist)
    accr_credit(cycle, zet=108, element_type="program", title="Терапия: актуальные вопросы")
    accr_credit(cycle, zet=36, element_type="event", title="Конгресс терапевтов")

    # The specialist files the application, uploads the report and submits.
    _login_as(page, live_server, specialist)
    page.goto(live_server.url + "/accreditation/")
    card = page.get_by_test_id(f"cycle-{cycle.pk}")
    card.get_by_label("Телефон").fill("+79161234567")
    card.get_by_role("button", name="Создать заявление").click()
    page.get_by_text("Черновик заявления создан.").wait_for()
    page.get_by_test_id("report-file").set_input_files(
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Загрузить отчёт").click()
    page.get_by_text("Отчёт загружен.").wait_for()
    page.get_by_test_id("submit").click()
    page.get_by_text("Заявление подано; портфолио зафиксировано.").wait_for()
    assert page.get_by_test_id("status").inner_text() == "Подано"
    application = AccreditationApplication.objects.get(applicant=specialist)

    # The secretary registers it and passes it to the commission.
    _login_as(page, live_server, secretary)
    page.goto(live_server.url + "/accreditation/queue/")
    page.get_by_test_id("queue").get_by_role("link", name="б/н").click()
    assert "целостность подтверждена" in page.get_by_test_id("snapshot").inner_text()
    page.get_by_test_id("register").click()
    page.get_by_text(re.compile(r"Заявление зарегистрировано: № 1/\d{4}\.")).wait_for()
    page.get_by_test_id("to-commission").click()
    page.get_by_text("Заявление передано в комиссию.").wait_for()

    # A member of the commission reads the frozen portfolio and records a pass.
    _login_as(page, live_server, member)
    page.goto(live_server.url + "/accreditation/commission/")
    page.get_by_test_id("queue").get_by_role("link").first.click()
    snapshot = page.get_by_test_id("snapshot").inner_text()
    assert "Терапия: актуальные вопросы" in snapshot and "144.00" in snapshot
    page.get_by_label("Сдано", exact=True).check()
    page.get_by_label("Комментарий").fill("Портфолио соответствует требованиям.")
    page.get_by_test_id("decide").click()
    page.get_by_text("Решение внесено в протокол.").wait_for()

    # The secretary signs and publishes the protocol.
    _login_as(page, live_server, secretary)
    page.goto(live_server.url + f"/accreditation/queue/{application.pk}/")
    page.get_by_test_id("publish").click()
    page.get_by_text("Протокол подписан и опубликован.").wait_for()

    # The specialist sees the result, the new record and the timeline; the next cycle is open.
    _login_as(page, live_server, specialist)
    page.goto(live_server.url + f"/accreditation/applications/{application.pk}/")
    outcome = page.get_by_test_id("outcome").inner_text()
    assert "Результат: Сдано" in outcome and "новый пятилетний цикл" in outcome
    timeline = page.get_by_test_id("timeline").inner_text()
    for label in (
        "Черновик",
        "Подано",
        "Зарегистрировано",
        "На оценке комиссии",
        "Решение принято",
        "Протокол опубликован",
    ):
        assert label in timeline
    new_cycle = Cycle.objects.get(owner=specialist, status="active")
    assert new_cycle.document.accreditation_type == "periodic" and new_cycle.pk != cycle.pk

    # The protocol is public, with the name masked.
    page.get_by_test_id("outcome").get_by_role("link").click()
    decisions = page.get_by_test_id("protocol-decisions").inner_text()
    assert "Сдано" in decisions and "Иванова" not in decisions and "И***а Е. П." in decisions
