"""Two people activate the same code at the same moment: exactly one wins (PostgreSQL, real
concurrent connections; both pass the "unused" check before either claims)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from portfolio import services
from portfolio.models import CodeActivation, CreditEntry
from tests.factories import UserFactory
from tests.trajectory.factories import catalogue_event, cycle_for, ensure_reference_data, event_code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_users_activating_one_code_at_once_exactly_one_wins(monkeypatch: Any) -> None:
    ensure_reference_data()  # an earlier transactional test may have flushed it
    first, second = UserFactory(roles=["specialist"]), UserFactory(roles=["specialist"])
    cycle_for(first)
    cycle_for(second)
    raw = event_code(catalogue_event())
    activations = [services.code_activation_submit(user=user, code=raw) for user in (first, second)]

    barrier = threading.Barrier(2, timeout=10)
    decide = services._code_decision

    def decide_then_wait(**kwargs: Any) -> Any:
        result = decide(**kwargs)
        barrier.wait()  # both have seen the code unused; now both try to claim it
        return result

    monkeypatch.setattr(services, "_code_decision", decide_then_wait)
    errors: list[BaseException] = []

    def run(activation_id: int) -> None:
        try:
            services.code_activation_check(activation_id=activation_id)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a.pk,)) for a in activations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    decided = sorted(CodeActivation.objects.values_list("status", "reason"))
    assert decided == [("accepted", ""), ("rejected", "already_used")]
    assert CreditEntry.objects.count() == 1
