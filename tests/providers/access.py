"""Access rows for the providers app (see tests/access.py): the public catalogue, the provider
cabinet (pages and API), the methodologist's review, onboarding and the priority organisation.

Everything the rows point at belongs to organisation A, where ``provider_a`` is an admin member;
``provider_b`` is an admin of organisation B and must get 404 for A's objects. Non-staff get 403
from the cabinet (pages and API), non-methodologists 403 from the review; anonymous API callers
get 401 and anonymous page visitors a redirect to the login page (302), except for the public
catalogue (200)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from providers.models import ElementStatus, Invitation, ModuleCompletion, OrganisationStatus
from providers.services import _token_hash, membership_add
from tests.access import Row, World, statuses, world_builder
from tests.providers.factories import (
    EventFactory,
    ModuleFactory,
    OrganisationFactory,
    ProgrammeCycleFactory,
    ProgrammeFactory,
)

INVITATION_TOKEN = "access-matrix-invitation-token"


@world_builder
def organisations(world: World) -> None:
    world.org_a = OrganisationFactory(status=OrganisationStatus.APPROVED)
    world.org_b = OrganisationFactory(status=OrganisationStatus.APPROVED)
    membership_add(organisation=world.org_a, user=world.provider_a, is_admin=True)
    membership_add(organisation=world.org_b, user=world.provider_b, is_admin=True)
    # Organisation A's elements: published ones (the catalogue) and drafts (the cabinet).
    world.programme = ProgrammeFactory(organisation=world.org_a, status=ElementStatus.PUBLISHED)
    world.cycle = ProgrammeCycleFactory(programme=world.programme)
    world.draft_programme = ProgrammeFactory(organisation=world.org_a, status=ElementStatus.DRAFT)
    world.draft_cycle = ProgrammeCycleFactory(programme=world.draft_programme)
    world.event = EventFactory(organisation=world.org_a, status=ElementStatus.PUBLISHED)
    world.draft_event = EventFactory(organisation=world.org_a, status=ElementStatus.DRAFT)
    world.module = ModuleFactory(organisation=world.org_a, status=ElementStatus.PUBLISHED)
    world.draft_module = ModuleFactory(organisation=world.org_a, status=ElementStatus.DRAFT)
    # The specialist completed the published module, so may rate it.
    ModuleCompletion.objects.create(module=world.module, user=world.specialist, completed_on=timezone.localdate())
    # Waiting for the methodologist.
    world.review_programme = ProgrammeFactory(organisation=world.org_a, status=ElementStatus.ON_REVIEW)
    world.review_event = EventFactory(organisation=world.org_a, status=ElementStatus.ON_REVIEW)
    world.review_module = ModuleFactory(organisation=world.org_a, status=ElementStatus.ON_REVIEW)
    world.review_org = OrganisationFactory(status=OrganisationStatus.IN_REVIEW)
    # An invitation to organisation A addressed to the specialist.
    Invitation.objects.create(
        organisation=world.org_a,
        email=world.specialist.email,
        token_hash=_token_hash(INVITATION_TOKEN),
        invited_by=world.provider_a,
    )


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return statuses(status, **overrides)


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    """A page for anyone signed in; anonymous visitors are sent to the login page."""
    return statuses(status, anonymous=302, **overrides)


def staff_page(own: int, *, other_staff: int = 404) -> dict[str, int]:
    """A cabinet page of organisation A's object: B's staff 404, non-staff 403, anonymous 302."""
    return statuses(403, anonymous=302, provider_a=own, provider_b=other_staff)


def staff_api(own: int, *, other_staff: int = 404) -> dict[str, int]:
    """A provider API operation on organisation A's object: B 404, non-staff 403, anonymous 401."""
    return statuses(403, anonymous=401, provider_a=own, provider_b=other_staff)


def review_page(ok: int) -> dict[str, int]:
    return statuses(403, anonymous=302, methodologist=ok)


def review_api(ok: int) -> dict[str, int]:
    return statuses(403, anonymous=401, methodologist=ok)


def _today() -> str:
    return timezone.localdate().isoformat()


def _later(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


PROGRAMME_BODY = {"title": "Кардиология: новое", "hours": 36, "form": "distance", "specialty": "76"}
EVENT_BODY = {
    "title": "Конференция",
    "starts_on": "2031-03-01",
    "ends_on": "2031-03-02",
    "zet": "6",
    "format": "online",
}
MODULE_BODY = {"title": "Модуль", "module_type": "cases", "zet": "2", "url": "https://edu.example.org/m/1"}
CYCLE_BODY = {"starts_on": "2031-03-01", "ends_on": "2031-03-10"}
REASON = {"reason": "Неполные сведения о преподавателях."}


def _completion(world: World) -> dict[str, Any]:
    return {"snils": world.other_specialist.snils, "completed_on": _today()}


ROWS: list[Row] = [
    # --- the public catalogue: pages ----------------------------------------------------------
    Row("providers:catalog", everyone(302), note="redirects to the programmes"),
    Row("providers:catalog-programs", everyone(200)),
    Row("providers:catalog-program", everyone(200), url=lambda w: f"/catalog/programs/{w.programme.pk}/"),
    Row(
        "providers:catalog-program",
        everyone(404),
        url=lambda w: f"/catalog/programs/{w.draft_programme.pk}/",
        note="a draft is not in the catalogue",
    ),
    Row("providers:catalog-events", everyone(200)),
    Row("providers:catalog-event", everyone(200), url=lambda w: f"/catalog/events/{w.event.pk}/"),
    Row(
        "providers:catalog-event",
        everyone(404),
        url=lambda w: f"/catalog/events/{w.draft_event.pk}/",
        note="a draft is not in the catalogue",
    ),
    Row("providers:catalog-modules", everyone(200)),
    Row("providers:catalog-module", everyone(200), url=lambda w: f"/catalog/modules/{w.module.pk}/"),
    Row(
        "providers:catalog-module",
        everyone(200, anonymous=302, specialist=302),
        method="POST",
        url=lambda w: f"/catalog/modules/{w.module.pk}/",
        data={"liked": "on", "rating": "9", "comment": "Полезно"},
        note="a reaction: saved for the one who completed it, a form error for the others",
    ),
    # --- the public catalogue: API --------------------------------------------------------------
    Row("api-catalog-programs", everyone(200)),
    Row("api-catalog-program", everyone(200), url=lambda w: f"/api/v1/catalog/programs/{w.programme.pk}/"),
    Row(
        "api-catalog-program",
        everyone(404),
        url=lambda w: f"/api/v1/catalog/programs/{w.draft_programme.pk}/",
        note="a draft is not in the catalogue",
    ),
    Row("api-catalog-events", everyone(200)),
    Row("api-catalog-event", everyone(200), url=lambda w: f"/api/v1/catalog/events/{w.event.pk}/"),
    Row("api-catalog-modules", everyone(200)),
    Row("api-catalog-module", everyone(200), url=lambda w: f"/api/v1/catalog/modules/{w.module.pk}/"),
    Row(
        "api-catalog-module-reaction",
        statuses(400, anonymous=401, specialist=201),
        method="POST",
        url=lambda w: f"/api/v1/catalog/modules/{w.module.pk}/reaction/",
        data={"liked": True, "rating": 9},
        note="only one who completed the module rates it",
    ),
    Row(
        "api-catalog-module-reaction",
        statuses(404, anonymous=401),
        method="POST",
        url=lambda w: f"/api/v1/catalog/modules/{w.draft_module.pk}/reaction/",
        data={"liked": True},
        note="a draft module",
    ),
    # --- onboarding, invitations, the priority organisation --------------------------------------
    Row("providers:onboarding", signed_in(200)),
    Row("providers:invitation-accept", signed_in(200), url=f"/provider/invitations/{INVITATION_TOKEN}/"),
    Row(
        "providers:invitation-accept",
        signed_in(404, specialist=302),
        method="POST",
        url=f"/provider/invitations/{INVITATION_TOKEN}/",
        note="only the invited person accepts",
    ),
    Row("providers:priority-organisation", signed_in(200)),
    Row(
        "providers:priority-organisation",
        signed_in(302),
        method="POST",
        data=lambda w: {"organisation": w.org_a.pk},
    ),
    # --- the provider cabinet: pages -------------------------------------------------------------
    Row("providers:cabinet", staff_page(200, other_staff=200)),
    Row("providers:organisation", staff_page(200), url=lambda w: f"/provider/organizations/{w.org_a.pk}/"),
    Row(
        "providers:organisation",
        staff_page(302),
        method="POST",
        url=lambda w: f"/provider/organizations/{w.org_a.pk}/",
        data={"action": "submit"},
        note="an approved organisation is not submitted again: a message, not a change",
    ),
    Row("providers:provider-programs", staff_page(200, other_staff=200)),
    Row("providers:provider-program-new", staff_page(200, other_staff=200)),
    Row("providers:provider-program", staff_page(200), url=lambda w: f"/provider/programs/{w.draft_programme.pk}/"),
    Row(
        "providers:provider-program",
        staff_page(302),
        method="POST",
        url=lambda w: f"/provider/programs/{w.draft_programme.pk}/",
        data={
            "cycle-starts_on": "2031-03-01",
            "cycle-ends_on": "2031-03-10",
            "cycle-seats_budget": "10",
            "cycle-seats_contract": "10",
            "cycle-seats_ffoms": "0",
            "cycle-price": "0",
        },
        note="adds a cycle",
    ),
    Row(
        "providers:provider-program-edit",
        staff_page(200),
        url=lambda w: f"/provider/programs/{w.draft_programme.pk}/edit/",
    ),
    Row(
        "providers:provider-program-move",
        staff_page(302),
        method="POST",
        url=lambda w: f"/provider/programs/{w.draft_programme.pk}/submit/",
    ),
    Row("providers:provider-cycle-edit", staff_page(200), url=lambda w: f"/provider/cycles/{w.draft_cycle.pk}/edit/"),
    Row("providers:provider-events", staff_page(200, other_staff=200)),
    Row("providers:provider-event-new", staff_page(200, other_staff=200)),
    Row("providers:provider-event", staff_page(200), url=lambda w: f"/provider/events/{w.event.pk}/"),
    Row(
        "providers:provider-event",
        staff_page(200),
        method="POST",
        url=lambda w: f"/provider/events/{w.event.pk}/",
        data={"count": "3"},
        note="issues confirmation codes",
    ),
    Row("providers:provider-event-edit", staff_page(200), url=lambda w: f"/provider/events/{w.draft_event.pk}/edit/"),
    Row(
        "providers:provider-event-codes-csv",
        staff_page(302),
        url=lambda w: f"/provider/events/{w.event.pk}/codes.csv",
        note="no codes in the session: back to the event",
    ),
    Row(
        "providers:provider-event-move",
        staff_page(302),
        method="POST",
        url=lambda w: f"/provider/events/{w.draft_event.pk}/submit/",
    ),
    Row("providers:provider-modules", staff_page(200, other_staff=200)),
    Row("providers:provider-module-new", staff_page(200, other_staff=200)),
    Row("providers:provider-module", staff_page(200), url=lambda w: f"/provider/modules/{w.module.pk}/"),
    Row(
        "providers:provider-module-edit", staff_page(200), url=lambda w: f"/provider/modules/{w.draft_module.pk}/edit/"
    ),
    Row(
        "providers:provider-module-move",
        staff_page(302),
        method="POST",
        url=lambda w: f"/provider/modules/{w.draft_module.pk}/archive/",
    ),
    # --- the provider cabinet: API ---------------------------------------------------------------
    Row("api-provider-organizations", staff_api(200, other_staff=200)),
    Row("api-provider-programs", staff_api(200, other_staff=200)),
    Row(
        "api-provider-programs",
        staff_api(201, other_staff=201),
        method="POST",
        data=PROGRAMME_BODY,
        note="in the caller's own organisation",
    ),
    Row("api-provider-program", staff_api(200), url=lambda w: f"/api/v1/provider/programs/{w.draft_programme.pk}/"),
    Row(
        "api-provider-program",
        staff_api(200),
        method="PATCH",
        url=lambda w: f"/api/v1/provider/programs/{w.draft_programme.pk}/",
        data={"title": "Новое название"},
    ),
    Row(
        "api-provider-program-submit",
        staff_api(200),
        method="POST",
        url=lambda w: f"/api/v1/provider/programs/{w.draft_programme.pk}/submit/",
    ),
    Row(
        "api-provider-program-archive",
        staff_api(200),
        method="POST",
        url=lambda w: f"/api/v1/provider/programs/{w.draft_programme.pk}/archive/",
    ),
    Row(
        "api-provider-program-cycles",
        staff_api(200),
        url=lambda w: f"/api/v1/provider/programs/{w.draft_programme.pk}/cycles/",
    ),
    Row(
        "api-provider-program-cycles",
        staff_api(201),
        method="POST",
        url=lambda w: f"/api/v1/provider/programs/{w.draft_programme.pk}/cycles/",
        data=CYCLE_BODY,
    ),
    Row("api-provider-cycles", staff_api(200, other_staff=200)),
    Row("api-provider-cycle", staff_api(200), url=lambda w: f"/api/v1/provider/cycles/{w.draft_cycle.pk}/"),
    Row(
        "api-provider-cycle",
        staff_api(200),
        method="PATCH",
        url=lambda w: f"/api/v1/provider/cycles/{w.draft_cycle.pk}/",
        data={"place": "Москва"},
    ),
    Row("api-provider-events", staff_api(200, other_staff=200)),
    Row("api-provider-events", staff_api(201, other_staff=201), method="POST", data=EVENT_BODY),
    Row("api-provider-event", staff_api(200), url=lambda w: f"/api/v1/provider/events/{w.draft_event.pk}/"),
    Row(
        "api-provider-event",
        staff_api(200),
        method="PATCH",
        url=lambda w: f"/api/v1/provider/events/{w.draft_event.pk}/",
        data={"title": "Новое название"},
    ),
    Row(
        "api-provider-event-submit",
        staff_api(200),
        method="POST",
        url=lambda w: f"/api/v1/provider/events/{w.draft_event.pk}/submit/",
    ),
    Row(
        "api-provider-event-archive",
        staff_api(200),
        method="POST",
        url=lambda w: f"/api/v1/provider/events/{w.draft_event.pk}/archive/",
    ),
    Row(
        "api-provider-event-codes",
        staff_api(201),
        method="POST",
        url=lambda w: f"/api/v1/provider/events/{w.event.pk}/codes/",
        data={"count": 3},
    ),
    Row("api-provider-modules", staff_api(200, other_staff=200)),
    Row("api-provider-modules", staff_api(201, other_staff=201), method="POST", data=MODULE_BODY),
    Row("api-provider-module", staff_api(200), url=lambda w: f"/api/v1/provider/modules/{w.draft_module.pk}/"),
    Row(
        "api-provider-module",
        staff_api(200),
        method="PATCH",
        url=lambda w: f"/api/v1/provider/modules/{w.draft_module.pk}/",
        data={"title": "Новое название"},
    ),
    Row(
        "api-provider-module-submit",
        staff_api(200),
        method="POST",
        url=lambda w: f"/api/v1/provider/modules/{w.draft_module.pk}/submit/",
    ),
    Row(
        "api-provider-module-archive",
        staff_api(200),
        method="POST",
        url=lambda w: f"/api/v1/provider/modules/{w.draft_module.pk}/archive/",
    ),
    Row(
        "api-provider-module-completions",
        staff_api(201),
        method="POST",
        url=lambda w: f"/api/v1/provider/modules/{w.module.pk}/completions/",
        data=_completion,
    ),
    # --- the methodologist's review: pages ------------------------------------------------------
    Row("providers:review", review_page(200)),
    Row(
        "providers:review-decide",
        review_page(302),
        method="POST",
        url=lambda w: f"/review/programs/{w.review_programme.pk}/approve/",
    ),
    Row(
        "providers:review-decide",
        review_page(302),
        method="POST",
        url=lambda w: f"/review/organizations/{w.review_org.pk}/return/",
        data=REASON,
        note="an organisation",
    ),
    # --- the methodologist's review: API --------------------------------------------------------
    Row("api-review-organizations", review_api(200)),
    Row("api-review-programs", review_api(200)),
    Row("api-review-events", review_api(200)),
    Row("api-review-modules", review_api(200)),
    Row(
        "api-review-org-approve",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/organizations/{w.review_org.pk}/approve/",
    ),
    Row(
        "api-review-org-reject",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/organizations/{w.review_org.pk}/reject/",
        data=REASON,
    ),
    Row(
        "api-review-org-return",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/organizations/{w.review_org.pk}/return/",
        data=REASON,
    ),
    Row(
        "api-review-program-approve",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/programs/{w.review_programme.pk}/approve/",
    ),
    Row(
        "api-review-program-reject",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/programs/{w.review_programme.pk}/reject/",
        data=REASON,
    ),
    Row(
        "api-review-event-approve",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/events/{w.review_event.pk}/approve/",
    ),
    Row(
        "api-review-event-reject",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/events/{w.review_event.pk}/reject/",
        data=REASON,
    ),
    Row(
        "api-review-module-approve",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/modules/{w.review_module.pk}/approve/",
    ),
    Row(
        "api-review-module-reject",
        review_api(200),
        method="POST",
        url=lambda w: f"/api/v1/review/modules/{w.review_module.pk}/reject/",
        data=REASON,
    ),
]
