"""Journal numbers under concurrency: secretaries registering at the same moment, each on a real
connection of its own, get consecutive numbers with no gaps and no duplicates."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from accreditation import services
from accreditation.models import AccreditationApplication
from nmo_portal.lib.exceptions import ConflictError
from tests.accreditation.factories import accr_reference_data, accr_submitted
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: None) -> None:
    accr_reference_data()


WORKERS = 8


def _at_once(jobs: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = jobs[index]()
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_registrations_get_consecutive_numbers_without_gaps(secretary_own: Any) -> None:
    applications = [accr_submitted(UserFactory(roles=["specialist"])) for _ in range(WORKERS)]

    def register(pk: int) -> Any:
        application = AccreditationApplication.objects.get(pk=pk)
        return services.application_register(application=application, by=secretary_own).journal_number

    results = _at_once([lambda pk=a.pk: register(pk) for a in applications])
    assert all(isinstance(number, int) for number in results), results
    assert sorted(results) == list(range(1, WORKERS + 1))
    stored = sorted(AccreditationApplication.objects.values_list("journal_number", flat=True))
    assert stored == list(range(1, WORKERS + 1))


def test_registering_the_same_application_twice_at_once_takes_one_number(secretary_own: Any) -> None:
    application = accr_submitted(UserFactory(roles=["specialist"]))

    def register() -> Any:
        fresh = AccreditationApplication.objects.get(pk=application.pk)
        return services.application_register(application=fresh, by=secretary_own).journal_number

    results = _at_once([register, register, register])
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "ConflictError", "int"]
    assert [r for r in results if not isinstance(r, ConflictError)] == [1]
    from accreditation.models import Counter

    assert Counter.objects.get(name="journal").last_value == 1
