"""The pages: the specialist's, the secretary's queue, the commission's view, the public protocol."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accreditation import services
from accreditation.models import AccreditationApplication, ApplicationStatus
from tests.accreditation.factories import accr_application, accr_credit, accr_cycle, accr_pdf, accr_submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_specialist_sees_the_window_and_readiness_of_each_cycle(specialist: Any) -> None:
    cycle = accr_cycle(specialist)
    accr_credit(cycle, zet=36, element_type="program")
    page = logged_in(specialist).get("/accreditation/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Окно подачи" in text and f"{cycle.document.valid_until:%d.%m.%Y}" in text
    assert "Не хватает 108 ч обучения" in text
    assert "Создать заявление" in text


def test_the_specialist_creates_fills_in_and_submits_through_the_pages(specialist: Any, commission_own: Any) -> None:
    cycle = accr_cycle(specialist)
    client = logged_in(specialist)
    response = client.post(
        "/accreditation/apply/",
        {
            "cycle": cycle.pk,
            "phone": "+79161234567",
            "email": "me@example.org",
            "report_agreed_with_employer": "no",
            "report_disagreement_reason": "unemployed",
        },
    )
    application = AccreditationApplication.objects.get(applicant=specialist)
    assert response.status_code == 302 and response["Location"] == f"/accreditation/applications/{application.pk}/"
    refused = client.post(f"/accreditation/applications/{application.pk}/submit/", follow=True)
    assert "Нет отчёта о профессиональной деятельности" in refused.content.decode()
    client.post(
        f"/accreditation/applications/{application.pk}/report-form/",
        {"position_and_workplace": "Врач-терапевт", "work_done": "Приём пациентов"},
    )
    done = client.post(f"/accreditation/applications/{application.pk}/submit/", follow=True)
    text = done.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "портфолио зафиксировано" in text and application.snapshots.get().sha256 in text
    assert 'data-testid="timeline"' in text


def test_a_returned_application_shows_the_reason_and_after_resubmission_what_changed(
    specialist: Any, secretary_own: Any
) -> None:
    cycle = accr_cycle(specialist)
    application = accr_submitted(specialist, cycle=cycle)
    services.application_return(application=application, by=secretary_own, reason="Добавьте удостоверение")
    client = logged_in(specialist)
    assert "Добавьте удостоверение" in client.get(f"/accreditation/applications/{application.pk}/").content.decode()
    accr_credit(cycle, zet=72, element_type="program", title="Кардиология, 72 ч")
    client.post(f"/accreditation/applications/{application.pk}/files/", {"file": accr_pdf("u.pdf"), "title": "Удост."})
    client.post(f"/accreditation/applications/{application.pk}/submit/")
    text = client.get(f"/accreditation/applications/{application.pk}/").content.decode()
    assert 'data-testid="snapshot-diff"' in text and "Кардиология, 72 ч" in text


def test_the_queue_shows_overdue_applications_first_with_dates(
    specialist: Any, other_specialist: Any, secretary_own: Any
) -> None:
    fresh = accr_submitted(specialist)
    late = accr_submitted(other_specialist)
    client = logged_in(secretary_own)
    assert "просрочено" not in client.get("/accreditation/queue/").content.decode()
    # a change made behind the services' back still redraws the queue (it is drawn from what it shows)
    AccreditationApplication.objects.filter(pk=late.pk).update(due_on=timezone.localdate().replace(year=2020))
    text = client.get("/accreditation/queue/").content.decode()
    assert text.index(f"/accreditation/queue/{late.pk}/") < text.index(f"/accreditation/queue/{fresh.pk}/")
    assert "просрочено" in text
    assert f"{timezone.localdate().replace(year=2020):%d.%m.%Y}" in text


def test_the_queue_is_overdue_first_then_by_due_date_whatever_the_dates(secretary_own: Any) -> None:
    from datetime import timedelta

    from accreditation.selectors import applications_for_staff

    today = timezone.localdate()
    dues = [today + timedelta(days=3), None, today, today - timedelta(days=400), today - timedelta(days=1), today]
    dues += [None, today - timedelta(days=1)]
    for due in dues:
        application = accr_submitted(UserFactory(roles=["specialist"]))
        AccreditationApplication.objects.filter(pk=application.pk).update(due_on=due)
    queue = list(applications_for_staff(user=secretary_own, today=today))

    def expected(row: Any) -> tuple[Any, ...]:  # what the secretary is promised, spelled out
        overdue = row.due_on is not None and row.due_on < today
        return (not overdue, row.due_on is None, row.due_on or today, row.submitted_at, row.pk)

    assert [row.pk for row in queue] == [row.pk for row in sorted(queue, key=expected)]
    assert [row.overdue for row in queue] == [True] * 3 + [False] * 5


def test_the_queue_page_takes_a_fixed_number_of_queries(specialist: Any, secretary_own: Any) -> None:
    accr_submitted(specialist)
    client = logged_in(secretary_own)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accreditation/queue/").status_code == 200
        return len(captured)

    few = count()
    for _ in range(5):
        accr_submitted(UserFactory(roles=["specialist"]))
    assert count() == few


def test_the_secretary_works_the_application_through_the_detail_page(
    specialist: Any, secretary_own: Any, commission_member_own: Any
) -> None:
    application = accr_submitted(specialist)
    secretary = logged_in(secretary_own)
    page = secretary.get(f"/accreditation/queue/{application.pk}/").content.decode()
    assert "целостность подтверждена" in page and 'data-testid="register"' in page
    secretary.post(f"/accreditation/queue/{application.pk}/register/")
    secretary.post(f"/accreditation/queue/{application.pk}/to-commission/")
    member = logged_in(commission_member_own)
    assert f"/accreditation/queue/{application.pk}/" in member.get("/accreditation/commission/").content.decode()
    member.post(f"/accreditation/queue/{application.pk}/decide/", {"result": "passed", "comment": "ок"})
    secretary.post(f"/accreditation/queue/{application.pk}/publish/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PUBLISHED
    protocol = application.protocol
    public = Client().get(f"/accreditation/protocols/{protocol.public_id}/").content.decode()
    assert specialist.last_name not in public  # masked
    assert f"{specialist.last_name[0]}" in public and specialist.snils_masked in public
    assert "Сдано" in public


def test_the_commission_sees_the_snapshot_not_the_live_portfolio(
    specialist: Any, secretary_own: Any, commission_member_own: Any
) -> None:
    cycle = accr_cycle(specialist)
    accr_credit(cycle, zet=36, element_type="program", title="До подачи")
    application = accr_submitted(specialist, cycle=cycle)
    services.application_register(application=application, by=secretary_own)
    services.application_to_commission(application=application, by=secretary_own)
    accr_credit(cycle, zet=72, element_type="program", title="После подачи")
    text = logged_in(commission_member_own).get(f"/accreditation/queue/{application.pk}/").content.decode()
    assert "До подачи" in text and "После подачи" not in text


def test_a_member_downloads_only_the_files_frozen_in_a_snapshot(
    specialist: Any, secretary_own: Any, commission_member_own: Any
) -> None:
    application = accr_submitted(specialist)
    services.application_register(application=application, by=secretary_own)
    services.application_return(application=application, by=secretary_own, reason="x")
    extra = services.application_file_add(application=application, by=specialist, file=accr_pdf("late.pdf", b"late"))
    report = application.files.get(kind="report")
    member = logged_in(commission_member_own)
    secretary = logged_in(secretary_own)
    assert secretary.get(f"/accreditation/applications/{application.pk}/files/{report.pk}/").status_code == 200
    assert secretary.get(f"/accreditation/applications/{application.pk}/files/{extra.pk}/").status_code == 404
    assert member.get(f"/accreditation/applications/{application.pk}/files/{report.pk}/").status_code == 404


def test_outsiders_get_404_on_the_pages(
    specialist: Any, other_specialist: Any, secretary_own: Any, secretary_other: Any, commission_member_other: Any
) -> None:
    application = accr_submitted(specialist)
    report = application.files.get(kind="report")
    for outsider in (other_specialist, secretary_other, commission_member_other):
        client = logged_in(outsider)
        assert client.get(f"/accreditation/applications/{application.pk}/").status_code == 404
        assert client.get(f"/accreditation/applications/{application.pk}/files/{report.pk}/").status_code == 404
        assert client.get(f"/accreditation/queue/{application.pk}/").status_code == 404
        assert client.post(f"/accreditation/queue/{application.pk}/register/").status_code == 404
    assert logged_in(other_specialist).get("/accreditation/queue/").status_code == 404


def test_an_unpublished_protocol_is_not_public(specialist: Any, secretary_own: Any, commission_member_own: Any) -> None:
    application = accr_submitted(specialist)
    services.application_register(application=application, by=secretary_own)
    services.application_to_commission(application=application, by=secretary_own)
    services.application_decide(application=application, by=commission_member_own, result="passed")
    application.refresh_from_db()
    assert Client().get(f"/accreditation/protocols/{application.protocol.public_id}/").status_code == 404


def test_a_draft_is_visible_only_to_its_owner(specialist: Any, secretary_own: Any) -> None:
    draft = accr_application(specialist)
    assert logged_in(secretary_own).get(f"/accreditation/queue/{draft.pk}/").status_code == 404


def test_a_staff_download_of_an_applicants_file_is_audited_and_the_owners_own_is_not(
    specialist: Any, secretary_own: Any
) -> None:
    from nmo_portal.models import AuditEvent

    application = accr_submitted(specialist)
    report = application.files.get(kind="report")
    url = f"/accreditation/applications/{application.pk}/files/{report.pk}/"
    assert logged_in(secretary_own).get(url).status_code == 200
    assert logged_in(specialist).get(url).status_code == 200
    events = AuditEvent.objects.filter(action="accreditation.file_viewed")
    assert [(e.actor_id, e.target_id) for e in events] == [(secretary_own.pk, str(report.pk))]
