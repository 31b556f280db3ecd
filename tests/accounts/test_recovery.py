"""Password recovery by SNILS: the link goes to the address on file, and the page answers the
same whether or not the SNILS exists."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db: Any) -> Any:
    return UserFactory(snils="11223344595", email="elena@example.org")


def _ask(client: Client, login: str) -> Any:
    return client.post(reverse("account_reset_password"), {"email": login}, follow=True)


@pytest.mark.parametrize("login", ["112-233-445 95", "11223344595", "elena@example.org"])
def test_the_link_is_mailed_to_the_address_on_file(client: Client, person: Any, login: str) -> None:
    response = _ask(client, login)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elena@example.org"]
    assert "/auth/password/reset/key/" in message.body
    assert "pass-Word-123" not in message.body


def test_the_page_answers_the_same_whether_or_not_the_snils_exists(client: Client, person: Any) -> None:
    known = _ask(client, "112-233-445 95")
    unknown = _ask(Client(), "123-456-789 64")
    invalid = _ask(Client(), "112-233-445 96")
    unknown_email = _ask(Client(), "nobody@example.org")
    assert known.redirect_chain == unknown.redirect_chain == invalid.redirect_chain == unknown_email.redirect_chain
    assert known.status_code == unknown.status_code == invalid.status_code == 200

    def body(response: Any) -> str:
        return response.content.decode().split('<main id="main"', 1)[1]

    assert body(known) == body(unknown) == body(invalid) == body(unknown_email)
    assert len(mail.outbox) == 1, "mail only for an existing account"


def test_the_mailed_link_sets_a_new_password(client: Client, person: Any) -> None:
    _ask(client, "11223344595")
    link = next(word for word in mail.outbox[0].body.split() if "/auth/password/reset/key/" in word)
    path = link[link.index("/auth/") :]
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(action, {"password1": "Novyi-Parol-2025", "password2": "Novyi-Parol-2025"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Novyi-Parol-2025")


def test_the_recovery_page_asks_for_snils(client: Client) -> None:
    assert "СНИЛС или e-mail" in client.get(reverse("account_reset_password")).content.decode()
