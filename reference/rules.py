"""The rule set in force on a date: the one place every figure of the regulations is read from.

The rule sets are a handful of rows that change when the law does. They are read on every cycle,
portfolio and results page, so each process keeps them for ``LOCAL_SECONDS`` besides the shared
cache (Redis, five minutes): a page reads them without a round trip and without unpickling models.
An edit clears both in the process that made it (``reference.signals``); other processes follow
within ``LOCAL_SECONDS``.
"""

from __future__ import annotations

import time
from datetime import date

from django.core.cache import cache
from django.utils import timezone

from reference.models import RuleSet

_CACHE_KEY = "reference:rulesets:v1"
LOCAL_SECONDS = 30.0
# (until when, by time.monotonic(); the sets, latest first): replaced whole, so a reader on
# another thread sees the old pair or the new one, never half of each
_local: tuple[float, list[RuleSet]] | None = None


def _all_rulesets() -> list[RuleSet]:
    global _local
    held = _local
    now = time.monotonic()
    if held is not None and now < held[0]:
        return held[1]
    rulesets: list[RuleSet] | None = cache.get(_CACHE_KEY)
    if rulesets is None:
        rulesets = list(RuleSet.objects.order_by("-effective_from"))
        cache.set(_CACHE_KEY, rulesets, 300)
    _local = (now + LOCAL_SECONDS, rulesets)
    return rulesets


def rules_cache_clear() -> None:
    global _local
    _local = None
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
