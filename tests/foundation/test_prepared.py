"""Prepared queries (nmo_portal.lib.prepared): built and compiled once per shape, then run with each
call's values bound. They answer what the queryset they are built from answers, for any values; a
query whose statement depends on more than its values is refused, never cached."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, F, QuerySet, When
from django.db.models import Value as V
from django.db.models.fields import BooleanField
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from nmo_portal.lib.fragments import render_fragment
from nmo_portal.lib.prepared import Prepared, PreparedShapeError
from nmo_portal.lib.sql import Inline
from nmo_portal.lib.stamps import stamp_of
from tests.factories import UserFactory
from tests.trajectory.factories import cycle_for
from trajectory.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners() -> list[Any]:
    people = [UserFactory(last_name=name) for name in ("Алексеева", "Борисов", "Васильев")]
    for person in people:
        cycle_for(person)
    return people


def _cycles(*, owner_id: int, status: str = "") -> QuerySet[Cycle]:
    rows = Cycle.objects.filter(owner=owner_id).select_related("owner", "specialty").order_by("pk")
    return rows.filter(status=status) if status else rows


class Counted:
    """A build function that counts how often it is called: how often the query is built."""

    def __init__(self, build: Any) -> None:
        self.build, self.calls = build, 0

    def __call__(self, **values: Any) -> Any:
        self.calls += 1
        return self.build(**values)


# --- the same answers ----------------------------------------------------------------------------------
def test_it_answers_what_the_queryset_answers_for_every_value(owners: list[Any]) -> None:
    prepared = Prepared("cycles", _cycles)
    for owner in owners:
        for status in ("", "active", "closed"):
            expected = list(_cycles(owner_id=owner.pk, status=status))
            found = list(prepared.rows(owner_id=owner.pk, status=status))
            # the columns converted alike (a date and time, a decimal), their converters looked up once
            assert [(c.pk, c.owner.last_name, c.specialty.code, c.created_at, c.target_zet) for c in found] == [
                (c.pk, c.owner.last_name, c.specialty.code, c.created_at, c.target_zet) for c in expected
            ]
            assert all(c.created_at.tzinfo is not None for c in found)
            assert prepared.count(owner_id=owner.pk, status=status) == len(expected)
    assert prepared.one(owner_id=owners[1].pk).owner == owners[1]
    assert prepared.one(owner_id=0) is None


def test_it_is_built_and_compiled_once_per_shape(owners: list[Any]) -> None:
    build = Counted(_cycles)
    prepared = Prepared("cycles", build)
    for owner in owners:
        list(prepared.rows(owner_id=owner.pk))
    assert build.calls == 2  # twice for the first call (two sets of slots), then never
    list(prepared.rows(owner_id=owners[0].pk, status="active"))  # another shape: a status filter
    assert build.calls == 4
    expected = owners[2].cycles.get().pk
    assert prepared.one(owner_id=owners[1].pk) is not None  # one() reads a slice: a shape of its own
    with CaptureQueriesContext(connection) as queries:
        assert prepared.one(owner_id=owners[2].pk).pk == expected
    assert len(queries) == 1 and build.calls == 6


def test_what_django_asks_of_the_columns_on_every_call_is_looked_up_once(
    owners: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    for name in ("get_converters", "has_composite_fields"):
        method = getattr(SQLCompiler, name)
        monkeypatch.setattr(SQLCompiler, name, _recording(method, name, asked))
    prepared = Prepared("cycles", _cycles)
    first = prepared.one(owner_id=owners[0].pk)
    assert sorted(set(asked)) == ["get_converters", "has_composite_fields"]  # asked when compiled
    asked.clear()
    for owner in owners:
        found = prepared.one(owner_id=owner.pk)
        assert found is not None and found.owner == owner
    assert asked == [] and first is not None


def _recording(method: Any, name: str, asked: list[str]) -> Any:
    def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(name)
        return method(self, *args, **kwargs)

    return recorded


def test_an_id_written_into_the_statement_is_bound_too(owners: list[Any]) -> None:
    prepared = Prepared("cycles", lambda *, owner_id: Cycle.objects.filter(owner=Inline(owner_id)))
    with CaptureQueriesContext(connection) as queries:
        for owner in owners:
            assert prepared.one(owner_id=owner.pk).owner_id == owner.pk
    assert str(owners[2].pk) in queries[-1]["sql"]


def test_tuples_and_dates_are_bound_member_by_member(owners: list[Any]) -> None:
    def build(*, ids: tuple[int, ...], today: date) -> QuerySet[User]:
        born = Case(When(birth_date__lt=today, then=V(True)), default=V(False), output_field=BooleanField())
        return User.objects.filter(pk__in=ids).annotate(born=born).order_by("pk")

    prepared = Prepared("people", build)
    ids = tuple(owner.pk for owner in owners)
    assert [u.pk for u in prepared.rows(ids=ids[:2], today=date(2100, 1, 1))] == list(ids[:2])
    assert [u.pk for u in prepared.rows(ids=ids[1:], today=date(2100, 1, 1))] == list(ids[1:])
    assert {u.born for u in prepared.rows(ids=ids, today=date(1900, 1, 1))} == {False}
    assert {u.born for u in prepared.rows(ids=ids, today=date(2100, 1, 1))} == {True}
    assert list(prepared.rows(ids=(), today=date(2100, 1, 1))) == []  # IN () matches nothing


def test_values_lists_and_pages_of_a_listing(owners: list[Any]) -> None:
    names = Prepared(
        "names", lambda *, ids: User.objects.filter(pk__in=ids).order_by("last_name").values_list("pk", "last_name")
    )
    ids = tuple(owner.pk for owner in owners)
    assert list(names.rows(ids=ids)) == [(o.pk, o.last_name) for o in owners]
    paginator = Paginator(names.listing(ids=ids), 2)
    assert paginator.count == 3 and paginator.num_pages == 2
    assert list(paginator.page(2).object_list) == [(owners[2].pk, "Васильев")]


def test_a_value_that_chooses_the_shape_is_named(owners: list[Any]) -> None:
    def build(*, owner_id: int, order: str) -> QuerySet[Cycle]:
        return Cycle.objects.filter(owner=owner_id).order_by("-pk" if order == "newest" else "pk")

    with pytest.raises(PreparedShapeError, match="order does not reach the statement"):
        list(Prepared("cycles", build).rows(owner_id=owners[0].pk, order="newest"))
    prepared = Prepared("cycles", build, shape=("order",))
    mine = Cycle.objects.filter(owner__in=[o.pk for o in owners])
    cycle_for(owners[0], specialty=None, issued_on=date(2023, 1, 1))
    newest = list(prepared.rows(owner_id=owners[0].pk, order="newest"))
    assert [c.pk for c in newest] == sorted((c.pk for c in mine.filter(owner=owners[0])), reverse=True)


def test_an_id_beyond_a_bigint_finds_nothing_as_in_django(owners: list[Any]) -> None:
    prepared = Prepared("cycles", lambda *, cycle_id: Cycle.objects.filter(pk=cycle_id))
    assert prepared.one(cycle_id=owners[0].cycles.get().pk) is not None
    assert prepared.one(cycle_id=2**70) is None  # a forged id: not a database error
    assert prepared.count(cycle_id=-(2**70)) == 0


def test_a_query_that_can_match_no_row_is_answered_without_being_kept(owners: list[Any]) -> None:
    build = Counted(lambda *, ids: User.objects.filter(pk__in=ids).order_by("pk"))
    prepared = Prepared("people", build)
    assert list(prepared.rows(ids=())) == [] and prepared.count(ids=()) == 0
    assert list(prepared.rows(ids=(owners[0].pk,))) == [owners[0]]
    assert list(prepared.rows(ids=(owners[1].pk,))) == [owners[1]]
    # the empty shape built each time it is asked (a compile that stops at "no row", then Django's
    # own query), the other shape twice, once
    assert build.calls == 2 + 2 + 2
    assert list(prepared.rows(start=5, stop=5, ids=(owners[0].pk,))) == []  # an empty page: not asked


# --- refused -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("build", "error"),
    [
        pytest.param(
            lambda *, owner_id: Cycle.objects.filter(owner=owner_id, created_at__lt=timezone.now()),
            "changes from call to call",
            id="a time read while building",
        ),
        pytest.param(
            lambda *, name: User.objects.filter(last_name__icontains=name),
            "changes from call to call",
            id="a value transformed before it is sent",
        ),
        pytest.param(
            lambda *, owner_id: Cycle.objects.filter(owner=owner_id).prefetch_related("owner__documents"),
            "prefetch",
            id="a prefetch",
        ),
    ],
)
def test_a_statement_that_depends_on_more_than_its_values_is_refused(owners: list[Any], build: Any, error: str) -> None:
    prepared = Prepared("refused", build)
    value = "Алекс" if "name" in build.__code__.co_varnames else owners[0].pk
    key = build.__code__.co_varnames[0]
    with pytest.raises(PreparedShapeError, match=error):
        list(prepared.rows(**{key: value}))


def test_only_ints_strings_dates_and_tuples_of_them_are_bound(owners: list[Any]) -> None:
    prepared = Prepared("cycles", lambda *, owner_id: Cycle.objects.filter(owner=owner_id))
    with pytest.raises(TypeError, match="a prepared value"):
        list(prepared.rows(owner_id=1.5))
    with pytest.raises(TypeError, match="a prepared value"):
        list(prepared.rows(owner_id=timezone.now()))


def test_its_rows_cannot_be_filtered_further(owners: list[Any]) -> None:
    rows = Prepared("cycles", _cycles).rows(owner_id=owners[0].pk)
    assert not hasattr(rows, "filter")
    assert len(rows) == 1 and rows[0].owner_id == owners[0].pk


@pytest.mark.django_db(transaction=True)
def test_a_statement_compiled_in_one_thread_runs_on_the_connection_of_another() -> None:
    # gunicorn's threads share the process's statements; each runs them on its own connection
    prepared = Prepared("people", lambda *, user_id: User.objects.filter(pk=user_id))
    people = [UserFactory(last_name=name) for name in ("Алексеева", "Борисов")]
    assert prepared.one(user_id=people[0].pk) == people[0]  # compiled in this thread
    found: list[Any] = []

    def other() -> None:
        try:
            with CaptureQueriesContext(connection) as queries:  # this thread's connection
                found.append(prepared.one(user_id=people[1].pk))
            found.append(len(queries))
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert found == [people[1], 1]


# --- stamps (PostgreSQL) ---------------------------------------------------------------------------------
@pytest.mark.postgres
def test_its_stamp_is_the_querysets_stamp(owners: list[Any]) -> None:
    prepared = Prepared("cycles", _cycles)
    for owner in owners:
        assert prepared.rows(owner_id=owner.pk, stop=10).stamp() == stamp_of(_cycles(owner_id=owner.pk)[:10])
    before = prepared.rows(owner_id=owners[0].pk).stamp()
    User.objects.filter(pk=owners[0].pk).update(first_name="Анна")  # a joined row
    assert prepared.rows(owner_id=owners[0].pk).stamp() != before


@pytest.mark.postgres
def test_a_page_of_prepared_rows_asked_again_costs_its_stamp(owners: list[Any]) -> None:
    rows = Prepared("cycles", lambda *, ids: Cycle.objects.filter(owner__in=ids).select_related("owner", "specialty"))
    ids = tuple(owner.pk for owner in owners)

    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = render_fragment(RequestFactory().get("/"), "tests/_cycles.html", {"rows": rows.rows(ids=ids)})
        return str(html), len(queries)

    (first, drawn), (again, served) = page(), page()
    assert "Алексеева" in first and again == first
    assert (drawn, served) == (2, 1)  # the stamp and the rows; then the stamp alone
    Cycle.objects.filter(owner=owners[1]).update(target_zet=F("target_zet") + 7)
    assert page()[0] != first


# --- the rows made without Django's iterables -------------------------------------------------------------
def _events(*, organisation_id: int) -> QuerySet[Any]:
    from providers.models import Event

    return (
        Event.objects.filter(organisation=organisation_id)
        .select_related("organisation", "region")  # a region only for some: the related row may be NULL
        .only("title", "zet", "starts_on", "organisation__short_name", "region__name")
        .annotate(span=F("ends_on") - F("starts_on"), flagged=V(True, output_field=BooleanField()))
        .order_by("pk")
    )


def _loaded(instance: Any) -> dict[str, Any]:
    """What a model instance holds: its loaded fields, its deferred ones, its related rows."""
    cached = {
        name: _loaded(related) if related is not None else None
        for name, related in instance._state.fields_cache.items()
    }
    return {
        "class": type(instance).__name__,
        "fields": {key: value for key, value in instance.__dict__.items() if not key.startswith("_")},
        "deferred": sorted(instance.get_deferred_fields()),
        "related": cached,
        "adding": instance._state.adding,
        "db": instance._state.db,
    }


def test_models_with_their_related_rows_and_annotations_are_made_as_django_makes_them() -> None:
    from reference.models import Region
    from tests.trajectory.factories import catalogue_event

    first = catalogue_event(title="Без региона")
    catalogue_event(title="С регионом", organisation=first.organisation, region=Region.objects.first())
    prepared = Prepared("events", _events)
    expected = [_loaded(event) for event in _events(organisation_id=first.organisation_id)]
    assert [_loaded(event) for event in prepared.rows(organisation_id=first.organisation_id)] == expected
    assert expected[0]["related"]["region"] is None and expected[1]["related"]["region"] is not None


def test_a_prepared_run_goes_to_the_cursor_not_through_djangos_compiler(
    owners: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    cycles = Prepared("cycles", _cycles)
    pairs = Prepared("pairs", lambda *, owner_id: Cycle.objects.filter(owner=owner_id).values_list("pk", "status"))
    flat = Prepared("ids", lambda *, owner_id: Cycle.objects.filter(owner=owner_id).values_list("pk", flat=True))
    runs = [
        lambda owner: [c.pk for c in cycles.rows(owner_id=owner.pk)],
        lambda owner: list(pairs.rows(owner_id=owner.pk)),
        lambda owner: list(flat.rows(owner_id=owner.pk)),
    ]
    first = [run(owners[0]) for run in runs]  # compiled
    asked: list[str] = []
    monkeypatch.setattr(SQLCompiler, "execute_sql", _recording(SQLCompiler.execute_sql, "execute_sql", asked))
    assert [run(owners[0]) for run in runs] == first
    expected = list(Cycle.objects.filter(owner=owners[1].pk).values_list("pk", "status"))
    asked.clear()
    assert list(pairs.rows(owner_id=owners[1].pk)) == expected
    assert list(flat.rows(owner_id=owners[1].pk)) == [pk for pk, _ in expected]
    assert asked == []


def test_a_values_list_django_would_reorder_is_made_by_django(owners: list[Any]) -> None:
    def build(*, owner_id: int) -> QuerySet[Any]:
        # the annotation named first: Django puts it back in the order asked for
        return Cycle.objects.filter(owner=owner_id).annotate(twice=F("pk") * 2).values_list("twice", "pk")

    prepared = Prepared("reordered", build)
    for owner in owners:
        assert list(prepared.rows(owner_id=owner.pk)) == list(build(owner_id=owner.pk))
