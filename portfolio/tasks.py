"""Thin tasks: load by id, call a service. Each is idempotent; sweepers pick up what was lost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from nmo_portal.lib.periodic import periodic_job


@shared_task(name="portfolio.code_activation_check", acks_late=True)
def code_activation_check_task(activation_id: int) -> None:
    from portfolio.services import code_activation_check

    code_activation_check(activation_id=activation_id)


@periodic_job(every=timedelta(minutes=5), description="Перепроверка кодов, ожидающих решения дольше 10 минут")
@shared_task(name="portfolio.code_activations_sweep")
def code_activations_sweep_task() -> int:
    from portfolio.services import code_activations_sweep

    return code_activations_sweep()


@shared_task(name="portfolio.module_completion_credit", acks_late=True)
def module_completion_credit_task(completion_id: int) -> int:
    """Credit one reported completion at once. Apps below portfolio (providers) may send it by
    name after commit, ``current_app.send_task("portfolio.module_completion_credit", [id])``,
    without importing portfolio; the sweeper below catches whatever is not sent."""
    from portfolio.services import module_completion_credit
    from providers.models import ModuleCompletion

    completion = ModuleCompletion.objects.select_related("module", "user").filter(pk=completion_id).first()
    return len(module_completion_credit(completion=completion)) if completion is not None else 0


@periodic_job(every=timedelta(minutes=2), description="Зачёт прохождений модулей, ещё не попавших в реестр")
@shared_task(name="portfolio.module_completions_sweep")
def module_completions_sweep_task() -> int:
    from portfolio.services import module_completions_sweep

    return module_completions_sweep()


@shared_task(
    name="portfolio.portfolio_pdf_render",
    bind=True,
    acks_late=True,
    max_retries=2,
    default_retry_delay=30,
)
def portfolio_pdf_render_task(self: Any, pdf_id: int) -> None:
    from portfolio.services import portfolio_pdf_render

    try:
        portfolio_pdf_render(pdf_id=pdf_id)
    except Exception as error:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return  # eager: the row is back to pending (or failed); the sweeper retries it
        raise self.retry(exc=error) from error


@periodic_job(every=timedelta(minutes=5), description="Подготовка PDF портфолио, не подготовленных задачей")
@shared_task(name="portfolio.portfolio_pdfs_sweep")
def portfolio_pdfs_sweep_task() -> int:
    from portfolio.services import portfolio_pdfs_sweep

    return portfolio_pdfs_sweep()


@shared_task(name="portfolio.credit_notify")
def credit_notify(entry_ids: list[int]) -> int:
    """E-mail each owner whose ZET arrived, if their profile asks for it. Returns letters sent."""
    from portfolio.models import CreditEntry

    entries = CreditEntry.objects.filter(pk__in=entry_ids).select_related("cycle__owner", "cycle__specialty")
    by_owner: dict[int, list[CreditEntry]] = {}
    for entry in entries:
        by_owner.setdefault(entry.cycle.owner_id, []).append(entry)
    sent = 0
    for owner_entries in by_owner.values():
        owner = owner_entries[0].cycle.owner
        if not getattr(owner, "notify_credits", True) or not owner.email:
            continue
        body = render_to_string(
            "portfolio/email/credits.txt", {"owner": owner, "entries": owner_entries, "site_url": settings.SITE_URL}
        )
        send_mail(_("НМО: зачтены ЗЕТ"), body, None, [owner.email])
        sent += 1
    return sent


@shared_task(name="portfolio.code_activation_notify")
def code_activation_notify(activation_id: int) -> bool:
    """E-mail the decision on a code (accepted, or rejected with the reason and what to do)."""
    from portfolio.messages import reason_help
    from portfolio.models import ActivationStatus, CodeActivation

    activation = CodeActivation.objects.select_related("user", "event").filter(pk=activation_id).first()
    if activation is None or activation.status == ActivationStatus.PENDING:
        return False
    user = activation.user
    if not getattr(user, "notify_codes", True) or not user.email:
        return False
    subject = (
        _("НМО: код подтверждения принят")
        if activation.status == ActivationStatus.ACCEPTED
        else _("НМО: код подтверждения не принят")
    )
    body = render_to_string(
        "portfolio/email/code_decision.txt",
        {"activation": activation, "help": reason_help(activation.reason), "site_url": settings.SITE_URL},
    )
    send_mail(subject, body, None, [user.email])
    return True
