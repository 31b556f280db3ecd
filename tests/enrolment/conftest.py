from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.enrolment.factories import (
    enrolment_cycle,
    enrolment_learner,
    enrolment_organisation,
    enrolment_staff,
)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def org_a(db: Any) -> Any:
    return enrolment_organisation()


@pytest.fixture
def org_b(db: Any) -> Any:
    return enrolment_organisation()


@pytest.fixture
def staff_a(org_a: Any) -> Any:
    return enrolment_staff(org_a, last_name="Кузнецова")


@pytest.fixture
def staff_b(org_b: Any) -> Any:
    return enrolment_staff(org_b, last_name="Смирнов")


@pytest.fixture
def cycle(org_a: Any) -> Any:
    """A future cycle of organisation A: 5 budget and 5 contract seats."""
    return enrolment_cycle(org_a)


@pytest.fixture
def learner(specialist: Any, cycle: Any) -> Any:
    return enrolment_learner(cycle.programme.specialty, user=specialist)


@pytest.fixture
def other_learner(other_specialist: Any, cycle: Any) -> Any:
    return enrolment_learner(cycle.programme.specialty, user=other_specialist)


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def end_cycle(cycle: Any, *, days_ago: int = 1) -> Any:
    """Move a cycle into the past (it ended ``days_ago`` days ago, two weeks long)."""
    ends = timezone.localdate() - timedelta(days=days_ago)
    type(cycle).objects.filter(pk=cycle.pk).update(starts_on=ends - timedelta(days=14), ends_on=ends)
    cycle.refresh_from_db()
    return cycle
