from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from portfolio.models import CreditEntry, SourceKind
from portfolio.services import CreditItem, credit_record, credit_record_many, credit_reverse
from tests.trajectory.factories import (
    catalogue_event,
    catalogue_module,
    catalogue_programme,
    cycle_for,
    specialty_pick,
)
from trajectory.models import PlanItem, PlanItemStatus

pytestmark = pytest.mark.django_db

START = date(2022, 3, 1)  # cycle year 1: 01.03.2022–28.02.2023


def _credit(owner: Any, element: Any, day: date, key: str = "k1", **kw: Any) -> list[CreditEntry]:
    kind = kw.pop("source_kind", SourceKind.PROGRAM_RESULT)
    return credit_record(owner=owner, element=element, completed_on=day, source_kind=kind, source_key=key, **kw)


def test_a_completion_on_the_last_day_of_year_one_counts_in_year_one(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=START)
    [entry] = _credit(specialist, catalogue_programme(hours=36), date(2023, 2, 28))
    assert entry.cycle == cycle and entry.cycle_year == 1 and entry.zet == Decimal("36.00")


def test_a_completion_on_the_first_day_of_year_two_counts_in_year_two(specialist: Any) -> None:
    cycle_for(specialist, issued_on=START)
    [entry] = _credit(specialist, catalogue_programme(), date(2023, 3, 1))
    assert entry.cycle_year == 2


def test_a_completion_outside_the_cycle_credits_nothing(specialist: Any) -> None:
    cycle_for(specialist, issued_on=date(2018, 6, 1))  # ends 31.05.2023
    assert _credit(specialist, catalogue_programme(), date(2018, 5, 31)) == []
    assert _credit(specialist, catalogue_programme(), date(2023, 6, 1), key="k2") == []
    assert len(_credit(specialist, catalogue_programme(), date(2023, 5, 31), key="k3")) == 1


def test_a_completion_in_the_future_is_refused(specialist: Any) -> None:
    cycle_for(specialist, issued_on=START)
    with pytest.raises(ApplicationError):
        _credit(specialist, catalogue_programme(), timezone.localdate() + timedelta(days=1))


def test_a_cycle_started_on_29_february_counts_years_by_twelve_months(specialist: Any) -> None:
    cycle_for(specialist, issued_on=date(2024, 2, 29))
    [last_of_first] = _credit(specialist, catalogue_programme(), date(2025, 2, 28), key="a")
    [first_of_second] = _credit(specialist, catalogue_programme(), date(2025, 3, 1), key="b")
    assert (last_of_first.cycle_year, first_of_second.cycle_year) == (1, 2)


def test_the_same_source_twice_credits_once(specialist: Any) -> None:
    cycle_for(specialist, issued_on=START)
    programme = catalogue_programme()
    assert len(_credit(specialist, programme, date(2022, 5, 1), key="program_result:7")) == 1
    assert _credit(specialist, programme, date(2022, 5, 1), key="program_result:7") == []
    assert CreditEntry.objects.count() == 1


def test_the_database_refuses_a_second_credit_of_a_source(specialist: Any) -> None:
    cycle_for(specialist, issued_on=START)
    [entry] = _credit(specialist, catalogue_programme(), date(2022, 5, 1))
    entry.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_x2_one_completion_credits_every_matching_active_cycle(specialist: Any) -> None:
    main, extra, unrelated = specialty_pick(0), specialty_pick(1), specialty_pick(2)
    first = cycle_for(specialist, specialty=main, issued_on=START)
    second = cycle_for(specialist, specialty=extra, issued_on=date(2021, 9, 1))
    cycle_for(specialist, specialty=unrelated, issued_on=START)
    programme = catalogue_programme(specialty=main, additional=[extra], hours=72)
    entries = _credit(specialist, programme, date(2023, 10, 2))
    assert {e.cycle_id: e.cycle_year for e in entries} == {first.pk: 2, second.pk: 3}
    assert all(e.zet == Decimal("72.00") for e in entries)


def test_a_closed_cycle_receives_nothing(specialist: Any) -> None:
    old = cycle_for(specialist, issued_on=date(2018, 6, 1))
    new = cycle_for(specialist, issued_on=date(2023, 5, 20))
    entries = _credit(specialist, catalogue_programme(), date(2023, 6, 1))
    assert [e.cycle_id for e in entries] == [new.pk]
    assert not old.credit_entries.exists()


def test_an_event_is_capped_per_event_and_per_day(specialist: Any) -> None:
    cycle_for(specialist, issued_on=START)
    one_day = catalogue_event(zet=6, days=1)
    # created over the caps directly in the database, as an import might
    one_day.zet = Decimal(10)
    one_day.save(update_fields=["zet"])
    three_days = catalogue_event(zet=12, days=3)
    three_days.zet = Decimal(20)
    three_days.save(update_fields=["zet"])
    [capped_day] = _credit(specialist, one_day, one_day.ends_on, key="e1", source_kind=SourceKind.EVENT_CODE)
    [capped_event] = _credit(specialist, three_days, three_days.ends_on, key="e2", source_kind=SourceKind.EVENT_CODE)
    assert capped_day.zet == Decimal("6.00")
    assert capped_event.zet == Decimal("12.00")


def test_a_module_completion_credits_its_zet_and_marks_the_plan(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=START)
    module = catalogue_module(zet="1.5")
    [entry] = _credit(specialist, module, date(2022, 8, 1), key="m1", source_kind=SourceKind.MODULE_COMPLETION)
    assert entry.zet == Decimal("1.50") and entry.element_type == "module"
    item = PlanItem.objects.get(cycle=cycle, module=module)
    assert item.status == PlanItemStatus.CREDITED
    assert list(item.transitions.values_list("to_status", flat=True)) == ["credited"]


def test_crediting_moves_a_planned_item_to_credited(specialist: Any) -> None:
    from trajectory.services import plan_item_add

    cycle = cycle_for(specialist, issued_on=START)
    event = catalogue_event()
    item = plan_item_add(cycle=cycle, element_type="event", element_id=event.pk, by=specialist)
    _credit(specialist, event, event.ends_on, key="e", source_kind=SourceKind.EVENT_CODE)
    item.refresh_from_db()
    assert item.status == PlanItemStatus.CREDITED


def test_a_correction_is_a_reversing_entry_never_an_edit(specialist: Any, secretary: Any) -> None:
    cycle_for(specialist, issued_on=START)
    [entry] = _credit(specialist, catalogue_programme(hours=36), date(2022, 5, 1))
    reversal = credit_reverse(entry=entry, by=secretary, reason="Ошибка организации")
    assert reversal.zet == Decimal("-36.00") and reversal.reverses == entry
    entry.refresh_from_db()
    assert entry.zet == Decimal("36.00")
    with pytest.raises(ConflictError):
        credit_reverse(entry=entry, by=secretary, reason="ещё раз")


def test_many_credits_in_a_constant_number_of_queries(specialist: Any, other_specialist: Any) -> None:
    cycle_for(specialist, issued_on=START)
    cycle_for(other_specialist, issued_on=START)
    programmes = {"a": catalogue_programme(hours=18), "b": catalogue_programme(hours=36)}

    def items(n: int, prefix: str) -> list[CreditItem]:
        return [
            CreditItem(
                owner_id=(specialist if i % 2 else other_specialist).pk,
                element=programmes[prefix],
                completed_on=date(2022, 4, 1),
                source_kind=SourceKind.PROGRAM_RESULT,
                source_key=f"{prefix}:{i}",
            )
            for i in range(n)
        ]

    with CaptureQueriesContext(connection) as few_queries:
        few = credit_record_many(items=items(4, "a"))
    with CaptureQueriesContext(connection) as many_queries:
        many = credit_record_many(items=items(200, "b"))
    assert (len(few), len(many)) == (4, 200)
    assert len(few_queries) == len(many_queries) <= 14
    assert credit_record_many(items=items(200, "b")) == []


def test_a_batch_with_some_sources_already_credited_returns_and_records_only_the_new(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=START)
    programme = catalogue_programme(hours=18)

    def item(key: str) -> CreditItem:
        return CreditItem(
            owner_id=specialist.pk,
            element=programme,
            completed_on=date(2022, 4, 1),
            source_kind=SourceKind.PROGRAM_RESULT,
            source_key=key,
        )

    [first] = credit_record_many(items=[item("r:1")])
    again = credit_record_many(items=[item("r:1"), item("r:2"), item("r:3")])
    assert sorted(e.source_key for e in again) == ["r:2", "r:3"]
    assert all(e.pk and e.cycle_id == cycle.pk and e.reverses_id is None and e.reason == "" for e in again)
    stored = CreditEntry.objects.get(pk=again[0].pk)
    assert (stored.zet, stored.title, stored.cycle_year) == (again[0].zet, again[0].title, again[0].cycle_year)
    assert CreditEntry.objects.filter(cycle=cycle).count() == 3
    # one plan item, credited once: the later credits of the same element add no history
    [plan_item] = PlanItem.objects.filter(cycle=cycle, programme=programme)
    assert list(plan_item.transitions.values_list("from_status", "to_status")) == [("", "credited")]
    assert first.pk not in {e.pk for e in again}
