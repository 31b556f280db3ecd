"""Who is told what at each step, as data; the task ``transition_notify`` sends it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accreditation.models import ApplicationStatus as S
from accreditation.models import ApplicationTransition, CommissionRole, Result


@dataclass(frozen=True)
class Message:
    audience: str  # "applicant", or a commission role
    subject: str
    template: str


MESSAGES: dict[str, list[Message]] = {
    S.SUBMITTED: [
        Message("applicant", "Заявление на периодическую аккредитацию подано", "accreditation/email/submitted.txt"),
        Message(
            CommissionRole.SECRETARY, "Новое заявление на периодическую аккредитацию", "accreditation/email/staff.txt"
        ),
    ],
    S.REGISTERED: [Message("applicant", "Заявление зарегистрировано", "accreditation/email/registered.txt")],
    S.RETURNED: [Message("applicant", "Заявление возвращено на доработку", "accreditation/email/returned.txt")],
    S.UNDER_REVIEW: [
        Message("applicant", "Портфолио передано в аккредитационную комиссию", "accreditation/email/under_review.txt"),
        Message(CommissionRole.MEMBER, "Портфолио на оценку", "accreditation/email/staff.txt"),
    ],
    S.DECIDED: [
        Message("applicant", "Комиссия оценила портфолио", "accreditation/email/decided.txt"),
        Message(CommissionRole.SECRETARY, "Решение комиссии: протокол к публикации", "accreditation/email/staff.txt"),
    ],
    S.PUBLISHED: [Message("applicant", "Результат периодической аккредитации", "accreditation/email/published.txt")],
}

FAILED_NEXT_STEPS = (
    "Что можно сделать дальше: дополнить портфолио (пройти недостающее обучение по программам ДПП ПК, "
    "мероприятиям и модулям) и подать заявление повторно, пока документ действует; обжаловать решение "
    "в апелляционной комиссии в порядке, установленном положением об аккредитации специалистов. "
    "Пока аккредитация не пройдена, после окончания срока действия документа осуществлять медицинскую "
    "деятельность по специальности нельзя."
)


def recipients(record: ApplicationTransition, audience: str) -> list[str]:
    application = record.subject
    if audience == "applicant":
        return [application.email or application.applicant.email]
    if application.commission_id is None:
        return []
    return sorted(
        application.commission.members.filter(role=audience).values_list("user__email", flat=True)  # type: ignore[union-attr]
    )


def transition_messages_send(record: ApplicationTransition) -> int:
    """Send the messages of one transition; returns how many mails went out."""
    application = record.subject
    sent = 0
    for message in MESSAGES.get(record.to_status, []):
        to = [address for address in recipients(record, message.audience) if address]
        if not to:
            continue
        staff = message.audience != "applicant"
        url_name = "accreditation:queue-detail" if staff else "accreditation:application-detail"
        context: dict[str, Any] = {
            "application": application,
            "record": record,
            "url": settings.SITE_URL + reverse(url_name, args=[application.pk]),
            "passed": application.result == Result.PASSED,
            "failed_next_steps": FAILED_NEXT_STEPS,
            "status": application.get_status_display(),
        }
        body = render_to_string(message.template, context)
        sent += send_mail(message.subject, body, None, to)
    return sent
