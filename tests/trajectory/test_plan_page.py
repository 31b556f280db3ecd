"""The plan page's 'add to plan' choices: what counts for the cycle's specialty, cached with the
catalogue and fresh after the catalogue changes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.models import ElementStatus
from providers.services import programme_archive
from tests.trajectory.factories import catalogue_programme, cycle_for, specialty_pick

pytestmark = pytest.mark.django_db


def _offered(client: Any, cycle: Any) -> str:
    response = client.get(f"/cycles/{cycle.pk}/plan/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_choices_are_the_published_programmes_of_the_cycles_specialty(client: Any, specialist: Any) -> None:
    main, other = specialty_pick(0), specialty_pick(1)
    cycle = cycle_for(specialist, specialty=main, issued_on=date(2023, 3, 1))
    catalogue_programme(specialty=main, title="Своя программа")
    catalogue_programme(specialty=other, additional=[main], title="Программа по дополнительной")
    catalogue_programme(specialty=other, title="Чужая программа")
    catalogue_programme(specialty=main, title="Черновик программы", status=ElementStatus.DRAFT)
    client.force_login(specialist)
    page = _offered(client, cycle)
    assert "Своя программа" in page and "Программа по дополнительной" in page
    assert "Чужая программа" not in page and "Черновик программы" not in page


def test_the_choices_come_from_the_cache_and_follow_the_catalogue(
    client: Any, specialist: Any, methodologist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    main = specialty_pick(0)
    cycle = cycle_for(specialist, specialty=main, issued_on=date(2023, 3, 1))
    client.force_login(specialist)
    with CaptureQueriesContext(connection) as cold:
        assert "Новая программа" not in _offered(client, cycle)
    with CaptureQueriesContext(connection) as warm:
        _offered(client, cycle)
    assert len(warm) == len(cold) - 3  # programmes, events and modules are not asked again
    with django_capture_on_commit_callbacks(execute=True):
        programme = catalogue_programme(specialty=main, title="Новая программа")
    assert "Новая программа" in _offered(client, cycle)
    with django_capture_on_commit_callbacks(execute=True):
        programme_archive(programme=programme, by=methodologist)
    assert "Новая программа" not in _offered(client, cycle)
