"""The crediting rules as functions of the rule set: the one place each is applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reference.models import RuleSet

ZERO = Decimal("0")
CENT = Decimal("0.01")


def event_credit_cap(*, zet: Decimal, starts_on: date, ends_on: date, rules: RuleSet) -> Decimal:
    """The ZET an event credits: its ZET, at most the per-event cap and the per-day cap × days."""
    days = (ends_on - starts_on).days + 1
    capped = min(Decimal(zet), Decimal(rules.event_max_zet_per_event), Decimal(rules.event_max_zet_per_day) * days)
    return max(capped, ZERO).quantize(CENT)
