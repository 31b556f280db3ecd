from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_specialist_registers_logs_in_by_snils_and_adds_a_document(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Зарегистрироваться").click()
    page.get_by_label("Гражданство").select_option("RU")
    page.get_by_label("Регион проживания").select_option("77")
    page.get_by_label("СНИЛС").fill("112 233 445 95")
    page.get_by_label("Фамилия").fill("Смирнова")
    page.locator("#id_first_name").fill("Ольга")
    page.get_by_label("Пол:").select_option("female")
    page.get_by_label("Дата рождения").fill("1990-04-12")
    page.get_by_label("Электронная почта").fill("olga@example.org")
    page.get_by_label("Телефон").fill("+7 912 345-67-89")
    page.get_by_label("Уровень образования (кабинет)").select_option("higher")
    page.get_by_label("Пароль").fill("Kardio-Logia-2024")
    page.get_by_label("Даю согласие на обработку моих персональных данных").check()
    page.get_by_label("Принимаю пользовательское соглашение").check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_url(re.compile(r"/profile/$"))
    assert page.get_by_test_id("profile-snils").inner_text().startswith("112-233-445 95")

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/auth/login/")
    page.get_by_label("СНИЛС или e-mail").fill("11223344595")
    page.get_by_label("Пароль").fill("Kardio-Logia-2024")
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Выйти").is_visible()

    page.get_by_role("link", name="Пятилетние циклы и документы").click()
    page.get_by_test_id("document-add").click()
    page.get_by_label("Вид документа").select_option("accreditation")
    page.get_by_label("Вид аккредитации").select_option("periodic")
    page.get_by_label("Специальность").select_option(label="Терапия")
    page.get_by_label("Номер").fill("7722 031234567")
    page.get_by_label("Дата выдачи").fill("2022-03-01")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/documents/$"))
    row = page.get_by_test_id("document-row")
    assert row.count() == 1
    text = row.inner_text()
    assert "Терапия" in text and "01.03.2027" in text and "не подтверждён в ФРМР" in text
