"""Personal data: SNILS masked in staff lists unless the viewer needs it; only a superuser or a
methodologist corrects a SNILS (in the admin, logged); the demo accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.template import Context, Template
from django.test import Client, RequestFactory

from accounts.models import Document, FrmrStatus, User
from accounts.selectors import snils_for_viewer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_filter_masks_a_snils_for_staff_lists() -> None:
    person = UserFactory.build(snils="11223344595")
    rendered = Template("{% load accounts_tags %}{{ p|snils_masked }} {{ p.snils|snils_formatted }}").render(
        Context({"p": person})
    )
    assert rendered == "112-***-*** 95 112-233-445 95"


def test_the_full_snils_is_shown_only_to_those_who_need_it(
    specialist: Any, other_specialist: Any, secretary: Any, commission_member: Any, methodologist: Any
) -> None:
    masked = specialist.snils_masked
    assert snils_for_viewer(viewer=other_specialist, subject=specialist) == masked
    assert snils_for_viewer(viewer=specialist, subject=specialist) == specialist.snils_display
    for staff in (secretary, commission_member, methodologist):
        assert snils_for_viewer(viewer=staff, subject=specialist) == specialist.snils_display
    provider = UserFactory()
    assert snils_for_viewer(viewer=provider, subject=specialist) == masked


def test_the_tag_asks_the_selector(specialist: Any, other_specialist: Any) -> None:
    request = RequestFactory().get("/")
    request.user = other_specialist
    rendered = Template("{% load accounts_tags %}{% snils_for person %}").render(
        Context({"request": request, "person": specialist})
    )
    assert rendered == specialist.snils_masked


def _admin_request(user: Any) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_snils_is_read_only_in_the_admin_except_for_a_methodologist_or_superuser(methodologist: Any) -> None:
    admin = site._registry[User]
    person = UserFactory()
    staff = UserFactory(is_staff=True)
    assert "snils" in admin.get_readonly_fields(_admin_request(staff), person)
    assert "snils" not in admin.get_readonly_fields(_admin_request(methodologist), person)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert "snils" not in admin.get_readonly_fields(_admin_request(superuser), person)


def test_a_snils_correction_in_the_admin_is_logged(client: Client) -> None:
    superuser = UserFactory(is_staff=True, is_superuser=True)
    person = UserFactory(snils="11223344595")
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "groups"}
    data.update(
        {"snils": "12345678964", "region": person.region_id, "date_joined_0": "01.01.2024", "date_joined_1": "10:00:00"}
    )
    data.update(
        {"last_login_0": "", "last_login_1": "", "role_grants-TOTAL_FORMS": "0", "role_grants-INITIAL_FORMS": "0"}
    )
    data.update({"documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"})
    for flag in ("is_active", "notify_credits", "notify_codes", "notify_new_modules", "notify_deadlines"):
        data[flag] = "on"
    data.pop("password", None)
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    person.refresh_from_db()
    assert person.snils == "12345678964"
    latest = person.history.latest()
    assert latest.history_user_id == superuser.pk
    assert "snils" in latest.diff_against(latest.prev_record).changed_fields


def test_the_admin_lists_and_shows_history_to_staff(client: Client) -> None:
    superuser = UserFactory(is_staff=True, is_superuser=True)
    person = UserFactory()
    client.force_login(superuser)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get(f"/admin/accounts/user/{person.pk}/history/").status_code == 200
    assert client.get("/admin/accounts/document/").status_code == 200


def test_seed_demo_gives_the_specialist_a_confirmed_periodic_accreditation_in_therapy() -> None:
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    specialist = User.objects.get(email="specialist@demo.nmo")
    assert specialist.region is not None and specialist.region.code == "77"
    assert specialist.education_level == "higher"
    assert specialist.phone.startswith("+7") and specialist.birth_date is not None
    document = Document.objects.get(owner=specialist)
    assert document.specialty.name == "Терапия"
    assert document.kind == "accreditation" and document.accreditation_type == "periodic"
    assert str(document.issued_on) == "2022-03-01"
    assert document.frmr_status == FrmrStatus.CONFIRMED
    assert User.objects.filter(email__endswith="@demo.nmo").count() == 5
    assert specialist.check_password("demo-specialist")


def test_a_methodologist_corrects_a_snils_in_the_admin_but_cannot_touch_a_superuser(
    client: Client, methodologist: Any
) -> None:
    person = UserFactory()
    boss = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(methodologist)
    assert client.get(f"/admin/accounts/user/{person.pk}/change/").status_code == 200
    admin = site._registry[User]
    request = _admin_request(methodologist)
    assert {"is_superuser", "is_staff", "snils"} & set(admin.get_readonly_fields(request, person)) == {
        "is_superuser",
        "is_staff",
    }
    assert not admin.has_change_permission(request, boss)
    assert not admin.has_delete_permission(request, person)


def test_an_ordinary_specialist_has_no_admin(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    assert client.get("/admin/accounts/user/").status_code == 302
