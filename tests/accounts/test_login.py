"""Login by SNILS in any spelling or by e-mail, on the page and through the token API; lockout
after repeated failures; e-mail confirmation mandatory in production settings."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
PASSWORD = "pass-Word-123"
SPELLINGS = ["112-233-445 95", "11223344595", "112 233 445 95", "112-233-445-95", " 112-233-44595 "]


@pytest.fixture
def person(db: Any) -> Any:
    user = UserFactory(snils="11223344595", email="elena@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.mark.parametrize("login", [*SPELLINGS, "elena@example.org", "ELENA@Example.org"])
def test_the_token_api_accepts_each_spelling_of_snils_and_the_email(api: Any, person: Any, login: str) -> None:
    response = api.post(TOKEN, {"login": login, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"token": Token.objects.get(user=person).key}
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/me/").json()["snils"] == "11223344595"


@pytest.mark.parametrize("login", [*SPELLINGS, "elena@example.org"])
def test_the_login_page_accepts_each_spelling_of_snils_and_the_email(client: Client, person: Any, login: str) -> None:
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_login_page_asks_for_snils_or_email(client: Client) -> None:
    content = client.get(reverse("account_login")).content.decode()
    assert "СНИЛС или e-mail" in content


@pytest.mark.parametrize(
    "login", ["112-233-445 95", "999-999-999 99", "elena@example.org", "nobody@example.org", "112-233-445 96"]
)
def test_wrong_credentials_are_400_and_never_say_which_part_was_wrong(api: Any, person: Any, login: str) -> None:
    response = api.post(TOKEN, {"login": login, "password": "wrong-password"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Неверный СНИЛС (e-mail) или пароль."]}


def test_the_page_says_the_same_for_a_wrong_password_and_an_unknown_snils(client: Client, person: Any) -> None:
    wrong_password = client.post(reverse("account_login"), {"login": "11223344595", "password": "nope-nope"})
    unknown = client.post(reverse("account_login"), {"login": "123-456-789 64", "password": "nope-nope"})
    assert wrong_password.status_code == unknown.status_code == 200
    assert wrong_password.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "Неверный СНИЛС" in wrong_password.context["form"].non_field_errors()[0]


def test_an_inactive_account_cannot_log_in(api: Any, person: Any) -> None:
    person.is_active = False
    person.save()
    assert api.post(TOKEN, {"login": "11223344595", "password": PASSWORD}, format="json").status_code == 400


# --- lockout --------------------------------------------------------------------------------
def test_the_api_locks_out_after_five_failures_with_429_and_retry_after(api: Any, person: Any) -> None:
    spellings = ["11223344595", "112-233-445 95", "112 233 445 95", "elena@example.org"]
    for login in spellings:  # four failures, each spelling counting against the same person
        assert api.post(TOKEN, {"login": login, "password": "bad"}, format="json").status_code == 400
    fifth = api.post(TOKEN, {"login": "11223344595", "password": "bad"}, format="json")
    assert fifth.status_code == 429
    locked = api.post(TOKEN, {"login": "112-233-445 95", "password": PASSWORD}, format="json")
    assert locked.status_code == 429, "even the right password waits out the lockout"
    retry_after = int(locked["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    detail = locked.json()["detail"]
    assert "попробуйте снова после" in detail
    assert "минут" in detail
    assert not Token.objects.filter(user=person).exists()


def test_the_login_page_locks_out_with_a_russian_message_that_says_when(client: Client, person: Any) -> None:
    for _attempt in range(4):
        response = client.post(reverse("account_login"), {"login": "11223344595", "password": "bad"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": "112-233-445 95", "password": "bad"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Вход временно заблокирован" in content
    assert "попробуйте снова после" in content
    assert response["Retry-After"]
    again = client.post(reverse("account_login"), {"login": "11223344595", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get(reverse("accounts:profile")).status_code == 302  # not signed in


def test_the_lockout_is_lifted_after_the_cool_off(api: Any, person: Any, settings: Any) -> None:
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _attempt in range(5):
        api.post(TOKEN, {"login": "11223344595", "password": "bad"}, format="json")
    assert api.post(TOKEN, {"login": "11223344595", "password": PASSWORD}, format="json").status_code == 429
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - timedelta(minutes=16))
    assert api.post(TOKEN, {"login": "11223344595", "password": PASSWORD}, format="json").status_code == 200


# --- e-mail confirmation --------------------------------------------------------------------
def test_production_settings_refuse_login_until_the_email_is_confirmed(api: Any, client: Client, settings: Any) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    user = UserFactory(snils="12345678964", email="new@example.org")
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    token = api.post(TOKEN, {"login": "12345678964", "password": PASSWORD}, format="json")
    assert token.status_code == 400
    assert "Подтвердите адрес электронной почты" in token.json()["non_field_errors"][0]
    page = client.post(reverse("account_login"), {"login": "12345678964", "password": PASSWORD})
    assert page.status_code == 302 and "confirm-email" in page["Location"]
    assert client.get(reverse("accounts:profile")).status_code == 302  # still anonymous

    address.verified = True
    address.save()
    assert api.post(TOKEN, {"login": "12345678964", "password": PASSWORD}, format="json").status_code == 200
    assert client.post(reverse("account_login"), {"login": "12345678964", "password": PASSWORD}).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_production_registration_page_does_not_sign_in_before_confirmation(client: Client, settings: Any) -> None:
    from tests.accounts.conftest import as_form, registration_payload

    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.post(reverse("accounts:register"), as_form(registration_payload()))
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_logout_is_a_post(client: Client, person: Any) -> None:
    client.force_login(person)
    client.get(reverse("account_logout"))
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_the_login_page_returns_to_the_page_that_asked(client: Client, person: Any) -> None:
    response = client.post(
        reverse("account_login") + "?next=/documents/",
        {"login": "11223344595", "password": PASSWORD, "next": "/documents/"},
    )
    assert response["Location"] == "/documents/"


@pytest.mark.parametrize("name", ["account_email", "account_change_password"])
def test_allauth_management_pages_render_in_the_portal_frame_in_russian(client: Client, person: Any, name: str) -> None:
    client.force_login(person)
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert "Выйти" in content


def test_the_verification_sent_page_renders_in_the_frame(client: Client) -> None:
    response = client.get(reverse("account_email_verification_sent"))
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1 минуту"), (2, "2 минуты"), (5, "5 минут"), (11, "11 минут"), (15, "15 минут"), (21, "21 минуту")],
)
def test_the_lockout_message_counts_minutes_in_russian(n: int, text: str) -> None:
    from accounts.lockout import minutes_ru

    assert minutes_ru(n) == text


# --- the session's user carries his roles ---------------------------------------------------------
def test_a_session_user_is_read_with_his_roles_in_one_query(person: Any, django_assert_num_queries: Any) -> None:
    from accounts.backends import SnilsOrEmailBackend
    from accounts.roles import user_roles
    from accounts.services import role_grant

    role_grant(user=person, role="specialist")
    role_grant(user=person, role="secretary")
    with django_assert_num_queries(1):
        user = SnilsOrEmailBackend().get_user(str(person.pk))
        assert user is not None and user.pk == person.pk
        assert user_roles(user) == {"specialist", "secretary"}
    assert not any(name.startswith("holds_role_") for name in vars(user))


def test_a_role_taken_away_applies_to_the_very_next_request(client: Client, person: Any) -> None:
    from accounts.services import role_grant, role_revoke

    role_grant(user=person, role="specialist")
    client.force_login(person)
    assert client.get(reverse("portfolio:cycles")).status_code == 200
    role_revoke(user=person, role="specialist")
    assert client.get(reverse("portfolio:cycles")).status_code == 403


@pytest.mark.parametrize("user_id", ["", "abc", None, "-1", "999999"])
def test_a_session_naming_no_user_gives_nobody(db: Any, user_id: Any) -> None:
    from accounts.backends import SnilsOrEmailBackend

    assert SnilsOrEmailBackend().get_user(user_id) is None


def test_an_inactive_user_is_not_the_session_user(person: Any) -> None:
    from accounts.backends import SnilsOrEmailBackend

    person.is_active = False
    person.save(update_fields=["is_active"])
    assert SnilsOrEmailBackend().get_user(person.pk) is None
