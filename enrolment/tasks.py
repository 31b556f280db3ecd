"""Thin tasks: load by id, call a service. The periodic ones are idempotent sweepers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task

from nmo_portal.lib.periodic import periodic_job


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def application_notify_task(application_id: int, event: str) -> int:
    from enrolment.notifications import application_notify

    return application_notify(application_id=application_id, event=event)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def dispute_notify_task(dispute_id: int, event: str) -> int:
    from enrolment.notifications import dispute_notify

    return dispute_notify(dispute_id=dispute_id, event=event)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def debt_notify_task(debt_id: int) -> int:
    from enrolment.notifications import debt_notify

    return debt_notify(debt_id=debt_id)


@shared_task(max_retries=3)
def results_credit_task(cycle_id: int) -> int:
    """Credit the ZET of a cycle's newly recorded results (enqueued on commit)."""
    from enrolment.services import results_credit

    return results_credit(cycle_id=cycle_id)


@periodic_job(every=timedelta(minutes=15), description="Зачесть ЗЕТ по внесённым, но ещё не зачтённым результатам")
@shared_task
def results_credit_sweep() -> int:
    from enrolment.services import results_credit

    return results_credit()


@periodic_job(every=timedelta(days=1), description="Найти циклы с просроченным внесением результатов")
@shared_task
def reporting_debts_job() -> dict[str, Any]:
    from enrolment.services import reporting_debts_detect

    summary = reporting_debts_detect()
    return {"opened": summary.opened, "resolved": summary.resolved}


@periodic_job(every=timedelta(hours=1), description="Передать методисту обращения без ответа организации в срок")
@shared_task
def disputes_escalate_job() -> int:
    from enrolment.services import disputes_escalate_overdue

    return disputes_escalate_overdue()
