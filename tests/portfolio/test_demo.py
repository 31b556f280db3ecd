from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from portfolio.models import CreditEntry
from tests.trajectory.factories import catalogue_event, catalogue_module
from trajectory.models import Cycle, PlanItem


@pytest.mark.django_db
def test_the_demo_specialist_gets_a_cycle_a_plan_and_credits_idempotently() -> None:
    from reference.models import Specialty

    therapy = Specialty.objects.get(education_level="higher", name="Терапия")
    catalogue_event(specialties=[therapy], starts_on=date(2024, 4, 10), zet=4)
    catalogue_module(specialties=[therapy], zet=2)
    call_command("seed_demo", stdout=StringIO())
    cycle = Cycle.objects.get(owner__email="specialist@demo.nmo")
    assert cycle.is_active and cycle.starts_on == date(2022, 3, 1)
    counts = (PlanItem.objects.count(), CreditEntry.objects.count())
    assert counts[0] >= 2 and counts[1] == 2
    call_command("seed_demo", stdout=StringIO())
    assert (PlanItem.objects.count(), CreditEntry.objects.count()) == counts
