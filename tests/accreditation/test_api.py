"""The API contract of periodic accreditation (api.md): paths, fields, states, status codes, and who
may reach what (another commission's staff and another specialist get 404 everywhere)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accreditation import services
from accreditation.models import AccreditationApplication
from tests.accreditation.factories import accr_credit, accr_cycle, accr_pdf, accr_submitted

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/accreditation-applications/"
STAFF = "/api/v1/accreditation/applications/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _create(client: APIClient, cycle: Any, **extra: Any) -> Any:
    body = {
        "cycle": cycle.pk,
        "phone": "+79161234567",
        "email": "me@example.org",
        "report_agreed_with_employer": True,
        **extra,
    }
    return client.post(ME, body, format="json")


def test_the_specialist_files_uploads_and_submits(specialist: Any, commission_own: Any) -> None:
    cycle = accr_cycle(specialist)
    accr_credit(cycle, zet=144, element_type="program")
    api = client_for(specialist)
    created = _create(api, cycle)
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    pk = created.json()["id"]

    refused = api.post(f"{ME}{pk}/submit/")
    assert refused.status_code == 400 and "report" in refused.json()

    uploaded = api.post(f"{ME}{pk}/report/", {"file": accr_pdf()}, format="multipart")
    assert uploaded.status_code == 201 and len(uploaded.json()["sha256"]) == 64
    other = api.post(f"{ME}{pk}/files/", {"file": accr_pdf("diploma.pdf", b"d"), "title": "Диплом"}, format="multipart")
    assert other.status_code == 201

    submitted = api.post(f"{ME}{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    detail = api.get(f"{ME}{pk}/").json()
    assert detail["readiness"]["ok"] is True
    assert detail["snapshots"][0]["version"] == 1 and len(detail["snapshots"][0]["sha256"]) == 64
    assert [h["to_status"] for h in detail["history"]] == ["draft", "submitted"]
    assert detail["registration_due_on"]
    listed = api.get(ME).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk


def test_a_not_a_pdf_report_is_a_400_on_the_file_field(specialist: Any) -> None:
    api = client_for(specialist)
    pk = _create(api, accr_cycle(specialist)).json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        f"{ME}{pk}/report/", {"file": SimpleUploadedFile("r.pdf", b"<html>not a pdf</html>")}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()


def test_create_outside_the_window_is_a_400_naming_why(specialist: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    cycle = accr_cycle(specialist, valid_until=timezone.localdate() + timedelta(days=400))
    response = _create(client_for(specialist), cycle)
    assert response.status_code == 400
    assert "не ранее" in response.json()["cycle"][0]


def test_create_without_a_reason_when_not_agreed_is_a_400_on_that_field(specialist: Any) -> None:
    response = _create(client_for(specialist), accr_cycle(specialist), report_agreed_with_employer=False)
    assert response.status_code == 400 and "report_disagreement_reason" in response.json()


def test_a_second_application_for_the_cycle_is_a_409(specialist: Any) -> None:
    api = client_for(specialist)
    cycle = accr_cycle(specialist)
    assert _create(api, cycle).status_code == 201
    assert _create(api, cycle).status_code == 409


def test_someone_elses_cycle_and_application_are_404(specialist: Any, other_specialist: Any) -> None:
    theirs = accr_cycle(other_specialist)
    refused = _create(client_for(specialist), theirs)
    assert refused.status_code == 404 and refused.json() == {"cycle": ["Цикл не найден."]}
    pk = _create(client_for(other_specialist), theirs).json()["id"]
    api = client_for(specialist)
    assert api.get(f"{ME}{pk}/").status_code == 404
    assert api.post(f"{ME}{pk}/report/", {"file": accr_pdf()}, format="multipart").status_code == 404
    assert api.post(f"{ME}{pk}/files/", {"file": accr_pdf()}, format="multipart").status_code == 404
    assert api.post(f"{ME}{pk}/submit/").status_code == 404
    assert api.get(ME).json()["count"] == 0


def test_the_whole_way_through_the_staff_api(specialist: Any, secretary_own: Any, commission_member_own: Any) -> None:
    application = accr_submitted(specialist)
    secretary, member = client_for(secretary_own), client_for(commission_member_own)
    queue = secretary.get(STAFF, {"status": "submitted"}).json()
    assert [row["id"] for row in queue["results"]] == [application.pk]
    assert member.get(STAFF).json()["count"] == 0  # not yet passed to the commission

    registered = secretary.post(f"{STAFF}{application.pk}/register/")
    assert registered.status_code == 200
    assert registered.json()["status"] == "registered" and registered.json()["journal_number"].startswith("1/")
    assert registered.json()["check_due_on"]
    assert secretary.post(f"{STAFF}{application.pk}/register/").status_code == 409

    assert member.post(f"{STAFF}{application.pk}/to-commission/").status_code == 404  # not visible yet
    passed = secretary.post(f"{STAFF}{application.pk}/to-commission/")
    assert passed.json()["status"] == "under_review" and passed.json()["commission_due_on"]

    seen = member.get(f"{STAFF}{application.pk}/").json()
    assert seen["snapshot"]["verified"] is True and seen["snapshot"]["version"] == 1
    assert seen["files"][0]["kind"] == "report"
    assert member.post(f"{STAFF}{application.pk}/decide/", {"result": "maybe"}, format="json").status_code == 400
    assert secretary.post(f"{STAFF}{application.pk}/decide/", {"result": "passed"}, format="json").status_code == 403
    decided = member.post(f"{STAFF}{application.pk}/decide/", {"result": "passed", "comment": "Портфолио полное"})
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    assert member.post(f"{STAFF}{application.pk}/publish/").status_code == 403

    published = secretary.post(f"{STAFF}{application.pk}/publish/")
    assert published.status_code == 200, published.json()
    body = published.json()
    assert body["status"] == "published" and body["result"] == "passed"
    assert body["protocol"]["number"].startswith("1/") and body["new_document"]
    mine = client_for(specialist).get(f"{ME}{application.pk}/").json()
    assert [h["to_status"] for h in mine["history"]] == [
        "draft",
        "submitted",
        "registered",
        "under_review",
        "decided",
        "published",
    ]


def test_return_needs_a_reason_then_the_specialist_resubmits(specialist: Any, secretary_own: Any) -> None:
    application = accr_submitted(specialist)
    secretary = client_for(secretary_own)
    assert secretary.post(f"{STAFF}{application.pk}/return/", {"reason": ""}, format="json").status_code == 400
    returned = secretary.post(f"{STAFF}{application.pk}/return/", {"reason": "Отчёт без подписи"}, format="json")
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "Отчёт без подписи"
    api = client_for(specialist)
    api.post(f"{ME}{application.pk}/report/", {"file": accr_pdf(body=b"signed")}, format="multipart")
    again = api.post(f"{ME}{application.pk}/submit/")
    assert again.json()["status"] == "submitted"
    assert len(api.get(f"{ME}{application.pk}/").json()["snapshots"]) == 2


def test_an_unknown_status_filter_is_a_400(secretary_own: Any) -> None:
    assert client_for(secretary_own).get(STAFF, {"status": "lost"}).status_code == 400


def test_a_specialist_may_not_use_the_staff_list(specialist: Any) -> None:
    assert client_for(specialist).get(STAFF).status_code == 403


def test_without_credentials_it_is_401() -> None:
    assert APIClient().get(ME).status_code == 401
    assert APIClient().get(STAFF).status_code == 401


STAFF_ACTIONS = [
    ("get", ""),
    ("post", "register/"),
    ("post", "return/"),
    ("post", "to-commission/"),
    ("post", "decide/"),
    ("post", "publish/"),
]


@pytest.mark.parametrize(("method", "suffix"), STAFF_ACTIONS)
def test_another_commissions_staff_get_404_on_every_endpoint(
    method: str,
    suffix: str,
    specialist: Any,
    secretary_own: Any,
    commission_member_own: Any,
    secretary_other: Any,
    commission_member_other: Any,
) -> None:
    application = accr_submitted(specialist)
    services.application_register(application=application, by=secretary_own)
    services.application_to_commission(application=application, by=secretary_own)
    body = {"result": "passed", "comment": "x", "reason": "x"}
    for outsider in (secretary_other, commission_member_other, specialist):
        response = getattr(client_for(outsider), method)(f"{STAFF}{application.pk}/{suffix}", body, format="json")
        assert response.status_code == 404, (outsider.last_name, response.status_code)
    assert client_for(secretary_other).get(STAFF).json()["count"] == 0
    application.refresh_from_db()
    assert application.status == "under_review"


def test_the_staff_list_takes_a_fixed_number_of_queries(specialist: Any, secretary_own: Any) -> None:
    from tests.factories import UserFactory

    accr_submitted(specialist)
    secretary = client_for(secretary_own)

    def count() -> int:
        secretary_own.__dict__.pop("_role_cache", None)  # as a fresh request would load it
        with CaptureQueriesContext(connection) as captured:
            assert secretary.get(STAFF).status_code == 200
        return len(captured)

    few = count()
    for _ in range(4):
        accr_submitted(UserFactory(roles=["specialist"]))
    assert count() == few
    assert AccreditationApplication.objects.count() == 5
