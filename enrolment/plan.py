"""The seam to the credit engine: the specialist's plan (``trajectory``) and the ZET ledger
(``portfolio``). Every call into those apps from enrolment goes through this module, so the rest of
the app reads in its own terms ("the application moved; tell the plan").

A plan item follows its application: formed → ``applied``, enrolled → ``enrolled``, cancelled or
rejected → back to ``included``, a result → ``completed`` / ``failed``; crediting the ZET makes it
``credited`` (portfolio does that). Moves go through trajectory's transition table and history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from enrolment.models import Application


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _find_item(application: Application) -> Any | None:
    from trajectory.models import PlanItem

    if application.plan_item_id:
        item = PlanItem.objects.filter(pk=application.plan_item_id).first()
        if item is not None:
            return item
    return (
        PlanItem.objects.filter(
            cycle__owner_id=application.applicant_id,
            cycle__status="active",
            cycle__specialty_id=application.specialty_id,
            programme_id=application.programme_cycle.programme_id,
        )
        .order_by("-cycle__starts_on")
        .first()
    )


def plan_item_for_application(*, application: Application, by: Any = None) -> Any | None:
    """The plan item of the application's programme in the applicant's active cycle of the chosen
    specialty, added to the plan when missing; None when the applicant has no such cycle."""
    from trajectory.models import Cycle, PlanItemStatus
    from trajectory.services import plan_item_add, plan_item_attach_session

    item = _find_item(application)
    if item is None:
        cycle = (
            Cycle.objects.filter(
                owner_id=application.applicant_id, status="active", specialty_id=application.specialty_id
            )
            .order_by("-starts_on")
            .first()
        )
        if cycle is None:
            return None
        item = plan_item_add(
            cycle=cycle, element_type="program", element_id=application.programme_cycle.programme_id, by=by
        )
    plan_item_attach_session(item=item, programme_cycle=application.programme_cycle)
    if application.plan_item_id != item.pk:
        application.plan_item_id = item.pk
        Application.objects.filter(pk=application.pk).update(plan_item_id=item.pk)
    assert item.status in PlanItemStatus.values
    return item


# The path a plan item takes to reach a status from where it stands (trajectory's table allows
# only single steps; direct enrolment skips the application, so the item passes ``applied``).
_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("included", "applied"): ("applied",),
    ("failed", "applied"): ("applied",),
    ("included", "enrolled"): ("applied", "enrolled"),
    ("failed", "enrolled"): ("applied", "enrolled"),
    ("applied", "enrolled"): ("enrolled",),
    ("applied", "included"): ("included",),
    ("enrolled", "included"): ("included",),
    ("enrolled", "completed"): ("completed",),
    ("enrolled", "failed"): ("failed",),
    ("failed", "completed"): ("included", "completed"),
}


def plan_item_follow(*, application: Application, to: str, by: Any = None, reason: str = "") -> None:
    """Move the application's plan item towards ``to`` (nothing when it has none or is there)."""
    from trajectory.services import plan_item_move

    if to in {"applied", "enrolled"}:
        item = plan_item_for_application(application=application, by=by)
    else:
        item = _find_item(application)
    if item is None or item.status == to:
        return
    for step in _PATHS.get((item.status, to), ()):
        plan_item_move(item=item, to=step, by=by, reason=reason)


@dataclass(frozen=True)
class PlanMove:
    application: Application
    to: str


def plan_items_follow_many(*, moves: Iterable[PlanMove], by: Any = None, reason: str = "") -> int:
    """Bulk version for results: a constant number of queries whatever the number of moves.

    Uses trajectory's transition table to decide each move and writes its history rows in bulk.
    """
    moves = list(moves)
    if not moves:
        return 0
    from trajectory.models import PlanItem, PlanItemTransition
    from trajectory.transitions import PLAN_ITEM_MOVES

    by_programme_owner: dict[tuple[int, int, int], str] = {
        (m.application.applicant_id, m.application.specialty_id, m.application.programme_cycle.programme_id): m.to
        for m in moves
    }
    applicants = {key[0] for key in by_programme_owner}
    programmes = {key[2] for key in by_programme_owner}
    items = PlanItem.objects.filter(
        cycle__owner_id__in=applicants, cycle__status="active", programme_id__in=programmes
    ).values_list("pk", "status", "cycle__owner_id", "cycle__specialty_id", "programme_id")
    now = timezone.now()
    actor = _actor(by)
    history = []
    grouped: dict[tuple[str, str], list[int]] = {}
    for pk, status, owner_id, specialty_id, programme_id in items:
        to = by_programme_owner.get((owner_id, specialty_id, programme_id or 0))
        if to is None or status == to or not PLAN_ITEM_MOVES.allowed(status, to):
            continue
        grouped.setdefault((status, to), []).append(pk)
        history.append(
            PlanItemTransition(
                subject_id=pk, from_status=status, to_status=to, actor=actor, reason=reason, created_at=now
            )
        )
    moved = 0
    for (source, to), ids in grouped.items():
        moved += PlanItem.objects.filter(pk__in=ids, status=source).update(status=to, updated_at=now)
    PlanItemTransition.objects.bulk_create(history, batch_size=1000)
    return moved


# --- the ledger ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreditRequest:
    owner_id: int
    programme_id: int
    completed_on: date
    source_key: str


def credit_results(*, requests: list[CreditRequest], by: Any = None) -> int:
    """Credit programme results through portfolio's idempotent bulk service (every matching active
    cycle of the learner, x2 included); returns the number of ledger entries made."""
    if not requests:
        return 0
    from portfolio.models import SourceKind
    from portfolio.services import CreditItem, credit_record_many
    from providers.models import Programme

    programmes = Programme.objects.in_bulk({r.programme_id for r in requests})
    items = [
        CreditItem(
            owner_id=r.owner_id,
            element=programmes[r.programme_id],
            completed_on=r.completed_on,
            source_kind=SourceKind.PROGRAM_RESULT,
            source_key=r.source_key,
        )
        for r in requests
    ]
    return len(credit_record_many(items=items, by=by))


def credit_reverse_key(*, source_key: str, by: Any, reason: str) -> int:
    """Reverse every live entry credited under ``source_key`` (a corrected result); returns how many."""
    if not source_key:
        return 0
    from portfolio import services as ledger
    from portfolio.models import CreditEntry

    entries = list(
        CreditEntry.objects.filter(
            source_kind="program_result", source_key=source_key, reverses__isnull=True, reversed_by__isnull=True
        )
    )
    for entry in entries:
        ledger.credit_reverse(entry=entry, by=by, reason=reason)
    return len(entries)


def plan_items_uncredit(*, owner_id: int, programme_id: int, by: Any, reason: str) -> int:
    """A result corrected to "not completed" had its entries reversed: each of the owner's plan
    items for the programme that no live entry credits any more goes from ``credited`` to
    ``failed`` (PLAN_ITEM_CORRECTIONS). An item still credited by another entry (an earlier
    completion of the same programme) stays credited. Returns how many moved."""
    from portfolio.models import CreditEntry
    from trajectory.models import PlanItem, PlanItemStatus
    from trajectory.services import plan_item_move

    live = CreditEntry.objects.filter(
        cycle_id=OuterRef("cycle_id"), programme_id=programme_id, reverses__isnull=True, reversed_by__isnull=True
    )
    items = PlanItem.objects.filter(
        cycle__owner_id=owner_id, programme_id=programme_id, status=PlanItemStatus.CREDITED
    ).exclude(Exists(live))
    moved = 0
    for item in items:
        plan_item_move(item=item, to=PlanItemStatus.FAILED, by=by, reason=reason, correction=True)
        moved += 1
    return moved
