from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from portfolio.models import SourceKind
from portfolio.selectors import portfolio_snapshot
from portfolio.services import credit_record
from tests.trajectory.factories import catalogue_module, catalogue_programme, cycle_for

pytestmark = pytest.mark.django_db


def _credit(owner: Any, key: str) -> None:
    credit_record(
        owner=owner,
        element=catalogue_module(zet=2, title="Модуль «Сепсис»"),
        completed_on=date(2022, 7, 1),
        source_kind=SourceKind.MODULE_COMPLETION,
        source_key=key,
    )


def test_credits_are_mailed_after_commit_when_the_profile_asks(
    specialist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle_for(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        _credit(specialist, "m1")
    [letter] = mail.outbox
    assert letter.to == [specialist.email] and "Модуль «Сепсис»" in letter.body and "2" in letter.body


def test_no_letter_when_the_profile_says_no(specialist: Any, django_capture_on_commit_callbacks: Any) -> None:
    specialist.notify_credits = False
    specialist.save(update_fields=["notify_credits"])
    cycle_for(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        _credit(specialist, "m1")
    assert mail.outbox == []


def test_the_snapshot_is_canonical_and_changes_with_the_ledger(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    _credit(specialist, "m1")
    body, digest = portfolio_snapshot(cycle=cycle, today=date(2026, 1, 1))
    assert portfolio_snapshot(cycle=cycle, today=date(2026, 1, 1))[1] == digest
    assert body["total_zet"] == "2.00" and len(body["entries"]) == 1
    credit_record(
        owner=specialist,
        element=catalogue_programme(hours=36),
        completed_on=date(2023, 4, 1),
        source_kind=SourceKind.PROGRAM_RESULT,
        source_key="r1",
    )
    assert portfolio_snapshot(cycle=cycle, today=date(2026, 1, 1))[1] != digest
