"""get_<field>_display() of the portal's models: Django's answers, from a table built once."""

from __future__ import annotations

from typing import Any

import pytest

from enrolment.models import Application
from portfolio.models import CreditEntry
from trajectory.models import Cycle, CycleStatus, PlanItem


def test_a_display_is_the_label_of_the_stored_value_and_the_value_itself_when_unknown() -> None:
    cycle = Cycle(status=CycleStatus.CLOSED)
    assert cycle.get_status_display() == str(CycleStatus.CLOSED.label)
    cycle.status = "no-such-state"
    assert cycle.get_status_display() == "no-such-state"


@pytest.mark.parametrize("model", [Cycle, PlanItem, CreditEntry, Application])
def test_every_choice_reads_as_its_label(model: Any) -> None:
    checked = 0
    for field in model._meta.fields:
        for value, label in field.flatchoices:
            instance = model(**{field.attname: value})
            assert getattr(instance, f"get_{field.name}_display")() == str(label)
            checked += 1
    assert checked, f"{model.__name__} has no field with choices"
