"""Reads of the ledger with permissions applied (someone else's object is 404), and the portfolio
summary: totals by year and kind, the 709n minimum, the forecast. Fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nmo_portal.lib.exceptions import NotFound
from nmo_portal.lib.prepared import Prepared
from portfolio.models import CodeActivation, CreditEntry, PortfolioPdf
from portfolio.rules import ZERO
from reference.models import RuleSet
from reference.rules import ruleset_in_force
from trajectory.models import Cycle, ElementType


def _not_found() -> NotFound:
    return NotFound(_("Не найдено."))


def activation_get(*, user: Any, activation_id: Any) -> CodeActivation:
    try:
        return CodeActivation.objects.filter(user=user).select_related("event").get(pk=int(activation_id))
    except (CodeActivation.DoesNotExist, TypeError, ValueError):
        raise _not_found() from None


def activations_queryset(*, user: Any) -> QuerySet[CodeActivation]:
    return CodeActivation.objects.filter(user=user).select_related("event").order_by("-created_at", "-pk")


def activations_of(*, user: Any, limit: int = 20) -> list[CodeActivation]:
    return list(activations_queryset(user=user)[:limit])


def portfolio_pdf_get(*, user: Any, pdf_id: Any) -> PortfolioPdf:
    try:
        return PortfolioPdf.objects.filter(owner=user).select_related("cycle").get(pk=int(pdf_id))
    except (PortfolioPdf.DoesNotExist, TypeError, ValueError):
        raise _not_found() from None


def portfolio_pdf_by_code(*, code: str) -> PortfolioPdf:
    """The public verification page: a ready PDF by its verification code."""
    pdf = (
        PortfolioPdf.objects.filter(verification_code=(code or "").strip().upper(), status="ready")
        .select_related("owner", "cycle__specialty")
        .first()
    )
    if pdf is None:
        raise _not_found()
    return pdf


def entries_of(*, cycle: Cycle) -> QuerySet[CreditEntry]:
    return _entries_of(cycle_id=cycle.pk)


def _entries_of(*, cycle_id: int) -> QuerySet[CreditEntry]:
    return CreditEntry.objects.filter(cycle=cycle_id).order_by("completed_on", "pk")


# The entries behind every page of a cycle (its summary, portfolio, API): compiled once per process
# (``Prepared``), and on a served page only their stamp is read.
_ENTRIES = Prepared("credit entries", _entries_of)


@dataclass
class YearRow:
    year: int
    starts_on: date
    ends_on: date
    zet: Decimal
    target: Decimal
    program: Decimal
    other: Decimal
    program_target: Decimal
    other_target: Decimal
    is_current: bool = False

    @property
    def percent(self) -> int:
        return _percent(self.zet, self.target)


@dataclass
class Forecast:
    reach_on: date | None  # the day the target is reached at the current pace (None: no pace yet)
    in_time: bool
    missing_zet: Decimal
    missing_program_hours: Decimal
    missing_hours: Decimal
    has_pace: bool = False  # something is credited, so there is a pace to extrapolate
    needed_per_month: Decimal = Decimal(0)  # to reach the target by the end of the cycle


@dataclass
class Portfolio:
    cycle: Cycle
    rules: RuleSet
    total_zet: Decimal
    target_zet: Decimal
    by_year: list[YearRow]
    by_kind: dict[str, Decimal]
    entries: list[CreditEntry]
    hours_total: Decimal
    hours_program: Decimal
    min_hours: Decimal
    min_program_hours: Decimal
    forecast: Forecast
    today: date
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return _percent(self.total_zet, self.target_zet)

    @property
    def minimum_met(self) -> bool:
        return self.hours_total >= self.min_hours and self.hours_program >= self.min_program_hours


def _percent(value: Decimal, target: Decimal) -> int:
    if target <= 0:
        return 100
    return int(min(Decimal(100), value * 100 / target))


@dataclass(frozen=True)
class PortfolioInputs:
    """What a portfolio is computed from: the cycle, its entries, the rules in force at its start
    and the day (the forecast and the current year depend on it). The entries are a lazy queryset:
    a memoized page digests them by their row-version stamp and loads them only when it is drawn."""

    cycle: Cycle
    entries: Iterable[CreditEntry]
    rules: RuleSet
    today: date


def portfolio_inputs(*, cycle: Cycle, today: date | None = None) -> PortfolioInputs:
    """Two queries at most (the entries; the rule sets when not cached)."""
    return PortfolioInputs(
        cycle=cycle,
        entries=_ENTRIES.rows(cycle_id=cycle.pk),
        rules=ruleset_in_force(cycle.starts_on),
        today=today or timezone.localdate(),
    )


def portfolio_of(*, cycle: Cycle, today: date | None = None) -> Portfolio:
    """The portfolio of ``cycle``. Two queries at most (the entries; the rule sets when not cached)."""
    return portfolio_from(portfolio_inputs(cycle=cycle, today=today))


def portfolio_from(inputs: PortfolioInputs) -> Portfolio:
    """The portfolio computed from its inputs alone, without a query."""
    cycle, entries, rules, today = inputs.cycle, list(inputs.entries), inputs.rules, inputs.today
    by_kind = {ElementType.PROGRAM.value: ZERO, ElementType.EVENT.value: ZERO, ElementType.MODULE.value: ZERO}
    years = cycle.years()
    per_year: dict[int, dict[str, Decimal]] = {y.year: {"program": ZERO, "other": ZERO} for y in years}
    total = ZERO
    for entry in entries:
        total += entry.zet
        by_kind[entry.element_type] = by_kind.get(entry.element_type, ZERO) + entry.zet
        bucket = per_year.setdefault(entry.cycle_year, {"program": ZERO, "other": ZERO})
        bucket["program" if entry.element_type == ElementType.PROGRAM else "other"] += entry.zet
    rows = [
        YearRow(
            year=y.year,
            starts_on=y.starts_on,
            ends_on=y.ends_on,
            zet=per_year[y.year]["program"] + per_year[y.year]["other"],
            target=rules.yearly_target_zet,
            program=per_year[y.year]["program"],
            other=per_year[y.year]["other"],
            program_target=rules.yearly_programme_zet,
            other_target=rules.yearly_other_zet,
            is_current=y.contains(today),
        )
        for y in years
    ]
    # 709n: 1 ZET = 1 academic hour; programmes (DPP PK) count towards both figures.
    hours_program = by_kind[ElementType.PROGRAM.value]
    return Portfolio(
        cycle=cycle,
        rules=rules,
        total_zet=total,
        target_zet=cycle.target_zet,
        by_year=rows,
        by_kind=by_kind,
        entries=entries,
        hours_total=total,
        hours_program=hours_program,
        min_hours=rules.accreditation_min_hours,
        min_program_hours=rules.accreditation_min_programme_hours,
        forecast=forecast_of(cycle=cycle, total=total, hours_program=hours_program, rules=rules, today=today),
        today=today,
    )


def forecast_of(*, cycle: Cycle, total: Decimal, hours_program: Decimal, rules: RuleSet, today: date) -> Forecast:
    """At the pace so far (ZET per day since the cycle start), when the target is reached; and the
    pace needed to reach it by the end of the cycle."""
    missing = max(ZERO, cycle.target_zet - total)
    reach_on: date | None = None
    elapsed = (min(today, cycle.ends_on) - cycle.starts_on).days + 1
    has_pace = total > 0 and elapsed > 0
    if missing == 0:
        reach_on = today
    elif has_pace:
        per_day = total / Decimal(elapsed)
        days_needed = int((missing / per_day).to_integral_value(rounding="ROUND_CEILING"))
        if days_needed < 365 * 100:  # further than a century is "not at this pace"
            reach_on = min(today, cycle.ends_on) + timedelta(days=days_needed)
    remaining_days = max(1, (cycle.ends_on - today).days + 1)
    needed_per_month = (missing * Decimal("30.44") / Decimal(remaining_days)).quantize(Decimal("0.1"))
    return Forecast(
        reach_on=reach_on,
        in_time=reach_on is not None and reach_on <= cycle.ends_on,
        missing_zet=missing,
        missing_program_hours=max(ZERO, rules.accreditation_min_programme_hours - hours_program),
        missing_hours=max(ZERO, rules.accreditation_min_hours - total),
        has_pace=has_pace,
        needed_per_month=needed_per_month if today <= cycle.ends_on else missing,
    )


@dataclass
class Progress:
    total_zet: Decimal
    by_year: list[dict[str, Any]]
    by_kind: dict[str, Decimal]


# The sums per cycle, year and kind of element: compiled once per number of cycles (``Prepared``).
_PROGRESS_SUMS = Prepared(
    "progress sums",
    lambda *, cycle_ids: (
        CreditEntry.objects.filter(cycle__in=cycle_ids)
        .values_list("cycle_id", "cycle_year", "element_type")
        .annotate(zet=Sum("zet"))
        .order_by()
    ),
)


def progress_of_cycles(*, cycles: list[Cycle]) -> dict[int, Progress]:
    """``progress`` (api.md) of many cycles: one aggregate query whatever their number."""
    sums: dict[int, dict[tuple[int, str], Decimal]] = {}
    if cycles:
        for cycle_id, year, element_type, zet in _PROGRESS_SUMS.rows(cycle_ids=tuple(c.pk for c in cycles)):
            sums.setdefault(cycle_id, {})[(year, element_type)] = zet or ZERO
    result: dict[int, Progress] = {}
    for cycle in cycles:
        cells = sums.get(cycle.pk, {})
        rules = ruleset_in_force(cycle.starts_on)
        by_kind = dict.fromkeys(ElementType.values, ZERO)
        for (_year, kind), zet in cells.items():
            by_kind[kind] = by_kind.get(kind, ZERO) + zet
        by_year = [
            {
                "year": y.year,
                "starts_on": y.starts_on,
                "ends_on": y.ends_on,
                "zet": sum((z for (year, _k), z in cells.items() if year == y.year), ZERO),
                "target": rules.yearly_target_zet,
            }
            for y in cycle.years()
        ]
        result[cycle.pk] = Progress(total_zet=sum(cells.values(), ZERO), by_year=by_year, by_kind=by_kind)
    return result


def portfolio_snapshot(*, cycle: Cycle, today: date | None = None) -> tuple[dict[str, Any], str]:
    """A frozen, canonical view of the ledger of ``cycle`` and its SHA-256 (of the canonical JSON):
    what the accreditation application stores when it is submitted."""
    import hashlib
    import json

    portfolio = portfolio_of(cycle=cycle, today=today)
    body: dict[str, Any] = {
        "cycle": {
            "id": cycle.pk,
            "specialty": cycle.specialty_id,
            "starts_on": cycle.starts_on.isoformat(),
            "ends_on": cycle.ends_on.isoformat(),
            "target_zet": str(cycle.target_zet),
        },
        "total_zet": str(portfolio.total_zet),
        "by_kind": {kind: str(zet) for kind, zet in sorted(portfolio.by_kind.items())},
        "by_year": [{"year": r.year, "zet": str(r.zet), "program": str(r.program)} for r in portfolio.by_year],
        "minimum": {
            "hours": str(portfolio.hours_total),
            "program_hours": str(portfolio.hours_program),
            "required_hours": str(portfolio.min_hours),
            "required_program_hours": str(portfolio.min_program_hours),
            "met": portfolio.minimum_met,
        },
        "entries": [
            {
                "id": e.pk,
                "element_type": e.element_type,
                "element_id": e.programme_id or e.event_id or e.module_id,
                "title": e.title,
                "zet": str(e.zet),
                "completed_on": e.completed_on.isoformat(),
                "cycle_year": e.cycle_year,
                "source": e.source_kind,
                "source_key": e.source_key,
                "reverses": e.reverses_id,
            }
            for e in portfolio.entries
        ],
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return body, hashlib.sha256(canonical.encode("utf-8")).hexdigest()
