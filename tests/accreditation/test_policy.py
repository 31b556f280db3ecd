"""The rules in one place each: the filing window, the readiness check, the working-day deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from accreditation import policy
from nmo_portal.lib.exceptions import ApplicationError
from reference.calendar import calendar_cache_clear
from reference.models import WorkingCalendarDay

pytestmark = pytest.mark.django_db


@dataclass
class Doc:
    valid_until: date | None


DOC = Doc(valid_until=date(2027, 3, 15))


def test_the_window_opens_twelve_months_before_the_document_expires_and_closes_on_expiry() -> None:
    assert policy.filing_window(DOC, date(2026, 6, 1)) == (date(2026, 3, 15), date(2027, 3, 15))


def test_the_first_day_of_the_window_is_accepted() -> None:
    policy.filing_window_check(DOC, date(2026, 3, 15))


def test_the_day_before_the_window_is_refused_naming_the_opening_date() -> None:
    with pytest.raises(ApplicationError) as error:
        policy.filing_window_check(DOC, date(2026, 3, 14))
    assert error.value.code == "window_not_open"
    assert "не ранее 15.03.2026" in str(error.value.message)


def test_the_last_day_of_the_window_is_the_expiry_date_itself() -> None:
    policy.filing_window_check(DOC, date(2027, 3, 15))


def test_the_day_after_expiry_is_refused() -> None:
    with pytest.raises(ApplicationError) as error:
        policy.filing_window_check(DOC, date(2027, 3, 16))
    assert error.value.code == "window_closed"
    assert "15.03.2027" in str(error.value.message)


def test_a_document_without_validity_has_no_window() -> None:
    with pytest.raises(ApplicationError) as error:
        policy.filing_window(Doc(valid_until=None), date(2026, 1, 1))
    assert error.value.field == "cycle"


def test_the_window_of_a_document_expiring_on_the_31st_opens_on_the_last_day_of_a_shorter_month() -> None:
    assert policy.months_before(date(2027, 2, 28), 12) == date(2026, 2, 28)
    assert policy.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert policy.months_before(date(2028, 2, 29), 12) == date(2027, 2, 28)


def test_the_window_length_comes_from_the_rule_set(settings: object) -> None:
    from reference.models import RuleSet
    from reference.rules import rules_cache_clear

    RuleSet.objects.update(filing_window_months=6)
    rules_cache_clear()
    assert policy.filing_window(DOC, date(2026, 12, 1))[0] == date(2026, 9, 15)


# --- readiness ---------------------------------------------------------------------------------------
def test_readiness_is_met_at_exactly_144_hours_with_72_of_programmes() -> None:
    readiness = policy.readiness_check(totals={"total": Decimal("144"), "program": Decimal("72")})
    assert readiness.ok and readiness.missing == []


def test_readiness_names_each_shortfall_in_hours() -> None:
    readiness = policy.readiness_check(totals={"total": Decimal("100.5"), "program": Decimal("36")})
    assert not readiness.ok
    assert readiness.missing == [
        "Не хватает 43,5 ч обучения: нужно не менее 144 ч за пять лет, зачтено 100,5.",
        "Не хватает 36 ч по программам ДПП ПК: нужно не менее 72 ч, зачтено 36.",
    ]


def test_programme_hours_alone_can_fall_short_while_the_total_is_met() -> None:
    readiness = policy.readiness_check(totals={"total": Decimal("200"), "program": Decimal("71.99")})
    assert len(readiness.missing) == 1 and "ДПП ПК" in readiness.missing[0]


# --- working days across the New Year holidays and a transferred day off --------------------------------
def test_one_working_day_after_30_december_2026_is_11_january_2027() -> None:
    # 31.12.2026 is a day off (moved from 04.01), then 01–08.01 holidays and the weekend.
    assert policy.registration_due(date(2026, 12, 30)) == date(2027, 1, 12)
    from reference.calendar import add_working_days

    assert add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 11)


def test_a_transferred_day_off_entered_by_the_methodologist_moves_the_deadline() -> None:
    WorkingCalendarDay.objects.create(day=date(2027, 1, 11), is_working=False, basis="перенос (тест)")
    calendar_cache_clear()
    assert policy.registration_due(date(2026, 12, 30)) == date(2027, 1, 13)


def test_a_saturday_made_a_working_day_counts() -> None:
    WorkingCalendarDay.objects.create(day=date(2027, 1, 9), is_working=True, basis="рабочая суббота (тест)")
    calendar_cache_clear()
    assert policy.registration_due(date(2026, 12, 30)) == date(2027, 1, 11)


def test_twenty_working_days_to_check_skip_the_holidays() -> None:
    # From 25.12.2026 (Fri): 28, 29, 30.12 are three; the other 17 from 11.01.2027 on.
    assert policy.check_due(date(2026, 12, 25)) == date(2027, 2, 2)


def test_fifteen_and_two_working_days_for_the_commission_and_the_publication() -> None:
    assert policy.commission_due(date(2027, 1, 11)) == date(2027, 2, 1)
    assert policy.publication_due(date(2027, 2, 19)) == date(2027, 2, 24)  # 20.02.2027 is a working Saturday
