"""``insert_new`` (set-based INSERT skipping conflicts) and the ``__any`` lookup, on SQLite and
PostgreSQL alike: the crediting of 10 000 results stands on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nmo_portal.lib.inserts import insert_new
from portfolio.models import CreditEntry
from reference.models import Region
from trajectory.models import PlanItem, PlanItemStatus, PlanItemTransition

pytestmark = pytest.mark.django_db


def _region_rows(*codes: str) -> list[tuple[str, str]]:
    return [(code, f"Регион {code}") for code in codes]


def test_insert_new_returns_only_the_rows_it_inserted_and_skips_the_colliding_ones() -> None:
    existing = Region.objects.order_by("pk").first()
    assert existing is not None
    inserted = insert_new(
        Region,
        ("code", "name"),
        [(existing.code, "Дубликат"), *_region_rows("T1", "T2")],
        returning=("id", "code"),
    )
    assert sorted(code for _pk, code in inserted) == ["T1", "T2"]
    assert Region.objects.get(pk=existing.pk).name != "Дубликат"
    assert set(Region.objects.filter(code__in=["T1", "T2"]).values_list("pk", flat=True)) == {pk for pk, _c in inserted}


def test_insert_new_fills_the_columns_left_out_with_their_defaults(specialist: Any) -> None:
    from tests.trajectory.factories import catalogue_programme, cycle_for

    cycle = cycle_for(specialist)
    programme = catalogue_programme()
    [(pk,)] = insert_new(
        PlanItem,
        ("cycle_id", "element_type", "programme_id", "status"),
        [(cycle.pk, "program", programme.pk, PlanItemStatus.INCLUDED.value)],
    )
    item = PlanItem.objects.get(pk=pk)
    assert item.created_at is not None and item.programme_cycle_id is None and item.event_id is None


def test_insert_new_refuses_a_required_column_left_out_before_writing() -> None:
    with pytest.raises(ValueError, match="zet"):
        insert_new(CreditEntry, ("cycle_id",), [(1,)])
    assert not CreditEntry.objects.exists()


def test_insert_new_splits_a_long_list_into_batches() -> None:
    codes = [f"{a}{b}" for a in "QRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXY"]  # 250 codes
    with CaptureQueriesContext(connection) as queries:
        inserted = insert_new(Region, ("code", "name"), _region_rows(*codes), batch_size=100)
    assert len(inserted) == 250 and len(queries) == 3


def test_the_any_lookup_finds_what_in_finds() -> None:
    ids = list(Region.objects.order_by("pk").values_list("pk", flat=True)[:5])
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Region.objects.filter(pk__any=ids).values_list("pk", flat=True))
    assert found == sorted(ids)
    assert list(Region.objects.filter(pk__any=[])) == []
    if connection.vendor == "postgresql":  # one array parameter, whatever the length of the list
        assert "= ANY(" in queries[0]["sql"]


def test_insert_new_writes_identical_rows_once_each_and_mixed_rows_as_given(specialist: Any) -> None:
    from tests.trajectory.factories import catalogue_programme, cycle_for

    item = PlanItem.objects.create(cycle=cycle_for(specialist), element_type="program", programme=catalogue_programme())
    same = (item.pk, "", "credited", None, "ЗЕТ зачтены")
    columns = ("subject_id", "from_status", "to_status", "actor_id", "reason")
    assert len(insert_new(PlanItemTransition, columns, [same, same, same])) == 3
    mixed = [(item.pk, "", "credited", specialist.pk, "первая"), (item.pk, "included", "credited", None, "вторая")]
    insert_new(PlanItemTransition, columns, mixed)
    stored = set(PlanItemTransition.objects.filter(reason__in=["первая", "вторая"]).values_list(*columns))
    assert stored == set(mixed)
