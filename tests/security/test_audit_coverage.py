"""Audit coverage (issue 9, item 7): each app's staff actions and every look at a specialist's
portfolio by someone else leave a record (who, when, what). One test per app."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nmo_portal.models import AuditEvent
from tests.enrolment.factories import (
    enrolment_application,
    enrolment_cycle,
    enrolment_learner,
    enrolment_organisation,
    enrolment_staff,
)
from tests.providers.factories import EventFactory, ProgrammeFactory
from tests.trajectory.factories import cycle_for

pytestmark = pytest.mark.django_db


def _events(action: str, actor: Any = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(action=action)
    if actor is not None:
        found = found.filter(actor=actor)
    return list(found)


def test_providers_methodologist_decisions_are_audited(methodologist: Any) -> None:
    from providers import services

    organisation = enrolment_organisation(status="submitted")
    services.organisation_approve(organisation=organisation, by=methodologist)
    [event] = _events("organisation.approved", methodologist)
    assert event.target_id == str(organisation.pk)

    programme = ProgrammeFactory(organisation=organisation, status="on_review")
    services.programme_reject(programme=programme, by=methodologist, reason="Нет программы ИА")
    [rejected] = _events("programme.returned", methodologist)
    assert rejected.details["reason"] == "Нет программы ИА"
    event_element = EventFactory(organisation=organisation, status="on_review")
    services.event_approve(event=event_element, by=methodologist)
    assert _events("event.approved", methodologist)


def test_enrolment_staff_actions_are_audited() -> None:
    from enrolment.services import application_enroll, application_reject

    cycle = enrolment_cycle()
    staff = enrolment_staff(cycle.programme.organisation)
    enrolled = enrolment_application(cycle, enrolment_learner(cycle.programme.specialty))
    rejected = enrolment_application(cycle, enrolment_learner(cycle.programme.specialty))
    application_enroll(application=enrolled, by=staff)
    application_reject(application=rejected, by=staff, reason="Нет мест")
    assert [e.target_id for e in _events("application.enrolled", staff)] == [str(enrolled.pk)]
    assert [e.target_id for e in _events("application.rejected", staff)] == [str(rejected.pk)]


def test_portfolio_a_look_by_someone_else_is_audited_and_the_owners_own_is_not(client: Client) -> None:
    from portfolio.models import PdfStatus, PortfolioPdf
    from portfolio.services import portfolio_pdf_request

    owner = enrolment_learner()
    pdf = portfolio_pdf_request(cycle=cycle_for(owner), by=owner)
    PortfolioPdf.objects.filter(pk=pdf.pk).update(
        status=PdfStatus.READY, content_sha256="0" * 64, file="x.pdf", rendered_at=timezone.now()
    )
    url = reverse("portfolio:verify", args=[pdf.verification_code])

    client.force_login(owner)
    assert client.get(url).status_code == 200
    assert not _events("portfolio.verified")  # the owner's own look

    visitor = enrolment_staff(enrolment_organisation())
    client.force_login(visitor)
    assert client.get(url).status_code == 200
    [event] = _events("portfolio.verified", visitor)
    assert event.details["owner_id"] == str(owner.pk) and event.ip == "127.0.0.1"

    Client().get(url)  # anonymous
    assert AuditEvent.objects.filter(action="portfolio.verified", actor=None).count() == 1
