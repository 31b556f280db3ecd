"""``seed_demo --scale N``: the secretary's queue at national size, 5 000 applications at
N = 100 000 (proportionally fewer, at least 20), in bulk (COPY on PostgreSQL via ``bench.bulk``).

They are shared among ``COMMISSIONS`` commissions (a secretary's queue is one commission's share of
the country's, as with regional commissions): the demo commission (``accreditation.demo.
COMMISSION_NAME``, created with the demo secretary as its secretary if the demo has not made it)
and scale commissions named ``SCALE_COMMISSION_PREFIX`` + k; one per scale cycle taken from the last
scale specialists backwards (one live application per cycle holds), in every state the secretary
works on: submitted, registered, returned, under review, decided (with a result). Due dates spread
from three weeks overdue to a month ahead. Registered and later ones carry a journal number from
``SCALE_JOURNAL_BASE`` up (unique with the year). A cycle that already has an application is
skipped, so a rerun adds only what is missing. No transitions, snapshots or files (benchmark data).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accreditation.demo import COMMISSION_NAME
from accreditation.models import (
    AccreditationApplication,
    ApplicationStatus,
    Commission,
    CommissionMember,
    CommissionRole,
    Result,
)
from bench.bulk import bulk_insert
from nmo_portal.lib.demo import DemoContext
from trajectory.demo_scale import scale_cycle_ids
from trajectory.models import Cycle

FULL_SCALE = 100_000
APPLICATIONS = 5_000
FLOOR = 20
SCALE_JOURNAL_BASE = 500_000
DEMO_SECRETARY = "secretary@demo.nmo"
COMMISSIONS = 10
SCALE_COMMISSION_PREFIX = "Масштаб: аккредитационная подкомиссия "

_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.REGISTERED,
    ApplicationStatus.REGISTERED,
    ApplicationStatus.REGISTERED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.DECIDED,
]


def queue_size(n: int) -> int:
    return max(FLOOR, APPLICATIONS * min(n, FULL_SCALE) // FULL_SCALE)


def _commission() -> Commission:
    commission = Commission.objects.filter(name=COMMISSION_NAME).order_by("pk").first()
    if commission is None:
        commission = Commission.objects.create(name=COMMISSION_NAME)
    secretary = User.objects.filter(email__iexact=DEMO_SECRETARY).first()
    if secretary is not None:
        CommissionMember.objects.get_or_create(
            commission=commission, user=secretary, defaults={"role": CommissionRole.SECRETARY.value}
        )
    return commission


def _commissions() -> list[int]:
    ids = [_commission().pk]
    for k in range(1, COMMISSIONS):
        commission, _ = Commission.objects.get_or_create(name=f"{SCALE_COMMISSION_PREFIX}{k}")
        ids.append(commission.pk)
    return ids


def seed_scale(ctx: DemoContext, n: int) -> None:
    cycles = scale_cycle_ids(n)
    if not cycles:
        return
    chosen = cycles[-min(queue_size(n), len(cycles)) :]
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        commissions = _commissions()
        taken = set(AccreditationApplication.objects.filter(cycle_id__in=chosen).values_list("cycle_id", flat=True))
        rows = list(
            Cycle.objects.filter(pk__in=[pk for pk in chosen if pk not in taken])
            .order_by("pk")
            .values_list("pk", "owner_id", "document_id", "specialty_id")
        )

        def values(row: tuple[int, int, int, int]) -> dict[str, Any]:
            pk, owner, document, specialty = row
            status = _STATUSES[pk % len(_STATUSES)]
            registered = status != ApplicationStatus.SUBMITTED
            submitted_at = now - dt.timedelta(days=5 + pk % 40)
            due = today + dt.timedelta(days=pk % 51 - 20)
            decided = status == ApplicationStatus.DECIDED
            return {
                "applicant_id": owner,
                "cycle_id": pk,
                "document_id": document,
                "specialty_id": specialty,
                "commission_id": commissions[pk % len(commissions)],
                "phone": f"+7999{pk % 10_000_000:07d}",
                "education_level": "higher",
                "report_agreed_with_employer": True,
                "report_disagreement_reason": "",
                "status": status.value,
                "journal_year": today.year if registered else None,
                "journal_number": SCALE_JOURNAL_BASE + pk if registered else None,
                "submitted_at": submitted_at,
                "registered_at": submitted_at + dt.timedelta(days=1) if registered else None,
                "registration_due_on": (submitted_at + dt.timedelta(days=3)).date(),
                "due_on": due,
                "return_reason": "Не приложен отчёт о работе." if status == ApplicationStatus.RETURNED else "",
                "result": (Result.PASSED if pk % 7 else Result.FAILED).value if decided else "",
                "decided_at": now - dt.timedelta(days=1) if decided else None,
                "created_at": submitted_at,
            }

        bulk_insert(AccreditationApplication, rows, values)
    ctx.counts["accreditation: scale applications"] = AccreditationApplication.objects.filter(
        cycle_id__in=chosen
    ).count()
    ctx.counts["accreditation: in the demo secretary's commission"] = AccreditationApplication.objects.filter(
        commission_id=commissions[0], cycle_id__in=chosen
    ).count()
