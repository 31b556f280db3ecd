"""Registration (page and API): SNILS in any spelling, every bad field a Russian error, nothing
saved on any error, the e-mail confirmed by link and the password never mailed."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role, User
from accounts.roles import has_role
from accounts.snils import format_snils, snils_check_number
from tests.accounts.conftest import as_form, registration_payload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"


def _nothing_saved(before: int) -> None:
    assert User.objects.count() == before
    assert not EmailAddress.objects.exists()


# --- the happy path -------------------------------------------------------------------------
def test_the_api_registers_a_specialist_and_mails_a_confirmation_link_not_the_password(api: Any) -> None:
    payload = registration_payload(email="Olga.Smirnova@Example.org")
    with pytest.MonkeyPatch.context():
        response = api.post(REGISTER, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "snils", "email"}
    assert body["snils"] == "11223344595"
    assert body["email"] == "olga.smirnova@example.org"
    user = User.objects.get(pk=body["id"])
    assert user.phone == "+79123456789"
    assert user.region is not None and user.region.code == "77"
    assert user.education_level == "higher"
    assert user.consent_personal_data_at is not None and user.accept_terms_at is not None
    assert has_role(user, Role.SPECIALIST)
    address = EmailAddress.objects.get(user=user)
    assert address.primary and not address.verified


def test_the_confirmation_mail_carries_a_link_and_never_the_password(
    api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    payload = registration_payload()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(REGISTER, payload, format="json").status_code == 201
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [payload["email"]]
    assert "/auth/confirm-email/" in message.body
    assert payload["password"] not in message.body


def test_the_page_registers_signs_in_and_the_link_confirms_the_address(client: Client) -> None:
    payload = registration_payload(snils="11223344595")
    response = client.post(reverse("accounts:register"), as_form(payload))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user = User.objects.get(snils="11223344595")
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/auth/confirm-email/" in word)
    path = link[link.index("/auth/") :]
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified


def test_the_registration_page_speaks_russian(client: Client) -> None:
    content = client.get(reverse("accounts:register")).content.decode()
    for label in ("СНИЛС", "Фамилия", "Дата рождения", "Регион проживания", "Даю согласие на обработку"):
        assert label in content


# --- SNILS ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spelling",
    ["112-233-445 95", "11223344595", "112 233 445 95", "123-456-789 64", "050-234-316 00", "820-981-233 00"],
)
def test_the_api_accepts_the_domain_examples_in_any_spelling(api: Any, spelling: str) -> None:
    response = api.post(REGISTER, registration_payload(snils=spelling), format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["snils"]) == 11


def test_a_wrong_check_number_is_a_russian_error_at_the_field_and_nothing_is_saved(api: Any, client: Client) -> None:
    response = api.post(REGISTER, registration_payload(snils="112-233-445 96"), format="json")
    assert response.status_code == 400
    assert "контрольное число" in response.json()["snils"][0]
    page = client.post(reverse("accounts:register"), as_form(registration_payload(snils="112-233-445 96")))
    assert page.status_code == 200
    assert "контрольное число" in page.context["form"].errors["snils"][0]
    _nothing_saved(0)


_checked = st.integers(min_value=1_001_999, max_value=999_999_999).map(lambda n: f"{n:09d}")
_hypothesis = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _in_savepoint(call: Any) -> Any:
    """One hypothesis example: its own rollback, and a fresh throttle (``register`` is 20 an hour)."""
    cache.clear()
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


@_hypothesis
@given(first_nine=_checked, formatted=st.booleans())
def test_every_number_with_computed_check_digits_registers_through_the_api(
    api: Any, first_nine: str, formatted: bool
) -> None:
    snils = first_nine + snils_check_number(first_nine)
    spelling = format_snils(snils) if formatted else snils
    response = _in_savepoint(lambda: api.post(REGISTER, registration_payload(snils=spelling), format="json"))
    assert response.status_code == 201, response.json()
    assert response.json()["snils"] == snils


@_hypothesis
@given(first_nine=_checked, check=st.integers(min_value=0, max_value=99))
def test_every_other_pair_of_check_digits_is_refused_by_the_api(api: Any, first_nine: str, check: int) -> None:
    pair = f"{check:02d}"
    if pair == snils_check_number(first_nine):
        return
    response = _in_savepoint(lambda: api.post(REGISTER, registration_payload(snils=first_nine + pair), format="json"))
    assert response.status_code == 400
    assert "snils" in response.json()


@_hypothesis
@given(first_nine=_checked, check=st.integers(min_value=0, max_value=99))
def test_the_registration_form_agrees_with_the_check_number_rule(first_nine: str, check: int) -> None:
    pair = f"{check:02d}"
    valid = pair == snils_check_number(first_nine)
    client = Client()
    response = _in_savepoint(
        lambda: client.post(reverse("accounts:register"), as_form(registration_payload(snils=first_nine + pair)))
    )
    if valid:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["snils"]


# --- duplicates -----------------------------------------------------------------------------
def test_a_taken_snils_in_another_spelling_is_refused(api: Any) -> None:
    UserFactory(snils="11223344595")
    response = api.post(REGISTER, registration_payload(snils="112 233 445 95"), format="json")
    assert response.status_code == 400
    assert "уже зарегистрирован" in response.json()["snils"][0]
    assert User.objects.count() == 1


def test_a_taken_email_in_other_letters_case_is_refused(api: Any) -> None:
    UserFactory(email="olga@example.org")
    response = api.post(REGISTER, registration_payload(email="OLGA@Example.ORG"), format="json")
    assert response.status_code == 400
    assert "уже используется" in response.json()["email"][0]
    assert User.objects.count() == 1


# --- other fields ---------------------------------------------------------------------------
def _years_ago(today: datetime.date, years: int, days: int = 0) -> str:
    return (today.replace(year=today.year - years) + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("birth_date", "future", "в будущем"),
        ("birth_date", "under16", "с 16 лет"),
        ("birth_date", None, "дату рождения"),
        ("phone", "12345", "10 цифр"),
        ("phone", "+1 202 555 0101", "российский"),
        ("phone", "телефон", "только цифры"),
        ("phone", "", "номер телефона"),
        ("consent_personal_data", False, "согласия на обработку"),
        ("accept_terms", False, "пользовательское соглашение"),
        ("password", "12345678", "пароль"),
        ("password", "short", "короткий"),
        ("education_level", "doctorate", "уровень образования"),
        ("region", "99", "региона"),
        ("sex", "", "пол"),
        ("email", "not-an-email", "правильный адрес"),
        ("last_name", "", "фамилию"),
        ("citizenship", "ZZ", "гражданство"),
    ],
)
def test_each_bad_field_is_a_russian_error_at_that_field_and_nothing_is_saved(
    api: Any, client: Client, today: datetime.date, field: str, value: Any, words: str
) -> None:
    if value == "future":
        value = (today + datetime.timedelta(days=1)).isoformat()
    elif value == "under16":
        value = _years_ago(today, 16, days=1)
    payload = registration_payload(**{field: value})
    response = api.post(REGISTER, payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field], errors
    assert words.lower() in " ".join(errors[field]).lower()
    page = client.post(reverse("accounts:register"), as_form(payload))
    assert page.status_code == 200
    page_errors = " ".join(page.context["form"].errors[field])
    assert re.search("[а-яё]", page_errors, re.IGNORECASE), page_errors  # Russian, at that field
    _nothing_saved(0)


def test_exactly_sixteen_years_is_old_enough(api: Any, today: datetime.date) -> None:
    response = api.post(REGISTER, registration_payload(birth_date=_years_ago(today, 16)), format="json")
    assert response.status_code == 201, response.json()


def test_all_problems_are_reported_at_once(api: Any) -> None:
    response = api.post(REGISTER, {}, format="json")
    assert response.status_code == 400
    expected = {
        "snils", "email", "password", "last_name", "first_name", "sex", "birth_date", "region", "phone",
        "education_level", "consent_personal_data", "accept_terms",
    }  # fmt: skip
    assert expected <= set(response.json())


def test_a_signed_in_person_is_sent_to_the_profile_instead(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    assert client.get(reverse("accounts:register"))["Location"] == reverse("accounts:profile")


def test_allauth_own_signup_form_points_to_registration_by_snils(client: Client) -> None:
    response = client.get("/auth/signup/")
    assert reverse("accounts:register") in response.content.decode()


def test_the_home_page_links_to_registration(client: Client) -> None:
    assert reverse("accounts:register") in client.get("/").content.decode()
