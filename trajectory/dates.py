"""The calendar of a five-year cycle: pure date arithmetic, no database.

A cycle starts on its document's date and lasts ``cycle_years`` years; cycle year 1 is the first
twelve months from the start, year 2 the next twelve, and so on. Years are contiguous: year *n*
starts on the *(n-1)*-th anniversary of the start and ends the day before the next one.

29 February: in a year without it, the anniversary of 29.02 falls on 01.03, so that every cycle
year is exactly twelve months long and no day belongs to two years or to none. A cycle started on
29.02.2024 has year 1 = 29.02.2024–28.02.2025, year 2 = 01.03.2025–28.02.2026, …, year 4 ends on
28.02.2028, year 5 = 29.02.2028–28.02.2029.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def anniversary(start: date, years: int) -> date:
    """``start`` moved ``years`` years on; 29.02 becomes 01.03 in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return date(start.year + years, 3, 1)


def cycle_ends_on(starts_on: date, cycle_years: int) -> date:
    """The last day of a cycle of ``cycle_years`` years starting on ``starts_on``."""
    return anniversary(starts_on, cycle_years) - timedelta(days=1)


@dataclass(frozen=True)
class CycleYear:
    year: int
    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def cycle_year_bounds(starts_on: date, year: int) -> CycleYear:
    """Dates of cycle year ``year`` (1-based) of a cycle starting on ``starts_on``."""
    if year < 1:
        raise ValueError("cycle years are counted from 1")
    return CycleYear(year, anniversary(starts_on, year - 1), anniversary(starts_on, year) - timedelta(days=1))


def cycle_years(starts_on: date, cycle_years: int) -> list[CycleYear]:
    return [cycle_year_bounds(starts_on, n) for n in range(1, cycle_years + 1)]


def cycle_year_number(starts_on: date, ends_on: date, day: date) -> int:
    """The cycle year (1..N) that ``day`` falls in; ``ValueError`` outside the cycle."""
    if not starts_on <= day <= ends_on:
        raise ValueError(f"{day} is outside the cycle {starts_on}..{ends_on}")
    years = day.year - starts_on.year
    # The candidate is off by at most one: step back while its anniversary is after the day.
    while years > 0 and anniversary(starts_on, years) > day:
        years -= 1
    return years + 1
