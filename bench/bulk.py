"""Bulk loading for the scale seeders (``<app>/demo_scale.py``): COPY on PostgreSQL, ``bulk_create``
in batches elsewhere.

A seeder names only the columns it cares about; every other concrete column of the model is filled
from the field itself (its default, NULL when nullable, ``""`` for a blank text field, the first
choice, the first row of a required foreign key), so the seeder keeps working while the app's
engineers add columns. A required column that cannot be filled stops the load with its name.

    from bench.bulk import bulk_insert

    bulk_insert(Cycle, users, lambda user: {"user_id": user.id, "starts_on": ..., "ends_on": ...})

Values go in as Python objects (``str``, ``int``, ``Decimal``, ``date``, aware ``datetime``,
``None``); psycopg adapts them. The seeder decides what already exists (idempotence): this module
only inserts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

T = TypeVar("T")

_SIMPLE_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "SlugField",
    "TextField",
}


class UnfillableColumn(RuntimeError):
    pass


def insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The concrete columns an INSERT writes: all but an auto-increment primary key."""
    return [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField))
    ]


def _filler(field: models.Field[Any, Any]) -> Callable[[], Any]:
    """How to fill a column the seeder did not name."""
    if field.has_default():
        return field.get_default
    if field.null:
        return lambda: None
    if field.is_relation:
        related = field.related_model
        assert related is not None and not isinstance(related, str)
        first = related._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is None:
            raise UnfillableColumn(
                f"{field.model.__name__}.{field.name}: required foreign key and no {related.__name__} row to point at"
            )
        return lambda: first
    if field.choices:
        first_choice = next(iter(field.flatchoices))[0]
        return lambda: first_choice
    internal = field.get_internal_type()
    if internal in {"CharField", "TextField", "SlugField", "EmailField", "URLField"}:
        return lambda: ""
    if internal == "BooleanField":
        return lambda: False
    if internal.endswith("IntegerField"):
        return lambda: 0
    if internal == "DecimalField":
        return lambda: Decimal(0)
    if internal == "DateField":
        today = timezone.localdate()
        return lambda: today
    if internal == "DateTimeField":
        now = timezone.now()
        return lambda: now
    raise UnfillableColumn(
        f"{field.model.__name__}.{field.name} ({internal}) has no default and is not nullable: "
        "give it a value in the seeder"
    )


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(
    model: type[models.Model],
    items: Iterable[T],
    values: Callable[[T], dict[str, Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """Insert one row per item, with ``values(item)`` (keys: field names or attnames) over the
    fields' own fill-ins. Returns the number of rows inserted."""
    fields = insert_fields(model)
    by_key: dict[str, models.Field[Any, Any]] = {}
    for field in fields:
        by_key[field.name] = field
        by_key[field.attname] = field
    fillers = {field.attname: _filler(field) for field in fields}
    needs_prep = [field for field in fields if field.get_internal_type() not in _SIMPLE_TYPES]

    def row(item: T) -> dict[str, Any]:
        given = values(item)
        unknown = set(given) - set(by_key)
        if unknown:
            raise UnfillableColumn(f"{model.__name__} has no field(s) {sorted(unknown)}")
        named = {by_key[key].attname: value for key, value in given.items()}
        return {attname: named[attname] if attname in named else fill() for attname, fill in fillers.items()}

    if connection.vendor == "postgresql":
        return _copy(model, fields, needs_prep, map(row, items))
    inserted = 0
    for chunk in _chunks(items, batch_size):
        model._default_manager.bulk_create([model(**row(item)) for item in chunk], batch_size=500)
        inserted += len(chunk)
    return inserted


def _copy(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    needs_prep: list[models.Field[Any, Any]],
    rows: Iterable[dict[str, Any]],
) -> int:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    attnames = [field.attname for field in fields]
    inserted = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for values in rows:
            for field in needs_prep:
                values[field.attname] = field.get_db_prep_save(values[field.attname], connection)
            copy.write_row([values[name] for name in attnames])
            inserted += 1
    if inserted:
        with connection.cursor() as cursor:
            # Fresh statistics, so that the next queries (and EXPLAIN) plan for the real size.
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
    return inserted


def spread_date(index: int, start: date, days: int) -> date:
    """A deterministic date in ``[start, start + days)``: realistic spread without randomness."""
    from datetime import timedelta

    return start + timedelta(days=(index * 7919) % days)


def aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
