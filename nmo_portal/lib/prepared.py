"""Querysets built and compiled once per process, then run again with new values bound.

What was left of a served page's cost (its fragment read from the cache) was mostly the ORM: the
staff member's cycle, the count of the list and its row-version stamp were built (``filter``,
``select_related``: lookups resolved, joins set up) and compiled to SQL on every request, about two
thirds of the view's Python on the provider's application list. Their SQL differs from request to
request only in a few values: the cycle's id, the user's, the status filter. ``Prepared`` builds
such a queryset once per shape, compiles it, and binds the values of each call into the SQL:

    _STAFF_CYCLE = Prepared(
        "staff cycle",
        lambda *, user_id, cycle_id: ProgrammeCycle.objects.filter(pk=cycle_id, ...).select_related(...),
    )
    cycle = _STAFF_CYCLE.one(user_id=request.user.pk, cycle_id=pk)

How a value is bound. ``build`` is called with a placeholder (a slot) in place of every int, date
and non-empty string (and of each member of a tuple of them), twice, with two different sets of
placeholders, and both are compiled. The two statements must be the same but for the placeholders:
then each placeholder's position (a parameter, or an id written into the text by ``sql.Inline``) is
where its value goes. Anything else that differs (the time ``now()`` was read, a value transformed
before it reached the SQL, such as ``icontains`` wrapping it in ``%``) is refused with
``PreparedShapeError``: a statement that would freeze a value from the first call is never cached.
So is a value that reaches no statement: ``build`` compared it instead (``if order == "newest"``),
and a placeholder would always have taken the same branch. Such values are named in ``shape``;
they, None, booleans, empty strings and empty tuples choose the shape (``if status: ...``), and each
shape is compiled once (a tuple's length too).

A call is run as Django would run it, from ``build(**values)``, when the statement can match no
row (``pk__in=()``: it is not kept, since a placeholder may be why) and when an int is beyond a
bigint (a forged id: Django's lookups then match nothing, the database would fail).

What a call returns:

* ``one(**values)``: the row or None (``MultipleObjectsReturned`` for two);
* ``rows(start=, stop=, **values)``: the rows as a lazy ``Rows``, loaded when first iterated; on
  PostgreSQL ``Rows.stamp()`` is their row-version stamp (``stamps``), compiled once like the rows,
  which is how a memoized fragment digests them without loading them;
* ``count(**values)``, and ``listing(**values)`` for a ``Paginator`` (its count and its slices).

The rows are made as Django's iterables make them (select_related, ``only``, annotations): models
by ``Model.from_db`` and the populators of their related rows, values lists as tuples. What
Django's ``ModelIterable`` works out again on every run (the populators, the fields' names, the
converters) is worked out once per shape, and a call runs its statement on the cursor and makes
the rows (``_RowMaker``): a cycle with its programme and organisation cost 460 calls through the
queryset machinery. Other iterables (values dicts, reordered values lists) and composite keys go
through Django's iterables, from the compiler of the first call.

A ``Rows`` is not a QuerySet: it cannot be filtered further, which would build from the
placeholders, so what a page needs is in ``build``.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar, overload

from django.core.exceptions import EmptyResultSet, MultipleObjectsReturned
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # the stubs leave the populators out
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

from nmo_portal.lib import stamps

M = TypeVar("M")  # a model, or the tuples of a values_list

# Slots for ints: 19-digit negative numbers (a bigint holds them), one run of them per compile, so
# that no slot is the prefix of another in the text.
_INT_SLOTS = (-7_300_000_000_000_000_000, -8_300_000_000_000_000_000)
_STR_SLOT = "\ue000nmo-slot-{run}-{name}\ue001"
_DATE_SLOTS = (date(1111, 1, 1), date(1222, 1, 1))
_MAX_SHAPES = 64  # per Prepared; past it a shape is compiled for each call, not kept


class PreparedShapeError(TypeError):
    """The query's SQL depends on more than its slots: it cannot be compiled once."""


def _marker(name: str) -> str:
    # NUL cannot be in a PostgreSQL or SQLite statement: a marker is never mistaken for SQL
    return f"\x00{name}\x00"


@dataclass(frozen=True)
class _Compiled:
    """One shape's statement with its slots marked, and a compiler that made it (for the models'
    layout and the columns' converters)."""

    sql: str
    params: tuple[Any, ...]
    param_slots: tuple[tuple[int, str, Callable[[Any], Any] | None], ...]  # where, which value, adapted how
    text_slots: tuple[str, ...]
    compiler: SQLCompiler
    extra: Any  # what the derivation kept beside the statement (a stamp's plan)
    iterable: Any = ModelIterable  # what the rows are made into: models, tuples, values
    fields: tuple[str, ...] | None = None
    converters: dict[int, Any] | None = None  # the columns' converters, looked up once
    composite: bool = False  # whether a column is a composite key's pair, looked up once
    maker: _RowMaker | None = None  # how a row is made into what the iterable makes, worked out once

    def bind(self, values: dict[str, Any]) -> tuple[str, list[Any]]:
        """The statement and its parameters for ``values`` (by slot name: ``_scalars``)."""
        sql = self.sql
        for name in self.text_slots:
            sql = sql.replace(_marker(name), str(int(values[name])))
        params = list(self.params)
        for index, name, adapt in self.param_slots:
            params[index] = values[name] if adapt is None else adapt(values[name])
        return sql, params

    def fetch(self, values: dict[str, Any], using: str) -> list[list[Any]]:
        """The bound statement's rows, converted as Django converts them (``apply_converters``),
        cut to the query's own columns (``execute_sql`` does so when extra columns were selected)."""
        sql, params = self.bind(values)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        width = self.compiler.col_count if self.compiler.has_extra_select else None
        rows = [list(row[:width] if width is not None else row) for row in fetched]
        for pos, (convs, expression) in (self.converters or {}).items():
            for row in rows:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
        return rows

    def compiler_for(self, values: dict[str, Any], using: str) -> SQLCompiler:
        """A copy of the first call's compiler, on this thread's connection, whose ``as_sql``
        answers the bound statement."""
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[using]
        statement = self.bind(values)
        compiler.as_sql = lambda *args, **kwargs: statement  # type: ignore[method-assign]
        converters = self.converters
        if converters is not None:
            # the same columns on every call (about 150 calls a query for a row with its joins)
            compiler.get_converters = lambda expressions: converters  # type: ignore[method-assign]
        # likewise asked of every column on every call (an isinstance each: 70 calls for a cycle)
        composite = self.composite
        compiler.has_composite_fields = lambda expressions: composite  # type: ignore[method-assign]
        return compiler


@dataclass(frozen=True)
class _RowMaker:
    """What ``ModelIterable`` (or a values list's iterable) makes of a row, worked out once: the
    model, its fields' names and columns, the populators of its ``select_related`` rows and the
    columns of its annotations. The populators keep no state between rows, so one set serves
    every call, on any thread."""

    kind: str  # "models", "tuples" or "flat"
    using: str = DEFAULT_DB_ALIAS
    model: Any = None
    init_list: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    populators: tuple[Any, ...] = ()
    annotations: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, compiler: SQLCompiler, iterable: Any, fields: tuple[str, ...] | None, using: str) -> _RowMaker | None:
        """The maker for the compiled statement, or None where Django's iterable must make the rows
        (values dicts, a values list whose columns Django would reorder)."""
        if iterable is FlatValuesListIterable:
            return cls("flat", using)
        if iterable is ValuesListIterable:
            query = compiler.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if fields and [*fields, *(f for f in query.annotation_select if f not in fields)] != names:
                return None
            return cls("tuples", using)
        if iterable is not ModelIterable or compiler.klass_info is None:
            return None
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return cls(
            "models",
            using,
            klass_info["model"],
            tuple(column[0].target.attname for column in select[start:end]),
            start,
            end,
            tuple(get_related_populators(klass_info, select, using)),
            tuple((compiler.annotation_col_map or {}).items()),
        )

    def make(self, rows: list[list[Any]]) -> list[Any]:
        if self.kind == "flat":
            return [row[0] for row in rows]
        if self.kind == "tuples":
            return [tuple(row) for row in rows]
        made = []
        model, using, init_list = self.model, self.using, list(self.init_list)
        for row in rows:
            instance = model.from_db(using, init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, pos in self.annotations:
                setattr(instance, name, row[pos])
            made.append(instance)
        return made


class _BoundQuery:
    """What Django's iterables ask of a queryset's query: its compiler (bound) and the names of its
    columns. Anything else (``filter``, ``count`` on the queryset) would build from the placeholders
    and is refused."""

    _COLUMNS = frozenset({"model", "selected", "extra_select", "values_select", "annotation_select"})

    def __init__(self, compiler: SQLCompiler) -> None:
        self._compiler = compiler

    def get_compiler(self, using: str | None = None, connection: Any = None, elide_empty: bool = True) -> SQLCompiler:
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        if name in self._COLUMNS:
            return getattr(self._compiler.query, name)
        raise PreparedShapeError(f"a prepared query runs as it was built: {name} is not available on it")


def _chooses_shape(name: str, value: Any, shape: frozenset[str]) -> bool:
    return name in shape or value is None or isinstance(value, bool) or value in ("", ())


def _scalars(values: dict[str, Any], shape: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """The values sent with the statement, one by one: a tuple's members as ``name[i]``."""
    for name, value in sorted(values.items()):
        if _chooses_shape(name, value, shape):
            continue
        if isinstance(value, tuple):
            yield from ((f"{name}[{index}]", member) for index, member in enumerate(value))
        else:
            yield name, value


def _slot(value: Any, run: int, index: int, name: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str | date) or isinstance(value, datetime):
        raise TypeError(f"a prepared value is an int, a str, a date or a tuple of them, not {value!r} ({name})")
    if isinstance(value, int):
        return _INT_SLOTS[run] - index
    if isinstance(value, str):
        return _STR_SLOT.format(run=run, name=name)
    return _DATE_SLOTS[run] + timedelta(days=index)


def _slots(
    values: dict[str, Any], run: int, shape: frozenset[str]
) -> tuple[dict[str, Any], dict[Any, tuple[str, bool]]]:
    """``values`` with a slot in place of each value sent with the statement, and the slots' names
    (with False: sent as they are)."""
    names = {
        _slot(value, run, index, name): (name, False) for index, (name, value) in enumerate(_scalars(values, shape))
    }
    by_name = {name: slot for slot, (name, _) in names.items()}
    built = {
        name: value
        if _chooses_shape(name, value, shape)
        else tuple(by_name[f"{name}[{index}]"] for index in range(len(value)))
        if isinstance(value, tuple)
        else by_name[name]
        for name, value in values.items()
    }
    return built, names


def _shape_of(values: dict[str, Any], shape: frozenset[str]) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (
            name,
            value
            if _chooses_shape(name, value, shape)
            else ("tuple", len(value))
            if isinstance(value, tuple)
            else type(value).__name__,
        )
        for name, value in sorted(values.items())
    )


def _marked(sql: str, names: dict[Any, tuple[str, bool]]) -> tuple[str, tuple[str, ...]]:
    """The statement with each int slot written into its text replaced by its marker."""
    text_slots = []
    for slot, (name, _) in names.items():
        if isinstance(slot, int) and str(slot) in sql:
            sql = sql.replace(str(slot), _marker(name))
            text_slots.append(name)
        elif isinstance(slot, str) and slot in sql:
            raise PreparedShapeError(f"the string {name} is written into the statement, not sent as a value")
    return sql, tuple(sorted(text_slots))


class Prepared(Generic[M]):
    """``build(**values)`` (a queryset of ``M``), compiled once per shape and run with new values."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet[Any, M]],
        *,
        shape: tuple[str, ...] = (),
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        self.name = name
        self._build = build
        self._shape = frozenset(shape)
        self.using = using
        self._shapes: dict[tuple[Any, ...], _Compiled | None] = {}  # None: derive declined the shape
        self._lock = threading.Lock()

    # --- compiling ---------------------------------------------------------------------------
    def _compiled(
        self, kind: tuple[Any, ...], values: dict[str, Any], derive: _Derive[M], *, every_value: bool = True
    ) -> _Compiled | None:
        """The statement of ``derive(build(**values))`` for this shape, compiled on its first call.
        None: run this call as Django would, from ``build(**values)`` (``derive`` declined the shape,
        the statement could match no row, a value beyond a bigint: what Django answers then)."""
        if not _in_range(values):
            return None
        key = (*kind, _shape_of(values, self._shape))
        if key in self._shapes:
            return self._shapes[key]
        try:
            compiled = self._compile(values, derive, every_value=every_value)
        except EmptyResultSet:
            return None  # maybe because of a slot: not kept, each such call is Django's own
        with self._lock:
            if len(self._shapes) < _MAX_SHAPES:
                compiled = self._shapes.setdefault(key, compiled)
        return compiled

    def _compile(self, values: dict[str, Any], derive: _Derive[M], *, every_value: bool) -> _Compiled | None:
        """Compiled twice with two sets of slots, and refused unless the two differ only in them.
        ``every_value``: each value must reach the statement (not a count, which drops the order
        and the annotations a value may be used in). None when ``derive`` declines the shape."""
        made = []
        for run in (0, 1):
            built, names = _slots(values, run, self._shape)
            names.update(_adapted(names, self.using))
            derived = derive(self._build(**built))
            if derived is None:
                return None
            queryset, extra = derived
            made_by: Any = queryset  # Django's private state, which the stubs do not declare
            if made_by._prefetch_related_lookups or made_by._known_related_objects:
                raise PreparedShapeError(f"{self.name}: a prefetch or a related manager's rows are other queries")
            compiler = queryset.query.get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            made.append((sql, tuple(params), names, compiler, (extra, made_by._iterable_class, made_by._fields)))
        (sql_a, params_a, names_a, compiler_a, layout), (sql_b, params_b, names_b, _, _) = made
        text_a, text_slots = _marked(sql_a, names_a)
        text_b, _ = _marked(sql_b, names_b)
        if text_a != text_b or len(params_a) != len(params_b):
            raise PreparedShapeError(f"{self.name}: its statement depends on more than its values")
        param_slots = []
        for index, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
            slot_a, slot_b = _slot_name(a, names_a), _slot_name(b, names_b)
            if slot_a is not None and slot_a == slot_b:
                name, adapted = slot_a
                param_slots.append((index, name, _adapt_date(self.using) if adapted else None))
            elif slot_a is not None or slot_b is not None or a != b:
                raise PreparedShapeError(f"{self.name}: parameter {index} changes from call to call ({a!r}, {b!r})")
        unused = {name for name, _ in names_a.values()} - {name for _, name, _ in param_slots} - set(text_slots)
        if unused and every_value:
            # a value build compared or transformed instead of passing it to the query: the slot
            # would have chosen a branch, whatever the value. Name it in ``shape``.
            raise PreparedShapeError(f"{self.name}: {', '.join(sorted(unused))} does not reach the statement")
        columns = [column[0] for column in compiler_a.select[: compiler_a.col_count]]
        converters = compiler_a.get_converters(columns)
        composite = compiler_a.has_composite_fields(columns)
        maker = None if composite else _RowMaker.of(compiler_a, layout[1], layout[2], self.using)
        return _Compiled(
            text_a, params_a, tuple(param_slots), text_slots, compiler_a, *layout, converters, composite, maker
        )

    def _scalars(self, values: dict[str, Any]) -> dict[str, Any]:
        return dict(_scalars(values, self._shape))

    # --- running --------------------------------------------------------------------------------
    def rows(self, *, start: int = 0, stop: int | None = None, **values: Any) -> Rows[M]:
        return Rows(self, values, start, stop)

    def one(self, **values: Any) -> M | None:
        found = self.rows(stop=2, **values).load()
        if len(found) > 1:
            raise MultipleObjectsReturned(f"{self.name}: more than one row for {values}")
        return found[0] if found else None

    def count(self, **values: Any) -> int:
        compiled = self._compiled(("count",), values, _counted, every_value=False)
        if compiled is None:
            return self._build(**values).count()
        sql, params = compiled.bind(self._scalars(values))
        with connections[self.using].cursor() as cursor:
            # the rows' own statement, counted: the same filters and joins, whatever they are
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) nmo_counted", params)  # noqa: S608 - our compiled SQL
            return int(cursor.fetchone()[0])

    def listing(self, **values: Any) -> Listing[M]:
        return Listing(self, values)

    def _load(self, rows: Rows[M]) -> list[M]:
        if rows.empty:
            return []
        compiled = self._compiled(("rows", rows.start, rows.stop), rows.values, lambda qs: (rows.sliced(qs), None))
        if compiled is None:
            return list(rows.sliced(self._build(**rows.values)))
        if compiled.maker is not None:
            return compiled.maker.make(compiled.fetch(self._scalars(rows.values), self.using))
        compiler = compiled.compiler_for(self._scalars(rows.values), self.using)
        query: Any = _BoundQuery(compiler)
        queryset: Any = QuerySet(model=compiler.query.model, query=query, using=self.using)
        queryset._iterable_class = compiled.iterable
        queryset._fields = compiled.fields
        return list(queryset)

    def _stamp(self, rows: Rows[M]) -> stamps.Stamp | None:
        if connections[self.using].vendor != "postgresql":
            return None  # stamps are PostgreSQL's: the rows are digested by value
        if rows.empty:
            return stamps.Stamp(rows=(), covered=frozenset())

        def derive(queryset: QuerySet[Any, M]) -> tuple[QuerySet[Any], Any] | None:
            plan = stamps.stamp_plan(rows.sliced(queryset))
            return None if plan is None else (plan.queryset, plan)

        compiled = self._compiled(("stamp", rows.start, rows.stop), rows.values, derive)
        if compiled is None:
            return stamps.stamp_of(rows.sliced(self._build(**rows.values)))
        if compiled.composite:
            compiler = compiled.compiler_for(self._scalars(rows.values), self.using)
            found = tuple(tuple(row) for row in compiler.results_iter())
        else:
            found = tuple(tuple(row) for row in compiled.fetch(self._scalars(rows.values), self.using))
        return stamps.stamp_from(found, compiled.extra)


_BIGINT = range(-(2**63), 2**63)


def _in_range(values: dict[str, Any]) -> bool:
    """Every int a bigint (a larger one would fail in the database; Django's lookups match nothing)."""
    members = (m for v in values.values() for m in (v if isinstance(v, tuple) else (v,)))
    return all(m in _BIGINT for m in members if isinstance(m, int))


def _counted(queryset: QuerySet[Any]) -> tuple[QuerySet[Any], None]:
    """The statement a count wraps: the rows' filters and joins, selecting only the key (no
    select_related join, no sort), as Django's own count reads them."""
    if queryset.query.distinct or queryset.query.group_by is not None or queryset.query.combinator:
        raise PreparedShapeError("a prepared count is of plain rows: not distinct, grouped or combined")
    return queryset.order_by().values_list("pk"), None


_Derive = Callable[[QuerySet[Any, M]], "tuple[QuerySet[Any], Any] | None"]


def _adapt_date(using: str) -> Callable[[Any], Any]:
    return connections[using].ops.adapt_datefield_value


def _adapted(names: dict[Any, tuple[str, bool]], using: str) -> dict[Any, tuple[str, bool]]:
    """The date slots as the database's adapter sends them (SQLite: as text), where it changes them."""
    adapt = _adapt_date(using)
    return {
        adapt(slot): (name, True)
        for slot, (name, _) in list(names.items())
        if isinstance(slot, date) and adapt(slot) != slot
    }


def _slot_name(value: Any, names: dict[Any, tuple[str, bool]]) -> tuple[str, bool] | None:
    try:
        return names.get(value)
    except TypeError:  # unhashable (a list of values): never a slot
        return None


class Rows(Generic[M]):
    """The rows of a prepared query for some values (a slice of them), loaded when first read."""

    def __init__(self, prepared: Prepared[M], values: dict[str, Any], start: int, stop: int | None) -> None:
        self.prepared = prepared
        self.values = values
        self.start, self.stop = start, stop
        self._cache: list[M] | None = None

    def sliced(self, queryset: QuerySet[Any, M]) -> QuerySet[Any, M]:
        return queryset[self.start : self.stop]

    @property
    def description(self) -> str:
        return f"{self.prepared.name} {sorted(self.values.items())!r}[{self.start}:{self.stop}]"

    @property
    def loaded(self) -> bool:
        return self._cache is not None

    @property
    def empty(self) -> bool:
        """An empty slice (the page of an empty list): no rows, without asking."""
        return self.stop is not None and self.stop <= self.start

    def load(self) -> list[M]:
        if self._cache is None:
            self._cache = self.prepared._load(self)
        return self._cache

    def stamp(self) -> stamps.Stamp | None:
        return self.prepared._stamp(self)

    def __iter__(self) -> Iterator[M]:
        return iter(self.load())

    def __len__(self) -> int:
        return len(self.load())

    def __bool__(self) -> bool:
        return bool(self.load())

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        return self.load()[index]


class Listing(Generic[M]):
    """A prepared query's rows for a ``Paginator``: their count, and a slice per page."""

    ordered = True  # the order is build's (the Paginator asks)

    def __init__(self, prepared: Prepared[M], values: dict[str, Any]) -> None:
        self.prepared = prepared
        self.values = values

    def count(self) -> int:
        return self.prepared.count(**self.values)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[M]:
        return iter(self.prepared.rows(**self.values))

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> Rows[M]: ...
    def __getitem__(self, index: int | slice) -> M | Rows[M]:
        if isinstance(index, int):
            return self.prepared.rows(start=index, stop=index + 1, **self.values)[0]
        if index.step is not None or (index.start or 0) < 0 or (index.stop is not None and index.stop < 0):
            raise TypeError("a listing is read by a slice of non-negative bounds")
        return self.prepared.rows(start=index.start or 0, stop=index.stop, **self.values)
