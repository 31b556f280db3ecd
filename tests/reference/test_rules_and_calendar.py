from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nmo_portal.lib.workdays import add_working_days, is_working_day, working_days_between
from reference.calendar import add_working_days as add_working_days_with_data
from reference.models import RuleSet, WorkingCalendarDay
from reference.rules import ruleset_in_force


@pytest.mark.django_db
def test_the_default_rule_set_holds_the_figures_of_the_domain() -> None:
    rules = ruleset_in_force(date(2026, 11, 23))
    assert rules.cycle_years == 5
    assert rules.cycle_target_zet == Decimal(250)
    assert (rules.yearly_programme_zet, rules.yearly_other_zet) == (Decimal(36), Decimal(14))
    assert (rules.event_max_zet_per_day, rules.event_max_zet_per_event) == (Decimal(6), Decimal(12))
    assert (rules.accreditation_min_hours, rules.accreditation_min_programme_hours) == (Decimal(144), Decimal(72))
    assert rules.filing_window_months == 12
    assert (rules.check_working_days, rules.commission_working_days, rules.publication_working_days) == (20, 15, 2)


@pytest.mark.django_db
def test_work_is_judged_by_the_rule_set_in_force_on_its_date() -> None:
    RuleSet.objects.create(name="2027", effective_from=date(2027, 1, 1), event_max_zet_per_event=Decimal(10))
    assert ruleset_in_force(date(2026, 12, 31)).event_max_zet_per_event == Decimal(12)
    assert ruleset_in_force(date(2027, 1, 1)).event_max_zet_per_event == Decimal(10)


def test_the_new_year_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2027, 1, 4))
    assert not is_working_day(date(2027, 1, 8))
    # 31.12.2026 (Thursday) is a day off transferred from 04.01.2026; so the next working day
    # after 30.12.2026 is 11.01.2027.
    assert add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 11)


def test_a_saturday_made_a_working_day_counts() -> None:
    assert is_working_day(date(2025, 11, 1))  # Saturday, transferred working day
    assert add_working_days(date(2025, 10, 31), 1) == date(2025, 11, 1)


def test_twenty_working_days_across_the_new_year() -> None:
    due = add_working_days(date(2026, 12, 21), 20)
    assert working_days_between(date(2026, 12, 21), due) == 20
    # Dec 22-25, 28-30 (7); 31.12 and 1-10.01 off; Jan 11-15, 18-22 (17); Jan 25, 26, 27.
    assert due == date(2027, 1, 27)


@pytest.mark.django_db
def test_a_methodologist_can_add_a_transfer_as_data() -> None:
    friday = date(2027, 4, 30)
    assert add_working_days_with_data(date(2027, 4, 29), 1) == friday
    WorkingCalendarDay.objects.create(day=friday, is_working=False, basis="Постановление (пример)")
    assert add_working_days_with_data(date(2027, 4, 29), 1) == date(2027, 5, 4)


@pytest.mark.django_db
def test_an_edited_rule_set_is_in_force_at_once_here_and_within_seconds_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.cache import cache

    from reference import rules

    clock = [1000.0]
    monkeypatch.setattr(rules.time, "monotonic", lambda: clock[0])
    day = date(2026, 11, 23)
    in_force = ruleset_in_force(day)
    in_force.event_max_zet_per_event = Decimal(11)
    in_force.save()  # the admin's edit, in this process: its signal clears both copies
    assert ruleset_in_force(day).event_max_zet_per_event == Decimal(11)
    # an edit made by another process: this one learns of it when its copy runs out
    RuleSet.objects.filter(pk=in_force.pk).update(event_max_zet_per_event=Decimal(9))
    cache.delete("reference:rulesets:v1")  # what that process's signal did to the shared cache
    assert ruleset_in_force(day).event_max_zet_per_event == Decimal(11)
    clock[0] += rules.LOCAL_SECONDS
    assert ruleset_in_force(day).event_max_zet_per_event == Decimal(9)
