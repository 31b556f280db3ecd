"""Staff of another organisation get 404 from every provider endpoint and page of ours; a
specialist gets 404 for another specialist's application and dispute."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from enrolment.models import Application, ApplicationStatus
from enrolment.services import application_enroll, dispute_open
from tests.enrolment.conftest import api, end_cycle
from tests.enrolment.factories import enrolment_application, enrolment_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a: Any, staff_a: Any, learner: Any, cycle: Any) -> dict[str, Any]:
    formed = enrolment_application(cycle, learner)
    ended = enrolment_cycle(org_a, specialty=cycle.programme.specialty)
    enrolled = enrolment_application(ended, learner)
    application_enroll(application=enrolled, by=staff_a)
    end_cycle(ended)
    enrolled.refresh_from_db()
    dispute = dispute_open(application=enrolled, by=learner, message="ЗЕТ не пришли")
    return {"cycle": cycle, "formed": formed, "ended": ended, "dispute": dispute}


def test_another_organisations_staff_get_404_everywhere(world: dict[str, Any], staff_b: Any, learner: Any) -> None:
    c, a, e, d = world["cycle"].pk, world["formed"].pk, world["ended"].pk, world["dispute"].pk
    client = api(staff_b)
    gets = [
        f"/api/v1/provider/cycles/{c}/applications/",
        f"/api/v1/provider/cycles/{c}/applications/export/?kind=xlsx",
        f"/api/v1/provider/cycles/{e}/results/",
    ]
    posts: list[tuple[str, Any]] = [
        (f"/api/v1/provider/applications/{a}/enroll/", {}),
        (f"/api/v1/provider/applications/{a}/reject/", {"reason": "x"}),
        (f"/api/v1/provider/cycles/{c}/enrollments/", {"snils": learner.snils}),
        (f"/api/v1/provider/cycles/{e}/results/", []),
        (f"/api/v1/provider/disputes/{d}/answer/", {"answer_kind": "explanation", "answer": "x"}),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, body in posts:
        assert client.post(url, body, format="json").status_code == 404, url
    assert client.get("/api/v1/provider/disputes/").json()["count"] == 0
    page = Client()
    page.force_login(staff_b)
    for url in (
        f"/provider/cycles/{c}/applications/",
        f"/provider/cycles/{c}/applications/export/",
        f"/provider/cycles/{e}/results/",
        f"/provider/disputes/{d}/",
    ):
        assert page.get(url).status_code == 404, url
    for url in (
        f"/provider/applications/{a}/decide/",
        f"/provider/cycles/{c}/enrol/",
        f"/provider/cycles/{e}/results/",
    ):
        assert page.post(url, {"action": "enroll", "snils": learner.snils}).status_code == 404, url
    assert Application.objects.get(pk=a).status == ApplicationStatus.FORMED


def test_another_specialist_gets_404_for_applications_and_disputes(world: dict[str, Any], other_learner: Any) -> None:
    a, d = world["formed"].pk, world["dispute"].pk
    client = api(other_learner)
    assert client.get(f"/api/v1/me/disputes/{d}/").status_code == 404
    assert client.post("/api/v1/me/disputes/", {"application": a, "message": "x"}, format="json").status_code == 404
    page = Client()
    page.force_login(other_learner)
    for url in (f"/me/applications/{a}/", f"/me/applications/{a}/pdf/", f"/me/disputes/{d}/"):
        assert page.get(url).status_code == 404, url
    assert page.post(f"/me/applications/{a}/cancel/").status_code == 404


@pytest.mark.parametrize("lost", ["organisation approval", "staff role", "membership"])
def test_staff_who_lost_their_standing_get_404_for_their_cycles(
    org_a: Any, staff_a: Any, cycle: Any, lost: str
) -> None:
    from accounts.models import Role, RoleGrant
    from providers.models import Membership, OrganisationStatus

    page = Client()
    page.force_login(staff_a)
    url = f"/provider/cycles/{cycle.pk}/applications/"
    assert page.get(url).status_code == 200
    if lost == "organisation approval":
        type(org_a).objects.filter(pk=org_a.pk).update(status=OrganisationStatus.REJECTED)
    elif lost == "staff role":
        RoleGrant.objects.filter(user=staff_a, role=Role.PROVIDER_STAFF).delete()
    else:
        Membership.objects.filter(user=staff_a, organisation=org_a).delete()
    page = Client()  # a new session: the roles are read again
    page.force_login(type(staff_a).objects.get(pk=staff_a.pk))
    assert page.get(url).status_code == 404
    assert (
        api(type(staff_a).objects.get(pk=staff_a.pk))
        .get(f"/api/v1/provider/cycles/{cycle.pk}/applications/")
        .status_code
        == 404
    )
