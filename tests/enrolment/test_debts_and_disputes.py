"""Crediting within a month (the overdue job, the scorecard) and missing-credit disputes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from enrolment.models import Dispute, DisputeStatus, ReportingDebt
from enrolment.results_parsing import ResultRow
from enrolment.selectors import scorecards, waiting_for
from enrolment.services import (
    application_enroll,
    dispute_answer,
    dispute_escalate,
    dispute_open,
    dispute_resolve,
    disputes_escalate_overdue,
    reporting_debts_detect,
    results_record,
)
from enrolment.transitions import DISPUTE_MOVES
from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from providers.models import Organisation
from reference.calendar import add_working_days
from tests.enrolment.conftest import api, end_cycle
from tests.enrolment.factories import enrolment_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(cycle: Any, learner: Any, staff_a: Any) -> Any:
    application = enrolment_application(cycle, learner)
    application_enroll(application=application, by=staff_a)
    end_cycle(cycle, days_ago=1)
    application.refresh_from_db()
    return application


def test_the_specialist_sees_the_date_results_are_due(enrolled: Any, cycle: Any) -> None:
    due = cycle.ends_on + timedelta(days=30)
    assert waiting_for(enrolled) == f"ожидает внесения результатов организацией до {due:%d.%m.%Y}"


def test_the_plan_says_until_when_the_organisation_must_enter_the_result(
    enrolled: Any, cycle: Any, learner: Any, client: Any
) -> None:
    from accounts.models import Document
    from enrolment.plan import plan_item_follow
    from trajectory.models import PlanItem
    from trajectory.services import cycle_open

    cycle_open(document=Document.objects.get(owner=learner), by=learner)
    plan_item_follow(application=enrolled, to="enrolled", by=learner)
    enrolled.refresh_from_db()
    item = PlanItem.objects.get(pk=enrolled.plan_item_id)
    assert (item.status, item.programme_cycle_id) == ("enrolled", cycle.pk)
    client.force_login(learner)
    page = client.get(f"/cycles/{item.cycle_id}/plan/").content.decode()
    due = cycle.ends_on + timedelta(days=30)
    assert f"ожидает внесения результатов организацией до {due:%d.%m.%Y}" in page


def test_the_overdue_job_marks_the_cycle_once_and_mails_the_provider(
    enrolled: Any, cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    day_due = cycle.ends_on + timedelta(days=30)
    assert reporting_debts_detect(today=day_due).opened == 0  # the 30th day is still in time
    with django_capture_on_commit_callbacks(execute=True):
        assert reporting_debts_detect(today=day_due + timedelta(days=1)).opened == 1
    debt = ReportingDebt.objects.get(cycle=cycle)
    assert (debt.due_on, debt.missing_count) == (day_due, 1)
    assert debt.notified_at is not None
    assert len(mail.outbox) == 1
    assert staff_a.email in mail.outbox[0].to and cycle.programme.organisation.email in mail.outbox[0].to
    with django_capture_on_commit_callbacks(execute=True):
        assert reporting_debts_detect(today=day_due + timedelta(days=2)).opened == 0
    assert len(mail.outbox) == 1
    assert ReportingDebt.objects.count() == 1


def test_a_late_result_pays_the_debt_and_counts_as_late(enrolled: Any, cycle: Any, learner: Any, staff_a: Any) -> None:
    late = cycle.ends_on + timedelta(days=40)
    reporting_debts_detect(today=late)
    row = ResultRow(row=2, snils=learner.snils, outcome="completed", completed_on=cycle.ends_on, certificate_number="1")
    results_record(cycle=cycle, rows=[row], by=staff_a, today=late)
    assert ReportingDebt.objects.get(cycle=cycle).resolved_on == late
    card = scorecards(organisations=Organisation.objects.filter(pk=cycle.programme.organisation_id), today=late)[0]
    assert (card.on_time, card.late, card.missing) == (0, 1, 0)


def test_the_scorecard_counts_missing_results(enrolled: Any, cycle: Any) -> None:
    organisations = Organisation.objects.filter(pk=cycle.programme.organisation_id)
    assert scorecards(organisations=organisations, today=cycle.ends_on + timedelta(days=5))[0].missing == 0
    assert scorecards(organisations=organisations, today=cycle.ends_on + timedelta(days=31))[0].missing == 1


def test_debts_show_in_the_provider_cabinet_and_to_methodologists(
    client: Any, enrolled: Any, cycle: Any, staff_a: Any, staff_b: Any, methodologist: Any
) -> None:
    reporting_debts_detect(today=cycle.ends_on + timedelta(days=31))
    client.force_login(staff_a)
    assert cycle.programme.title in client.get("/provider/enrolment/").content.decode()
    client.force_login(staff_b)
    assert cycle.programme.title not in client.get("/provider/enrolment/").content.decode()
    client.force_login(methodologist)
    assert cycle.programme.title in client.get("/methodologist/enrolment/").content.decode()


# --- disputes ----------------------------------------------------------------------------------------
def test_a_dispute_is_due_in_ten_working_days(
    enrolled: Any, learner: Any, today: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api(learner).post(
            "/api/v1/me/disputes/", {"application": enrolled.pk, "message": "ЗЕТ не пришли"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert response.json()["due_on"] == add_working_days(today, 10).isoformat()
    assert response.json()["status"] == "open"
    assert mail.outbox and "ЗЕТ" in mail.outbox[0].subject
    again = api(learner).post("/api/v1/me/disputes/", {"application": enrolled.pk, "message": "снова"}, format="json")
    assert again.status_code == 409


def test_a_dispute_before_the_cycle_ends_is_refused(cycle: Any, learner: Any, staff_a: Any) -> None:
    application = enrolment_application(cycle, learner)
    application_enroll(application=application, by=staff_a)
    with pytest.raises(ConflictError):
        dispute_open(application=application, by=learner, message="где ЗЕТ?")


def test_the_provider_answers_and_the_specialist_resolves(
    enrolled: Any, learner: Any, staff_a: Any, staff_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли")
    url = f"/api/v1/provider/disputes/{dispute.pk}/answer/"
    assert api(staff_b).post(url, {"answer_kind": "explanation", "answer": "x"}, format="json").status_code == 404
    assert api(staff_a).post(url, {"answer_kind": "result_entered"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_a).post(
            url, {"answer_kind": "explanation", "answer": "Слушатель не сдал итоговую аттестацию"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    assert mail.outbox[-1].to == [learner.email]
    dispute.refresh_from_db()
    dispute_resolve(dispute=dispute, by=learner)
    assert dispute.status == DisputeStatus.RESOLVED
    assert [t.to_status for t in dispute.transitions.all()] == ["open", "answered", "resolved"]


def test_an_unanswered_dispute_escalates_after_its_due_date(
    enrolled: Any, learner: Any, methodologist: Any, today: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли", today=today)
    assert disputes_escalate_overdue(today=dispute.due_on) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert disputes_escalate_overdue(today=dispute.due_on + timedelta(days=1)) == 1
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ESCALATED and dispute.escalated_at is not None
    assert methodologist.email in mail.outbox[-1].to
    assert disputes_escalate_overdue(today=dispute.due_on + timedelta(days=2)) == 0
    with pytest.raises(ConflictError):
        dispute_resolve(dispute=dispute, by=learner)
    with pytest.raises(ApplicationError):
        dispute_resolve(dispute=dispute, by=methodologist, resolution="")
    dispute_resolve(dispute=dispute, by=methodologist, resolution="Организации направлено требование")
    assert dispute.status == DisputeStatus.RESOLVED


def test_the_specialist_may_escalate_an_unsatisfying_answer(enrolled: Any, learner: Any, staff_a: Any) -> None:
    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли")
    dispute_answer(dispute=dispute, by=staff_a, kind="explanation", answer="Не сдал")
    with pytest.raises(ConflictError):
        dispute_escalate(dispute=dispute, by=staff_a)
    dispute_escalate(dispute=dispute, by=learner, reason="Сдал, есть удостоверение")
    assert dispute.status == DisputeStatus.ESCALATED


@pytest.mark.parametrize(("source", "target"), DISPUTE_MOVES.as_rows())
def test_every_dispute_move_is_recorded(source: str, target: str, enrolled: Any, learner: Any) -> None:
    from enrolment.models import DisputeTransition
    from nmo_portal.lib.statemachine import transition_apply

    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли")
    Dispute.objects.filter(pk=dispute.pk).update(status=source)
    dispute.refresh_from_db()
    transition_apply(subject=dispute, table=DISPUTE_MOVES, to=target, history_model=DisputeTransition)
    assert dispute.transitions.last().to_status == target  # type: ignore[union-attr]


def test_pages_for_each_side_of_a_dispute(
    client: Any, enrolled: Any, learner: Any, other_learner: Any, staff_a: Any, staff_b: Any, methodologist: Any
) -> None:
    client.force_login(learner)
    response = client.post(f"/me/applications/{enrolled.pk}/dispute/", {"message": "Нет ЗЕТ"})
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert client.get(f"/me/disputes/{dispute.pk}/").status_code == 200
    client.force_login(other_learner)
    assert client.get(f"/me/disputes/{dispute.pk}/").status_code == 404
    client.force_login(staff_b)
    assert client.get(f"/provider/disputes/{dispute.pk}/").status_code == 404
    client.force_login(staff_a)
    client.post(f"/provider/disputes/{dispute.pk}/", {"answer_kind": "explanation", "answer": "Не сдал"})
    dispute.refresh_from_db()
    assert dispute.status == "answered"
    client.force_login(learner)
    client.post(f"/me/disputes/{dispute.pk}/", {"action": "escalate", "reason": "Сдал"})
    client.force_login(methodologist)
    assert "Нет ЗЕТ" in client.get(f"/methodologist/disputes/{dispute.pk}/").content.decode()
    assert enrolled.number in client.get("/methodologist/enrolment/").content.decode()
    client.post(f"/methodologist/disputes/{dispute.pk}/", {"reason": "Решено в пользу слушателя"})
    dispute.refresh_from_db()
    assert dispute.status == "resolved"


def test_the_jobs_are_registered_and_run_with_frozen_time(
    enrolled: Any, cycle: Any, learner: Any, monkeypatch: Any
) -> None:
    from django.utils import timezone

    from enrolment.tasks import disputes_escalate_job, reporting_debts_job
    from nmo_portal.lib.periodic import registered_jobs

    jobs = {job.name: job.schedule for job in registered_jobs()}
    assert jobs["enrolment.tasks.reporting_debts_job"] == timedelta(days=1)
    assert "enrolment.tasks.disputes_escalate_job" in jobs
    assert "enrolment.tasks.results_credit_sweep" in jobs
    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли")
    frozen = cycle.ends_on + timedelta(days=45)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: frozen)
    assert reporting_debts_job.apply().get() == {"opened": 1, "resolved": 0}
    assert reporting_debts_job.apply().get() == {"opened": 0, "resolved": 0}
    assert disputes_escalate_job.apply().get() == (1 if dispute.due_on < frozen else 0)


def test_entering_the_result_answers_an_open_dispute(enrolled: Any, cycle: Any, learner: Any, staff_a: Any) -> None:
    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли")
    row = ResultRow(row=2, snils=learner.snils, outcome="completed", completed_on=cycle.ends_on, certificate_number="1")
    results_record(cycle=cycle, rows=[row], by=staff_a)
    dispute.refresh_from_db()
    assert (dispute.status, dispute.answer_kind) == ("answered", "result_entered")
