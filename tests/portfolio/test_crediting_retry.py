"""A deadlock or serialization failure in a crediting transaction is retried a bounded number of
times (issue 9, item 3). Retrying needs the crediting to be the outermost transaction, hence
transactional tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError

from portfolio import services
from portfolio.models import CreditEntry, SourceKind
from portfolio.services import credit_record
from tests.trajectory.factories import catalogue_programme, cycle_for

pytestmark = pytest.mark.django_db(transaction=True)


class SerializationFailure(DatabaseError):
    sqlstate = "40001"  # what PostgreSQL reports; lib.retry reads it from the driver's error


def _failing(times: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"n": 0}
    real = services._credit_zet

    def flaky(item: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise SerializationFailure("could not serialize access due to concurrent update")
        return real(item)

    monkeypatch.setattr(services, "_credit_zet", flaky)
    return calls


def _credit(owner: Any) -> list[CreditEntry]:
    return credit_record(
        owner=owner,
        element=catalogue_programme(hours=36),
        completed_on=date(2023, 2, 28),
        source_kind=SourceKind.PROGRAM_RESULT,
        source_key="retry:1",
    )


def test_a_serialization_failure_is_retried_and_credits_once(specialist: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cycle_for(specialist, issued_on=date(2022, 3, 1))
    calls = _failing(2, monkeypatch)
    entries = _credit(specialist)
    assert calls["n"] == 3
    assert len(entries) == 1
    assert CreditEntry.objects.filter(source_key="retry:1").count() == 1


def test_it_gives_up_after_three_attempts_and_leaves_nothing(specialist: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cycle_for(specialist, issued_on=date(2022, 3, 1))
    calls = _failing(10, monkeypatch)
    with pytest.raises(DatabaseError):
        _credit(specialist)
    assert calls["n"] == 3
    assert not CreditEntry.objects.filter(source_key="retry:1").exists()
