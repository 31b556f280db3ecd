from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from portfolio.models import CreditEntry
from portfolio.services import module_completion_credit, module_completion_report, module_completions_sweep
from providers.services import module_completion_record
from tests.trajectory.factories import catalogue_module, cycle_for, specialty_pick

pytestmark = pytest.mark.django_db


def test_a_reported_completion_is_credited_at_once_through_portfolio(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    module = catalogue_module(zet=3)
    _completion, entries = module_completion_report(
        module=module, user=specialist, completed_on=date(2022, 9, 1), by=None
    )
    assert [(e.cycle_id, e.zet) for e in entries] == [(cycle.pk, Decimal("3.00"))]


def test_the_sweeper_credits_completions_recorded_by_providers(specialist: Any, other_specialist: Any) -> None:
    cycle_for(specialist, specialty=specialty_pick(0))
    cycle_for(specialist, specialty=specialty_pick(1))
    module = catalogue_module(zet=2, specialties=[specialty_pick(0), specialty_pick(1)])
    module_completion_record(module=module, user=specialist, completed_on=date(2023, 1, 5), by=None)
    module_completion_record(module=module, user=other_specialist, completed_on=date(2023, 1, 5), by=None)
    assert module_completions_sweep() == 1  # x2: one completion, two cycles; no cycle for the other
    assert CreditEntry.objects.count() == 2
    assert module_completions_sweep() == 0


def test_crediting_a_completion_twice_changes_nothing(specialist: Any) -> None:
    cycle_for(specialist)
    completion = module_completion_record(
        module=catalogue_module(), user=specialist, completed_on=date(2022, 6, 1), by=None
    )
    assert len(module_completion_credit(completion=completion)) == 1
    assert module_completion_credit(completion=completion) == []


def test_the_sweeper_leaves_old_completions_alone(specialist: Any) -> None:
    cycle_for(specialist)
    module_completion_record(module=catalogue_module(), user=specialist, completed_on=date(2022, 6, 1), by=None)
    assert module_completions_sweep(now=timezone.now() + timedelta(days=8)) == 0


def test_the_task_credits_one_completion_by_id(specialist: Any) -> None:
    from portfolio.tasks import module_completion_credit_task

    cycle_for(specialist)
    completion = module_completion_record(
        module=catalogue_module(zet=1), user=specialist, completed_on=date(2022, 6, 1), by=None
    )
    assert module_completion_credit_task(completion.pk) == 1
    assert module_completion_credit_task(completion.pk) == 0
    assert module_completion_credit_task(10**9) == 0


def test_a_completion_reported_before_the_cycle_opened_is_credited_when_it_opens(specialist: Any) -> None:
    from providers.models import ModuleCompletion

    completion = module_completion_record(
        module=catalogue_module(zet=2), user=specialist, completed_on=date(2022, 6, 1), by=None
    )
    ModuleCompletion.objects.filter(pk=completion.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert module_completions_sweep() == 0  # no cycle yet
    cycle_for(specialist, issued_on=date(2022, 3, 1))
    assert module_completions_sweep() == 1
