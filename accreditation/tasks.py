"""Thin tasks: load by id, claim the work with a conditional update, call the code that does it."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from accreditation.models import ApplicationTransition, Protocol
from nmo_portal.lib.periodic import periodic_job
from nmo_portal.lib.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def transition_notify(self, transition_id: int) -> int:  # type: ignore[no-untyped-def]
    """Mail the people one transition concerns; runs at most once per transition."""
    from accreditation.notifications import transition_messages_send

    claimed = ApplicationTransition.objects.filter(pk=transition_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    record = ApplicationTransition.objects.select_related("subject__applicant", "subject__commission").get(
        pk=transition_id
    )
    try:
        return transition_messages_send(record)
    except Exception as error:
        ApplicationTransition.objects.filter(pk=transition_id).update(notified_at=None)  # give the claim back
        if self.request.called_directly or self.request.retries >= self.max_retries:
            raise
        raise self.retry(exc=error) from error


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def protocol_render(self, protocol_id: int) -> str:  # type: ignore[no-untyped-def]
    """Render a published protocol to PDF; a final failure leaves it visibly ``failed``."""
    from accreditation.documents import protocol_pdf
    from accreditation.selectors import protocol_decisions
    from accreditation.services import protocol_pdf_store

    protocol = Protocol.objects.select_related("commission").filter(pk=protocol_id, published_at__isnull=False).first()
    if protocol is None or protocol.pdf_status == "ready":
        return "skipped"
    try:
        data = protocol_pdf(protocol=protocol, decisions=list(protocol_decisions(protocol=protocol)))
        protocol_pdf_store(protocol=protocol, data=data)
    except Exception as error:
        logger.exception("protocol %s: PDF failed", protocol_id)
        if self.request.called_directly or self.request.retries >= self.max_retries:
            Protocol.objects.filter(pk=protocol_id).exclude(pdf_status="ready").update(pdf_status="failed")
            return "failed"
        raise self.retry(exc=error) from error
    return "ready"


@periodic_job(every=timedelta(minutes=10), description="Аккредитация: неотправленные уведомления и PDF протоколов")
@shared_task
def accreditation_sweep() -> int:
    """Pick up what the broker lost: transitions not notified and protocols without a PDF."""
    cutoff = timezone.now() - timedelta(minutes=10)
    count = 0
    transitions = ApplicationTransition.objects.filter(notified_at__isnull=True, created_at__lt=cutoff)
    for pk in transitions.values_list("pk", flat=True)[:500]:
        enqueue_on_commit(transition_notify, pk)
        count += 1
    protocols = Protocol.objects.filter(published_at__lt=cutoff, pdf_status="pending")
    for pk in protocols.values_list("pk", flat=True)[:50]:
        enqueue_on_commit(protocol_render, pk)
        count += 1
    return count
