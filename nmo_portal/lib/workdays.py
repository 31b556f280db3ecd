"""Working days of the Russian production calendar.

Built on the ``holidays`` package (public holidays, their observed days, and the government's
transfers it knows, including Saturdays made working days), with ``overrides``: a mapping of
date -> is_working that wins over everything, for transfers decreed after the package release.
The data-backed entry point is ``reference.calendar``; this module is pure and testable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _russia(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def is_working_day(day: date, overrides: Mapping[date, bool] | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    calendar = _russia(day.year)
    if day in getattr(calendar, "weekend_workdays", set()):
        return True
    return day.weekday() < 5 and day not in calendar


def add_working_days(start: date, count: int, overrides: Mapping[date, bool] | None = None) -> date:
    """The date ``count`` working days after ``start`` (``start`` itself is not counted).

    ``add_working_days(friday, 1)`` is the next working Monday; ``count == 0`` returns ``start``.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, overrides: Mapping[date, bool] | None = None) -> int:
    """Working days in (start, end]: how many have passed from ``start`` to ``end``."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n), overrides))
