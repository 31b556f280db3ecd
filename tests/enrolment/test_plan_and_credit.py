"""The plan follows the application, and a recorded completion becomes credited ZET."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from enrolment.models import ProgrammeResult
from enrolment.results_parsing import ResultRow
from enrolment.services import (
    application_cancel,
    application_enroll,
    application_reject,
    results_credit,
    results_record,
)
from portfolio.models import CreditEntry
from tests.enrolment.conftest import end_cycle
from tests.enrolment.factories import enrolment_application
from tests.trajectory.factories import cycle_for
from trajectory.models import PlanItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_year_cycle(specialist: Any, cycle: Any) -> Any:
    return cycle_for(specialist, specialty=cycle.programme.specialty)


def _item(five_year_cycle: Any, cycle: Any) -> PlanItem:
    return PlanItem.objects.get(cycle=five_year_cycle, programme=cycle.programme)


def _row(learner: Any, cycle: Any, outcome: str = "completed") -> ResultRow:
    return ResultRow(
        row=2, snils=learner.snils, outcome=outcome, completed_on=cycle.ends_on, certificate_number="УД-77"
    )


def test_applying_puts_the_programme_in_the_plan_as_applied(specialist: Any, cycle: Any, five_year_cycle: Any) -> None:
    application = enrolment_application(cycle, specialist)
    item = _item(five_year_cycle, cycle)
    assert item.status == "applied"
    assert application.plan_item_id == item.pk
    application_cancel(application=application, by=specialist)
    item.refresh_from_db()
    assert item.status == "included"


def test_rejection_takes_the_plan_item_back_to_included(
    specialist: Any, cycle: Any, five_year_cycle: Any, staff_a: Any
) -> None:
    application = enrolment_application(cycle, specialist)
    application_reject(application=application, by=staff_a, reason="Нет мест по договору")
    assert _item(five_year_cycle, cycle).status == "included"


def test_from_enrolment_to_credited_zet(
    specialist: Any, cycle: Any, five_year_cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = enrolment_application(cycle, specialist)
    application_enroll(application=application, by=staff_a)
    assert _item(five_year_cycle, cycle).status == "enrolled"
    end_cycle(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        summary = results_record(cycle=cycle, rows=[_row(specialist, cycle)], by=staff_a)
    assert summary.accepted == 1
    entry = CreditEntry.objects.get(cycle=five_year_cycle)
    assert (entry.zet, entry.source_kind, entry.completed_on) == (Decimal("36"), "program_result", cycle.ends_on)
    assert _item(five_year_cycle, cycle).status == "credited"
    result = ProgrammeResult.objects.get()
    assert result.credited_at is not None and not result.needs_crediting
    # re-sending and re-running the crediting add nothing
    with django_capture_on_commit_callbacks(execute=True):
        again = results_record(cycle=cycle, rows=[_row(specialist, cycle)], by=staff_a)
    assert again.already_recorded == 1
    assert results_credit() == 0
    assert CreditEntry.objects.count() == 1


def test_the_sweeper_credits_what_the_task_missed(
    specialist: Any, cycle: Any, five_year_cycle: Any, staff_a: Any
) -> None:
    application_enroll(application=enrolment_application(cycle, specialist), by=staff_a)
    end_cycle(cycle)
    results_record(cycle=cycle, rows=[_row(specialist, cycle)], by=staff_a)  # on_commit never ran
    assert not CreditEntry.objects.exists()
    from enrolment.tasks import results_credit_sweep

    assert results_credit_sweep.apply().get() == 1
    assert CreditEntry.objects.filter(cycle=five_year_cycle).count() == 1
    assert results_credit_sweep.apply().get() == 0


def test_a_correction_reverses_the_credit_and_credits_anew(
    specialist: Any, cycle: Any, five_year_cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application_enroll(application=enrolment_application(cycle, specialist), by=staff_a)
    end_cycle(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        results_record(cycle=cycle, rows=[_row(specialist, cycle)], by=staff_a)
    earlier = ResultRow(
        row=2,
        snils=specialist.snils,
        outcome="completed",
        completed_on=cycle.ends_on.replace(day=cycle.ends_on.day) - (cycle.ends_on - cycle.starts_on) // 2,
        certificate_number="УД-77",
    )
    with django_capture_on_commit_callbacks(execute=True):
        summary = results_record(cycle=cycle, rows=[earlier], by=staff_a)
    assert summary.corrected == 1
    entries = list(CreditEntry.objects.order_by("pk").values_list("zet", "source_kind", "completed_on"))
    assert entries == [
        (Decimal("36"), "program_result", cycle.ends_on),
        (Decimal("-36"), "correction", cycle.ends_on),
        (Decimal("36"), "program_result", earlier.completed_on),
    ]
    assert sum(e[0] for e in entries) == Decimal("36")


def test_a_completion_corrected_to_failed_is_reversed(
    specialist: Any, cycle: Any, five_year_cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application_enroll(application=enrolment_application(cycle, specialist), by=staff_a)
    end_cycle(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        results_record(cycle=cycle, rows=[_row(specialist, cycle)], by=staff_a)
    assert _item(five_year_cycle, cycle).status == "credited"
    with django_capture_on_commit_callbacks(execute=True):
        results_record(cycle=cycle, rows=[_row(specialist, cycle, "failed")], by=staff_a)
    assert sum(CreditEntry.objects.values_list("zet", flat=True)) == Decimal("0")
    # the plan says what is true again: not completed, and why
    item = _item(five_year_cycle, cycle)
    assert item.status == "failed"
    last = item.transitions.order_by("-pk").first()
    assert last is not None and (last.from_status, last.to_status, last.reason) == (
        "credited",
        "failed",
        "Исправлен результат",
    )


def test_a_failed_second_attempt_leaves_an_earlier_credit_in_the_plan(
    specialist: Any, cycle: Any, five_year_cycle: Any, staff_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from enrolment.plan import plan_items_follow_many

    application = enrolment_application(cycle, specialist)
    application_enroll(application=application, by=staff_a)
    end_cycle(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        results_record(cycle=cycle, rows=[_row(specialist, cycle)], by=staff_a)
    assert _item(five_year_cycle, cycle).status == "credited"
    # an application of a later session failing moves the plan along the ordinary table: no move
    from enrolment.plan import PlanMove

    application.refresh_from_db()
    assert plan_items_follow_many(moves=[PlanMove(application=application, to="failed")]) == 0
    assert _item(five_year_cycle, cycle).status == "credited"
