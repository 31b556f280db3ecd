"""The lifecycle of a plan item as data.

A programme goes ``included → applied → enrolled → completed | failed``, and a completed one is
``credited`` when its result arrives; an event goes ``included → credited`` when its confirmation
code is accepted; a module is ``credited`` when its completion is reported. An application that
is rejected or cancelled takes the item back to ``included``; a failed programme may be tried again.
"""

from __future__ import annotations

from nmo_portal.lib.statemachine import TransitionTable
from trajectory.models import PlanItemStatus as S

PLAN_ITEM_MOVES = TransitionTable(
    {
        S.INCLUDED: {S.APPLIED, S.CREDITED, S.COMPLETED},
        S.APPLIED: {S.ENROLLED, S.INCLUDED},
        S.ENROLLED: {S.COMPLETED, S.FAILED, S.CREDITED, S.INCLUDED},
        S.COMPLETED: {S.CREDITED},
        S.FAILED: {S.INCLUDED, S.APPLIED},
        S.CREDITED: set(),
    }
)

# Not a step forward but a correction: the organisation corrects a credited result to "not
# completed", its ledger entries are reversed, and the item shows what is true again. Only the
# correction service takes it (enrolment.plan.plan_items_uncredit), never an application's move:
# a second, failed attempt at a programme already credited must leave the item credited.
PLAN_ITEM_CORRECTIONS = TransitionTable({S.CREDITED: {S.FAILED}})

PLAN_ITEM_LABELS = dict(S.choices)
