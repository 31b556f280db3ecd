"""Each review path: the allowed moves succeed and are logged; every other move is a 409."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from nmo_portal.lib.exceptions import ConflictError
from providers import services
from providers.models import ElementStatus, OrganisationStatus
from providers.transitions import ELEMENT_MOVES, ORGANISATION_MOVES
from tests.factories import EventFactory, ModuleFactory, OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

E = ElementStatus
# No move leads back to draft, so every pair with another target is tried.
ALL_ELEMENT_PAIRS = [(a, b) for a in E.values for b in E.values if a != b and b != E.DRAFT]


def test_nothing_moves_back_to_draft() -> None:
    assert not any(ELEMENT_MOVES.allowed(source, E.DRAFT) for source in E.values)


def test_the_element_table_is_exactly_the_agreed_review_path() -> None:
    assert set(ELEMENT_MOVES.as_rows()) == {
        ("draft", "on_review"),
        ("draft", "archived"),
        ("on_review", "published"),
        ("on_review", "needs_changes"),
        ("needs_changes", "on_review"),
        ("published", "archived"),
    }


def test_the_organisation_table_is_exactly_the_onboarding_path() -> None:
    assert set(ORGANISATION_MOVES.as_rows()) == {
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "needs_changes"),
        ("in_review", "rejected"),
        ("in_review", "approved"),
        ("needs_changes", "submitted"),
    }


FACTORIES = {"programme": ProgrammeFactory, "event": EventFactory, "module": ModuleFactory}


def _move(kind: str, element: Any, target: str, actor: Any) -> None:
    if target == E.ON_REVIEW:
        getattr(services, f"{kind}_submit")(**{kind: element}, by=actor)
    elif target == E.PUBLISHED:
        getattr(services, f"{kind}_approve")(**{kind: element}, by=actor)
    elif target == E.NEEDS_CHANGES:
        getattr(services, f"{kind}_reject")(**{kind: element}, by=actor, reason="Уточните аннотацию")
    elif target == E.ARCHIVED:
        getattr(services, f"{kind}_archive")(**{kind: element}, by=actor)
    else:  # pragma: no cover - excluded from the parameters
        raise AssertionError(target)


@pytest.mark.parametrize("kind", list(FACTORIES))
@pytest.mark.parametrize(("source", "target"), ALL_ELEMENT_PAIRS)
def test_each_element_move_is_allowed_only_by_the_table(
    kind: str, source: str, target: str, methodologist: Any
) -> None:
    element = FACTORIES[kind](status=source)
    if ELEMENT_MOVES.allowed(source, target):
        _move(kind, element, target, methodologist)
        element.refresh_from_db()
        assert element.status == target
        record = element.transitions.get()
        assert (record.from_status, record.to_status, record.actor) == (source, target, methodologist)
    else:
        with pytest.raises(ConflictError) as error:
            _move(kind, element, target, methodologist)
        assert error.value.status_code == 409
        element.refresh_from_db()
        assert element.status == source
        assert not element.transitions.exists()


def test_a_return_for_changes_keeps_the_reason_in_the_history(methodologist: Any) -> None:
    programme = ProgrammeFactory(status=E.ON_REVIEW)
    services.programme_reject(programme=programme, by=methodologist, reason="Нет аннотации")
    assert programme.transitions.get().reason == "Нет аннотации"


def test_a_return_without_a_reason_is_refused(methodologist: Any) -> None:
    programme = ProgrammeFactory(status=E.ON_REVIEW)
    with pytest.raises(services.ApplicationError) as error:
        services.programme_reject(programme=programme, by=methodologist, reason="  ")
    assert error.value.field == "reason"


def test_only_a_methodologist_publishes(provider_a: Any, org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a, status=E.ON_REVIEW)
    with pytest.raises(PermissionDenied):
        services.programme_approve(programme=programme, by=provider_a)


def test_an_organisation_not_yet_approved_cannot_submit(provider_a: Any) -> None:
    organisation = OrganisationFactory(status=OrganisationStatus.SUBMITTED)
    programme = ProgrammeFactory(organisation=organisation, status=E.DRAFT)
    with pytest.raises(ConflictError):
        services.programme_submit(programme=programme, by=provider_a)


def test_a_published_passport_cannot_be_edited(provider_a: Any, org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a, status=E.PUBLISHED)
    with pytest.raises(ConflictError):
        services.programme_update(programme=programme, by=provider_a, title="Новое название")


def test_the_onboarding_path_from_request_to_approval_is_logged(specialist: Any, methodologist: Any) -> None:
    organisation = OrganisationFactory(status=OrganisationStatus.DRAFT)
    services.organisation_submit(organisation=organisation, by=specialist)
    services.organisation_return(organisation=organisation, by=methodologist, reason="Нет лицензии")
    assert organisation.status == OrganisationStatus.NEEDS_CHANGES
    services.organisation_submit(organisation=organisation, by=specialist)
    services.organisation_approve(organisation=organisation, by=methodologist)
    assert list(organisation.transitions.values_list("to_status", flat=True)) == [
        "submitted",
        "in_review",
        "needs_changes",
        "submitted",
        "in_review",
        "approved",
    ]


def test_an_approved_or_rejected_organisation_cannot_be_decided_again(methodologist: Any) -> None:
    organisation = OrganisationFactory(status=OrganisationStatus.APPROVED)
    with pytest.raises(ConflictError):
        services.organisation_reject(organisation=organisation, by=methodologist, reason="Поздно")
    rejected = OrganisationFactory(status=OrganisationStatus.REJECTED)
    with pytest.raises(ConflictError):
        services.organisation_approve(organisation=rejected, by=methodologist)


def test_a_draft_organisation_cannot_be_approved_before_it_is_submitted(methodologist: Any) -> None:
    organisation = OrganisationFactory(status=OrganisationStatus.DRAFT)
    with pytest.raises(ConflictError):
        services.organisation_approve(organisation=organisation, by=methodologist)


class TestTheApi:
    def test_provider_creates_submits_and_a_methodologist_publishes_a_programme(
        self, client: Any, provider_a: Any, methodologist: Any
    ) -> None:
        client.force_login(provider_a)
        created = client.post(
            "/api/v1/provider/programs/",
            {
                "title": "Кардиология: современные подходы",
                "hours": 36,
                "form": "distance",
                "specialty": "25",
                "additional_specialties": ["76"],
                "bases": ["budget", "contract"],
            },
            content_type="application/json",
        )
        assert created.status_code == 201, created.json()
        body = created.json()
        assert body["status"] == "draft"
        pk = body["id"]
        cycle = client.post(
            f"/api/v1/provider/programs/{pk}/cycles/",
            {"starts_on": "2020-01-10", "ends_on": "2020-01-20", "seats": {"budget": 3}, "price": "1000.50"},
            content_type="application/json",
        )
        assert cycle.status_code == 201, cycle.json()
        assert cycle.json()["seats"] == {"budget": 3, "contract": 0, "ffoms": 0}
        submitted = client.post(f"/api/v1/provider/programs/{pk}/submit/")
        assert submitted.json() == {"id": pk, "status": "on_review"}
        assert client.post(f"/api/v1/provider/programs/{pk}/submit/").status_code == 409
        assert client.post(f"/api/v1/review/programs/{pk}/approve/").status_code == 403
        client.force_login(methodologist)
        assert client.get("/api/v1/review/programs/").json()["count"] == 1
        approved = client.post(f"/api/v1/review/programs/{pk}/approve/")
        assert approved.json() == {"id": pk, "status": "published"}
        assert client.post(f"/api/v1/review/programs/{pk}/approve/").status_code == 409

    def test_a_methodologist_returns_an_event_with_a_reason(self, client: Any, org_a: Any, methodologist: Any) -> None:
        event = EventFactory(organisation=org_a, status=E.ON_REVIEW)
        client.force_login(methodologist)
        assert client.post(f"/api/v1/review/events/{event.pk}/reject/", {}).status_code == 400
        answer = client.post(f"/api/v1/review/events/{event.pk}/reject/", {"reason": "Неверные даты"})
        assert answer.json() == {"id": event.pk, "status": "needs_changes"}

    def test_modules_follow_the_same_path(self, client: Any, provider_a: Any, methodologist: Any) -> None:
        client.force_login(provider_a)
        created = client.post(
            "/api/v1/provider/modules/",
            {"title": "Тесты по ЭКГ", "module_type": "tests", "zet": 0, "url": "https://edu.example.org/ecg"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.json()
        pk = created.json()["id"]
        assert client.post(f"/api/v1/provider/modules/{pk}/submit/").json()["status"] == "on_review"
        client.force_login(methodologist)
        assert client.post(f"/api/v1/review/modules/{pk}/approve/").json()["status"] == "published"
        client.force_login(provider_a)
        assert client.post(f"/api/v1/provider/modules/{pk}/archive/").json()["status"] == "archived"
        assert client.post(f"/api/v1/provider/modules/{pk}/submit/").status_code == 409


def test_the_organisation_review_api(client: Any, methodologist: Any) -> None:
    returned = OrganisationFactory(status=OrganisationStatus.SUBMITTED)
    rejected = OrganisationFactory(status=OrganisationStatus.SUBMITTED)
    approved = OrganisationFactory(status=OrganisationStatus.SUBMITTED)
    client.force_login(methodologist)
    assert client.get("/api/v1/review/organizations/").json()["count"] == 3
    assert client.post(f"/api/v1/review/organizations/{returned.pk}/return/", {"reason": ""}).status_code == 400
    answer = client.post(f"/api/v1/review/organizations/{returned.pk}/return/", {"reason": "Нет лицензии"})
    assert answer.json() == {"id": returned.pk, "status": "needs_changes"}
    answer = client.post(f"/api/v1/review/organizations/{rejected.pk}/reject/", {"reason": "Не медицинская"})
    assert answer.json()["status"] == "rejected"
    assert client.post(f"/api/v1/review/organizations/{approved.pk}/approve/").json()["status"] == "approved"
    assert client.post(f"/api/v1/review/organizations/{approved.pk}/approve/").status_code == 409
    assert client.post("/api/v1/review/organizations/999999/approve/").status_code == 404
