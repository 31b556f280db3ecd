"""The ZET caps of an educational event: the one function that applies them (pages, API, admin)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from reference.rules import ruleset_in_force


def event_zet_errors(*, zet: Decimal, starts_on: date, ends_on: date) -> list[str]:
    """Russian messages for every cap the ZET breaks under the rule set in force on ``starts_on``."""
    rules = ruleset_in_force(starts_on)
    days = (ends_on - starts_on).days + 1
    errors: list[str] = []
    if zet <= 0:
        errors.append(_("ЗЕТ мероприятия должны быть больше нуля."))
    per_event = rules.event_max_zet_per_event
    per_days = rules.event_max_zet_per_day * days
    if zet > per_event:
        errors.append(_("Не более %(cap)s ЗЕТ за мероприятие.") % {"cap": _fmt(per_event)})
    if zet > per_days:
        errors.append(
            _("Не более %(per_day)s ЗЕТ в день: за %(days)s дн. — не более %(cap)s ЗЕТ.")
            % {"per_day": _fmt(rules.event_max_zet_per_day), "days": days, "cap": _fmt(per_days)}
        )
    return errors


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)
