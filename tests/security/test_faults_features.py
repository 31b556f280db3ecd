"""Faults in the features (issue 9, item 3): with the broker really stopped, a code activation, an
application and a results upload are saved and answered; once it is back, the sweepers finish the
work. A crediting killed half-way and run again leaves exactly one ledger entry per source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enrolment.models import Application, ProgrammeResult
from enrolment.services import application_enroll, results_credit
from enrolment.tasks import results_credit_sweep
from portfolio.models import ActivationStatus, CodeActivation, CreditEntry
from portfolio.services import code_activations_sweep
from tests.enrolment.conftest import end_cycle
from tests.enrolment.factories import (
    enrolment_application,
    enrolment_cycle,
    enrolment_learner,
    enrolment_organisation,
    enrolment_staff,
)
from tests.faults import RedisServer, celery_broker, redis_on_other_port  # noqa: F401
from tests.security.test_faults import hang_guard  # noqa: F401
from tests.trajectory.factories import catalogue_event, cycle_for, event_code

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def broker_down(celery_broker: RedisServer, hang_guard: None) -> Iterator[RedisServer]:  # noqa: F811
    celery_broker.stop()
    yield celery_broker
    celery_broker.start()


def _ended_cycle_with_learners(count: int) -> tuple[Any, Any, list[Any]]:
    organisation = enrolment_organisation()
    staff = enrolment_staff(organisation)
    cycle = enrolment_cycle(organisation)
    learners = []
    for _ in range(count):
        learner = enrolment_learner(cycle.programme.specialty)
        cycle_for(learner, specialty=cycle.programme.specialty)
        application_enroll(application=enrolment_application(cycle, learner), by=staff)
        learners.append(learner)
    return staff, end_cycle(cycle), learners


def _rows(cycle: Any, learners: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "snils": learner.snils,
            "outcome": "completed",
            "completed_on": cycle.ends_on.isoformat(),
            "certificate_number": f"УД-{n}",
        }
        for n, learner in enumerate(learners, start=1)
    ]


def test_a_code_activation_with_the_broker_down_is_decided_by_the_sweeper(broker_down: RedisServer) -> None:
    specialist = enrolment_learner()
    cycle_for(specialist)
    raw = event_code(catalogue_event())
    response = _api(specialist).post("/api/v1/me/code-activations/", {"code": raw}, format="json")
    assert response.status_code == 202, response.content
    activation = CodeActivation.objects.get(pk=response.json()["id"])
    assert activation.status == ActivationStatus.PENDING  # saved, its task lost

    broker_down.start()
    assert code_activations_sweep(now=timezone.now() + timedelta(minutes=11)) == 1
    activation.refresh_from_db()
    assert activation.status == ActivationStatus.ACCEPTED
    assert CreditEntry.objects.filter(cycle__owner=specialist).count() == 1


def test_an_application_with_the_broker_down_is_saved_and_answered(broker_down: RedisServer) -> None:
    cycle = enrolment_cycle(enrolment_organisation())
    learner = enrolment_learner(cycle.programme.specialty)
    body = {
        "program_cycle": cycle.pk,
        "specialty": cycle.programme.specialty.code,
        "employment": "state",
        "basis": "budget",
        "consent": True,
    }
    response = _api(learner).post("/api/v1/me/applications/", body, format="json")
    assert response.status_code == 201, response.content
    assert Application.objects.filter(pk=response.json()["id"], applicant=learner, status="formed").exists()


def test_a_results_upload_with_the_broker_down_is_credited_by_the_sweeper(celery_broker: RedisServer) -> None:  # noqa: F811
    staff, cycle, learners = _ended_cycle_with_learners(2)
    celery_broker.stop()
    response = _api(staff).post(f"/api/v1/provider/cycles/{cycle.pk}/results/", _rows(cycle, learners), format="json")
    assert response.status_code in (200, 201), response.content
    assert ProgrammeResult.objects.filter(cycle=cycle, needs_crediting=True).count() == 2
    assert not CreditEntry.objects.filter(cycle__owner__in=learners).exists()  # the task was lost

    celery_broker.start()
    assert results_credit_sweep.apply().get(propagate=True, disable_sync_subtasks=False) == 2
    assert CreditEntry.objects.filter(cycle__owner__in=learners).count() == 2
    assert not ProgrammeResult.objects.filter(cycle=cycle, needs_crediting=True).exists()


def test_a_crediting_killed_half_way_and_run_again_credits_each_result_once(
    celery_broker: RedisServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staff, cycle, learners = _ended_cycle_with_learners(3)
    celery_broker.stop()  # nothing credits on commit: the test drives the crediting itself
    response = _api(staff).post(f"/api/v1/provider/cycles/{cycle.pk}/results/", _rows(cycle, learners), format="json")
    assert response.status_code in (200, 201), response.content
    celery_broker.start()

    import portfolio.services as ledger

    real = ledger.credit_record_many

    def killed_after_the_entries(**kwargs: Any) -> Any:
        real(**kwargs)  # the entries are written inside the transaction ...
        raise SystemExit("worker killed")  # ... and the worker dies before the results are marked

    monkeypatch.setattr(ledger, "credit_record_many", killed_after_the_entries)
    with pytest.raises(SystemExit):
        results_credit(cycle_id=cycle.pk)
    assert not CreditEntry.objects.filter(cycle__owner__in=learners).exists()  # rolled back whole
    assert ProgrammeResult.objects.filter(cycle=cycle, needs_crediting=True).count() == 3

    monkeypatch.setattr(ledger, "credit_record_many", real)
    assert results_credit(cycle_id=cycle.pk) == 3
    assert results_credit(cycle_id=cycle.pk) == 0  # and once more: nothing left, nothing doubled
    entries = CreditEntry.objects.filter(cycle__owner__in=learners)
    assert entries.count() == 3
    assert len(set(entries.values_list("source_key", flat=True))) == 3
