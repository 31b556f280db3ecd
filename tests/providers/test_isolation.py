"""Staff of organisation B get 404 on everything of organisation A, in the API and on pages;
people who are not staff get 403; review actions are the methodologist's alone."""

from __future__ import annotations

from typing import Any

import pytest

from providers.models import ElementStatus
from tests.factories import EventFactory, ModuleFactory, ProgrammeCycleFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_objects(org_a: Any) -> dict[str, int]:
    programme = ProgrammeFactory(organisation=org_a, status=ElementStatus.DRAFT)
    cycle = ProgrammeCycleFactory(programme=programme)
    event = EventFactory(organisation=org_a)
    module = ModuleFactory(organisation=org_a)
    return {"org": org_a.pk, "program": programme.pk, "cycle": cycle.pk, "event": event.pk, "module": module.pk}


API_ENDPOINTS = [
    ("get", "/api/v1/provider/programs/{program}/", None),
    ("patch", "/api/v1/provider/programs/{program}/", {"title": "Чужая"}),
    ("post", "/api/v1/provider/programs/{program}/submit/", {}),
    ("post", "/api/v1/provider/programs/{program}/archive/", {}),
    ("get", "/api/v1/provider/programs/{program}/cycles/", None),
    ("post", "/api/v1/provider/programs/{program}/cycles/", {"starts_on": "2026-01-01", "ends_on": "2026-01-02"}),
    ("get", "/api/v1/provider/cycles/{cycle}/", None),
    ("patch", "/api/v1/provider/cycles/{cycle}/", {"place": "Чужое"}),
    ("get", "/api/v1/provider/events/{event}/", None),
    ("patch", "/api/v1/provider/events/{event}/", {"title": "Чужое"}),
    ("post", "/api/v1/provider/events/{event}/submit/", {}),
    ("post", "/api/v1/provider/events/{event}/archive/", {}),
    ("post", "/api/v1/provider/events/{event}/codes/", {"count": 1}),
    ("get", "/api/v1/provider/modules/{module}/", None),
    ("patch", "/api/v1/provider/modules/{module}/", {"title": "Чужой"}),
    ("post", "/api/v1/provider/modules/{module}/submit/", {}),
    ("post", "/api/v1/provider/modules/{module}/archive/", {}),
    (
        "post",
        "/api/v1/provider/modules/{module}/completions/",
        {"snils": "112-233-445 95", "completed_on": "2024-01-01"},
    ),
    (
        "post",
        "/api/v1/provider/programs/",
        {"organization": "{org}", "title": "В чужую организацию", "hours": 36, "form": "distance", "specialty": "76"},
    ),
    (
        "post",
        "/api/v1/provider/events/",
        {
            "organization": "{org}",
            "title": "Чужое",
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-01",
            "zet": 1,
            "format": "online",
        },
    ),
    (
        "post",
        "/api/v1/provider/modules/",
        {"organization": "{org}", "title": "Чужой", "module_type": "tests", "zet": 1, "url": "https://example.org/"},
    ),
]

PAGES = [
    ("get", "/provider/organizations/{org}/"),
    ("post", "/provider/organizations/{org}/"),
    ("get", "/provider/programs/{program}/"),
    ("post", "/provider/programs/{program}/"),
    ("get", "/provider/programs/{program}/edit/"),
    ("post", "/provider/programs/{program}/submit/"),
    ("post", "/provider/programs/{program}/archive/"),
    ("get", "/provider/cycles/{cycle}/edit/"),
    ("get", "/provider/events/{event}/"),
    ("post", "/provider/events/{event}/"),
    ("get", "/provider/events/{event}/edit/"),
    ("get", "/provider/events/{event}/codes.csv"),
    ("post", "/provider/events/{event}/submit/"),
    ("get", "/provider/modules/{module}/"),
    ("get", "/provider/modules/{module}/edit/"),
    ("post", "/provider/modules/{module}/archive/"),
]


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        formatted = value.format(**ids)
        return int(formatted) if value == "{org}" else formatted
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), API_ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in API_ENDPOINTS])
def test_staff_of_b_get_404_on_every_api_endpoint_of_a(
    client: Any, provider_b: Any, a_objects: dict[str, int], method: str, path: str, body: Any
) -> None:
    client.force_login(provider_b)
    kwargs = {"content_type": "application/json", "data": _fill(body, a_objects)} if body is not None else {}
    answer = getattr(client, method)(_fill(path, a_objects), **kwargs)
    assert answer.status_code == 404, answer.content


@pytest.mark.parametrize(("method", "path"), PAGES, ids=[f"{m} {p}" for m, p in PAGES])
def test_staff_of_b_get_404_on_every_page_of_a(
    client: Any, provider_b: Any, a_objects: dict[str, int], method: str, path: str
) -> None:
    client.force_login(provider_b)
    answer = getattr(client, method)(_fill(path, a_objects))
    assert answer.status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), API_ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in API_ENDPOINTS])
def test_staff_of_a_reach_the_same_endpoints(
    client: Any, provider_a: Any, a_objects: dict[str, int], method: str, path: str, body: Any
) -> None:
    client.force_login(provider_a)
    kwargs = {"content_type": "application/json", "data": _fill(body, a_objects)} if body is not None else {}
    answer = getattr(client, method)(_fill(path, a_objects), **kwargs)
    assert answer.status_code != 404, answer.content


def test_lists_hold_only_the_staff_members_own_organisation(client: Any, provider_b: Any, a_objects: Any) -> None:
    client.force_login(provider_b)
    for kind in ("programs", "events", "modules", "cycles", "organizations"):
        body = client.get(f"/api/v1/provider/{kind}/").json()
        assert all(row.get("organization", a_objects["org"] + 1) != a_objects["org"] for row in body["results"])
        if kind != "organizations":
            assert body["count"] == 0
    for kind in ("programs", "events", "modules"):
        assert client.get(f"/provider/{kind}/").context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "path",
    ["/api/v1/provider/programs/", "/api/v1/provider/events/", "/api/v1/provider/modules/", "/api/v1/provider/cycles/"],
)
def test_a_specialist_is_refused_the_provider_api(client: Any, specialist: Any, path: str) -> None:
    client.force_login(specialist)
    assert client.get(path).status_code == 403
    assert client.post(path, {}, content_type="application/json").status_code in (403, 405)


def test_an_anonymous_visitor_is_refused_the_provider_api_and_sent_to_log_in(client: Any) -> None:
    assert client.get("/api/v1/provider/programs/").status_code in (401, 403)
    assert client.get("/provider/programs/").status_code == 302


@pytest.mark.parametrize("path", ["/provider/", "/provider/programs/", "/provider/events/new/"])
def test_a_specialist_is_refused_the_cabinet_pages(client: Any, specialist: Any, path: str) -> None:
    client.force_login(specialist)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/review/programs/{program}/approve/",
        "/api/v1/review/programs/{program}/reject/",
        "/api/v1/review/events/{event}/approve/",
        "/api/v1/review/modules/{module}/approve/",
        "/api/v1/review/organizations/{org}/approve/",
    ],
)
def test_review_actions_are_for_the_methodologist_only(
    client: Any, provider_a: Any, a_objects: dict[str, int], path: str
) -> None:
    client.force_login(provider_a)
    assert client.post(path.format(**a_objects), {"reason": "x"}).status_code == 403
    assert client.get("/api/v1/review/programs/").status_code == 403
    assert client.get("/review/").status_code == 403


@pytest.mark.parametrize("kind", ["programs", "events", "modules", "cycles"])
def test_the_staff_lists_run_the_same_number_of_queries_for_1_and_20_rows(
    client: Any, org_a: Any, provider_a: Any, kind: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.providers.factories import specialty

    def add_rows(n: int) -> None:
        for _ in range(n):
            programme = ProgrammeFactory(organisation=org_a, additional_specialties=[specialty("25")])
            ProgrammeCycleFactory(programme=programme)
            EventFactory(organisation=org_a, specialties=[specialty("25")])
            ModuleFactory(organisation=org_a, specialties=[specialty("25")])

    client.force_login(provider_a)
    counts = []
    for n in (1, 19):
        add_rows(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/provider/{kind}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
