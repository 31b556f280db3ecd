"""Row-version stamps (nmo_portal.lib.stamps): a memoized page of rows asked again costs one narrow
query, and any change to what the rows would hold (the row, a joined row, which rows, an
annotation) draws it anew, also within one transaction, without a write path announcing itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from nmo_portal.lib.fragments import FragmentShowsUnstampedRows, render_fragment
from nmo_portal.lib.stamps import stamp_of, uncovered
from tests.factories import UserFactory
from tests.trajectory.factories import cycle_for
from trajectory.models import Cycle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TEMPLATE = "tests/_cycles.html"


def _rows() -> QuerySet[Cycle]:
    """Every cycle with its owner and specialty, and whether another user shares the owner's surname
    (an annotation that reads a table the page does not join)."""
    namesake = User.objects.filter(last_name=OuterRef("owner__last_name")).exclude(pk=OuterRef("owner_id"))
    return Cycle.objects.select_related("owner", "specialty").annotate(namesake=Exists(namesake)).order_by("pk")


def _page() -> tuple[str, int]:
    """The fragment of the first 10 rows, and how many queries drawing or serving it took."""
    with CaptureQueriesContext(connection) as queries:
        html = render_fragment(RequestFactory().get("/"), TEMPLATE, {"rows": _rows()[:10]})
    return str(html), len(queries)


@pytest.fixture
def owners() -> list[Any]:
    people = [UserFactory(last_name=name) for name in ("Алексеева", "Борисов")]
    for person in people:
        cycle_for(person)
    return people


# --- the stamp ---------------------------------------------------------------------------------------
def test_the_stamp_is_the_same_while_nothing_changes(owners: list[Any]) -> None:
    first = stamp_of(_rows())
    assert first is not None and len(first.rows) == 2
    assert stamp_of(_rows()) == first


def test_the_stamp_changes_with_the_row_a_joined_row_the_rows_shown_and_an_annotation(owners: list[Any]) -> None:
    # every write here is in the test's one transaction: the row's place (ctid) tells the versions apart
    stamps = [stamp_of(_rows())]
    Cycle.objects.filter(owner=owners[0]).update(target_zet=F("target_zet") + 1)
    stamps.append(stamp_of(_rows()))
    Cycle.objects.filter(owner=owners[0]).update(target_zet=F("target_zet") - 1)  # the same values again
    stamps.append(stamp_of(_rows()))
    User.objects.filter(pk=owners[1].pk).update(first_name="Пётр")  # a joined row, a field not shown
    stamps.append(stamp_of(_rows()))
    UserFactory(last_name="Алексеева")  # no row of the page changes: its annotation does
    stamps.append(stamp_of(_rows()))
    cycle_for(UserFactory(last_name="Васильев"))  # a row joins the page
    stamps.append(stamp_of(_rows()))
    Cycle.objects.filter(owner=owners[1]).delete()  # and one leaves it
    stamps.append(stamp_of(_rows()))
    assert len({stamp.rows for stamp in stamps if stamp is not None}) == len(stamps)


def test_the_stamp_covers_every_object_the_loaded_rows_hold(owners: list[Any]) -> None:
    rows = _rows()
    stamp = stamp_of(rows)
    assert stamp is not None
    loaded = list(rows)
    assert uncovered(loaded, stamp) == []
    assert ("accounts.User", owners[0].pk) in stamp.covered
    document = owners[0].documents.first()
    loaded[0]._state.fields_cache["document"] = document
    assert f"accounts.Document {document.pk}" in uncovered(loaded, stamp)


@pytest.mark.parametrize(
    "queryset",
    [
        pytest.param(lambda: Cycle.objects.prefetch_related("owner__documents"), id="prefetch_related"),
        pytest.param(lambda: Cycle.objects.values("pk"), id="values"),
        pytest.param(lambda: Cycle.objects.distinct(), id="distinct"),
        pytest.param(lambda: Cycle.objects.select_related(), id="select_related without names"),
    ],
)
def test_what_a_stamp_cannot_see_is_not_stamped(owners: list[Any], queryset: Any) -> None:
    assert stamp_of(queryset()) is None


def test_a_loaded_queryset_is_not_stamped(owners: list[Any]) -> None:
    rows = _rows()
    list(rows)
    assert stamp_of(rows) is None


# --- a memoized page of rows -------------------------------------------------------------------------
def test_a_page_of_rows_asked_again_costs_its_stamp_not_its_rows(owners: list[Any]) -> None:
    first, drawn = _page()
    again, served = _page()
    assert "Алексеева" in first and "Борисов" in first
    assert again == first
    assert (drawn, served) == (2, 1)  # the stamp and the rows; then the stamp alone


def test_a_served_page_of_rows_shows_every_change_at_once(owners: list[Any]) -> None:
    _page()
    User.objects.filter(pk=owners[0].pk).update(last_name="Андреева")  # a joined row, no signal sent
    assert "Андреева" in _page()[0]
    UserFactory(last_name="Борисов")
    assert "однофамилец" in _page()[0]
    Cycle.objects.filter(owner=owners[1]).update(target_zet=321)
    assert "321" in _page()[0]
    Cycle.objects.filter(owner=owners[1]).delete()
    assert "Борисов" not in _page()[0]


def test_a_row_holding_an_object_its_stamp_did_not_see_is_an_error_in_tests(owners: list[Any]) -> None:
    # a related manager hands every row the owner it was asked from: a model the stamp did not read
    with pytest.raises(FragmentShowsUnstampedRows, match=r"accounts\.User"):
        render_fragment(RequestFactory().get("/"), TEMPLATE, {"rows": owners[0].cycles.select_related("specialty")})


@override_settings(FRAGMENTS_STRICT=False)
def test_outside_tests_such_a_page_is_served_but_not_stored(owners: list[Any], caplog: Any) -> None:
    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = render_fragment(
                RequestFactory().get("/"), TEMPLATE, {"rows": owners[0].cycles.select_related("specialty")}
            )
        return str(html), len(queries)

    assert page() == page()  # drawn each time: the stamp and the rows
    assert "Алексеева" in page()[0] and page()[1] == 2
    assert "did not cover" in caplog.text


@override_settings(FRAGMENT_CACHE=False)
def test_with_the_memo_off_the_rows_are_read_once_and_never_stamped(owners: list[Any]) -> None:
    html, queries = _page()
    assert "Алексеева" in html and queries == 1
