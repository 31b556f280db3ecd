"""Writes on cycles and plans. Every write goes through a function here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Document, DocumentKind
from accounts.services import document_mark_used
from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from nmo_portal.lib.statemachine import transition_apply
from reference.rules import ruleset_in_force
from trajectory import dates
from trajectory.elements import element_fk_kwargs, element_specialty_ids, element_type_of, published_element
from trajectory.models import ELEMENT_FIELDS, Cycle, CycleStatus, PlanItem, PlanItemStatus, PlanItemTransition
from trajectory.transitions import PLAN_ITEM_CORRECTIONS, PLAN_ITEM_LABELS, PLAN_ITEM_MOVES

CYCLE_DOCUMENT_KINDS = frozenset({DocumentKind.CERTIFICATE, DocumentKind.ACCREDITATION})


@transaction.atomic
def cycle_open(*, document: Document, by: Any, now: Any = None) -> Cycle:
    """Open the five-year cycle of ``document`` (a certificate or an accreditation document).

    A newer document for the same specialty closes the owner's active cycle: its ZET stay in it
    and nothing carries over. A document opens at most one cycle; an older document than the one
    of the active cycle is refused (409).
    """
    now = now or timezone.now()
    if document.kind not in CYCLE_DOCUMENT_KINDS:
        raise ApplicationError(
            _(
                "Цикл открывается по сертификату специалиста или свидетельству (выписке) об аккредитации, "
                "не по диплому."
            ),
            field="document",
        )
    if Cycle.objects.filter(document=document).exists():
        raise ConflictError(_("По этому документу цикл уже открыт."), code="document_used")
    # Lock the owner's active cycles of this specialty so two openings cannot both close/open.
    current = (
        Cycle.objects.select_for_update()
        .filter(owner_id=document.owner_id, specialty_id=document.specialty_id, status=CycleStatus.ACTIVE)
        .select_related("document")
        .first()
    )
    if current is not None:
        if current.starts_on >= document.issued_on:
            raise ConflictError(
                _(
                    "По специальности «%(specialty)s» уже действует цикл с %(date)s, открытый по более "
                    "новому документу. Новый цикл открывается только по документу с более поздней датой."
                )
                % {"specialty": document.specialty, "date": f"{current.starts_on:%d.%m.%Y}"},
                code="older_document",
            )
        moved = Cycle.objects.filter(pk=current.pk, status=CycleStatus.ACTIVE).update(
            status=CycleStatus.CLOSED, closed_at=now, closed_by_document=document
        )
        if not moved:
            raise ConflictError(_("Цикл уже закрыт: обновите страницу."), code="concurrent_transition")
    rules = ruleset_in_force(document.issued_on)
    cycle = Cycle(
        owner_id=document.owner_id,
        specialty_id=document.specialty_id,
        document=document,
        starts_on=document.issued_on,
        ends_on=dates.cycle_ends_on(document.issued_on, rules.cycle_years),
        cycle_years=rules.cycle_years,
        target_zet=rules.cycle_target_zet,
        status=CycleStatus.ACTIVE,
        created_at=now,
    )
    cycle.full_clean()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as error:  # a concurrent opening won the partial unique index
        raise ConflictError(
            _("Цикл по этой специальности только что открыт: обновите страницу."), code="duplicate"
        ) from error
    document_mark_used(document=document)
    return cycle


@transaction.atomic
def plan_item_add(*, cycle: Cycle, element_type: str, element_id: int, by: Any = None) -> PlanItem:
    """Put a published catalogue element into the plan of ``cycle``."""
    if not cycle.is_active:
        raise ConflictError(_("Цикл закрыт: план закрытого цикла не меняется."), code="cycle_closed")
    if element_type not in ELEMENT_FIELDS:
        raise ApplicationError(_("Выберите программу, мероприятие или модуль."), field="element_type")
    element = published_element(element_type, element_id)
    if element is None:
        raise ApplicationError(_("Такого опубликованного элемента в каталоге нет."), field="element_id")
    if cycle.specialty_id not in element_specialty_ids(element):
        raise ApplicationError(
            _("Этот элемент не засчитывается по специальности цикла «%(specialty)s».") % {"specialty": cycle.specialty},
            field="element_id",
        )
    field = ELEMENT_FIELDS[element_type]
    if PlanItem.objects.filter(cycle=cycle, **{field: element}).exists():
        raise ConflictError(_("Этот элемент уже есть в плане."), code="duplicate")
    item = PlanItem(cycle=cycle, **element_fk_kwargs(element))
    item.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise ConflictError(_("Этот элемент уже есть в плане."), code="duplicate") from error
    PlanItemTransition.objects.create(subject=item, from_status="", to_status=item.status, actor=_actor(by))
    return item


@transaction.atomic
def plan_item_remove(*, item: PlanItem, by: Any = None) -> None:
    """Remove an item while nothing is recorded on it (state ``included``)."""
    deleted, _rows = PlanItem.objects.filter(pk=item.pk, status=PlanItemStatus.INCLUDED).delete()
    if not deleted:
        raise ConflictError(
            _(
                "Убрать из плана можно только элемент, по которому ещё ничего не записано "
                "(подана заявка или зачтены ЗЕТ)."
            ),
            code="invalid_transition",
        )


def plan_item_move(*, item: PlanItem, to: str, by: Any = None, reason: str = "", correction: bool = False) -> PlanItem:
    """Move a plan item along ``PLAN_ITEM_MOVES`` (or, for ``correction``, ``PLAN_ITEM_CORRECTIONS``),
    recording who, when and why."""
    transition_apply(
        subject=item,
        table=PLAN_ITEM_CORRECTIONS if correction else PLAN_ITEM_MOVES,
        to=to,
        history_model=PlanItemTransition,
        actor=by,
        reason=reason,
        extra_updates={"updated_at": timezone.now()},
        labels=PLAN_ITEM_LABELS,
    )
    return item


@transaction.atomic
def plan_items_mark_credited(*, cycles: list[Cycle], element: Any, by: Any = None, reason: str = "") -> list[PlanItem]:
    """The element's ZET were credited into ``cycles``: its item in each of their plans becomes
    ``credited`` (an item is added when the element was not planned, e.g. an event by its code)."""
    element_type = element_type_of(element)
    field = ELEMENT_FIELDS[element_type]
    existing = {
        item.cycle_id: item
        for item in PlanItem.objects.filter(cycle__in=cycles, **{field: element}).select_for_update()
    }
    now = timezone.now()
    result: list[PlanItem] = []
    for cycle in cycles:
        item = existing.get(cycle.pk)
        if item is None:
            item = PlanItem.objects.create(
                cycle=cycle,
                status=PlanItemStatus.CREDITED,
                created_at=now,
                updated_at=now,
                **element_fk_kwargs(element),
            )
            PlanItemTransition.objects.create(
                subject=item, from_status="", to_status=PlanItemStatus.CREDITED, actor=_actor(by), reason=reason
            )
        elif item.status != PlanItemStatus.CREDITED:
            if not PLAN_ITEM_MOVES.allowed(item.status, PlanItemStatus.CREDITED):
                # e.g. a failed programme whose later result credits it: record the way it went.
                plan_item_move(item=item, to=PlanItemStatus.INCLUDED, by=by, reason=reason)
            plan_item_move(item=item, to=PlanItemStatus.CREDITED, by=by, reason=reason)
        result.append(item)
    return result


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def cycle_year_of(cycle: Cycle, day: date) -> int:
    """The cycle year (1..N) ``day`` falls in (``ValueError`` outside the cycle)."""
    return cycle.year_of(day)


def plan_items_follow(*, owner_id: int, element: Any, to: str, by: Any = None, reason: str = "") -> list[PlanItem]:
    """Move the owner's plan items for ``element`` (in active cycles) to ``to`` where the table
    allows it: the applications issue calls this when an application is formed (``applied``),
    enrolled (``enrolled``), rejected or cancelled (``included``), failed (``failed``) or
    completed (``completed``). Items already past that point are left as they are."""
    field = ELEMENT_FIELDS[element_type_of(element)]
    moved = []
    items = PlanItem.objects.filter(
        cycle__owner_id=owner_id, cycle__status=CycleStatus.ACTIVE, **{field: element}
    ).select_related("cycle")
    for item in items:
        if item.status != to and PLAN_ITEM_MOVES.allowed(item.status, to):
            moved.append(plan_item_move(item=item, to=to, by=by, reason=reason))
    return moved


def plan_item_attach_session(*, item: PlanItem, programme_cycle: Any) -> None:
    """Record which dated session of its programme a plan item follows (the applications flow
    calls this when an application is formed or a learner enrolled directly)."""
    if item.programme_cycle_id == programme_cycle.pk:
        return
    if item.programme_id != programme_cycle.programme_id:
        raise ApplicationError(_("Сессия относится к другой программе."), field="programme_cycle")
    item.programme_cycle = programme_cycle
    item.save(update_fields=["programme_cycle"])
