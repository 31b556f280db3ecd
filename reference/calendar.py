"""The working-day calendar every deadline is counted with: ``nmo_portal.lib.workdays`` plus the
transfers a methodologist entered (``WorkingCalendarDay``)."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache

from nmo_portal.lib import workdays
from reference.models import WorkingCalendarDay

_CACHE_KEY = "reference:calendar-overrides:v1"


def _overrides() -> dict[date, bool]:
    overrides: dict[date, bool] | None = cache.get(_CACHE_KEY)
    if overrides is None:
        overrides = dict(WorkingCalendarDay.objects.values_list("day", "is_working"))
        cache.set(_CACHE_KEY, overrides, 300)
    return overrides


def calendar_cache_clear() -> None:
    cache.delete(_CACHE_KEY)


def is_working_day(day: date) -> bool:
    return workdays.is_working_day(day, _overrides())


def add_working_days(start: date, count: int) -> date:
    return workdays.add_working_days(start, count, _overrides())


def working_days_between(start: date, end: date) -> int:
    return workdays.working_days_between(start, end, _overrides())
