"""Access rows for applications, enrolment, results and disputes (see tests/access.py).

Objects belong to ``specialist`` and organisation A (``provider_a``); every other persona is an
outsider and gets 404 (never 403), anonymous visitors a login redirect (pages) or 401 (API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.access import Row, World, statuses, world_builder


@world_builder
def enrolment(world: World) -> None:
    from enrolment.services import application_enroll, dispute_open
    from providers.models import Membership
    from tests.enrolment.factories import (
        enrolment_application,
        enrolment_cycle,
        enrolment_learner,
        enrolment_organisation,
    )

    org_a = world.__dict__.get("org_a") or enrolment_organisation()
    org_b = world.__dict__.get("org_b") or enrolment_organisation()
    world.org_a, world.org_b = org_a, org_b
    Membership.objects.get_or_create(organisation=org_a, user=world.provider_a)
    Membership.objects.get_or_create(organisation=org_b, user=world.provider_b)
    world.enrol_cycle = enrolment_cycle(org_a)
    specialty = world.enrol_cycle.programme.specialty
    enrolment_learner(specialty, user=world.specialist)
    enrolment_learner(specialty, user=world.other_specialist)
    world.application = enrolment_application(world.enrol_cycle, world.specialist)
    # a cycle that ended, with the specialist enrolled and a dispute about the missing credit
    world.ended_cycle = enrolment_cycle(org_a, specialty=specialty)
    world.enrolled = enrolment_application(world.ended_cycle, world.specialist)
    application_enroll(application=world.enrolled, by=world.provider_a)
    ends = timezone.localdate() - timedelta(days=3)
    type(world.ended_cycle).objects.filter(pk=world.ended_cycle.pk).update(
        starts_on=ends - timedelta(days=10), ends_on=ends
    )
    world.ended_cycle.refresh_from_db()
    world.enrolled.refresh_from_db()
    world.dispute = dispute_open(application=world.enrolled, by=world.specialist, message="ЗЕТ не пришли")


def _result_rows(w: World) -> list[dict[str, Any]]:
    return [
        {
            "snils": w.specialist.snils,
            "outcome": "completed",
            "completed_on": w.ended_cycle.ends_on.isoformat(),
            "certificate_number": "УД-1",
        }
    ]


SIGNED_IN_PAGE = statuses(200, anonymous=302)
OWN_PAGE = statuses(404, anonymous=302, specialist=200)
STAFF_A_PAGE = statuses(404, anonymous=302, provider_a=200)
OWN_API = statuses(404, anonymous=401, specialist=200)
STAFF_A_API = statuses(404, anonymous=401, provider_a=200)

ROWS: list[Row] = [
    # the specialist's pages
    Row("enrolment:my-applications", SIGNED_IN_PAGE),
    Row("enrolment:my-application", OWN_PAGE, url=lambda w: f"/me/applications/{w.application.pk}/"),
    Row(
        "enrolment:my-application-cancel",
        statuses(404, anonymous=302, specialist=302),
        method="POST",
        url=lambda w: f"/me/applications/{w.application.pk}/cancel/",
    ),
    Row("enrolment:my-application-pdf", OWN_PAGE, url=lambda w: f"/me/applications/{w.application.pk}/pdf/"),
    Row("enrolment:my-dispute-open", OWN_PAGE, url=lambda w: f"/me/applications/{w.enrolled.pk}/dispute/"),
    Row("enrolment:my-dispute", OWN_PAGE, url=lambda w: f"/me/disputes/{w.dispute.pk}/"),
    Row("enrolment:apply", SIGNED_IN_PAGE, url=lambda w: f"/cycles/{w.enrol_cycle.pk}/apply/"),
    # the organisation's pages
    Row("enrolment:provider-home", statuses(404, anonymous=302, provider_a=200, provider_b=200)),
    Row(
        "enrolment:provider-applications",
        STAFF_A_PAGE,
        url=lambda w: f"/provider/cycles/{w.enrol_cycle.pk}/applications/",
    ),
    Row(
        "enrolment:provider-export",
        STAFF_A_PAGE,
        url=lambda w: f"/provider/cycles/{w.enrol_cycle.pk}/applications/export/?kind=xlsx",
    ),
    Row(
        "enrolment:provider-decide",
        statuses(404, anonymous=302, provider_a=302),
        method="POST",
        url=lambda w: f"/provider/applications/{w.application.pk}/decide/",
        data={"action": "enroll"},
    ),
    Row(
        "enrolment:provider-enrol",
        statuses(404, anonymous=302, provider_a=302),
        method="POST",
        url=lambda w: f"/provider/cycles/{w.enrol_cycle.pk}/enrol/",
        data=lambda w: {"snils": w.other_specialist.snils},
    ),
    Row("enrolment:provider-results", STAFF_A_PAGE, url=lambda w: f"/provider/cycles/{w.ended_cycle.pk}/results/"),
    Row("enrolment:provider-dispute", STAFF_A_PAGE, url=lambda w: f"/provider/disputes/{w.dispute.pk}/"),
    # methodologists
    Row("enrolment:methodologist-overview", statuses(404, anonymous=302, methodologist=200)),
    Row(
        "enrolment:methodologist-dispute",
        statuses(404, anonymous=302, methodologist=200),
        url=lambda w: f"/methodologist/disputes/{w.dispute.pk}/",
    ),
    # the API: the specialist
    Row("api-my-applications", statuses(200, anonymous=401)),
    Row("api-my-applications", statuses(400, anonymous=401), method="POST", data={}, note="empty body"),
    Row("api-my-application", OWN_API, url=lambda w: f"/api/v1/me/applications/{w.application.pk}/"),
    Row(
        "api-my-application-cancel",
        OWN_API,
        method="POST",
        url=lambda w: f"/api/v1/me/applications/{w.application.pk}/cancel/",
    ),
    Row("api-my-application-pdf", OWN_API, url=lambda w: f"/api/v1/me/applications/{w.application.pk}/pdf/"),
    Row("api-my-disputes", statuses(200, anonymous=401)),
    Row("api-my-dispute", OWN_API, url=lambda w: f"/api/v1/me/disputes/{w.dispute.pk}/"),
    # the API: provider staff
    Row(
        "api-cycle-applications",
        STAFF_A_API,
        url=lambda w: f"/api/v1/provider/cycles/{w.enrol_cycle.pk}/applications/",
    ),
    Row(
        "api-cycle-applications-export",
        STAFF_A_API,
        url=lambda w: f"/api/v1/provider/cycles/{w.enrol_cycle.pk}/applications/export/?kind=csv",
    ),
    Row(
        "api-application-enroll",
        STAFF_A_API,
        method="POST",
        url=lambda w: f"/api/v1/provider/applications/{w.application.pk}/enroll/",
    ),
    Row(
        "api-application-reject",
        STAFF_A_API,
        method="POST",
        url=lambda w: f"/api/v1/provider/applications/{w.application.pk}/reject/",
        data={"reason": "Нет мест"},
    ),
    Row(
        "api-cycle-enrollments",
        statuses(404, anonymous=401, provider_a=201),
        method="POST",
        url=lambda w: f"/api/v1/provider/cycles/{w.enrol_cycle.pk}/enrollments/",
        data=lambda w: {"snils": w.other_specialist.snils},
    ),
    Row(
        "api-learner-validate",
        statuses(404, anonymous=401, provider_a=200, provider_b=200),
        method="POST",
        data=lambda w: {"snils": w.specialist.snils, "last_name": "x", "birth_date": "1980-01-01"},
        url="/api/v1/provider/learners/validate/",
    ),
    Row("api-cycle-results", STAFF_A_API, url=lambda w: f"/api/v1/provider/cycles/{w.ended_cycle.pk}/results/"),
    Row(
        "api-cycle-results",
        STAFF_A_API,
        method="POST",
        url=lambda w: f"/api/v1/provider/cycles/{w.ended_cycle.pk}/results/",
        data=_result_rows,
        note="record",
    ),
    Row("api-provider-disputes", statuses(200, anonymous=401)),
    Row(
        "api-dispute-answer",
        STAFF_A_API,
        method="POST",
        url=lambda w: f"/api/v1/provider/disputes/{w.dispute.pk}/answer/",
        data={"answer_kind": "explanation", "answer": "Не сдал итоговую аттестацию"},
    ),
]
