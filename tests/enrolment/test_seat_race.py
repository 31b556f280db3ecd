"""Seats never oversell: 30 concurrent applications for 5 budget seats form exactly 5."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from enrolment.models import Application, SeatCounter
from nmo_portal.lib.exceptions import ApplicationError
from tests.enrolment.factories import (
    enrolment_cycle,
    enrolment_learner,
    enrolment_organisation,
    reference_data_ensure,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_thirty_concurrent_applications_for_five_budget_seats_form_exactly_five() -> None:
    from enrolment.services import application_create

    reference_data_ensure()
    cycle = enrolment_cycle(enrolment_organisation(), seats_budget=5)
    specialty = cycle.programme.specialty
    learners = [enrolment_learner(specialty) for _ in range(30)]
    barrier = threading.Barrier(30)
    outcomes: list[str] = []
    lock = threading.Lock()

    def apply(learner: Any) -> None:
        try:
            barrier.wait(timeout=30)
            application_create(
                applicant=learner,
                programme_cycle=cycle,
                specialty=specialty,
                employment="state",
                basis="budget",
                consent=True,
            )
            result = "formed"
        except ApplicationError as error:
            result = f"refused:{error.field}"
        except Exception as error:  # noqa: BLE001 - anything else is a failure of the test
            result = f"error:{type(error).__name__}:{error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=apply, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert connection.vendor == "postgresql"
    assert outcomes.count("formed") == 5, outcomes
    assert outcomes.count("refused:basis") == 25, outcomes
    assert Application.objects.filter(programme_cycle=cycle, status="formed").count() == 5
    counter = SeatCounter.objects.get(cycle=cycle, basis="budget")
    assert (counter.taken, counter.capacity) == (5, 5)
