"""The public catalogue: only published elements, every filter, x2, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from providers.models import ElementStatus, ModuleCompletion, ModuleReaction
from providers.selectors import element_is_x2
from tests.factories import (
    EventFactory,
    ModuleFactory,
    OrganisationFactory,
    ProgrammeCycleFactory,
    ProgrammeFactory,
)
from tests.providers.factories import region, specialty

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["results"]]


@pytest.mark.parametrize("status", [s for s in ElementStatus.values if s != ElementStatus.PUBLISHED])
def test_unpublished_elements_never_appear(client: Any, status: str) -> None:
    programme = ProgrammeFactory(status=status)
    event = EventFactory(status=status)
    module = ModuleFactory(status=status)
    for kind, element in (("programs", programme), ("events", event), ("modules", module)):
        assert ids(client.get(f"/api/v1/catalog/{kind}/")) == []
        assert client.get(f"/api/v1/catalog/{kind}/{element.pk}/").status_code == 404
        assert client.get(f"/catalog/{kind}/{element.pk}/").status_code == 404
        assert element.title not in client.get(f"/catalog/{kind}/").content.decode()


def test_a_programme_lists_only_its_open_cycles(client: Any) -> None:
    programme = ProgrammeFactory()
    ProgrammeCycleFactory(
        programme=programme, starts_on=TODAY - dt.timedelta(days=40), ends_on=TODAY - dt.timedelta(days=1)
    )
    running = ProgrammeCycleFactory(programme=programme, starts_on=TODAY - dt.timedelta(days=2), ends_on=TODAY)
    future = ProgrammeCycleFactory(programme=programme, starts_on=TODAY + dt.timedelta(days=10))
    [row] = client.get("/api/v1/catalog/programs/").json()["results"]
    assert [c["id"] for c in row["cycles"]] == [running.pk, future.pk]
    assert row["cycles"][1]["seats"] == {"budget": 10, "contract": 20, "ffoms": 5}
    assert row["cycles"][1]["price"] == 15000.0
    assert row["zet"] == 36


class TestProgrammeFilters:
    def test_specialty_matches_the_main_or_an_additional_one(self, client: Any) -> None:
        main = ProgrammeFactory(specialty=specialty("25"))
        additional = ProgrammeFactory(specialty=specialty("76"), additional_specialties=[specialty("25")])
        ProgrammeFactory(specialty=specialty("76"))
        assert sorted(ids(client.get("/api/v1/catalog/programs/?specialty=25"))) == sorted([main.pk, additional.pk])

    def test_region_matches_a_cycle_held_there_or_the_organisation(self, client: Any) -> None:
        by_cycle = ProgrammeFactory()
        ProgrammeCycleFactory(programme=by_cycle, region=region("50"))
        by_org = ProgrammeFactory(organisation=OrganisationFactory(region=region("50")))
        ProgrammeFactory()
        assert sorted(ids(client.get("/api/v1/catalog/programs/?region=50"))) == sorted([by_cycle.pk, by_org.pk])

    def test_organization(self, client: Any) -> None:
        mine = ProgrammeFactory()
        ProgrammeFactory()
        assert ids(client.get(f"/api/v1/catalog/programs/?organization={mine.organisation_id}")) == [mine.pk]

    def test_form(self, client: Any) -> None:
        full_time = ProgrammeFactory(form="full_time")
        ProgrammeFactory(form="distance")
        assert ids(client.get("/api/v1/catalog/programs/?form=full_time")) == [full_time.pk]

    def test_basis(self, client: Any) -> None:
        ffoms = ProgrammeFactory(bases=["ffoms"])
        ProgrammeFactory(bases=["budget", "contract"])
        assert ids(client.get("/api/v1/catalog/programs/?basis=ffoms")) == [ffoms.pk]
        assert client.get("/api/v1/catalog/programs/?basis=gift").status_code == 400

    def test_zet_range(self, client: Any) -> None:
        short = ProgrammeFactory(hours=18)
        middle = ProgrammeFactory(hours=36)
        ProgrammeFactory(hours=144)
        assert ids(client.get("/api/v1/catalog/programs/?zet_min=30&zet_max=72")) == [middle.pk]
        assert ids(client.get("/api/v1/catalog/programs/?zet_max=18")) == [short.pk]
        for _ in range(2):  # a refused query is refused again: nothing of it was stored
            refused = client.get("/api/v1/catalog/programs/?zet_min=72&zet_max=18")
            assert refused.status_code == 400 and "zet_max" in refused.json()

    def test_period_matches_an_open_cycle_starting_in_it(self, client: Any) -> None:
        soon = ProgrammeFactory()
        ProgrammeCycleFactory(programme=soon, starts_on=TODAY + dt.timedelta(days=10))
        later = ProgrammeFactory()
        ProgrammeCycleFactory(programme=later, starts_on=TODAY + dt.timedelta(days=100))
        after = (TODAY + dt.timedelta(days=5)).isoformat()
        before = (TODAY + dt.timedelta(days=20)).isoformat()
        assert ids(client.get(f"/api/v1/catalog/programs/?starts_after={after}&starts_before={before}")) == [soon.pk]
        assert ids(client.get(f"/api/v1/catalog/programs/?starts_after={before}")) == [later.pk]

    def test_free_text(self, client: Any) -> None:
        wanted = ProgrammeFactory(title="Неотложная кардиология", annotation="Острый коронарный синдром")
        ProgrammeFactory(title="Сестринское дело в педиатрии", annotation="Уход за детьми")
        assert ids(client.get("/api/v1/catalog/programs/?q=кардиология")) == [wanted.pk]
        assert ids(client.get("/api/v1/catalog/programs/?q=коронарный")) == [wanted.pk]

    def test_ordering(self, client: Any) -> None:
        big = ProgrammeFactory(title="Б", hours=144)
        small = ProgrammeFactory(title="А", hours=18)
        assert ids(client.get("/api/v1/catalog/programs/?ordering=-zet")) == [big.pk, small.pk]
        assert ids(client.get("/api/v1/catalog/programs/?ordering=title")) == [small.pk, big.pk]
        assert client.get("/api/v1/catalog/programs/?ordering=price").status_code == 400


@pytest.mark.postgres
def test_free_text_uses_russian_stemming_on_postgresql(client: Any) -> None:
    wanted = ProgrammeFactory(title="Диагностика заболеваний сердца")
    assert ids(client.get("/api/v1/catalog/programs/?q=заболевание")) == [wanted.pk]


class TestEventFilters:
    def test_each_filter(self, client: Any) -> None:
        soon = EventFactory(
            specialties=[specialty("25")],
            format="offline",
            region=region("50"),
            zet=Decimal("2"),
            starts_on=TODAY + dt.timedelta(days=3),
            title="Школа аритмологии",
        )
        other = EventFactory(
            specialties=[specialty("76")],
            format="online",
            zet=Decimal("6"),
            starts_on=TODAY + dt.timedelta(days=60),
            is_free=False,
            price=Decimal("500"),
        )
        base = "/api/v1/catalog/events/"
        assert ids(client.get(f"{base}?specialty=25")) == [soon.pk]
        assert ids(client.get(f"{base}?region=50")) == [soon.pk]
        assert ids(client.get(f"{base}?organization={other.organisation_id}")) == [other.pk]
        assert ids(client.get(f"{base}?format=offline")) == [soon.pk]
        assert ids(client.get(f"{base}?zet_min=3")) == [other.pk]
        assert ids(client.get(f"{base}?is_free=false")) == [other.pk]
        assert ids(client.get(f"{base}?starts_before={(TODAY + dt.timedelta(days=10)).isoformat()}")) == [soon.pk]
        assert ids(client.get(f"{base}?starts_after={(TODAY + dt.timedelta(days=10)).isoformat()}")) == [other.pk]
        assert ids(client.get(f"{base}?q=аритмологии")) == [soon.pk]
        assert ids(client.get(f"{base}?ordering=-starts_on")) == [other.pk, soon.pk]


class TestModuleFilters:
    def test_each_filter_and_the_reactions(self, client: Any, specialist: Any) -> None:
        tests = ModuleFactory(
            module_type="tests", zet=Decimal("0"), specialties=[specialty("25")], title="ЭКГ за 5 минут"
        )
        cases = ModuleFactory(module_type="cases", zet=Decimal("3"))
        ModuleCompletion.objects.create(module=cases, user=specialist, completed_on=TODAY)
        ModuleReaction.objects.create(module=cases, user=specialist, liked=True, rating=9, comment="Полезно")
        base = "/api/v1/catalog/modules/"
        assert ids(client.get(f"{base}?specialty=25")) == [tests.pk]
        assert ids(client.get(f"{base}?module_type=cases")) == [cases.pk]
        assert ids(client.get(f"{base}?zet_max=0")) == [tests.pk]
        assert ids(client.get(f"{base}?organization={cases.organisation_id}")) == [cases.pk]
        assert ids(client.get(f"{base}?q=ЭКГ")) == [tests.pk]
        assert ids(client.get(f"{base}?ordering=-rating")) == [cases.pk, tests.pk]
        row = client.get(f"{base}{cases.pk}/").json()
        assert (row["likes"], row["comments"], row["rating"]) == (1, 1, 9.0)


class TestModuleReactions:
    def test_only_someone_who_completed_the_module_may_rate_it(self, client: Any, specialist: Any) -> None:
        module = ModuleFactory()
        client.force_login(specialist)
        url = f"/api/v1/catalog/modules/{module.pk}/reaction/"
        refused = client.post(url, {"liked": True, "rating": 8}, content_type="application/json")
        assert refused.status_code == 400
        ModuleCompletion.objects.create(module=module, user=specialist, completed_on=TODAY)
        assert client.post(url, {"liked": True, "rating": 8}, content_type="application/json").status_code == 201
        assert client.post(url, {"rating": 11}, content_type="application/json").status_code == 400
        again = client.post(url, {"liked": False, "rating": 10, "comment": "Отлично"}, content_type="application/json")
        assert again.status_code == 201
        assert ModuleReaction.objects.get().rating == 10

    def test_the_provider_reports_a_completion_by_snils(
        self, client: Any, org_a: Any, provider_a: Any, specialist: Any
    ) -> None:
        module = ModuleFactory(organisation=org_a)
        client.force_login(provider_a)
        url = f"/api/v1/provider/modules/{module.pk}/completions/"
        answer = client.post(
            url, {"snils": specialist.snils_display, "completed_on": TODAY.isoformat()}, content_type="application/json"
        )
        assert answer.status_code == 201
        assert (
            client.post(
                url, {"snils": "123", "completed_on": TODAY.isoformat()}, content_type="application/json"
            ).status_code
            == 400
        )
        assert ModuleCompletion.objects.get().user == specialist


def test_x2_marks_elements_that_credit_two_of_the_viewers_specialties() -> None:
    programme = ProgrammeFactory(specialty=specialty("76"), additional_specialties=[specialty("25")])
    therapy, cardiology, nursing = specialty("76").pk, specialty("25").pk, specialty("219").pk
    assert element_is_x2(programme, {therapy, cardiology})
    assert not element_is_x2(programme, {therapy, nursing})
    assert not element_is_x2(programme, {therapy})


def test_an_anonymous_viewer_sees_no_x2(client: Any) -> None:
    ProgrammeFactory(additional_specialties=[specialty("25")])
    assert client.get("/api/v1/catalog/programs/").json()["results"][0]["x2"] is False


def _many_programmes(n: int) -> None:
    for _ in range(n):
        programme = ProgrammeFactory(additional_specialties=[specialty("25"), specialty("219")])
        ProgrammeCycleFactory(programme=programme)
        ProgrammeCycleFactory(programme=programme, starts_on=TODAY + dt.timedelta(days=90), region=region("50"))


@pytest.mark.parametrize("rows", [1, 20])
def test_the_programme_endpoint_runs_a_fixed_number_of_queries(
    client: Any, django_assert_num_queries: Any, rows: int
) -> None:
    _many_programmes(rows)
    # count, page, open cycles (with region), additional specialties
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/catalog/programs/?specialty=25&q=терапии").json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_event_and_module_endpoints_run_a_fixed_number_of_queries(
    client: Any, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        EventFactory(specialties=[specialty("25"), specialty("76")])
        ModuleFactory(specialties=[specialty("25")])
    with django_assert_num_queries(3):  # count, page, specialties
        assert len(client.get("/api/v1/catalog/events/").json()["results"]) == rows
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/catalog/modules/").json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_catalogue_pages_run_a_fixed_number_of_queries(
    client: Any, django_assert_num_queries: Any, rows: int, specialist: Any
) -> None:
    _many_programmes(rows)
    for _ in range(rows):
        EventFactory(specialties=[specialty("25")])
        ModuleFactory(specialties=[specialty("25")])
    client.force_login(specialist)
    for kind in ("programs", "events", "modules"):  # warm the reference data, facets, organisations
        client.get(f"/catalog/{kind}/")
    # One of them reads the viewer's specialties (accounts.Document) once for the x2 marks. The
    # organisations of the filter and the facet counts come from the cache (one query fewer than
    # before they were cached: the organisations; tests/providers/test_facets.py has the cold page).
    # Each query string below is asked for the first time: the rows are searched and rendered.
    with django_assert_num_queries(7):
        assert client.get("/catalog/programs/?specialty=25").status_code == 200
    with django_assert_num_queries(6):
        assert client.get("/catalog/events/?page=1").status_code == 200
    with django_assert_num_queries(6):
        assert client.get("/catalog/modules/?page=1").status_code == 200
    # Asked again, the rendered filters and rows come from the cache: only the session, the user
    # with his roles and his documents (the x2 marks) are read.
    with django_assert_num_queries(3):
        assert client.get("/catalog/modules/?page=1").status_code == 200


def test_htmx_gets_only_the_rows(client: Any) -> None:
    ProgrammeFactory(title="Гастроэнтерология для терапевтов")
    full = client.get("/catalog/programs/?q=Гастроэнтерология")
    partial = client.get("/catalog/programs/?q=Гастроэнтерология", HTTP_HX_REQUEST="true")
    assert "<html" in full.content.decode() and "<html" not in partial.content.decode()
    assert "Гастроэнтерология для терапевтов" in partial.content.decode()
    assert (
        "catalogue-empty" in client.get("/catalog/programs/?q=несуществующее", HTTP_HX_REQUEST="true").content.decode()
    )


def test_the_catalogue_pages_paginate(client: Any) -> None:
    for n in range(25):
        ProgrammeFactory(title=f"Программа {n:02d}")
    first = client.get("/catalog/programs/")
    assert first.context["page"].paginator.num_pages == 2
    assert len(client.get("/catalog/programs/?page=2").context["items"]) == 5


def test_detail_pages_show_published_elements(client: Any) -> None:
    programme = ProgrammeFactory(title="Пульмонология")
    ProgrammeCycleFactory(programme=programme)
    event = EventFactory(title="Вебинар по астме")
    module = ModuleFactory(title="Модуль по ХОБЛ")
    assert "Пульмонология" in client.get(f"/catalog/programs/{programme.pk}/").content.decode()
    assert "Вебинар по астме" in client.get(f"/catalog/events/{event.pk}/").content.decode()
    assert "Модуль по ХОБЛ" in client.get(f"/catalog/modules/{module.pk}/").content.decode()


def test_the_event_page_filters_free_events(client: Any) -> None:
    EventFactory(title="Бесплатный вебинар")
    EventFactory(title="Платная школа", is_free=False, price=Decimal("900"))
    page = client.get("/catalog/events/?is_free=false").content.decode()
    assert "Платная школа" in page and "Бесплатный вебинар" not in page
    assert "Начало с" not in client.get("/catalog/modules/").content.decode()
