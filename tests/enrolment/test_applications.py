"""Applications: forming, seats, the one-live rule, cancel, enrol, reject, the PDF, isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from enrolment.models import Application, ApplicationStatus, SeatCounter
from enrolment.services import application_cancel, application_enroll, application_reject
from enrolment.transitions import APPLICATION_MOVES
from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from tests.enrolment.conftest import api, end_cycle
from tests.enrolment.factories import enrolment_application, enrolment_cycle, enrolment_learner

pytestmark = pytest.mark.django_db


def _body(cycle: Any, **extra: Any) -> dict[str, Any]:
    body = {
        "program_cycle": cycle.pk,
        "specialty": cycle.programme.specialty.code,
        "employment": "state",
        "basis": "budget",
        "consent": True,
    }
    body.update(extra)
    return body


def test_a_specialist_forms_an_application_with_a_number_and_takes_a_seat(learner: Any, cycle: Any) -> None:
    response = api(learner).post("/api/v1/me/applications/", _body(cycle), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "formed"
    assert body["number"].startswith("З-") and body["number"].endswith(f"{body['id']:06d}")
    assert SeatCounter.objects.get(cycle=cycle, basis="budget").taken == 1
    application = Application.objects.get(pk=body["id"])
    assert application.consent_at is not None
    assert list(application.transitions.values_list("from_status", "to_status")) == [("", "formed")]


def test_it_refuses_without_consent(learner: Any, cycle: Any) -> None:
    response = api(learner).post("/api/v1/me/applications/", _body(cycle, consent=False), format="json")
    assert response.status_code == 400
    assert "consent" in response.json()


def test_it_refuses_a_cycle_already_started(learner: Any, cycle: Any) -> None:
    end_cycle(cycle, days_ago=-3)  # started 11 days ago, ends in 3 days
    response = api(learner).post("/api/v1/me/applications/", _body(cycle), format="json")
    assert response.status_code == 400
    assert "program_cycle" in response.json()


def test_it_refuses_a_basis_the_cycle_does_not_offer(learner: Any, cycle: Any) -> None:
    response = api(learner).post("/api/v1/me/applications/", _body(cycle, basis="ffoms"), format="json")
    assert response.status_code == 400
    assert "basis" in response.json()


def test_it_refuses_a_specialty_the_applicant_does_not_hold(specialist: Any, cycle: Any) -> None:
    response = api(specialist).post("/api/v1/me/applications/", _body(cycle), format="json")
    assert response.status_code == 400
    assert "specialty" in response.json()


def test_no_free_seat_is_400_on_basis(org_a: Any) -> None:
    cycle = enrolment_cycle(org_a, seats_budget=1)
    enrolment_application(cycle)
    late = enrolment_learner(cycle.programme.specialty)
    response = api(late).post("/api/v1/me/applications/", _body(cycle), format="json")
    assert response.status_code == 400
    assert "мест" in response.json()["basis"][0]
    assert SeatCounter.objects.get(cycle=cycle, basis="budget").taken == 1


def test_a_second_live_application_to_the_same_cycle_is_409(learner: Any, cycle: Any) -> None:
    assert api(learner).post("/api/v1/me/applications/", _body(cycle), format="json").status_code == 201
    response = api(learner).post("/api/v1/me/applications/", _body(cycle, basis="contract"), format="json")
    assert response.status_code == 409
    assert not SeatCounter.objects.filter(cycle=cycle, basis="contract", taken__gt=0).exists()


def test_cancel_returns_the_seat_and_allows_a_new_application(learner: Any, cycle: Any) -> None:
    created = api(learner).post("/api/v1/me/applications/", _body(cycle), format="json").json()
    response = api(learner).post(f"/api/v1/me/applications/{created['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert SeatCounter.objects.get(cycle=cycle, basis="budget").taken == 0
    assert api(learner).post("/api/v1/me/applications/", _body(cycle), format="json").status_code == 201


def test_an_enrolled_application_cannot_be_cancelled(learner: Any, cycle: Any, staff_a: Any) -> None:
    application = enrolment_application(cycle, learner)
    application_enroll(application=application, by=staff_a)
    response = api(learner).post(f"/api/v1/me/applications/{application.pk}/cancel/")
    assert response.status_code == 409


def test_staff_enrol_and_the_specialist_is_mailed(
    learner: Any, cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = enrolment_application(cycle, learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_a).post(f"/api/v1/provider/applications/{application.pk}/enroll/")
    assert response.status_code == 200
    assert response.json()["status"] == "enrolled"
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert "зачислены" in mail.outbox[0].subject
    assert api(staff_a).post(f"/api/v1/provider/applications/{application.pk}/enroll/").status_code == 409


def test_reject_needs_a_reason_returns_the_seat_and_mails_it(
    learner: Any, cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = enrolment_application(cycle, learner)
    url = f"/api/v1/provider/applications/{application.pk}/reject/"
    assert api(staff_a).post(url, {"reason": "  "}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_a).post(url, {"reason": "Нет документа об образовании"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert SeatCounter.objects.get(cycle=cycle, basis="budget").taken == 0
    assert "Нет документа об образовании" in mail.outbox[0].body
    application.refresh_from_db()
    assert application.transitions.last().reason == "Нет документа об образовании"  # type: ignore[union-attr]


@pytest.mark.parametrize(("source", "target"), APPLICATION_MOVES.as_rows())
def test_every_allowed_move_is_recorded(source: str, target: str, learner: Any, cycle: Any) -> None:
    from enrolment.models import ApplicationTransition
    from nmo_portal.lib.statemachine import transition_apply

    application = enrolment_application(cycle, learner)
    Application.objects.filter(pk=application.pk).update(status=source, reject_reason="x")
    application.refresh_from_db()
    transition_apply(
        subject=application, table=APPLICATION_MOVES, to=target, history_model=ApplicationTransition, reason="r"
    )
    assert Application.objects.get(pk=application.pk).status == target
    assert application.transitions.last().to_status == target  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [ApplicationStatus.REJECTED, ApplicationStatus.CANCELLED])
def test_final_states_refuse_every_action(status: str, learner: Any, cycle: Any, staff_a: Any) -> None:
    application = enrolment_application(cycle, learner)
    Application.objects.filter(pk=application.pk).update(status=status, reject_reason="x")
    application.refresh_from_db()
    with pytest.raises(ConflictError):
        application_enroll(application=application, by=staff_a)
    with pytest.raises(ConflictError):
        application_cancel(application=application, by=learner)
    with pytest.raises(ConflictError):
        application_reject(application=application, by=staff_a, reason="r")


def test_the_pdf_is_the_printable_form(learner: Any, cycle: Any) -> None:
    application = enrolment_application(cycle, learner)
    response = api(learner).get(f"/api/v1/me/applications/{application.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_text_has_the_fields_of_the_form(learner: Any, cycle: Any) -> None:
    from django.template.loader import render_to_string

    from enrolment.documents import APPLICATION_CSS  # noqa: F401

    application = enrolment_application(cycle, learner)
    html = render_to_string(
        "enrolment/application_pdf.html",
        {
            "application": application,
            "cycle": cycle,
            "programme": cycle.programme,
            "organisation": cycle.programme.organisation,
            "applicant": learner,
            "today": cycle.starts_on,
        },
    )
    for text in (
        application.number,
        learner.snils_display,
        f"{learner.birth_date:%d.%m.%Y}",
        "Бюджет",
        "согласие",
        "подпись",
    ):
        assert text in html


def test_another_specialists_application_is_404(learner: Any, other_learner: Any, cycle: Any) -> None:
    application = enrolment_application(cycle, learner)
    client = api(other_learner)
    assert client.get(f"/api/v1/me/applications/{application.pk}/").status_code == 404
    assert client.get(f"/api/v1/me/applications/{application.pk}/pdf/").status_code == 404
    assert client.post(f"/api/v1/me/applications/{application.pk}/cancel/").status_code == 404
    assert client.get("/api/v1/me/applications/").json()["count"] == 0


def test_the_service_checks_the_basis_against_seats(learner: Any, org_a: Any) -> None:
    cycle = enrolment_cycle(org_a, seats_budget=0)
    with pytest.raises(ApplicationError) as error:
        enrolment_application(cycle, learner)
    assert error.value.field == "basis"
