"""With the broker down, work is saved and answered; the task is sent once the broker is back
(the sweepers pick up what was missed). Uses a private redis-server that the test really stops."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from celery import shared_task
from django.db import transaction

from nmo_portal.lib.audit import audit_record
from nmo_portal.lib.tasks import enqueue_on_commit
from nmo_portal.models import AuditEvent
from tests.faults import RedisServer, celery_broker, redis_on_other_port  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.slow]

HANG_LIMIT = 30  # seconds: far above a refused connection, far below "the request hung"


@shared_task(name="tests.security.deliver")
def deliver(pk: int) -> None:  # never runs here: only its message is counted
    pass


class _Hung(BaseException):  # not an Exception: enqueue_on_commit must not swallow it
    pass


@pytest.fixture
def hang_guard() -> Iterator[None]:
    def _raise(*_: Any) -> None:
        raise _Hung(f"the call blocked for {HANG_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(HANG_LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _save_and_enqueue(summary: str) -> tuple[int, float]:
    started = time.monotonic()
    with transaction.atomic():
        event = audit_record(actor=None, action="fault.test", summary=summary)
        enqueue_on_commit(deliver, event.pk)
    return event.pk, time.monotonic() - started


def _queued(server: RedisServer) -> int:
    return int(server.client().llen("celery"))


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_work_is_saved_and_the_call_returns(
    celery_broker: RedisServer,  # noqa: F811
    hang_guard: None,
) -> None:
    pk, _ = _save_and_enqueue("broker up")
    assert _queued(celery_broker) == 1  # the harness really publishes

    celery_broker.stop()
    pk_down, elapsed = _save_and_enqueue("broker down")  # must neither raise nor hang
    assert AuditEvent.objects.filter(pk=pk_down, summary="broker down").exists()
    print(f"enqueue with the broker down returned in {elapsed:.2f} s")

    celery_broker.start()  # back, and empty: the lost message is the sweeper's to redo
    _save_and_enqueue("broker back")
    assert _queued(celery_broker) == 1
    assert AuditEvent.objects.filter(action="fault.test").count() == 3
    assert pk != pk_down


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_hung_the_call_still_returns(
    celery_broker: RedisServer,  # noqa: F811
    hang_guard: None,
) -> None:
    celery_broker.pause()  # accepts connections, never answers
    try:
        pk, elapsed = _save_and_enqueue("broker hung")
    finally:
        celery_broker.resume()
    assert AuditEvent.objects.filter(pk=pk).exists()
    print(f"enqueue with the broker hung returned in {elapsed:.2f} s")
