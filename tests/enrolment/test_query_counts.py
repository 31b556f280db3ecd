"""Lists run a fixed number of queries: the same for 1 row and for 60 (more than a page of the
provider's paged lists), on their second page and with their filters too."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enrolment.models import Application
from enrolment.results_parsing import ResultRow
from enrolment.services import results_record
from tests.enrolment.conftest import api, end_cycle
from tests.enrolment.factories import enrolment_cycle, enrolment_learner

pytestmark = pytest.mark.django_db


def _world(org: Any, staff: Any, rows: int) -> tuple[Any, list[Any]]:
    cycle = enrolment_cycle(org, seats_contract=rows)
    learners = [enrolment_learner(cycle.programme.specialty) for _ in range(rows)]
    for learner in learners:
        Application.objects.create(
            applicant=learner,
            programme_cycle=cycle,
            specialty=cycle.programme.specialty,
            employment="state",
            basis="contract",
            source="provider",
            status="enrolled",
            number=f"T-{learner.pk}",
        )
    end_cycle(cycle)
    results_record(
        cycle=cycle,
        rows=[
            ResultRow(row=i, snils=u.snils, outcome="completed", completed_on=cycle.ends_on, certificate_number="1")
            for i, u in enumerate(learners)
        ],
        by=staff,
    )
    return cycle, learners


def _count(client: Any, url: str, **extra: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


# The staff lists of a cycle fetch a page with its applicants (and, for the results grid, their
# results) joined: see enrolment.selectors._with_applicants.
EXPECTED = {
    "api: cycle applications": 3,
    "api: cycle results": 3,
    "page: cycle applications": 6,
    "page: cycle applications, page 2": 6,
    "page: cycle applications, filtered": 6,
    # the grid's count is its totals' (RosterTotals.of), unless it searches
    "page: results grid": 5,
    "page: results grid, page 2": 5,
    "page: results grid, filtered": 6,
    "htmx: results grid, page 2": 5,
    "api: my applications": 2,
    "page: my applications": 3,
}
STAMPED = {name for name in EXPECTED if "my applications" not in name}


@pytest.mark.parametrize("rows", [1, 60])
def test_lists_run_a_fixed_number_of_queries(rows: int, org_a: Any, staff_a: Any) -> None:
    cycle, learners = _world(org_a, staff_a, rows)
    # the learner of the last row also has `rows` applications of their own on other cycles
    mine = learners[-1]
    for _ in range(rows - 1):
        other = enrolment_cycle(org_a, specialty=cycle.programme.specialty)
        Application.objects.create(
            applicant=mine,
            programme_cycle=other,
            specialty=cycle.programme.specialty,
            employment="state",
            basis="contract",
            source="provider",
            status="enrolled",
        )
    staff_api, staff_page, learner_api, learner_page = api(staff_a), Client(), api(mine), Client()
    staff_page.force_login(staff_a)
    learner_page.force_login(mine)
    _count(staff_page, "/")  # warm caches (rule set, reference data) the way a running server has them
    _count(learner_page, "/")
    _count(staff_api, "/api/v1/provider/organizations/")  # and the staff member's roles
    asks = {
        "api: cycle applications": (staff_api, f"/api/v1/provider/cycles/{cycle.pk}/applications/", {}),
        "api: cycle results": (staff_api, f"/api/v1/provider/cycles/{cycle.pk}/results/", {}),
        "page: cycle applications": (staff_page, f"/provider/cycles/{cycle.pk}/applications/", {}),
        "page: cycle applications, page 2": (staff_page, f"/provider/cycles/{cycle.pk}/applications/?page=2", {}),
        "page: cycle applications, filtered": (
            staff_page,
            f"/provider/cycles/{cycle.pk}/applications/?status=completed&basis=contract&q=Сидор",
            {},
        ),
        "page: results grid": (staff_page, f"/provider/cycles/{cycle.pk}/results/", {}),
        "page: results grid, page 2": (staff_page, f"/provider/cycles/{cycle.pk}/results/?page=2", {}),
        "page: results grid, filtered": (
            staff_page,
            f"/provider/cycles/{cycle.pk}/results/?result=with&q={learners[0].snils[:5]}",
            {},
        ),
        "htmx: results grid, page 2": (
            staff_page,
            f"/provider/cycles/{cycle.pk}/results/?page=2",
            {"headers": {"HX-Request": "true"}},
        ),
        "api: my applications": (learner_api, "/api/v1/me/applications/", {}),
        "page: my applications": (learner_page, "/me/applications/", {}),
    }
    drawn = {name: _count(client, url, **extra) for name, (client, url, extra) in asks.items()}
    served = {name: _count(client, url, **extra) for name, (client, url, extra) in asks.items()}
    # On PostgreSQL a memoized list reads the stamp of its rows (nmo_portal.lib.stamps), and the rows
    # themselves only when it is drawn: asked again, the stamp takes the place of the rows.
    stamp = 1 if settings.IS_POSTGRES else 0
    assert drawn == {name: count + (stamp if name in STAMPED else 0) for name, count in EXPECTED.items()}
    assert served == EXPECTED
