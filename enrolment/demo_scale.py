"""``seed_demo --scale N``: 50 000 applications at N = 100 000 (proportionally fewer below), in
bulk (COPY on PostgreSQL via ``bench.bulk``), with the seat counters consistent with them.

- One *big* cycle of the demo provider's organisation (recognised by ``BIG_CYCLE_PLACE``), ended
  three weeks ago, with ``big_size(N)`` applications (2 000 at full scale), mostly enrolled: the
  provider's application list and results grid are timed on it.
- The rest spread over the scale catalogue's cycles, one per scale specialist, on the contract
  basis, in every state (formed, enrolled, completed, failed, rejected with a reason, cancelled).

Applications are recognised by their number (``SCALE_NUMBER_PREFIX``), so a rerun adds only the
missing ones. Afterwards the seat counters of every cycle they touch are set to the seats they
take (``taken <= capacity`` holds: at most two applications per scale cycle, ten contract seats).
No transitions history is written (benchmark data).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accounts.demo_scale import scale_user_ids
from bench.bulk import bulk_insert
from enrolment.models import Application, ApplicationStatus, SeatCounter
from enrolment.names import applicant_names_fill
from nmo_portal.lib.demo import DemoContext
from providers.demo import SCALE_PREFIX
from providers.models import Membership, Programme, ProgrammeCycle
from reference.models import Specialty

FULL_SCALE = 100_000
APPLICATIONS = 50_000
BIG_CYCLE_APPLICATIONS = 2_000
BIG_CYCLE_PLACE = "Масштаб: большой цикл для замеров"
BIG_CYCLE_SEATS = 5_000
SCALE_NUMBER_PREFIX = "МСШ-"
DEMO_PROVIDER = "provider@demo.nmo"

_SPREAD_STATUSES = [
    ApplicationStatus.FORMED,
    ApplicationStatus.FORMED,
    ApplicationStatus.ENROLLED,
    ApplicationStatus.ENROLLED,
    ApplicationStatus.COMPLETED,
    ApplicationStatus.FAILED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.CANCELLED,
]
_BIG_STATUSES = [ApplicationStatus.ENROLLED] * 6 + [ApplicationStatus.COMPLETED] * 2 + [ApplicationStatus.FORMED]
_SEAT_HOLDERS = {
    ApplicationStatus.FORMED,
    ApplicationStatus.ENROLLED,
    ApplicationStatus.COMPLETED,
    ApplicationStatus.FAILED,
}


def total_size(n: int) -> int:
    return APPLICATIONS * min(n, FULL_SCALE) // FULL_SCALE


def big_size(n: int) -> int:
    return min(BIG_CYCLE_APPLICATIONS, max(1, total_size(n) // 25), n)


def big_cycle() -> ProgrammeCycle | None:
    return ProgrammeCycle.objects.filter(place=BIG_CYCLE_PLACE).order_by("pk").first()


def _big_cycle_ensure() -> ProgrammeCycle | None:
    cycle = big_cycle()
    if cycle is not None:
        return cycle
    organisation_ids = Membership.objects.filter(user__email__iexact=DEMO_PROVIDER).values("organisation_id")
    programme = (
        Programme.objects.filter(organisation_id__in=organisation_ids)
        .exclude(title__startswith=SCALE_PREFIX)
        .order_by("pk")
        .first()
    )
    if programme is None:
        return None
    today = timezone.localdate()
    return ProgrammeCycle.objects.create(
        programme=programme,
        starts_on=today - dt.timedelta(days=40),
        ends_on=today - dt.timedelta(days=20),
        seats_contract=BIG_CYCLE_SEATS,
        price=Decimal("15000.00"),
        region_id=programme.organisation.region_id,
        place=BIG_CYCLE_PLACE,
    )


def seed_scale(ctx: DemoContext, n: int) -> None:
    total = total_size(n)
    users = scale_user_ids(n)
    if not total or not users:
        return
    specialties = list(Specialty.objects.order_by("pk").values_list("pk", flat=True))
    scale_cycles = list(
        ProgrammeCycle.objects.filter(programme__title__startswith=SCALE_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        big = _big_cycle_ensure()
        big_count = big_size(n) if big is not None else 0
        have = set(Application.objects.filter(number__startswith=SCALE_NUMBER_PREFIX).values_list("number", flat=True))
        missing = [i for i in range(total) if f"{SCALE_NUMBER_PREFIX}{i:07d}" not in have]
        now = timezone.now()

        def values(i: int) -> dict[str, Any]:
            if i < big_count:
                assert big is not None
                cycle_id, applicant = big.pk, users[-1 - i]
                status = _BIG_STATUSES[i % len(_BIG_STATUSES)]
            else:
                cycle_id, applicant = scale_cycles[i % len(scale_cycles)], users[i % len(users)]
                status = _SPREAD_STATUSES[i % len(_SPREAD_STATUSES)]
            return {
                "number": f"{SCALE_NUMBER_PREFIX}{i:07d}",
                "applicant_id": applicant,
                "programme_cycle_id": cycle_id,
                "specialty_id": specialties[applicant % len(specialties)],
                "employment": ("state", "private", "unemployed", "other")[i % 4],
                "basis": "contract",
                "source": "specialist",
                "seat_taken": status in _SEAT_HOLDERS,
                "consent_at": now - dt.timedelta(days=i % 60),
                "status": status.value,
                "reject_reason": "Нет мест по выбранной основе." if status == ApplicationStatus.REJECTED else "",
                "created_at": now - dt.timedelta(days=i % 60, minutes=i % 1440),
                "updated_at": now,
            }

        if scale_cycles:
            bulk_insert(Application, missing, values)
            applicant_names_fill(Application.objects.filter(number__startswith=SCALE_NUMBER_PREFIX))
        _seat_counters()
    ctx.counts["enrolment: scale applications"] = Application.objects.filter(
        number__startswith=SCALE_NUMBER_PREFIX
    ).count()
    ctx.counts["enrolment: applications on the big cycle"] = (
        Application.objects.filter(programme_cycle=big).count() if big is not None else 0
    )


def _seat_counters() -> None:
    """Each (cycle, basis) the scale applications touch counts exactly the seats they hold."""
    app, cycle, counter = Application._meta.db_table, ProgrammeCycle._meta.db_table, SeatCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {counter} (cycle_id, basis, capacity, taken) "  # noqa: S608 - table names only
            f"SELECT a.programme_cycle_id, a.basis, CASE a.basis WHEN 'budget' THEN c.seats_budget "
            f"WHEN 'contract' THEN c.seats_contract ELSE c.seats_ffoms END, "
            f"SUM(CASE WHEN a.seat_taken THEN 1 ELSE 0 END) "
            f"FROM {app} a JOIN {cycle} c ON c.id = a.programme_cycle_id "
            f"WHERE a.number LIKE %s GROUP BY a.programme_cycle_id, a.basis, c.seats_budget, c.seats_contract, "
            f"c.seats_ffoms ON CONFLICT (cycle_id, basis) DO UPDATE SET taken = EXCLUDED.taken, "
            f"capacity = EXCLUDED.capacity",
            [SCALE_NUMBER_PREFIX + "%"],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {counter}")
