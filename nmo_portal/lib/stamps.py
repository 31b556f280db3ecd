"""Row-version stamps: which versions of which rows a page would show, in one narrow query.

A memoized page (``fragments``) is keyed by a digest of everything it is drawn from, and digesting a
page of rows meant loading them: 50 applications with their applicants built into models and walked
on every request, while the page itself came from the cache. On PostgreSQL every row carries its
version: the system columns ``xmin`` (the transaction that wrote this version of the row) and
``ctid`` (where this version lies). An insert, an update or a delete gives the rows it touches a
new (xmin, ctid), also twice within one transaction, and a version cannot be reused while a
snapshot may still see the one before it. So the stamp of a queryset, the same query (its filters,
order and slice) selecting of each row only

* its primary key and the values of its annotations (an ``Exists`` reads other tables: its value,
  not a version, says what it read),
* the primary key and the version of the row itself and of every row ``select_related`` joins to it,

changes whenever anything the loaded rows would hold changes, without any write path announcing
itself. A page asked again costs that query and one cache read; the rows are loaded only when the
page is drawn (``load``), and then every model instance they hold must be one the stamp covered, by
label and primary key (``uncovered``): a page that shows a row its stamp did not see is not stored.

What cannot be stamped is digested by value as before (``stamp_of`` answers None): SQLite, querysets
with ``prefetch_related`` (their lists come from other queries), ``values()`` querysets, grouped,
distinct or combined queries, ``select_related()`` without names, models with multi-table
inheritance (part of their row is another table's).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import F, Model, QuerySet, TextField
from django.db.models.expressions import Col, Expression
from django.db.models.query import ModelIterable


class RowVersion(Expression):
    """``xmin`` and ``ctid`` of the row that ``path`` (a ``select_related`` path, "" for the row
    itself) leads to, as one text: NULL where there is no such row.

    A row one foreign key away is read by a correlated subquery on its primary key, not joined:
    PostgreSQL evaluates it only for the rows that survive the sort and the LIMIT (the secretary's
    queue sorts 166 rows to show 20: its stamp took 1.1-1.7 ms joined, 0.8-0.9 by subqueries).
    Other paths (a reverse one-to-one, two keys away) are joined as ``select_related`` joins them."""

    output_field = TextField()

    def __init__(self, path: str, alias: str | None = None, via: tuple[str, str, str] | None = None) -> None:
        super().__init__()
        self.path = path
        self.alias = alias
        self.via = via  # (foreign key column, related table, its primary key column) for a subquery

    def __repr__(self) -> str:
        return f"RowVersion({self.path!r})"

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> RowVersion:
        model = _model_at(query.model, self.path)
        probe = _probe_field(model)
        key = _one_key_away(query.model, self.path)
        if key is not None:
            reference, via = key.attname, (key.column, model._meta.db_table, model._meta.pk.column)
        else:
            # The table's alias is found by resolving one of its own columns along the path: not its
            # primary key, which the ORM reads from the foreign key instead of joining (trim_joins).
            reference, via = (f"{self.path}__{probe}" if self.path else probe), None
        column = F(reference).resolve_expression(query, allow_joins, reuse, summarize)
        if not isinstance(column, Col):
            raise LookupError(f"{reference} is not a column")
        return RowVersion(self.path, column.alias, via)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.alias is None:
            raise ValueError("RowVersion must be resolved before it is compiled")
        table = compiler.quote_name_unless_alias(self.alias)
        if self.via is None:
            return f"({table}.xmin::text || {table}.ctid::text)", []
        key, related, pk = (connection.ops.quote_name(name) for name in self.via)
        version = "nmo_row_version"
        # every name is the models' own (table and column names, quoted): nothing a user typed
        sql = f"SELECT {version}.xmin::text || {version}.ctid::text FROM {related} {version} WHERE {version}.{pk} = {table}.{key}"  # noqa: S608, E501
        return f"({sql})", []

    def get_group_by_cols(self) -> list[Any]:
        return [self]


def _one_key_away(model: type[Model], path: str) -> Any:
    """The foreign key (or forward one-to-one) of ``model`` named ``path``, when it points at a
    primary key; None for any other path."""
    if not path or "__" in path:
        return None
    field: Any = model._meta.get_field(path)
    if (field.many_to_one or field.one_to_one) and field.concrete and field.target_field.primary_key:
        return field
    return None


def _model_at(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__") if path else ():
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


def _probe_field(model: type[Model]) -> str:
    """A plain column of the model's own table. A model that inherits a table (multi-table
    inheritance) is not stamped: its parent's row has a version of its own."""
    concrete = model._meta.concrete_model or model
    if concrete._meta.parents:
        raise LookupError(f"{model._meta.label} keeps part of its row in its parent's table")
    for field in concrete._meta.local_concrete_fields:
        if not field.is_relation and not field.primary_key:
            return field.name
    raise LookupError(f"{model._meta.label} has no plain column to find its table by")


def _related_paths(tree: dict[str, Any], prefix: str = "") -> Iterator[str]:
    for name, subtree in tree.items():
        path = f"{prefix}{name}"
        yield path
        yield from _related_paths(subtree, f"{path}__")


@dataclass(frozen=True)
class Stamp:
    """The stamp's rows (primary key, annotation values, then pk and version per joined table) and
    which rows, by label and primary key, it covers."""

    rows: tuple[tuple[Any, ...], ...]
    covered: frozenset[tuple[str, Any]]


def stampable(queryset: QuerySet[Any]) -> bool:
    query = queryset.query
    return (
        connections[queryset.db].vendor == "postgresql"
        and queryset._result_cache is None
        and queryset._iterable_class is ModelIterable
        and not getattr(queryset, "_prefetch_related_lookups", ())
        and query.select_related is not True
        and query.group_by is None
        and not query.distinct
        and not query.combinator
        and not query.extra
        and not getattr(query, "_filtered_relations", {})
    )


@dataclass(frozen=True)
class StampPlan:
    """The stamp's query for a queryset, and how to read its rows: the labels of the models it
    stamps (the row's, then each select_related path's) after ``offset`` annotation values."""

    queryset: QuerySet[Any]
    labels: tuple[str, ...]
    offset: int


def stamp_plan(queryset: QuerySet[Any]) -> StampPlan | None:
    """The stamp's query for ``queryset`` (not run), or None when it cannot be stamped."""
    if not stampable(queryset):
        return None
    selected = queryset.query.select_related
    tree = selected if isinstance(selected, dict) else {}
    paths = ["", *_related_paths(tree)]
    try:
        for path in paths:
            _probe_field(_model_at(queryset.model, path))
    except LookupError:
        return None
    annotations = list(queryset.query.annotation_select)
    columns: list[Any] = [*annotations]
    for path in paths:
        columns += [F(f"{path}__pk" if path else "pk"), RowVersion(path)]
    labels = tuple(_model_at(queryset.model, path)._meta.label for path in paths)
    return StampPlan(queryset.values_list(*columns), labels, len(annotations))


def stamp_from(rows: tuple[tuple[Any, ...], ...], plan: StampPlan) -> Stamp:
    """The stamp made of the rows its plan's query answered."""
    offset = plan.offset
    covered = frozenset(
        (label, row[offset + 2 * index])
        for row in rows
        for index, label in enumerate(plan.labels)
        if row[offset + 2 * index] is not None
    )
    return Stamp(rows=rows, covered=covered)


def stamp_of(queryset: QuerySet[Any]) -> Stamp | None:
    """The queryset's stamp (one query), or None when it cannot be stamped (digest its rows)."""
    plan = stamp_plan(queryset)
    if plan is None:
        return None
    return stamp_from(tuple(plan.queryset), plan)


def uncovered(rows: list[Any], stamp: Stamp) -> list[str]:
    """The model instances the loaded ``rows`` hold (their select_related objects, recursively) that
    the stamp did not cover: none for a stamp made from the same queryset."""
    missing: list[str] = []
    seen: set[int] = set()

    def visit(instance: Model) -> None:
        if id(instance) in seen:
            return
        seen.add(id(instance))
        if (instance._meta.label, instance.pk) not in stamp.covered:
            missing.append(f"{instance._meta.label} {instance.pk}")
        for related in instance._state.fields_cache.values():
            if isinstance(related, Model):
                visit(related)
        for cached in getattr(instance, "_prefetched_objects_cache", {}).values():
            for item in cached:
                visit(item)

    for row in rows:
        visit(row)
    return missing
