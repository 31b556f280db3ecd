"""The application's lifecycle through the services: every move, every refusal, the snapshot,
the journal, the protocol and what a published decision does."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accreditation import services
from accreditation.ledger import snapshot_diff
from accreditation.models import (
    AccreditationApplication,
    ApplicationStatus,
    ImmutableError,
    PortfolioSnapshot,
    Protocol,
    canonical_json,
    content_sha256,
)
from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from tests.accreditation.factories import (
    accr_application,
    accr_commission,
    accr_credit,
    accr_cycle,
    accr_pdf,
    accr_specialty,
    accr_submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(secretary_own: Any, commission_member_own: Any) -> tuple[Any, Any]:
    return secretary_own, commission_member_own


def _through(application: Any, to: str, staff: tuple[Any, Any]) -> Any:
    secretary, member = staff
    steps = [
        (ApplicationStatus.REGISTERED, lambda: services.application_register(application=application, by=secretary)),
        (
            ApplicationStatus.UNDER_REVIEW,
            lambda: services.application_to_commission(application=application, by=secretary),
        ),
        (
            ApplicationStatus.DECIDED,
            lambda: services.application_decide(application=application, by=member, result="passed", comment="ок"),
        ),
        (ApplicationStatus.PUBLISHED, lambda: services.application_publish(application=application, by=secretary)),
    ]
    for status, step in steps:
        step()
        if status == to:
            break
    application.refresh_from_db()
    return application


# --- creating and submitting ------------------------------------------------------------------------
def test_a_draft_is_created_for_a_cycle_in_its_filing_window(specialist: Any, commission_own: Any) -> None:
    application = accr_application(specialist, with_report=False)
    assert application.status == ApplicationStatus.DRAFT
    assert application.document == application.cycle.document
    assert list(application.transitions.values_list("from_status", "to_status")) == [("", "draft")]


def test_a_draft_outside_the_window_is_refused_naming_why(specialist: Any) -> None:
    cycle = accr_cycle(specialist, valid_until=timezone.localdate() + timedelta(days=500))
    with pytest.raises(ApplicationError) as error:
        accr_application(specialist, cycle=cycle)
    assert error.value.code == "window_not_open"


def test_someone_elses_cycle_is_not_found(specialist: Any, other_specialist: Any) -> None:
    cycle = accr_cycle(other_specialist)
    with pytest.raises(ApplicationError) as error:
        accr_application(specialist, cycle=cycle)
    assert error.value.field == "cycle"


def test_a_second_live_application_for_the_same_cycle_is_a_conflict(specialist: Any) -> None:
    application = accr_application(specialist)
    with pytest.raises(ConflictError):
        accr_application(specialist, cycle=application.cycle)


def test_not_agreed_with_the_employer_needs_one_of_the_reasons(specialist: Any) -> None:
    cycle = accr_cycle(specialist)
    with pytest.raises(ApplicationError) as error:
        accr_application(specialist, cycle=cycle, report_agreed_with_employer=False)
    assert error.value.field == "report_disagreement_reason"
    application = accr_application(
        specialist, cycle=cycle, report_agreed_with_employer=False, report_disagreement_reason="sole_trader"
    )
    assert application.get_report_disagreement_reason_display() == "Я — индивидуальный предприниматель"


def test_the_database_refuses_a_reason_when_the_report_was_agreed(specialist: Any) -> None:
    application = accr_application(specialist)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationApplication.objects.filter(pk=application.pk).update(report_disagreement_reason="unemployed")


def test_submission_without_a_report_is_refused_naming_what_is_missing(specialist: Any, commission_own: Any) -> None:
    application = accr_application(specialist, with_report=False)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, by=specialist)
    assert "report" in error.value.as_body()
    assert application.snapshots.count() == 0


def test_a_report_that_is_not_a_pdf_is_refused_by_content(specialist: Any) -> None:
    application = accr_application(specialist, with_report=False)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(ApplicationError) as error:
        services.application_report_upload(application=application, by=specialist, file=fake)
    assert error.value.field == "file"


def test_a_report_over_10_megabytes_is_refused(specialist: Any) -> None:
    application = accr_application(specialist, with_report=False)
    with pytest.raises(ApplicationError) as error:
        services.application_report_upload(
            application=application, by=specialist, file=accr_pdf(size=10 * 1024 * 1024 + 1)
        )
    assert "10 МБ" in str(error.value.message)


def test_the_report_can_be_entered_in_the_form_and_becomes_a_pdf(specialist: Any, commission_own: Any) -> None:
    application = accr_application(specialist, with_report=False)
    stored = services.application_report_fill(
        application=application,
        by=specialist,
        position_and_workplace="Врач-терапевт участковый, ГП № 1",
        work_done="Приём 5000 пациентов в год",
        achievements="2 статьи",
        self_assessment="Хорошо",
    )
    assert stored.source == "form" and stored.file.read(5) == b"%PDF-"
    services.application_submit(application=application, by=specialist)
    assert application.status == ApplicationStatus.SUBMITTED


def test_submission_freezes_a_snapshot_and_assigns_the_commission(specialist: Any, commission_own: Any) -> None:
    cycle = accr_cycle(specialist)
    accr_credit(cycle, zet=72, element_type="program")
    accr_credit(cycle, zet=6, element_type="event")
    application = accr_application(specialist, cycle=cycle)
    services.application_submit(application=application, by=specialist, today=timezone.localdate())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.commission == commission_own
    assert application.registration_due_on is not None and application.due_on == application.registration_due_on
    snapshot = application.snapshots.get()
    assert snapshot.version == 1
    assert snapshot.content["totals"]["total"] == "78.00"
    assert snapshot.content["totals"]["by_kind"]["program"] == "72.00"
    assert snapshot.content["readiness"]["ok"] is False
    assert snapshot.content["applicant"]["snils"] == specialist.snils_masked
    assert specialist.snils not in canonical_json(snapshot.content).decode()
    assert [f["kind"] for f in snapshot.content["files"]] == ["report"]


def test_readiness_warns_but_does_not_forbid_submission(specialist: Any, commission_own: Any) -> None:
    application = accr_submitted(specialist)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.snapshots.get().content["readiness"]["missing"]


def test_reversals_are_netted_in_the_snapshot(specialist: Any, commission_own: Any) -> None:
    from portfolio.services import credit_reverse

    cycle = accr_cycle(specialist)
    kept = accr_credit(cycle, zet=144, element_type="program")
    gone = accr_credit(cycle, zet=36, element_type="program")
    credit_reverse(entry=gone, by=None, reason="ошибка организации")
    application = accr_submitted(specialist, cycle=cycle)
    content = application.snapshots.get().content
    assert [e["id"] for e in content["entries"]] == [kept.pk]
    assert content["totals"]["total"] == "144.00"
    assert content["readiness"]["ok"] is True


def test_no_commission_for_the_specialty_means_no_submission(specialist: Any) -> None:
    application = accr_application(specialist)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, by=specialist)
    assert error.value.code == "no_commission"


def test_a_regional_commission_is_preferred_to_the_federal_one(specialist: Any) -> None:
    from reference.models import Region

    region = Region.objects.order_by("pk")[3]
    specialist.region = region
    specialist.save(update_fields=["region"])
    accr_commission(specialties=[accr_specialty()], name="Федеральная")
    regional = accr_commission(specialties=[accr_specialty()], region=region, name="Региональная")
    accr_commission(specialties=[accr_specialty()], region=Region.objects.order_by("pk")[4], name="Соседняя")
    application = accr_submitted(specialist)
    assert application.commission == regional


def test_submission_outside_the_window_is_refused(specialist: Any, commission_own: Any) -> None:
    application = accr_application(specialist)
    too_late = application.document.valid_until + timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, by=specialist, today=too_late)
    assert error.value.code == "window_closed"


# --- the snapshot --------------------------------------------------------------------------------------
def test_the_snapshot_hash_is_the_sha256_of_its_canonical_json(specialist: Any, commission_own: Any) -> None:
    import hashlib
    import json

    application = accr_submitted(specialist)
    snapshot = PortfolioSnapshot.objects.get(application=application)
    recomputed = hashlib.sha256(
        json.dumps(snapshot.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert recomputed == snapshot.sha256 == content_sha256(snapshot.content)
    assert snapshot.verify()


def test_a_snapshot_refuses_to_be_saved_again_or_deleted(specialist: Any, commission_own: Any) -> None:
    snapshot = accr_submitted(specialist).snapshots.get()
    snapshot.content["totals"]["total"] = "999.00"
    with pytest.raises(ImmutableError):
        snapshot.save()
    with pytest.raises(ImmutableError):
        snapshot.delete()
    snapshot.refresh_from_db()
    assert snapshot.verify()


def test_a_snapshot_row_cannot_be_updated_even_bypassing_the_model(specialist: Any, commission_own: Any) -> None:
    snapshot = accr_submitted(specialist).snapshots.get()
    with pytest.raises(Exception, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accreditation_portfoliosnapshot SET sha256 = %s WHERE id = %s", ["0" * 64, snapshot.pk])
    snapshot.refresh_from_db()
    assert snapshot.verify()


@pytest.mark.postgres
def test_on_postgresql_a_snapshot_row_cannot_be_deleted_by_raw_sql(specialist: Any, commission_own: Any) -> None:
    snapshot = accr_submitted(specialist).snapshots.get()
    with pytest.raises(Exception, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accreditation_portfoliosnapshot WHERE id = %s", [snapshot.pk])
    assert PortfolioSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_a_tampered_content_no_longer_verifies() -> None:
    snapshot = PortfolioSnapshot(content={"a": "1"}, sha256=content_sha256({"a": "1"}), version=1)
    assert snapshot.verify()
    snapshot.content = {"a": "2"}
    assert not snapshot.verify()


# --- the secretary ---------------------------------------------------------------------------------------
def test_registration_assigns_the_next_journal_number_of_the_year_and_the_check_deadline(
    specialist: Any, other_specialist: Any, staff: tuple[Any, Any]
) -> None:
    secretary, _ = staff
    first = accr_submitted(specialist)
    second = accr_submitted(other_specialist)
    day = timezone.localdate()
    services.application_register(application=second, by=secretary, today=day)
    services.application_register(application=first, by=secretary, today=day)
    assert (second.journal_number, second.journal_year) == (1, day.year)
    assert (first.journal_number, first.journal_year) == (2, day.year)
    from reference.calendar import add_working_days

    assert first.check_due_on == add_working_days(day, 20) == first.due_on


def test_journal_numbers_start_again_each_year(specialist: Any, other_specialist: Any, staff: tuple[Any, Any]) -> None:
    secretary, _ = staff
    a, b = accr_submitted(specialist), accr_submitted(other_specialist)
    services.application_register(application=a, by=secretary, today=date(2026, 12, 30))
    services.application_register(application=b, by=secretary, today=date(2027, 1, 11))
    assert (a.journal_label, b.journal_label) == ("1/2026", "1/2027")


def test_a_rolled_back_registration_gives_its_number_back(specialist: Any, other_specialist: Any, staff: Any) -> None:
    secretary, _ = staff
    a, b = accr_submitted(specialist), accr_submitted(other_specialist)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.application_register(application=a, by=secretary)
        raise RuntimeError("the request failed after registering")
    a.refresh_from_db()
    assert a.journal_number is None and a.status == ApplicationStatus.SUBMITTED
    services.application_register(application=b, by=secretary)
    assert b.journal_number == 1


def test_only_the_commissions_secretary_registers(specialist: Any, staff: Any, secretary_other: Any) -> None:
    _secretary, member = staff
    application = accr_submitted(specialist)
    for outsider in (member, secretary_other, specialist):
        with pytest.raises(PermissionDenied):
            services.application_register(application=application, by=outsider)


def test_return_needs_a_reason_and_tells_the_specialist(specialist: Any, staff: Any, mailoutbox: list[Any]) -> None:
    secretary, _ = staff
    application = accr_submitted(specialist)
    with pytest.raises(ApplicationError):
        services.application_return(application=application, by=secretary, reason="  ")
    mailoutbox.clear()
    with _run_on_commit():
        services.application_return(application=application, by=secretary, reason="Нет подписи на отчёте")
    assert application.status == ApplicationStatus.RETURNED and application.due_on is None
    assert [m.subject for m in mailoutbox] == ["Заявление возвращено на доработку"]
    assert "Нет подписи на отчёте" in mailoutbox[0].body
    assert mailoutbox[0].to == [application.email]


def test_a_registered_application_can_be_returned_too(specialist: Any, staff: Any) -> None:
    application = _through(accr_submitted(specialist), ApplicationStatus.REGISTERED, staff)
    services.application_return(application=application, by=staff[0], reason="Отчёт не подписан")
    assert application.status == ApplicationStatus.RETURNED


def test_a_returned_application_is_fixed_and_resubmitted_with_a_new_snapshot_and_a_diff(
    specialist: Any, staff: Any
) -> None:
    secretary, _ = staff
    cycle = accr_cycle(specialist)
    first_entry = accr_credit(cycle, zet=36, element_type="program", title="Кардиология")
    application = accr_submitted(specialist, cycle=cycle)
    services.application_register(application=application, by=secretary)
    services.application_return(application=application, by=secretary, reason="Добавьте удостоверение")
    added = accr_credit(cycle, zet=72, element_type="program", title="Терапия")
    services.application_file_add(
        application=application, by=specialist, file=accr_pdf("udost.pdf", b"u"), title="Удостоверение"
    )
    services.application_submit(application=application, by=specialist)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.journal_number == 1  # keeps its number
    v1, v2 = application.snapshots.order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    diff = snapshot_diff(v1.content, v2.content)
    assert [e["id"] for e in diff["entries_added"]] == [added.pk]
    assert diff["entries_removed"] == []
    assert {"key": "total", "old": "36.00", "new": "108.00", "delta": "72.00"} in diff["totals"]
    assert [f["title"] for f in diff["files_added"]] == ["Удостоверение"]
    assert first_entry.pk in [e["id"] for e in v2.content["entries"]]
    assert [t.to_status for t in application.transitions.all()] == [
        "draft",
        "submitted",
        "registered",
        "returned",
        "submitted",
    ]


def test_to_commission_sets_the_fifteen_day_deadline(specialist: Any, staff: Any) -> None:
    application = _through(accr_submitted(specialist), ApplicationStatus.REGISTERED, staff)
    services.application_to_commission(application=application, by=staff[0], today=date(2027, 1, 11))
    assert application.commission_due_on == date(2027, 2, 1) == application.due_on


# --- refusals: every wrong state is a 409 -------------------------------------------------------------------
WRONG = {
    ApplicationStatus.DRAFT: ["register", "return", "to_commission", "decide", "publish"],
    ApplicationStatus.SUBMITTED: ["submit", "to_commission", "decide", "publish"],
    ApplicationStatus.REGISTERED: ["submit", "register", "decide", "publish"],
    ApplicationStatus.UNDER_REVIEW: ["submit", "register", "return", "to_commission", "publish"],
    ApplicationStatus.DECIDED: ["submit", "register", "return", "to_commission", "decide"],
    ApplicationStatus.PUBLISHED: ["submit", "register", "return", "to_commission", "decide", "publish"],
}


def _act(action: str, application: Any, specialist: Any, staff: tuple[Any, Any]) -> None:
    secretary, member = staff
    calls = {
        "submit": lambda: services.application_submit(application=application, by=specialist),
        "register": lambda: services.application_register(application=application, by=secretary),
        "return": lambda: services.application_return(application=application, by=secretary, reason="x"),
        "to_commission": lambda: services.application_to_commission(application=application, by=secretary),
        "decide": lambda: services.application_decide(application=application, by=member, result="passed"),
        "publish": lambda: services.application_publish(application=application, by=secretary),
    }
    calls[action]()


@pytest.mark.parametrize(("status", "action"), [(s, a) for s, actions in WRONG.items() for a in actions])
def test_an_action_in_the_wrong_state_is_a_conflict(status: str, action: str, specialist: Any, staff: Any) -> None:
    if status == ApplicationStatus.DRAFT:
        application = accr_application(specialist)
        application.commission = staff[0].commission_memberships.get().commission
        application.save(update_fields=["commission"])
    else:
        application = accr_submitted(specialist)
        if status != ApplicationStatus.SUBMITTED:
            application = _through(application, status, staff)
    with pytest.raises(ConflictError) as error:
        _act(action, application, specialist, staff)
    assert error.value.status_code == 409
    application.refresh_from_db()
    assert application.status == status


def test_a_draft_cannot_be_edited_once_submitted(specialist: Any, commission_own: Any) -> None:
    application = accr_submitted(specialist)
    with pytest.raises(ConflictError):
        services.application_report_upload(application=application, by=specialist, file=accr_pdf())


# --- the commission and the protocol ---------------------------------------------------------------------
def test_a_failed_decision_needs_a_comment(specialist: Any, staff: Any) -> None:
    application = _through(accr_submitted(specialist), ApplicationStatus.UNDER_REVIEW, staff)
    with pytest.raises(ApplicationError) as error:
        services.application_decide(application=application, by=staff[1], result="failed", comment="")
    assert error.value.field == "comment"


def test_only_a_member_of_the_commission_decides(specialist: Any, staff: Any, commission_member_other: Any) -> None:
    application = _through(accr_submitted(specialist), ApplicationStatus.UNDER_REVIEW, staff)
    for outsider in (staff[0], commission_member_other):
        with pytest.raises(PermissionDenied):
            services.application_decide(application=application, by=outsider, result="passed")


def test_decisions_go_into_the_open_protocol_numbered_per_year(
    specialist: Any, other_specialist: Any, staff: Any
) -> None:
    a = _through(accr_submitted(specialist), ApplicationStatus.DECIDED, staff)
    b = _through(accr_submitted(other_specialist), ApplicationStatus.DECIDED, staff)
    assert a.protocol == b.protocol
    protocol = a.protocol
    assert (protocol.number, protocol.year, protocol.signed_at) == (1, timezone.localdate().year, None)
    assert set(protocol.decisions.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_publishing_a_pass_signs_the_protocol_gives_a_document_and_opens_the_next_cycle(
    specialist: Any, staff: Any, mailoutbox: list[Any]
) -> None:
    from trajectory.models import Cycle

    application = _through(accr_submitted(specialist), ApplicationStatus.DECIDED, staff)
    old_cycle = application.cycle
    today = timezone.localdate()
    with _run_on_commit():
        services.application_publish(application=application, by=staff[0], today=today)
    application.refresh_from_db()
    protocol = Protocol.objects.get()
    assert application.status == ApplicationStatus.PUBLISHED and application.published_at
    assert protocol.signed_by == staff[0] and protocol.published_at is not None
    from reference.calendar import add_working_days

    assert protocol.publication_due_on == add_working_days(today, 2)
    document = application.new_document
    assert (document.kind, document.accreditation_type, document.frmr_status) == (
        "accreditation",
        "periodic",
        "not_confirmed",
    )
    assert document.specialty == application.specialty and document.issued_on == today
    assert str(protocol.number) in document.number
    old_cycle.refresh_from_db()
    assert old_cycle.status == "closed"
    new_cycle = Cycle.objects.get(owner=specialist, status="active")
    assert new_cycle.document == document and new_cycle.starts_on == today
    protocol.refresh_from_db()
    assert protocol.pdf_status == "ready" and protocol.pdf.read(5) == b"%PDF-"
    published = [m for m in mailoutbox if m.subject == "Результат периодической аккредитации"]
    assert len(published) == 1 and document.number in published[0].body


def test_publishing_a_fail_tells_the_specialist_what_next_and_opens_no_cycle(
    specialist: Any, staff: Any, mailoutbox: list[Any]
) -> None:
    secretary, member = staff
    application = _through(accr_submitted(specialist), ApplicationStatus.UNDER_REVIEW, staff)
    services.application_decide(application=application, by=member, result="failed", comment="Нет 72 ч ДПП ПК")
    with _run_on_commit():
        services.application_publish(application=application, by=secretary)
    application.refresh_from_db()
    assert application.result == "failed" and application.new_document is None
    application.cycle.refresh_from_db()
    assert application.cycle.status == "active"
    body = next(m.body for m in mailoutbox if m.subject == "Результат периодической аккредитации")
    assert "Нет 72 ч ДПП ПК" in body and "подать заявление повторно" in body


def test_after_a_published_fail_a_new_application_may_be_filed_for_the_cycle(specialist: Any, staff: Any) -> None:
    application = _through(accr_submitted(specialist), ApplicationStatus.UNDER_REVIEW, staff)
    services.application_decide(application=application, by=staff[1], result="failed", comment="мало")
    services.application_publish(application=application, by=staff[0])
    again = accr_application(specialist, cycle=application.cycle)
    assert again.status == ApplicationStatus.DRAFT


def test_publishing_publishes_every_decision_of_the_protocol_and_the_next_decision_opens_a_new_one(
    specialist: Any, other_specialist: Any, staff: Any
) -> None:
    a = _through(accr_submitted(specialist), ApplicationStatus.DECIDED, staff)
    b = _through(accr_submitted(other_specialist), ApplicationStatus.DECIDED, staff)
    services.application_publish(application=a, by=staff[0])
    b.refresh_from_db()
    assert b.status == ApplicationStatus.PUBLISHED
    third = accr_submitted(a_specialist())
    third = _through(third, ApplicationStatus.DECIDED, staff)
    assert third.protocol.number == 2 and third.protocol.signed_at is None


def test_every_step_mails_the_specialist(specialist: Any, staff: Any, mailoutbox: list[Any]) -> None:
    with _run_on_commit():
        application = accr_submitted(specialist)
        _through(application, ApplicationStatus.PUBLISHED, staff)
    to_specialist = [m.subject for m in mailoutbox if m.to == [application.email]]
    assert to_specialist == [
        "Заявление на периодическую аккредитацию подано",
        "Заявление зарегистрировано",
        "Портфолио передано в аккредитационную комиссию",
        "Комиссия оценила портфолио",
        "Результат периодической аккредитации",
    ]
    to_staff = {m.subject for m in mailoutbox if m.to != [application.email]}
    assert "Новое заявление на периодическую аккредитацию" in to_staff and "Портфолио на оценку" in to_staff


def test_a_notification_is_sent_once_even_if_the_task_runs_twice(
    specialist: Any, staff: Any, mailoutbox: list[Any]
) -> None:
    from accreditation.tasks import transition_notify

    application = accr_submitted(specialist)
    record = application.transitions.get(to_status="submitted")
    assert transition_notify(record.pk) == 2
    assert transition_notify(record.pk) == 0
    assert len(mailoutbox) == 2


# --- helpers ---------------------------------------------------------------------------------------------
class _run_on_commit:  # used like a function
    """Run on_commit callbacks (mail, PDFs) inside a test transaction, as a commit would."""

    def __enter__(self) -> None:
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        self._ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)


def a_specialist() -> Any:
    from accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(roles=[Role.SPECIALIST])


def test_staff_actions_and_looks_are_audited(specialist: Any, staff: Any) -> None:
    from django.test import Client

    from nmo_portal.models import AuditEvent

    application = accr_submitted(specialist)
    services.application_register(application=application, by=staff[0])
    client = Client()
    client.force_login(staff[0])
    client.get(f"/accreditation/queue/{application.pk}/")
    actions = sorted(AuditEvent.objects.filter(target_id=str(application.pk)).values_list("action", "actor"))
    assert actions == [
        ("accreditation_application.registered", staff[0].pk),
        ("accreditation_application.viewed", staff[0].pk),
    ]
    assert not AuditEvent.objects.filter(actor=specialist).exists()  # the specialist's own moves are not staff actions


def test_the_sweeper_sends_what_the_broker_lost(specialist: Any, commission_own: Any, mailoutbox: list[Any]) -> None:
    from datetime import timedelta

    from accreditation.models import ApplicationTransition
    from accreditation.tasks import accreditation_sweep

    application = accr_submitted(specialist)  # on_commit never ran: nothing was enqueued
    ApplicationTransition.objects.filter(subject=application).update(created_at=timezone.now() - timedelta(hours=1))
    with _run_on_commit():
        assert accreditation_sweep() == 1  # the draft row was marked as told at creation
    assert [m.subject for m in mailoutbox if m.to == [application.email]] == [
        "Заявление на периодическую аккредитацию подано"
    ]
    with _run_on_commit():
        assert accreditation_sweep() == 0


def test_a_protocol_whose_pdf_cannot_be_rendered_is_visibly_failed(
    specialist: Any, staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accreditation import documents
    from accreditation.tasks import protocol_render

    application = _through(accr_submitted(specialist), ApplicationStatus.PUBLISHED, staff)

    def broken(**kwargs: Any) -> bytes:
        raise OSError("fonts are missing")

    monkeypatch.setattr(documents, "protocol_pdf", broken)
    assert protocol_render(application.protocol_id) == "failed"
    application.protocol.refresh_from_db()
    assert application.protocol.pdf_status == "failed"
    from django.test import Client

    page = Client().get(f"/accreditation/protocols/{application.protocol.public_id}/").content.decode()
    assert "PDF не удалось подготовить" in page
