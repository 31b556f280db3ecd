"""The rule set in force on a date: the one place every figure of the regulations is read from."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.utils import timezone

from reference.models import RuleSet

_CACHE_KEY = "reference:rulesets:v1"


def _all_rulesets() -> list[RuleSet]:
    rulesets: list[RuleSet] | None = cache.get(_CACHE_KEY)
    if rulesets is None:
        rulesets = list(RuleSet.objects.order_by("-effective_from"))
        cache.set(_CACHE_KEY, rulesets, 300)
    return rulesets


def rules_cache_clear() -> None:
    cache.delete(_CACHE_KEY)


def ruleset_in_force(day: date | None = None) -> RuleSet:
    """The set whose ``effective_from`` is the latest on or before ``day`` (today by default)."""
    day = day or timezone.localdate()
    for ruleset in _all_rulesets():
        if ruleset.effective_from <= day:
            return ruleset
    rulesets = _all_rulesets()
    if rulesets:  # a day before every set: the earliest one applies
        return rulesets[-1]
    raise RuleSet.DoesNotExist("No rule set is defined: run migrate (reference 0004 creates the default).")
