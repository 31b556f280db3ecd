"""Keep the cached rule sets and calendar in step with the admin's edits (same app only)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reference.calendar import calendar_cache_clear
from reference.models import Region, RuleSet, Specialty, WorkingCalendarDay
from reference.rules import rules_cache_clear
from reference.selectors import reference_cache_clear


@receiver([post_save, post_delete], sender=RuleSet)
def _rulesets_changed(**kwargs: Any) -> None:
    rules_cache_clear()


@receiver([post_save, post_delete], sender=WorkingCalendarDay)
def _calendar_changed(**kwargs: Any) -> None:
    calendar_cache_clear()


@receiver([post_save, post_delete], sender=Specialty)
@receiver([post_save, post_delete], sender=Region)
def _reference_changed(**kwargs: Any) -> None:
    reference_cache_clear()
