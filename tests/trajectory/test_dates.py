from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trajectory.dates import anniversary, cycle_ends_on, cycle_year_bounds, cycle_year_number, cycle_years


def test_a_cycle_lasts_five_years_to_the_day_before_the_anniversary() -> None:
    assert cycle_ends_on(date(2022, 3, 1), 5) == date(2027, 2, 28)
    assert cycle_ends_on(date(2021, 1, 15), 5) == date(2026, 1, 14)


def test_the_last_day_of_year_one_and_the_first_day_of_year_two() -> None:
    start, end = date(2022, 3, 1), date(2027, 2, 28)
    assert cycle_year_number(start, end, date(2023, 2, 28)) == 1
    assert cycle_year_number(start, end, date(2023, 3, 1)) == 2
    assert cycle_year_number(start, end, start) == 1
    assert cycle_year_number(start, end, end) == 5


def test_a_cycle_started_on_29_february() -> None:
    start = date(2024, 2, 29)
    end = cycle_ends_on(start, 5)
    assert end == date(2029, 2, 28)
    years = cycle_years(start, 5)
    assert [(y.starts_on, y.ends_on) for y in years] == [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2029, 2, 28)),
    ]
    assert cycle_year_number(start, end, date(2025, 2, 28)) == 1
    assert cycle_year_number(start, end, date(2025, 3, 1)) == 2
    assert cycle_year_number(start, end, date(2028, 2, 29)) == 5


def test_a_day_outside_the_cycle_has_no_year() -> None:
    with pytest.raises(ValueError):
        cycle_year_number(date(2022, 3, 1), date(2027, 2, 28), date(2027, 3, 1))
    with pytest.raises(ValueError):
        cycle_year_bounds(date(2022, 3, 1), 0)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    offset=st.integers(min_value=0, max_value=5 * 366),
)
def test_every_day_of_a_cycle_is_in_exactly_one_year(start: date, offset: int) -> None:
    end = cycle_ends_on(start, 5)
    day = start + timedelta(days=offset)
    if day > end:
        return
    year = cycle_year_number(start, end, day)
    assert [y.year for y in cycle_years(start, 5) if y.contains(day)] == [year]
    # years are contiguous and twelve months long
    years = cycle_years(start, 5)
    for previous, following in itertools.pairwise(years):
        assert previous.ends_on + timedelta(days=1) == following.starts_on
    assert years[-1].ends_on == end
    assert anniversary(start, 5) == end + timedelta(days=1)
