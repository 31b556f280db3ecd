from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nmo_portal.lib.exceptions import ConflictError
from tests.trajectory.factories import catalogue_event, catalogue_programme, cycle_for
from trajectory.models import PlanItemStatus
from trajectory.services import plan_item_add, plan_item_move, plan_item_remove, plan_items_follow
from trajectory.transitions import PLAN_ITEM_CORRECTIONS, PLAN_ITEM_MOVES

pytestmark = pytest.mark.django_db


def test_the_lifecycle_is_a_table() -> None:
    assert PLAN_ITEM_MOVES.allowed("included", "applied")
    assert PLAN_ITEM_MOVES.allowed("included", "credited")  # an event by its code
    # credited is the end of the road for applications; only a corrected result leads back
    assert not PLAN_ITEM_MOVES.allowed("credited", "failed")
    assert PLAN_ITEM_CORRECTIONS.allowed("credited", "failed")
    assert PLAN_ITEM_MOVES.allowed("completed", "credited")
    assert not PLAN_ITEM_MOVES.allowed("included", "enrolled")
    assert not PLAN_ITEM_MOVES.targets("credited")


def test_a_move_is_checked_and_recorded(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    item = plan_item_add(cycle=cycle, element_type="program", element_id=catalogue_programme().pk, by=specialist)
    plan_item_move(item=item, to=PlanItemStatus.APPLIED, by=specialist, reason="заявка сформирована")
    with pytest.raises(ConflictError):
        plan_item_move(item=item, to=PlanItemStatus.CREDITED, by=specialist)
    assert [(t.from_status, t.to_status) for t in item.transitions.all()] == [("", "included"), ("included", "applied")]


def test_an_item_with_an_application_cannot_be_removed(specialist: Any) -> None:
    cycle = cycle_for(specialist)
    item = plan_item_add(cycle=cycle, element_type="program", element_id=catalogue_programme().pk, by=specialist)
    plan_item_move(item=item, to=PlanItemStatus.APPLIED, by=specialist)
    with pytest.raises(ConflictError):
        plan_item_remove(item=item, by=specialist)


def test_applications_move_the_plan_items_of_every_active_cycle(specialist: Any) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    programme = catalogue_programme()
    item = plan_item_add(cycle=cycle, element_type="program", element_id=programme.pk, by=specialist)
    assert len(plan_items_follow(owner_id=specialist.pk, element=programme, to="applied")) == 1
    assert plan_items_follow(owner_id=specialist.pk, element=programme, to="completed") == []  # not enrolled
    plan_items_follow(owner_id=specialist.pk, element=programme, to="enrolled")
    item.refresh_from_db()
    assert item.status == PlanItemStatus.ENROLLED


def test_a_closed_cycle_takes_no_new_items(specialist: Any) -> None:
    old = cycle_for(specialist, issued_on=date(2018, 1, 10))
    cycle_for(specialist, issued_on=date(2023, 1, 10))
    old.refresh_from_db()
    with pytest.raises(ConflictError):
        plan_item_add(cycle=old, element_type="event", element_id=catalogue_event().pk, by=specialist)
