"""Catalogue facet counts: what each filter option would find, cached, fresh after every change, and
never a reason for the page to fail when Redis is down."""

from __future__ import annotations

import datetime as dt
import logging
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import timezone

from providers import selectors
from providers.facets import catalogue_facets
from providers.forms import PlainSelect
from providers.models import ElementStatus, EventFormat, ModuleType, ProgrammeForm
from providers.services import programme_archive
from tests.factories import (
    EventFactory,
    ModuleFactory,
    OrganisationFactory,
    ProgrammeCycleFactory,
    ProgrammeFactory,
)
from tests.faults import RedisServer, redis_on_other_port  # noqa: F401
from tests.providers.factories import region, specialty

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


class _SelectOptions(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.inside, self.value = name, False, ""
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "select":
            self.inside = dict(attrs).get("name") == self.name
        elif tag == "option" and self.inside:
            self.value = dict(attrs).get("value") or ""
            self.found[self.value] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.value in self.found:
            self.found[self.value] += data


def options(answer: Any, name: str) -> dict[str, str]:
    """The labels of one filter's options on a rendered catalogue page, by value, as the visitor
    reads them (the filters may come rendered from the cache)."""
    assert answer.status_code == 200, answer.content
    parser = _SelectOptions(name)
    parser.feed(answer.content.decode())
    return {value: label.strip() for value, label in parser.found.items()}


@pytest.fixture
def catalogue() -> dict[str, Any]:
    """Two published programmes and a draft:

    * ``a``: main 76, additional 25; organisation in 77; open cycles in 50 and 77, a finished one in 23;
    * ``b``: main 25, additional 25 as well (counted once); organisation in 50, two open cycles in 50;
    * a draft with main 219 in 23: counted nowhere.
    """
    in_77 = OrganisationFactory(region=region("77"))
    in_50 = OrganisationFactory(region=region("50"))
    a = ProgrammeFactory(organisation=in_77, additional_specialties=[specialty("25")], form=ProgrammeForm.DISTANCE)
    ProgrammeCycleFactory(programme=a, region=region("50"))
    ProgrammeCycleFactory(programme=a, region=region("77"))
    ProgrammeCycleFactory(
        programme=a, region=region("23"), starts_on=TODAY - dt.timedelta(days=30), ends_on=TODAY - dt.timedelta(days=1)
    )
    b = ProgrammeFactory(
        organisation=in_50,
        specialty=specialty("25"),
        additional_specialties=[specialty("25")],
        form=ProgrammeForm.FULL_TIME,
    )
    ProgrammeCycleFactory(programme=b, region=region("50"))
    ProgrammeCycleFactory(programme=b, region=region("50"), starts_on=TODAY + dt.timedelta(days=60))
    draft = ProgrammeFactory(
        organisation=OrganisationFactory(region=region("23")), specialty=specialty("219"), status=ElementStatus.DRAFT
    )
    ProgrammeCycleFactory(programme=draft, region=region("23"))
    return {"a": a, "b": b, "draft": draft, "in_77": in_77, "in_50": in_50}


CODES = {"specialty": ["25", "76", "219"], "region": ["23", "50", "77"]}


class TestCounts:
    def test_programmes_count_main_or_additional_specialty_and_region_by_cycle_or_organisation(
        self, catalogue: dict[str, Any]
    ) -> None:
        facets = catalogue_facets(kind="programs")
        assert facets.total == 2
        assert {code: facets.count("specialty", code) for code in CODES["specialty"]} == {"25": 2, "76": 1, "219": 0}
        assert {code: facets.count("region", code) for code in CODES["region"]} == {"23": 0, "50": 2, "77": 1}
        assert facets.count("form", ProgrammeForm.DISTANCE) == 1
        assert facets.count("form", ProgrammeForm.FULL_TIME) == 1
        assert facets.count("form", ProgrammeForm.PART_TIME) == 0

    def test_every_count_is_what_the_filter_finds(self, catalogue: dict[str, Any]) -> None:
        facets = catalogue_facets(kind="programs")
        for name, codes in CODES.items():
            for code in codes:
                found = selectors.catalogue_programmes(filters=selectors.CatalogueFilters(**{name: code})).count()
                assert facets.count(name, code) == found, (name, code)

    def test_events_count_their_own_region_or_else_the_organisations(self) -> None:
        in_77 = OrganisationFactory(region=region("77"))
        EventFactory(organisation=in_77, specialties=[specialty("25"), specialty("76")])
        EventFactory(
            organisation=in_77,
            region=region("50"),
            specialties=[specialty("25")],
            format=EventFormat.OFFLINE,
            is_free=False,
        )
        EventFactory(organisation=in_77, specialties=[specialty("219")], status=ElementStatus.ARCHIVED)
        facets = catalogue_facets(kind="events")
        assert facets.total == 2
        assert facets.counts["specialty"] == {"25": 2, "76": 1}
        assert facets.counts["region"] == {"77": 1, "50": 1}
        assert facets.counts["format"] == {"online": 1, "offline": 1}
        assert facets.counts["is_free"] == {"true": 1, "false": 1}
        for name, codes in CODES.items():
            for code in codes:
                found = selectors.catalogue_events(filters=selectors.CatalogueFilters(**{name: code})).count()
                assert facets.count(name, code) == found, (name, code)

    def test_modules_count_their_organisations_region(self) -> None:
        ModuleFactory(organisation=OrganisationFactory(region=region("50")), specialties=[specialty("25")])
        ModuleFactory(module_type=ModuleType.TESTS)
        ModuleFactory(specialties=[specialty("25")], status=ElementStatus.ON_REVIEW)
        facets = catalogue_facets(kind="modules")
        assert facets.total == 2
        assert facets.counts["specialty"] == {"25": 1}
        assert facets.counts["region"] == {"50": 1, "77": 1}
        assert facets.counts["module_type"] == {"cases": 1, "tests": 1}

    def test_the_page_labels_the_options_with_counts_and_keeps_their_values(
        self, client: Any, catalogue: dict[str, Any]
    ) -> None:
        answer = client.get("/catalog/programs/?region=23")
        regions = options(answer, "region")
        assert regions["50"] == f"{region('50').name} (2)"
        assert regions["23"] == f"{region('23').name} (0)"  # zero: still offered, and it validates
        assert regions[""] == "Все (2)"
        assert options(answer, "specialty")["25"].endswith(" (2)")
        assert options(answer, "form")[ProgrammeForm.DISTANCE] == "Заочная (дистанционная) (1)"
        body = answer.content.decode()
        assert f'<option value="23" selected>{region("23").name} (0)</option>' in body
        assert "Найдено: 0" in body
        assert "Найдено: 2" in client.get("/catalog/programs/").content.decode()
        assert "Найдено: 1" in client.get("/catalog/programs/?region=77").content.decode()


class TestFreshAfterAChange:
    def test_publishing_and_archiving_a_programme(
        self, client: Any, catalogue: dict[str, Any], methodologist: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        assert options(client.get("/catalog/programs/"), "specialty")["219"].endswith(" (0)")
        draft = catalogue["draft"]
        with django_capture_on_commit_callbacks(execute=True):
            draft.status = ElementStatus.PUBLISHED
            draft.save()
        answer = client.get("/catalog/programs/")
        assert options(answer, "specialty")["219"].endswith(" (1)")
        assert options(answer, "region")["23"].endswith(" (1)")
        with django_capture_on_commit_callbacks(execute=True):
            programme_archive(programme=draft, by=methodologist)  # a conditional UPDATE, no post_save
        assert options(client.get("/catalog/programs/"), "specialty")["219"].endswith(" (0)")

    def test_the_counts_change_only_once_the_change_is_committed(
        self, client: Any, catalogue: dict[str, Any], django_capture_on_commit_callbacks: Any
    ) -> None:
        assert options(client.get("/catalog/programs/"), "region")["23"].endswith(" (0)")
        with django_capture_on_commit_callbacks() as callbacks:
            ProgrammeCycleFactory(programme=catalogue["b"], region=region("23"))
        assert options(client.get("/catalog/programs/"), "region")["23"].endswith(" (0)")  # not committed yet
        for callback in callbacks:
            callback()
        assert options(client.get("/catalog/programs/"), "region")["23"].endswith(" (1)")

    def test_editing_a_programmes_specialties(
        self, client: Any, catalogue: dict[str, Any], django_capture_on_commit_callbacks: Any
    ) -> None:
        client.get("/catalog/programs/")
        a = catalogue["a"]
        with django_capture_on_commit_callbacks(execute=True):
            a.additional_specialties.add(specialty("219"))
        assert options(client.get("/catalog/programs/"), "specialty")["219"].endswith(" (1)")
        with django_capture_on_commit_callbacks(execute=True):
            a.additional_specialties.clear()
        assert options(client.get("/catalog/programs/"), "specialty")["25"].endswith(" (1)")
        with django_capture_on_commit_callbacks(execute=True):
            a.specialty = specialty("219")
            a.save()
        specialties = options(client.get("/catalog/programs/"), "specialty")
        assert specialties["219"].endswith(" (1)") and specialties["76"].endswith(" (0)")

    def test_moving_an_organisation_or_renaming_it(
        self, client: Any, catalogue: dict[str, Any], django_capture_on_commit_callbacks: Any
    ) -> None:
        module = ModuleFactory(organisation=catalogue["in_50"])
        assert options(client.get("/catalog/modules/"), "region")["50"].endswith(" (1)")
        organisation = catalogue["in_50"]
        with django_capture_on_commit_callbacks(execute=True):
            organisation.region = region("23")
            organisation.short_name = "Новое имя"
            organisation.save(update_fields=["region", "short_name"])
        answer = client.get("/catalog/modules/")
        assert options(answer, "region")["23"].endswith(" (1)") and options(answer, "region")["50"].endswith(" (0)")
        assert options(answer, "organization")[str(module.organisation_id)] == "Новое имя"

    def test_an_events_format_and_a_modules_deletion(
        self, client: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = EventFactory()
        module = ModuleFactory()
        assert options(client.get("/catalog/events/"), "format")[EventFormat.ONLINE].endswith(" (1)")
        assert options(client.get("/catalog/modules/"), "module_type")[ModuleType.CASES].endswith(" (1)")
        with django_capture_on_commit_callbacks(execute=True):
            event.format = EventFormat.OFFLINE
            event.save()
            module.delete()
        assert options(client.get("/catalog/events/"), "format")[EventFormat.OFFLINE].endswith(" (1)")
        assert options(client.get("/catalog/modules/"), "module_type")[ModuleType.CASES].endswith(" (0)")


@pytest.mark.parametrize(
    ("kind", "cold", "warm"),
    [
        # cold: + specialties, regions (reference data), organisations, and the facet queries
        # (programmes 3, events 3, modules 3); warm: count, page and the prefetches only
        ("programs", 10, 4),
        ("events", 9, 3),
        ("modules", 9, 3),
    ],
)
def test_the_second_request_reads_the_counts_from_the_cache(
    client: Any, catalogue: dict[str, Any], django_assert_num_queries: Any, kind: str, cold: int, warm: int
) -> None:
    EventFactory(specialties=[specialty("25")])
    ModuleFactory(specialties=[specialty("25")])
    with django_assert_num_queries(cold):
        assert client.get(f"/catalog/{kind}/").status_code == 200
    with django_assert_num_queries(warm):  # another search: the counts are not computed again
        assert client.get(f"/catalog/{kind}/?page=1").status_code == 200
    with django_assert_num_queries(0):  # the same search again: the whole answer comes from the cache
        assert client.get(f"/catalog/{kind}/?page=1").status_code == 200


@pytest.mark.redis
def test_with_redis_down_the_page_still_answers_with_counts(
    client: Any,
    catalogue: dict[str, Any],
    settings: Any,
    redis_on_other_port: RedisServer,  # noqa: F811
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "nmo_portal.lib.cache.SharedClientRedisCache",  # production's
            "LOCATION": redis_on_other_port.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert options(client.get("/catalog/programs/"), "region")["50"].endswith(" (2)")
    assert redis_on_other_port.client().dbsize() > 0  # the counts went to Redis
    redis_on_other_port.stop()
    caplog.set_level(logging.WARNING, logger="nmo_portal.lib.versioned_cache")
    with django_capture_on_commit_callbacks(execute=True):  # the bump fails quietly
        ProgrammeCycleFactory(programme=catalogue["b"], region=region("23"))
    answer = client.get("/catalog/programs/")
    assert options(answer, "region")["23"].endswith(" (1)")  # computed from the database
    assert "Найдено: 2" in answer.content.decode()
    assert "cache catalogue unavailable" in caplog.text
    redis_on_other_port.start()  # back, empty: cached again
    assert options(client.get("/catalog/programs/"), "region")["23"].endswith(" (1)")
    assert redis_on_other_port.client().dbsize() > 0


@pytest.mark.parametrize("value", [None, "", "50", ["50"], 7])
def test_the_plain_select_writes_what_djangos_select_writes(value: Any) -> None:
    choices = [("", "Все (3)"), ("50", "Московская <область> (2)"), ("7", "«Центр» & Co (0)")]
    attrs = {"id": "id_region", "aria-invalid": "true", "required": True}
    plain = PlainSelect(choices=choices).render("region", value, attrs=attrs)
    django = forms.Select(choices=choices).render("region", value, attrs=attrs)
    assert parse_html(plain) == parse_html(django)  # the same elements, attributes and text
