"""A transaction that loses a race (deadlock, serialization failure) is run again, a bounded
number of times; other errors are not retried."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from nmo_portal.lib.audit import audit_record
from nmo_portal.lib.retry import atomic_with_retry, is_retryable
from nmo_portal.models import AuditEvent


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _wrapped(sqlstate: str) -> OperationalError:
    try:
        try:
            raise _DriverError(sqlstate)
        except _DriverError as cause:
            raise OperationalError("could not serialize access") from cause
    except OperationalError as exc:
        return exc


def test_deadlocks_and_serialization_failures_are_recognised_through_django_s_wrapper() -> None:
    assert is_retryable(_wrapped("40001")) and is_retryable(_wrapped("40P01"))
    assert not is_retryable(_wrapped("23505")) and not is_retryable(IntegrityError("duplicate"))


@pytest.mark.django_db(transaction=True)
def test_it_retries_until_the_transaction_goes_through_and_keeps_only_the_last_attempt() -> None:
    calls: list[int] = []

    @atomic_with_retry(attempts=3, backoff=0)
    def credit() -> str:
        calls.append(1)
        audit_record(actor=None, action="credit.attempt", summary=str(len(calls)))
        if len(calls) < 3:
            raise _wrapped("40001")
        return "credited"

    assert credit() == "credited"
    assert len(calls) == 3
    assert list(AuditEvent.objects.values_list("summary", flat=True)) == ["3"]  # earlier attempts rolled back


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_after_the_bound_and_never_retries_other_errors() -> None:
    calls: list[int] = []

    @atomic_with_retry(attempts=2, backoff=0)
    def always_conflicts() -> None:
        calls.append(1)
        raise _wrapped("40P01")

    with pytest.raises(OperationalError):
        always_conflicts()
    assert len(calls) == 2

    @atomic_with_retry(attempts=5, backoff=0)
    def duplicate() -> None:
        calls.append(1)
        raise IntegrityError("duplicate key")

    with pytest.raises(IntegrityError):
        duplicate()
    assert len(calls) == 3


@pytest.mark.django_db
def test_inside_an_outer_transaction_it_does_not_retry() -> None:
    calls: list[int] = []

    @atomic_with_retry(attempts=3, backoff=0)
    def inner() -> None:
        calls.append(1)
        raise _wrapped("40001")

    with pytest.raises(OperationalError), transaction.atomic():
        inner()
    assert len(calls) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_deadlock_between_two_creditings_is_resolved_by_a_retry() -> None:
    first = audit_record(actor=None, action="ledger.row", summary="0")
    second = audit_record(actor=None, action="ledger.row", summary="0")
    barrier = threading.Barrier(2, timeout=20)
    attempts: list[str] = []
    errors: list[BaseException] = []

    def crediting(name: str, order: list[int]) -> None:
        @atomic_with_retry(attempts=3, backoff=0.01)
        def credit() -> None:
            attempts.append(name)
            rows = {row.pk: row for row in AuditEvent.objects.select_for_update().filter(pk=order[0])}
            if attempts.count(name) == 1:
                barrier.wait()  # both hold their first row: each now waits for the other's
            rows.update({row.pk: row for row in AuditEvent.objects.select_for_update().filter(pk=order[1])})
            for row in rows.values():
                row.summary = str(int(row.summary) + 1)
                row.save(update_fields=["summary"])

        try:
            credit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=crediting, args=("a", [first.pk, second.pk])),
        threading.Thread(target=crediting, args=("b", [second.pk, first.pk])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(attempts) == 3, attempts  # one of the two was chosen as the deadlock victim and ran again
    assert set(AuditEvent.objects.filter(action="ledger.row").values_list("summary", flat=True)) == {"2"}


def test_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError):
        atomic_with_retry(attempts=0)
    assert issubclass(OperationalError, DatabaseError)
