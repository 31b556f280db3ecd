from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from tests.trajectory.factories import cycle_document, specialty_pick
from trajectory.models import Cycle, CycleStatus
from trajectory.services import cycle_open

pytestmark = pytest.mark.django_db


def test_it_opens_a_five_year_cycle_from_an_accreditation_document(specialist: Any) -> None:
    document = cycle_document(specialist, issued_on=date(2022, 3, 1))
    cycle = cycle_open(document=document, by=specialist)
    assert (cycle.starts_on, cycle.ends_on) == (date(2022, 3, 1), date(2027, 2, 28))
    assert cycle.target_zet == Decimal("250.00")
    assert cycle.status == CycleStatus.ACTIVE
    document.refresh_from_db()
    assert document.used_for_cycle


def test_it_opens_a_cycle_from_a_certificate(specialist: Any) -> None:
    cycle = cycle_open(document=cycle_document(specialist, kind="certificate"), by=specialist)
    assert cycle.is_active


def test_a_diploma_opens_no_cycle(specialist: Any) -> None:
    with pytest.raises(ApplicationError) as error:
        cycle_open(document=cycle_document(specialist, kind="diploma"), by=specialist)
    assert error.value.field == "document"
    assert not Cycle.objects.exists()


def test_a_newer_document_closes_the_older_cycle_and_nothing_carries_over(specialist: Any) -> None:
    old = cycle_open(document=cycle_document(specialist, issued_on=date(2018, 6, 1)), by=specialist)
    newer_document = cycle_document(specialist, issued_on=date(2023, 5, 20))
    new = cycle_open(document=newer_document, by=specialist)
    old.refresh_from_db()
    assert old.status == CycleStatus.CLOSED and old.closed_at is not None
    assert old.closed_by_document == newer_document
    assert new.is_active and new.starts_on == date(2023, 5, 20)


def test_an_older_document_does_not_replace_a_newer_cycle(specialist: Any) -> None:
    cycle_open(document=cycle_document(specialist, issued_on=date(2023, 5, 20)), by=specialist)
    with pytest.raises(ConflictError):
        cycle_open(document=cycle_document(specialist, issued_on=date(2019, 1, 10)), by=specialist)


def test_a_document_opens_one_cycle_only(specialist: Any) -> None:
    document = cycle_document(specialist)
    cycle_open(document=document, by=specialist)
    with pytest.raises(ConflictError):
        cycle_open(document=document, by=specialist)


def test_cycles_in_two_specialties_are_both_active(specialist: Any) -> None:
    first = cycle_open(document=cycle_document(specialist, specialty=specialty_pick(0)), by=specialist)
    second = cycle_open(document=cycle_document(specialist, specialty=specialty_pick(1)), by=specialist)
    assert first.is_active and second.is_active


def test_the_database_allows_one_active_cycle_per_specialty(specialist: Any) -> None:
    cycle = cycle_open(document=cycle_document(specialist), by=specialist)
    other = cycle_document(specialist, issued_on=date(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            owner=specialist,
            specialty=cycle.specialty,
            document=other,
            starts_on=other.issued_on,
            ends_on=date(2027, 12, 31),
            cycle_years=5,
            target_zet=250,
        )
