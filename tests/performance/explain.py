"""Plans of the hot queries (issue 8, item 2): on PostgreSQL, ``EXPLAIN (FORMAT JSON)`` a query
against a table seeded to a realistic size and fail on a sequential scan of a large table.

    from tests.performance.explain import assert_calls_use_indexes, assert_no_seq_scan, seed_sample

    @pytest.mark.postgres
    @pytest.mark.django_db
    def test_the_catalogue_search_uses_indexes():
        seed_sample(20_000)                      # every app's demo_scale seeder (COPY), then ANALYZE
        assert_no_seq_scan(program_search(specialty=..., region=...))   # a selector's queryset
        assert_calls_use_indexes(lambda: list(program_search(...)))    # or whatever SQL a call runs

An app whose tables grow with the country adds them to ``LARGE_TABLES``. The planner settings
are left as they are (no ``SET enable_seqscan = off``): the test sees the plan production would
get. The tables are ANALYZEd first so that the planner knows their size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from psycopg.sql import Literal

from nmo_portal.lib.querycount import QueryCounter

# Tables that grow with the number of specialists (or faster). Apps add theirs as they land.
LARGE_TABLES: set[str] = {
    "accounts_user",
    "accounts_rolegrant",
    # providers: the national catalogue (10 000 programmes, 30 000 cycles at full scale)
    "providers_programme",
    "providers_programmecycle",
    "providers_programme_additional_specialties",
    "providers_event",
    "providers_module",
    # trajectory: a document and a cycle per specialist
    "accounts_document",
    "trajectory_cycle",
    # portfolio: the ZET ledger, 30 entries per specialist (3 000 000 at full scale)
    "portfolio_creditentry",
    # enrolment and accreditation: applications
    "enrolment_application",
    "enrolment_seatcounter",
    "accreditation_accreditationapplication",
}


def seed_sample(n: int) -> None:
    """The national sample in miniature in the test database: ``seed_demo --scale n`` runs every
    app's ``demo_scale.seed_scale`` (n specialists and what each app makes for them)."""
    call_command("seed_demo", scale=n, quiet_logins=True, stdout=StringIO())


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def seq_scans(plan: dict[str, Any], tables: Iterable[str]) -> list[str]:
    """The large tables the plan reads from start to end: a ``Seq Scan``, or an index scan with no
    ``Index Cond`` that only filters (``ORDER BY id LIMIT 1`` on an unindexed condition walks the
    whole primary key: a sequential scan in disguise)."""
    wanted = set(tables)
    found = []
    for node in plan_nodes(plan):
        if node.get("Relation Name") not in wanted:
            continue
        kind = node.get("Node Type")
        if kind == "Seq Scan":
            found.append(node["Relation Name"])
        elif kind in {"Index Scan", "Index Only Scan"} and "Index Cond" not in node and "Filter" in node:
            found.append(f"{node['Relation Name']} (whole index {node.get('Index Name')}, filtering)")
    return found


def analyze(tables: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def explain(sql: str, params: Iterable[Any] | None = None) -> dict[str, Any]:
    """The root plan node of ``EXPLAIN (FORMAT JSON)``."""
    assert connection.vendor == "postgresql", "EXPLAIN plans are checked on PostgreSQL only"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", list(params) if params is not None else None)
        document = cursor.fetchone()[0]
    return document[0]["Plan"]


_PARAMETER_TYPES = ((bool, "boolean"), (int, "bigint"), (str, "text"), (datetime, "timestamptz"), (date, "date"))


def explain_generic(sql: str, params: Iterable[Any]) -> dict[str, Any]:
    """The root plan node PostgreSQL uses for ``sql`` once the connection has prepared it and the
    plan cache settles on a generic plan (planned for any value of its parameters, PostgreSQL 15
    has no ``EXPLAIN (GENERIC_PLAN)``): a statement whose scope varies in size must be good then."""
    assert connection.vendor == "postgresql", "plans are checked on PostgreSQL only"
    values = list(params)
    types = [next(name for kind, name in _PARAMETER_TYPES if isinstance(value, kind)) for value in values]
    numbered = iter(range(1, len(values) + 1))
    prepared = re.sub("%s", lambda _: f"${next(numbered)}", sql)
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            signature = f"({', '.join(types)})" if types else ""
            cursor.execute(f"PREPARE generic_plan_check {signature} AS {prepared}")
            arguments = ", ".join(Literal(value).as_string(raw) for value in values)
            cursor.execute(f"EXPLAIN (FORMAT JSON) EXECUTE generic_plan_check {f'({arguments})' if values else ''}")
            document = cursor.fetchone()[0]
        finally:
            cursor.execute("DEALLOCATE ALL")
            cursor.execute("RESET plan_cache_mode")
    return document[0]["Plan"]


def assert_no_seq_scan(
    query: QuerySet[Any] | tuple[str, Iterable[Any]] | str, *, large_tables: Iterable[str] = LARGE_TABLES
) -> dict[str, Any]:
    """Fail if the plan of a queryset, ``(sql, params)`` or literal SQL scans a large table."""
    tables = set(large_tables)
    analyze(tables)
    if isinstance(query, QuerySet):
        sql, params = query.query.sql_with_params()
        plan = explain(sql, params)
    elif isinstance(query, tuple):
        plan = explain(query[0], query[1])
    else:
        plan = explain(query)
    scanned = seq_scans(plan, tables)
    assert not scanned, f"sequential scan of {', '.join(scanned)}; the plan:\n{plan}"
    return plan


def assert_calls_use_indexes(call: Callable[[], Any], *, large_tables: Iterable[str] = LARGE_TABLES) -> int:
    """Run ``call``, then EXPLAIN every SELECT it sent; fail on a sequential scan of a large table.
    Returns how many statements were checked."""
    with QueryCounter() as counted:
        call()
    selects = [sql for sql in counted.statements if sql.lstrip().upper().startswith("SELECT")]
    assert selects, "the call ran no SELECT to check"
    for sql in selects:
        assert_no_seq_scan(sql, large_tables=large_tables)
    return len(selects)
