"""The staff lists' order by the applicant's name (``Application.applicant_name``) stays true:
filled for a new application and for rows written in bulk, followed on a rename."""

from __future__ import annotations

from typing import Any

import pytest

from enrolment.models import Application
from enrolment.names import applicant_name_of, applicant_names_fill
from enrolment.selectors import cycle_applications
from tests.enrolment.factories import enrolment_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(cycle: Any, learner: Any) -> Any:
    return enrolment_application(cycle, learner)


@pytest.fixture
def other_application(cycle: Any, other_learner: Any) -> Any:
    return enrolment_application(cycle, other_learner)


def test_a_new_application_carries_its_applicants_name(application: Any) -> None:
    applicant = application.applicant
    assert application.applicant_name == f"{applicant.last_name} {applicant.first_name} {applicant.middle_name}"


def test_rows_written_in_bulk_get_their_names_in_one_update(application: Any) -> None:
    Application.objects.filter(pk=application.pk).update(applicant_name="")
    assert applicant_names_fill() == 1
    application.refresh_from_db()
    assert application.applicant_name == applicant_name_of(application.applicant)


def test_a_renamed_applicant_moves_to_his_new_place_in_the_list(application: Any, other_application: Any) -> None:
    cycle = application.programme_cycle
    assert other_application.programme_cycle_id == cycle.pk
    first, second = sorted([application, other_application], key=lambda a: a.applicant_name)
    assert list(cycle_applications(cycle=cycle)) == [first, second]
    first.applicant.last_name = "Яковлева"
    first.applicant.save()
    assert list(cycle_applications(cycle=cycle)) == [second, first]
    first.refresh_from_db()
    assert first.applicant_name.startswith("Яковлева ")


def test_a_login_stamp_does_not_touch_the_applications(application: Any, django_assert_num_queries: Any) -> None:
    applicant = application.applicant
    with django_assert_num_queries(1):  # the UPDATE of last_login only
        applicant.save(update_fields=["last_login"])
