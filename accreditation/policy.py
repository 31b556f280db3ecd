"""The rules of periodic accreditation, each in one function: the filing window, the readiness
check against the 709n minimum, the due dates. Figures come from the rule set in force."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nmo_portal.lib.exceptions import ApplicationError
from reference import calendar as workdays
from reference.rules import ruleset_in_force


def months_before(day: date, months: int) -> date:
    """``day`` moved back ``months`` calendar months; the 31st becomes the month's last day."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def filing_window(document: Any, today: date | None = None) -> tuple[date, date]:
    """(opens_on, closes_on), both inclusive: no earlier than ``filing_window_months`` before the
    document's ``valid_until``, no later than ``valid_until`` itself."""
    valid_until: date | None = getattr(document, "valid_until", None)
    if valid_until is None:
        raise ApplicationError(
            _(
                "У документа нет срока действия: периодическая аккредитация проходится "
                "по сертификату или свидетельству."
            ),
            field="cycle",
            code="no_validity",
        )
    rules = ruleset_in_force(today or timezone.localdate())
    return months_before(valid_until, int(rules.filing_window_months)), valid_until


def filing_window_check(document: Any, today: date | None = None) -> None:
    """Raise a 400 naming why the application cannot be filed today."""
    today = today or timezone.localdate()
    opens_on, closes_on = filing_window(document, today)
    if today < opens_on:
        raise ApplicationError(
            _(
                "Заявление можно подать не ранее %(opens)s: не раньше чем за 12 месяцев до окончания срока "
                "действия документа (%(closes)s)."
            )
            % {"opens": f"{opens_on:%d.%m.%Y}", "closes": f"{closes_on:%d.%m.%Y}"},
            field="cycle",
            code="window_not_open",
        )
    if today > closes_on:
        raise ApplicationError(
            _("Срок подачи заявления истёк %(closes)s вместе со сроком действия документа.")
            % {"closes": f"{closes_on:%d.%m.%Y}"},
            field="cycle",
            code="window_closed",
        )


@dataclass
class Readiness:
    total_hours: Decimal
    programme_hours: Decimal
    min_hours: Decimal
    min_programme_hours: Decimal
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_hours": str(self.total_hours),
            "programme_hours": str(self.programme_hours),
            "min_hours": str(self.min_hours),
            "min_programme_hours": str(self.min_programme_hours),
            "ok": self.ok,
            "missing": list(self.missing),
        }


def readiness_check(*, totals: dict[str, Decimal], today: date | None = None) -> Readiness:
    """The education record against the 709n minimum (warns; never forbids submission).

    ``totals`` has ``total`` and ``program`` hours of the cycle's ledger, reversals netted
    (``accreditation.portfolio.ledger_totals``)."""
    rules = ruleset_in_force(today or timezone.localdate())
    total = totals.get("total", Decimal(0))
    programme = totals.get("program", Decimal(0))
    readiness = Readiness(
        total_hours=total,
        programme_hours=programme,
        min_hours=Decimal(rules.accreditation_min_hours),
        min_programme_hours=Decimal(rules.accreditation_min_programme_hours),
    )
    if total < readiness.min_hours:
        readiness.missing.append(
            _("Не хватает %(n)s ч обучения: нужно не менее %(min)s ч за пять лет, зачтено %(have)s.")
            % {"n": _num(readiness.min_hours - total), "min": _num(readiness.min_hours), "have": _num(total)}
        )
    if programme < readiness.min_programme_hours:
        readiness.missing.append(
            _("Не хватает %(n)s ч по программам ДПП ПК: нужно не менее %(min)s ч, зачтено %(have)s.")
            % {
                "n": _num(readiness.min_programme_hours - programme),
                "min": _num(readiness.min_programme_hours),
                "have": _num(programme),
            }
        )
    return readiness


def _num(value: Decimal) -> str:
    normalized = value.quantize(Decimal("0.01")).normalize()
    return f"{normalized:f}".replace(".", ",")


# --- due dates, in working days of the production calendar ----------------------------------------
def registration_due(submitted_on: date) -> date:
    return workdays.add_working_days(submitted_on, int(ruleset_in_force(submitted_on).registration_working_days))


def check_due(registered_on: date) -> date:
    return workdays.add_working_days(registered_on, int(ruleset_in_force(registered_on).check_working_days))


def commission_due(passed_on: date) -> date:
    return workdays.add_working_days(passed_on, int(ruleset_in_force(passed_on).commission_working_days))


def publication_due(signed_on: date) -> date:
    return workdays.add_working_days(signed_on, int(ruleset_in_force(signed_on).publication_working_days))
