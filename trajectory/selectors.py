"""Reads of cycles and plans, with permissions applied: someone else's object is 404."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from accounts.models import Document
from nmo_portal.lib.exceptions import NotFound
from nmo_portal.lib.prepared import Prepared
from trajectory.elements import ElementKey, specialties_of_elements
from trajectory.models import Cycle, CycleStatus, PlanItem, PlanItemStatus


def _not_found() -> NotFound:
    from django.utils.translation import gettext as _

    return NotFound(_("Не найдено."))


def cycles_of(*, user: Any) -> QuerySet[Cycle]:
    if not getattr(user, "is_authenticated", False):
        return Cycle.objects.none()
    return _cycles_of(owner_id=user.pk)


def _cycles_of(*, owner_id: int) -> QuerySet[Cycle]:
    return Cycle.objects.filter(owner=owner_id).select_related("specialty", "document").order_by("status", "-starts_on")


# Every page of a cycle starts here: built and compiled once per process (``Prepared``).
_CYCLE = Prepared("cycle", lambda *, owner_id, cycle_id: _cycles_of(owner_id=owner_id).filter(pk=cycle_id))


def cycle_get(*, user: Any, cycle_id: Any) -> Cycle:
    try:
        pk = int(cycle_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    cycle = _CYCLE.one(owner_id=user.pk, cycle_id=pk) if getattr(user, "is_authenticated", False) else None
    if cycle is None:
        raise _not_found()
    return cycle


def document_for_cycle_get(*, user: Any, document_id: Any) -> Document:
    try:
        return Document.objects.select_related("specialty").get(owner=user, pk=int(document_id))
    except (Document.DoesNotExist, TypeError, ValueError):
        raise _not_found() from None


def documents_to_open_cycle(*, user: Any) -> QuerySet[Document]:
    """The user's certificates and accreditation documents that have not opened a cycle yet."""
    return (
        Document.objects.filter(owner=user, kind__in=["certificate", "accreditation"], cycle__isnull=True)
        .select_related("specialty")
        .order_by("-issued_on")
    )


def active_cycles_for(*, owner_id: int, specialty_ids: Iterable[int], day: date | None = None) -> list[Cycle]:
    """The owner's active cycles in one of ``specialty_ids`` (containing ``day`` when given)."""
    queryset = Cycle.objects.filter(owner_id=owner_id, status=CycleStatus.ACTIVE, specialty_id__in=list(specialty_ids))
    if day is not None:
        queryset = queryset.filter(starts_on__lte=day, ends_on__gte=day)
    return list(queryset.select_related("specialty").order_by("starts_on", "pk"))


def plan_item_get(*, user: Any, item_id: Any, cycle: Cycle | None = None) -> PlanItem:
    queryset = PlanItem.objects.filter(cycle__owner=user)
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    try:
        return queryset.select_related("cycle", "programme", "event", "module").get(pk=int(item_id))
    except (PlanItem.DoesNotExist, TypeError, ValueError):
        raise _not_found() from None


@dataclass
class PlanRow:
    item: PlanItem
    counts_for: list[Cycle]  # every active cycle of the owner the element will count for (x2)
    awaiting_results_until: date | None = None  # enrolled: the organisation must enter the result by then

    @property
    def is_x2(self) -> bool:
        return len(self.counts_for) > 1


# The plan page's queries, compiled once per process (``Prepared``): an empty plan costs one.
_PLAN_ITEMS = Prepared(
    "plan items",
    lambda *, cycle_id: (
        PlanItem.objects.filter(cycle=cycle_id)
        .select_related("programme", "event", "module", "programme_cycle")
        .order_by("created_at", "pk")
    ),
)
_ACTIVE_CYCLES = Prepared(
    "active cycles",
    lambda *, owner_id: Cycle.objects.filter(owner_id=owner_id, status=CycleStatus.ACTIVE).select_related("specialty"),
)


def plan_of(*, cycle: Cycle) -> list[PlanRow]:
    """The plan of ``cycle`` with, for each item, every active cycle it counts for. Four queries
    whatever the number of items: items, the owner's active cycles, and the specialties per type."""
    items = _PLAN_ITEMS.rows(cycle_id=cycle.pk).load()
    if not items:
        return []
    active = _ACTIVE_CYCLES.rows(owner_id=cycle.owner_id).load()
    keys = {item.pk: ElementKey(item.element_type, item.element_id) for item in items}
    specialties = specialties_of_elements(keys.values())
    rows = []
    for item in items:
        ids = specialties.get(keys[item.pk], set())
        counts_for = [c for c in active if c.specialty_id in ids]
        rows.append(PlanRow(item=item, counts_for=counts_for, awaiting_results_until=results_due_on(item)))
    return rows


def results_due_on(item: PlanItem) -> date | None:
    """For an enrolled programme item whose session is known: the last day for the organisation
    to enter the result (the session's end plus the rule set's ``results_due_days``)."""
    if item.status != PlanItemStatus.ENROLLED or item.programme_cycle is None:
        return None
    return item.programme_cycle.results_due_on
