"""E-mails of the enrolment path, rendered from ``templates/enrolment/email/*.txt``.

Each function loads what it needs by id (it runs in a task after commit) and sends one message to
its recipients; nothing is sent to an empty address list.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role, User
from enrolment.models import Application, Dispute, ReportingDebt
from providers.models import Organisation


def _send(*, template: str, recipients: list[str], context: dict[str, Any]) -> int:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL}
    text = render_to_string(f"enrolment/email/{template}.txt", context).strip()
    subject, _sep, body = text.partition("\n")
    return send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, recipients)


def _staff_emails(organisation: Organisation) -> list[str]:
    staff = list(
        User.objects.filter(memberships__organisation=organisation, is_active=True).values_list("email", flat=True)
    )
    return [organisation.email, *staff]


def _methodologist_emails() -> list[str]:
    return list(
        User.objects.filter(role_grants__role=Role.METHODOLOGIST, is_active=True).values_list("email", flat=True)
    )


def application_notify(*, application_id: int, event: str) -> int:
    application = (
        Application.objects.select_related("applicant", "programme_cycle__programme__organisation")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    return _send(
        template=f"application_{event}",
        recipients=[application.applicant.email],
        context={"application": application, "cycle": application.programme_cycle},
    )


def dispute_notify(*, dispute_id: int, event: str) -> int:
    dispute = (
        Dispute.objects.select_related(
            "application__applicant", "application__programme_cycle__programme__organisation"
        )
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        return 0
    organisation = dispute.application.programme_cycle.programme.organisation
    recipients = {
        "opened": _staff_emails(organisation),
        "answered": [dispute.application.applicant.email],
        "escalated": [*_methodologist_emails(), dispute.application.applicant.email, *_staff_emails(organisation)],
        "resolved": [dispute.application.applicant.email, organisation.email],
    }.get(event, [])
    return _send(template=f"dispute_{event}", recipients=recipients, context={"dispute": dispute})


def debt_notify(*, debt_id: int) -> int:
    """Mail the organisation about an overdue cycle once: claimed by a conditional UPDATE."""
    claimed = ReportingDebt.objects.filter(pk=debt_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return 0
    debt = ReportingDebt.objects.select_related("cycle__programme", "organisation").get(pk=debt_id)
    return _send(template="debt_overdue", recipients=_staff_emails(debt.organisation), context={"debt": debt})
