"""User text is escaped wherever the foundation shows it (apps add their own pages' payload tests
with tests/payloads.py)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.payloads import FORMULAS, XSS, assert_escaped


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_name_is_shown_escaped_in_the_header(client: Client, payload: str) -> None:
    user = UserFactory(last_name=payload, first_name="", middle_name="")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert_escaped(body, payload)
    assert html.escape(payload) in body or html.escape(payload, quote=False) in body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_next_parameter_does_not_leave_the_site(client: Client, payload: str) -> None:
    response = client.post("/a11y/", {"next": payload})
    assert response.status_code == 302
    location = response["Location"]
    assert "<" not in location and ">" not in location and '"' not in location  # percent-encoded
    assert not location.lower().startswith(("javascript:", "//", "http:", "https:"))


# --- the features: names and titles in pages, PDFs and exports ------------------------------------
def _rendered_html(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[str]:
    """Capture the HTML a PDF is made from (before WeasyPrint) instead of making the PDF."""
    from django.template.loader import render_to_string

    pages: list[str] = []

    def capture(template: str, context: dict[str, Any], **_: Any) -> bytes:
        pages.append(render_to_string(template, context))
        return b"%PDF-1.7 captured"

    monkeypatch.setattr(module, "render_pdf", capture)
    return pages


def _hostile_application(payload: str) -> Any:
    from tests.enrolment.factories import enrolment_application, enrolment_cycle, enrolment_learner

    cycle = enrolment_cycle()
    type(cycle.programme).objects.filter(pk=cycle.programme.pk).update(title=payload)
    cycle.programme.refresh_from_db()
    learner = enrolment_learner(cycle.programme.specialty, last_name=payload, first_name=payload)
    return enrolment_application(cycle, learner)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_hostile_names_and_titles_are_escaped_on_the_pages(client: Client, payload: str) -> None:
    from tests.enrolment.factories import enrolment_staff

    application = _hostile_application(payload)
    cycle = application.programme_cycle
    staff = enrolment_staff(cycle.programme.organisation)
    client.force_login(staff)
    pages = {
        "provider application list": f"/provider/cycles/{cycle.pk}/applications/",
        "catalogue programme": f"/catalog/programs/{cycle.programme.pk}/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode()
        assert_escaped(body, payload)
    client.force_login(application.applicant)
    body = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert_escaped(body, payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_the_application_pdf_escapes_names_and_titles(monkeypatch: pytest.MonkeyPatch, payload: str) -> None:
    import enrolment.documents as documents

    pages = _rendered_html(monkeypatch, documents)
    application = _hostile_application(payload)
    assert documents.application_pdf(application=application).startswith(b"%PDF")
    [page] = pages
    assert_escaped(page, payload)
    assert html.escape(payload) in page or html.escape(payload, quote=False) in page


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_the_portfolio_pdf_escapes_names_and_event_titles(monkeypatch: pytest.MonkeyPatch, payload: str) -> None:
    import nmo_portal.lib.pdf as pdf_lib
    from portfolio.services import (
        code_activation_check,
        code_activation_submit,
        portfolio_pdf_render,
        portfolio_pdf_request,
    )
    from tests.trajectory.factories import catalogue_event, cycle_for, event_code

    pages = _rendered_html(monkeypatch, pdf_lib)
    owner = UserFactory(last_name=payload)
    cycle = cycle_for(owner)
    event = catalogue_event()
    type(event).objects.filter(pk=event.pk).update(title=payload)
    activation = code_activation_submit(user=owner, code=event_code(event))
    code_activation_check(activation_id=activation.pk)
    pdf = portfolio_pdf_request(cycle=cycle, by=owner)
    portfolio_pdf_render(pdf_id=pdf.pk)
    assert pages, "the portfolio PDF was rendered"
    assert_escaped(pages[-1], payload)
    assert html.escape(payload, quote=False) in pages[-1] or html.escape(payload) in pages[-1]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", FORMULAS)
def test_application_exports_neutralise_formula_cells(client: Client, payload: str) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from tests.enrolment.factories import enrolment_staff

    application = _hostile_application(payload)
    cycle = application.programme_cycle
    staff = enrolment_staff(cycle.programme.organisation)
    client.force_login(staff)
    url = f"/api/v1/provider/cycles/{cycle.pk}/applications/export/"
    text = b"".join(client.get(url + "?kind=csv").streaming_content).decode("utf-8-sig")
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]
    assert any(payload.strip() in cell for cell in cells), "the hostile value is exported"
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r", cell
    workbook = load_workbook(io.BytesIO(client.get(url + "?kind=xlsx").content))
    for row in workbook.active.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, str) and value:
                assert value[0] not in "=+-@\t\r", value


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_rejection_reason_is_escaped_for_the_applicant(client: Client, payload: str) -> None:
    from enrolment.services import application_reject
    from tests.enrolment.factories import enrolment_staff

    application = _hostile_application("Программа")
    staff = enrolment_staff(application.programme_cycle.programme.organisation)
    application_reject(application=application, by=staff, reason=payload)
    client.force_login(application.applicant)
    body = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert_escaped(body, payload)
    assert html.escape(payload) in body or html.escape(payload, quote=False) in body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_title_is_escaped_on_the_plan(client: Client, payload: str, specialist: Any) -> None:
    from tests.trajectory.factories import catalogue_programme, cycle_for
    from trajectory.services import plan_item_add

    cycle = cycle_for(specialist)
    programme = catalogue_programme()
    type(programme).objects.filter(pk=programme.pk).update(title=payload)
    plan_item_add(cycle=cycle, element_type="program", element_id=programme.pk, by=specialist)
    client.force_login(specialist)
    assert_escaped(client.get(f"/cycles/{cycle.pk}/plan/").content.decode(), payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_dispute_message_is_escaped_for_the_provider(client: Client, payload: str) -> None:
    from enrolment.services import application_enroll, dispute_open
    from tests.enrolment.conftest import end_cycle
    from tests.enrolment.factories import enrolment_staff

    application = _hostile_application("Программа")
    staff = enrolment_staff(application.programme_cycle.programme.organisation)
    application_enroll(application=application, by=staff)
    end_cycle(application.programme_cycle, days_ago=1)  # a dispute is about a finished course
    dispute = dispute_open(application=application, by=application.applicant, message=payload)
    client.force_login(staff)
    assert_escaped(client.get(f"/provider/disputes/{dispute.pk}/").content.decode(), payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_applicant_name_is_escaped_in_the_secretary_queue(
    client: Client, payload: str, specialist: Any, secretary_own: Any
) -> None:
    from tests.accreditation.factories import accr_submitted

    type(specialist).objects.filter(pk=specialist.pk).update(last_name=payload, first_name=payload)
    specialist.refresh_from_db()
    accr_submitted(specialist)
    client.force_login(secretary_own)
    assert_escaped(client.get("/accreditation/queue/").content.decode(), payload)
