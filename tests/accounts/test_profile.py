"""The profile ("Мой профиль"), GET /api/v1/me/ with roles, history of changes, password and
e-mail change."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import role_grant, user_profile_update
from nmo_portal.lib.exceptions import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_me_lists_the_profile_and_every_role_a_person_holds(api: Any, specialist: Any) -> None:
    role_grant(user=specialist, role=Role.COMMISSION)
    api.force_authenticate(specialist)
    body = api.get("/api/v1/me/").json()
    assert body["roles"] == ["specialist", "commission"]
    assert body["snils"] == specialist.snils
    assert body["snils_display"] == specialist.snils_display
    assert body["region"] == "77"
    assert body["education_level"] == "higher"
    assert body["notify_credits"] is True


@pytest.mark.parametrize(
    ("persona", "roles"),
    [("secretary", ["secretary"]), ("commission_member", ["commission"]), ("methodologist", ["methodologist"])],
)
def test_me_names_the_staff_roles(api: Any, request: Any, persona: str, roles: list[str]) -> None:
    api.force_authenticate(request.getfixturevalue(persona))
    assert api.get("/api/v1/me/").json()["roles"] == roles


def test_an_outsider_gets_401_from_me(api: Any) -> None:
    assert api.get("/api/v1/me/").status_code == 401
    assert api.get("/api/v1/me/documents/").status_code == 401


def test_the_profile_page_requires_login(client: Client) -> None:
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_profile_page_shows_the_snils_formatted_and_not_editable(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    response = client.get(reverse("accounts:profile"))
    content = response.content.decode()
    assert "Мой профиль" in content
    assert specialist.snils_display in content
    assert 'name="snils"' not in content
    assert "Российская Федерация" in content
    assert "Специалист" in content


def test_the_profile_page_saves_phone_region_and_notifications(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    response = client.post(
        reverse("accounts:profile"),
        {"phone": "8 (916) 111-22-33", "region": "50", "education_level": "higher", "notify_codes": "on"},
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.phone == "+79161112233"
    assert specialist.region.code == "50"
    assert specialist.notify_codes is True
    assert specialist.notify_credits is False


def test_a_bad_phone_on_the_profile_page_is_a_russian_error_and_nothing_changes(
    client: Client, specialist: Any
) -> None:
    client.force_login(specialist)
    before = specialist.phone
    response = client.post(reverse("accounts:profile"), {"phone": "123", "region": "50", "education_level": "higher"})
    assert response.status_code == 200
    assert "10 цифр" in response.context["form"].errors["phone"][0]
    specialist.refresh_from_db()
    assert specialist.phone == before and specialist.region.code == "77"


def test_the_api_patches_the_profile_but_never_the_snils(api: Any, specialist: Any) -> None:
    api.force_authenticate(specialist)
    response = api.patch("/api/v1/me/", {"phone": "+7 916 111 22 33", "snils": "12345678964"}, format="json")
    assert response.status_code == 200
    specialist.refresh_from_db()
    assert specialist.phone == "+79161112233"
    assert specialist.snils != "12345678964"


def test_the_service_refuses_fields_the_specialist_may_not_change(specialist: Any) -> None:
    with pytest.raises(ApplicationError):
        user_profile_update(user=specialist, snils="12345678964")


def test_every_profile_change_is_recorded_with_who_and_what(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    before = specialist.history.count()
    client.post(reverse("accounts:profile"), {"phone": "+7 916 111 22 33", "region": "50", "education_level": "higher"})
    assert specialist.history.count() == before + 1
    latest = specialist.history.latest()
    assert latest.history_user_id == specialist.pk
    assert latest.phone == "+79161112233"
    delta = latest.diff_against(latest.prev_record)
    assert {"phone", "region"} <= set(delta.changed_fields)


def test_a_login_does_not_write_a_history_row(api: Any, specialist: Any) -> None:
    before = specialist.history.count()
    api.post("/api/v1/auth/token/", {"login": specialist.snils, "password": "pass-Word-123"}, format="json")
    assert specialist.history.count() == before


def test_the_password_change_page_changes_the_password(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "pass-Word-123", "password1": "Novyi-Parol-2025", "password2": "Novyi-Parol-2025"},
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("Novyi-Parol-2025")


def test_an_email_change_takes_effect_only_after_the_new_address_is_confirmed(client: Client, specialist: Any) -> None:
    EmailAddress.objects.create(user=specialist, email=specialist.email, primary=True, verified=True)
    client.force_login(specialist)
    old = specialist.email
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new.address@example.org"})
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.email == old
    assert mail.outbox and mail.outbox[-1].to == ["new.address@example.org"]
    link = next(word for word in mail.outbox[-1].body.split() if "/auth/confirm-email/" in word)
    client.post(link[link.index("/auth/") :])
    specialist.refresh_from_db()
    assert specialist.email == "new.address@example.org"


def test_changing_to_a_taken_email_does_not_reveal_it_is_taken(client: Client, specialist: Any) -> None:
    UserFactory(email="taken@example.org")
    EmailAddress.objects.create(user=specialist, email=specialist.email, primary=True, verified=True)
    client.force_login(specialist)
    taken = client.post(reverse("account_email"), {"action_add": "", "email": "taken@example.org"})
    free = client.post(reverse("account_email"), {"action_add": "", "email": "free@example.org"})
    assert taken.status_code == free.status_code == 302
    assert User.objects.get(pk=specialist.pk).email == specialist.email


def test_navigation_offers_profile_and_documents_to_a_specialist(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    content = client.get("/").content.decode()
    assert reverse("accounts:profile") in content
    assert reverse("accounts:documents") in content


def test_confirming_an_address_another_account_holds_changes_nothing(client: Client, specialist: Any) -> None:
    other = UserFactory(email="taken@example.org")
    EmailAddress.objects.create(user=specialist, email=specialist.email, primary=True, verified=True)
    client.force_login(specialist)
    client.post(reverse("account_email"), {"action_add": "", "email": "taken@example.org"})
    links = [w for m in mail.outbox for w in m.body.split() if "/auth/confirm-email/" in w]
    for link in links:
        client.post(link[link.index("/auth/") :])
    specialist.refresh_from_db()
    other.refresh_from_db()
    assert specialist.email != "taken@example.org"
    assert other.email == "taken@example.org"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me/"),
        ("patch", "/api/v1/me/"),
        ("get", "/api/v1/me/documents/"),
        ("post", "/api/v1/me/documents/"),
        ("get", "/api/v1/me/documents/1/"),
        ("patch", "/api/v1/me/documents/1/"),
        ("delete", "/api/v1/me/documents/1/"),
    ],
)
def test_every_personal_endpoint_refuses_an_outsider_with_401(api: Any, method: str, path: str) -> None:
    assert getattr(api, method)(path, {}, format="json").status_code == 401


@pytest.mark.parametrize(
    "name",
    ["accounts:profile", "accounts:documents", "accounts:document-add", "account_email", "account_change_password"],
)
def test_every_personal_page_sends_an_outsider_to_the_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
