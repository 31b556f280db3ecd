"""The audit log: recorded inside the action's transaction, searchable by the methodologist only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client, RequestFactory

from nmo_portal.lib.audit import audit_record, audit_search, audit_viewed
from nmo_portal.models import AuditEvent
from tests.factories import UserFactory

MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_object_and_from_where(methodologist: Any, specialist: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = audit_record(
        actor=methodologist,
        action="user.role_granted",
        target=specialist,
        summary="Выдана роль",
        details={"role": "secretary", "zet": Decimal("1.5"), "on": date(2026, 1, 2)},
        request=request,
    )
    event.refresh_from_db()
    assert event.actor == methodologist
    assert methodologist.snils in event.actor_label and methodologist.email in event.actor_label
    assert (event.target_type, event.target_id) == ("accounts.user", str(specialist.pk))
    assert event.ip == "10.1.2.3"
    assert event.details == {"role": "secretary", "zet": "1.5", "on": "2026-01-02"}


@pytest.mark.django_db
def test_an_anonymous_actor_and_a_typed_pair_target_are_accepted() -> None:
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action="code.activation_failed", target=("event", "E-17"))
    assert event.actor is None and event.actor_label == ""
    assert event.target_label == "event:E-17"


@pytest.mark.django_db
def test_it_refuses_an_action_that_is_not_a_slug(specialist: Any) -> None:
    with pytest.raises(ValueError, match="slug"):
        audit_record(actor=specialist, action="Viewed the portfolio")


@pytest.mark.django_db
def test_the_record_is_rolled_back_with_the_action(specialist: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=specialist, action="document.added")
        raise RuntimeError("the service failed")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_record_survives_the_deletion_of_the_actor() -> None:
    user = UserFactory()
    audit_record(actor=user, action="document.added")
    snils = user.snils
    user.delete()
    event = AuditEvent.objects.get()
    assert event.actor is None and snils in event.actor_label


@pytest.mark.django_db
def test_search_by_snils_in_any_spelling_email_action_prefix_target_and_dates(
    methodologist: Any, specialist: Any, other_specialist: Any
) -> None:
    first = audit_record(actor=specialist, action="application.formed", target=("program_cycle", "7"))
    second = audit_record(actor=other_specialist, action="application.cancelled", target=("program_cycle", "8"))
    third = audit_record(actor=methodologist, action="program.approved", target=("providers.program", "3"))
    AuditEvent.objects.filter(pk=first.pk).update(created_at=datetime(2026, 3, 1, 0, 30, tzinfo=MSK))
    AuditEvent.objects.filter(pk=second.pk).update(created_at=datetime(2026, 3, 2, 23, 59, tzinfo=MSK))
    AuditEvent.objects.filter(pk=third.pk).update(created_at=datetime(2026, 3, 3, 0, 0, tzinfo=MSK))
    spelled = f"{specialist.snils[:3]}-{specialist.snils[3:6]}-{specialist.snils[6:9]} {specialist.snils[9:]}"

    assert list(audit_search(actor=spelled)) == [first]
    assert list(audit_search(actor=other_specialist.email.upper())) == [second]
    assert set(audit_search(action="application")) == {first, second}
    assert list(audit_search(action="application.formed")) == [first]
    assert list(audit_search(target="program_cycle:8")) == [second]
    assert list(audit_search(target="providers.program")) == [third]
    assert list(audit_search(date_from=date(2026, 3, 1), date_to=date(2026, 3, 2))) == [second, first]
    assert list(audit_search(date_from=date(2026, 3, 3))) == [third]


@pytest.mark.django_db
def test_the_page_lets_a_methodologist_search_and_pages_by_fifty(
    client: Client, methodologist: Any, specialist: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(60):
        audit_record(actor=specialist, action="document.added", target=("document", str(n)), summary=f"№{n}")
    audit_record(actor=methodologist, action="program.approved", summary="<script>alert(1)</script>")
    client.force_login(methodologist)
    with django_assert_max_num_queries(10):
        response = client.get("/audit/", {"actor": specialist.email})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Найдено записей: 60" in body and "Страница 1 из 2" in body
    assert "page=2" in body and "actor=" in body
    page2 = client.get("/audit/", {"actor": specialist.email, "page": 2}).content.decode()
    assert "№0<" in page2
    escaped = client.get("/audit/", {"action": "program"}).content.decode()
    assert "<script>alert(1)</script>" not in escaped and "&lt;script&gt;" in escaped


@pytest.mark.django_db
def test_the_page_is_not_there_for_anyone_else(client: Client, specialist: Any, secretary: Any) -> None:
    assert client.get("/audit/").status_code == 302
    for user in (specialist, secretary):
        client.force_login(user)
        assert client.get("/audit/").status_code == 404


@pytest.mark.django_db
def test_the_admin_shows_the_log_read_only(client: Client) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    event = audit_record(actor=admin, action="user.role_granted")
    client.force_login(admin)
    assert client.get("/admin/nmo_portal/auditevent/").status_code == 200
    assert client.get("/admin/nmo_portal/auditevent/add/").status_code == 403
    assert client.post(f"/admin/nmo_portal/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_a_look_at_someone_elses_data_is_recorded_but_not_ones_own(specialist: Any, secretary: Any) -> None:
    assert audit_viewed(actor=specialist, owner=specialist, target=specialist) is None
    event = audit_viewed(actor=secretary, owner=specialist, target=specialist, action="portfolio.viewed")
    assert event is not None and event.action == "portfolio.viewed"
    assert event.details == {"owner_id": str(specialist.pk)}
    assert AuditEvent.objects.count() == 1
