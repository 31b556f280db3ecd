"""Workloads: operations that are not one page view, measured by ``make bench`` after the pages.

A workload is a function of a ``WorkloadContext`` returning its figures (a flat dict of numbers
and short strings), registered with ``@workload(name, description)``. It runs in process against
the seeded bench database; it must leave that database as it found it (delete what it made, or
work inside ``ctx.rollback()``), so that the next run measures the same thing.

How to add the ones the issue names (in the feature's branch, beside its service)
-------------------------------------------------------------------------------
- **crediting throughput** (portfolio): completions run through the credit service inside
  ``ctx.rollback()``, beside a plain ``bulk_create`` of the very ledger rows it wrote (same table,
  same indexes and constraints), also rolled back; target: at least half its rows/s. The COPY and
  multi-row INSERT figures into a narrow scratch table (``ledger_bulk_copy``/``ledger_bulk_insert``)
  are the upper bounds of the machine, printed for scale.
- **results upload** (portfolio/providers): a 10 000-row ``POST /api/v1/provider/cycles/{id}/results/``
  through a logged-in ``django.test.Client`` as the provider persona; ``ctx.measure(fn)`` gives
  seconds, and with ``trace_memory=True`` on a second run the peak Python memory (tracemalloc).
- **portfolio PDF** (portfolio): render the full portfolio of ``scale_specialist`` with the task's
  own function (tasks run inline in bench settings): seconds, peak memory, pages, bytes.

    @workload("portfolio: crediting", "rows/s through portfolio.services.credit_...")
    def crediting(ctx: WorkloadContext) -> Figures:
        rows = ctx.ledger_rows(ctx.rows)
        with ctx.rollback():
            seconds, _ = ctx.measure(lambda: credit_rows(rows=...))
        return {"rows": len(rows), "seconds": seconds, "rows_per_s": len(rows) / seconds}
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

Figures = dict[str, float | int | str]


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    run: Callable[[WorkloadContext], Figures]


WORKLOADS: list[Workload] = []


def workload(name: str, description: str) -> Callable[[Callable[[WorkloadContext], Figures]], Callable[..., Figures]]:
    def register(function: Callable[[WorkloadContext], Figures]) -> Callable[[WorkloadContext], Figures]:
        if any(existing.name == name for existing in WORKLOADS):
            raise ValueError(f"workload {name!r} is registered twice")
        WORKLOADS.append(Workload(name, description, function))
        return function

    return register


class _Rollback(Exception):
    pass


@dataclass
class WorkloadContext:
    rows: int  # how many rows the row-shaped workloads use (100 000; --quick: 10 000)
    quick: bool

    def user_ids(self, n: int) -> list[int]:
        """Ids of scale specialists, cycling when n exceeds the seeded number."""
        from accounts.demo_scale import scale_user_ids

        ids = scale_user_ids(n) or [0]
        return [ids[i % len(ids)] for i in range(n)]

    def ledger_rows(self, n: int) -> list[tuple[int, Decimal, date, str]]:
        """n rows shaped like a ZET ledger entry: user id, ZET, completion date, source."""
        ids = self.user_ids(n)
        start = date(2025, 1, 1)
        return [(ids[i], Decimal(1 + i % 36) / 2, start + timedelta(days=i % 365), f"event:{i}") for i in range(n)]

    @staticmethod
    def measure(function: Callable[[], Any], *, trace_memory: bool = False) -> tuple[float, int]:
        """Seconds of one call, and with ``trace_memory`` its peak traced Python memory in bytes.
        Tracing slows Python down: time a workload without it, then trace a second run for memory."""
        if trace_memory:
            tracemalloc.start()
        started = time.perf_counter()
        try:
            function()
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        finally:
            if trace_memory:
                tracemalloc.stop()
        return seconds, peak

    @staticmethod
    @contextmanager
    def rollback() -> Iterator[None]:
        """Run the block in a transaction that is rolled back: the bench database stays as seeded."""
        try:
            with transaction.atomic():
                yield
                raise _Rollback
        except _Rollback:
            pass


_SCRATCH = "bench_scratch_ledger"


@contextmanager
def _scratch_ledger() -> Iterator[None]:
    """A table shaped like a ledger row, with its primary key and the user index a ledger has."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {_SCRATCH} (id bigserial PRIMARY KEY, user_id bigint NOT NULL, "
            "zet numeric(6, 2) NOT NULL, completed_on date NOT NULL, source text NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {_SCRATCH}_user ON {_SCRATCH} (user_id)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_SCRATCH}")


@workload("ledger_bulk_copy", "COPY of ledger-shaped rows into a scratch table: the upper bound")
def ledger_bulk_copy(ctx: WorkloadContext) -> Figures:
    rows = ctx.ledger_rows(ctx.rows)

    def load() -> None:
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.copy(f"COPY {_SCRATCH} (user_id, zet, completed_on, source) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    with _scratch_ledger():
        seconds, _ = ctx.measure(load)
    return {"rows": len(rows), "seconds": round(seconds, 3), "rows_per_s": round(len(rows) / seconds)}


@workload(
    "ledger_bulk_insert",
    "multi-row INSERTs of 1000 ledger-shaped rows (what bulk_create sends): crediting's yardstick",
)
def ledger_bulk_insert(ctx: WorkloadContext) -> Figures:
    rows = ctx.ledger_rows(ctx.rows)
    batch = 1000

    def load() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), batch):
                chunk = rows[start : start + batch]
                placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                flat = [value for row in chunk for value in row]
                cursor.execute(
                    f"INSERT INTO {_SCRATCH} (user_id, zet, completed_on, source) VALUES {placeholders}",  # noqa: S608
                    flat,
                )

    with _scratch_ledger():
        seconds, _ = ctx.measure(load)
    return {"rows": len(rows), "seconds": round(seconds, 3), "rows_per_s": round(len(rows) / seconds)}


# --- portfolio: crediting through the credit service, beside a plain insert of the same rows ----
CREDIT_ROWS = 10_000
CREDIT_ROUNDS = 3


def _credit_items(n: int) -> list[Any]:
    """n completions of scale programmes by scale specialists, each programme in the specialty of
    the specialist's active cycle, completed yesterday (inside every scale cycle)."""
    from django.utils import timezone

    from portfolio.models import SourceKind
    from portfolio.services import CreditItem
    from providers.demo import SCALE_PREFIX
    from providers.models import Programme
    from trajectory.models import Cycle, CycleStatus

    by_specialty: dict[int, Any] = {}
    for programme in (
        Programme.objects.filter(title__startswith=SCALE_PREFIX)
        .order_by("pk")
        .only("pk", "title", "hours", "specialty_id")
    ):
        by_specialty.setdefault(programme.specialty_id, programme)
    from accounts.demo_scale import scale_user_ids

    owners = scale_user_ids(max(n * 2, n + 100))
    specialty_of = dict(
        Cycle.objects.filter(owner_id__in=owners, status=CycleStatus.ACTIVE).values_list("owner_id", "specialty_id")
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    items = []
    for owner in owners:
        programme = by_specialty.get(specialty_of.get(owner, -1))
        if programme is None:
            continue
        items.append(
            CreditItem(
                owner_id=owner,
                element=programme,
                completed_on=yesterday,
                source_kind=SourceKind.PROGRAM_RESULT.value,
                source_key=f"bench:{owner}",
            )
        )
        if len(items) == n:
            break
    return items


@workload(
    "portfolio: crediting",
    "10 000 programme results through portfolio.services.credit_record_many, beside a plain bulk_create "
    "of the very entries it wrote into the same ledger table (its indexes and constraints), both rolled "
    "back (target: at least half the plain insert's rows/s)",
)
def portfolio_crediting(ctx: WorkloadContext) -> Figures:
    from portfolio.models import CreditEntry
    from portfolio.services import credit_record_many

    items = _credit_items(CREDIT_ROWS)
    if not items:
        return {"rows": 0, "error": "no scale cycles: run seed_demo --scale N"}
    # Each side runs CREDIT_ROUNDS times, alternating, and the fastest round counts: one round of
    # half a second swings by half on a shared machine.
    created: list[Any] = []
    fields = [f.attname for f in CreditEntry._meta.concrete_fields if not f.primary_key]
    seconds = bulk_seconds = float("inf")
    for _round in range(CREDIT_ROUNDS):
        created.clear()
        with ctx.rollback():
            took, _ = ctx.measure(lambda: created.extend(credit_record_many(items=items, notify=False)))
        seconds = min(seconds, took)
        # The yardstick: the same rows, as the service built them, inserted with nothing else around.
        rows = [CreditEntry(**{name: getattr(entry, name) for name in fields}) for entry in created]
        with ctx.rollback():
            took, _ = ctx.measure(lambda: CreditEntry.objects.bulk_create(rows, batch_size=2000))  # noqa: B023
        bulk_seconds = min(bulk_seconds, took)
    rate = len(items) / seconds
    bulk_rate = len(rows) / bulk_seconds if rows else 0.0
    return {
        "rows": len(items),
        "rounds": CREDIT_ROUNDS,
        "credited": len(created),
        "seconds": round(seconds, 3),
        "rows_per_s": round(rate),
        "bulk_seconds": round(bulk_seconds, 3),
        "bulk_rows_per_s": round(bulk_rate),
        "ratio_to_bulk": round(rate / bulk_rate, 2) if bulk_rate else 0.0,
    }


# --- enrolment: a 10 000-row results upload through the API (enrolment/bench_results.py) --------
@workload(
    "enrolment: results upload",
    "a 10 000-row results CSV POSTed to /api/v1/provider/cycles/{id}/results/ as staff, then credited "
    "(enrolment.bench_results, rolled back): seconds and peak Python memory",
)
def results_upload(ctx: WorkloadContext) -> Figures:
    from enrolment.bench_results import measure_results_upload

    return dict(measure_results_upload(rows=1_000 if ctx.quick else 10_000))


# --- portfolio: the full PDF of a 300-entry portfolio -----------------------------------------
PDF_ENTRIES = 300


@workload("portfolio: PDF", "render the portfolio PDF of a scale cycle grown to 300 entries (rolled back)")
def portfolio_pdf(ctx: WorkloadContext) -> Figures:
    from bench.bulk import bulk_insert
    from portfolio.models import CreditEntry, PortfolioPdf
    from portfolio.services import portfolio_pdf_render, verification_code_new
    from trajectory.demo_scale import scale_cycle_ids
    from trajectory.models import Cycle

    cycle_ids = scale_cycle_ids(1)
    if not cycle_ids:
        return {"entries": 0, "error": "no scale cycle: run seed_demo --scale N"}
    cycle = Cycle.objects.get(pk=cycle_ids[0])
    figures: Figures = {}
    with ctx.rollback():
        template = list(CreditEntry.objects.filter(cycle=cycle, reverses__isnull=True).order_by("pk")[:30])
        have = CreditEntry.objects.filter(cycle=cycle).count()
        if template:
            fields = [f.attname for f in CreditEntry._meta.concrete_fields if not f.primary_key]

            def values(k: int) -> dict[str, Any]:
                row = {name: getattr(template[k % len(template)], name) for name in fields}
                row["source_key"] = f"bench-pdf:{cycle.pk}:{k}"
                return row

            bulk_insert(CreditEntry, range(max(0, PDF_ENTRIES - have)), values)
        pdf = PortfolioPdf.objects.create(
            owner_id=cycle.owner_id, cycle=cycle, verification_code=verification_code_new()
        )
        seconds, _ = ctx.measure(lambda: portfolio_pdf_render(pdf_id=pdf.pk))
        pdf.refresh_from_db()
        size = pdf.file.size if pdf.file else 0
        figures = {
            "entries": CreditEntry.objects.filter(cycle=cycle).count(),
            "seconds": round(seconds, 3),
            "bytes": size,
            "status": str(pdf.status),
        }
        if pdf.file:
            pdf.file.delete(save=False)
    return figures


# --- providers: catalogue searches nobody asked before (no cached answer) ----------------------
FRESH_SEARCHES = 40


@workload(
    "providers: fresh catalogue searches",
    "the x2 viewer's search page and API asked with as many distinct ZET ranges, none answered before "
    "(the cached answer of the pages table is what a repeated search costs; this is the first one)",
)
def fresh_catalogue_searches(ctx: WorkloadContext) -> Figures:
    from django.test import Client

    from bench.pages import PERSONAS, PageContext, catalogue_query
    from providers.facets import CATALOGUE_CACHE

    user = PERSONAS["scale_specialist"]()
    query = catalogue_query(PageContext("scale_specialist", user)).replace("&zet_max=144", "")
    client = Client()
    client.force_login(user)
    CATALOGUE_CACHE.bump()  # a new version: every answer below is computed
    figures: Figures = {"searches": FRESH_SEARCHES}
    for label, path in (("page", "/catalog/programs/"), ("api", "/api/v1/catalog/programs/")):
        times = []
        for k in range(FRESH_SEARCHES):
            url = f"{path}?{query}&zet_max={200 + k}"
            seconds, _ = ctx.measure(lambda url=url: client.get(url))
            times.append(seconds * 1000)
        times.sort()
        figures[f"{label}_p50_ms"] = round(times[len(times) // 2], 1)
        figures[f"{label}_p95_ms"] = round(times[int(len(times) * 0.95) - 1], 1)
    return figures


# --- pages whose body or answer is memoized: what the first view costs ---------------------------
DRAWN_ANEW = [
    "trajectory: cycle page",
    "api: my cycle",
    "trajectory: plan page",
    "api: my plan",
    "portfolio: portfolio page",
    "api: my portfolio",
    "enrolment: provider's application list",
    "enrolment: provider's results list",
    "accreditation: secretary's queue",
    "api: secretary's queue",
    "api: provider's programme list",
]


@workload(
    "pages drawn anew",
    "p50 ms of the pages whose body or answer is memoized (nmo_portal.lib.fragments) with the memo off: "
    "what a page costs the first time it is seen, or after what it shows changed",
)
def pages_drawn_anew(ctx: WorkloadContext) -> Figures:
    from django.test import Client, override_settings

    from bench.pages import PAGES, PERSONAS, PageContext
    from bench.runner import percentile

    rounds = 10 if ctx.quick else 30
    figures: Figures = {}
    with override_settings(FRAGMENT_CACHE=False):
        for page in (page for page in PAGES if page.name in DRAWN_ANEW):
            user = PERSONAS[page.persona]()
            client = Client()
            client.force_login(user)
            url = page.build_url(PageContext(page.persona, user))
            client.get(url)
            times = [ctx.measure(lambda c=client, u=url: c.get(u))[0] * 1000 for _ in range(rounds)]
            figures[page.name] = round(percentile(times, 50), 1)
    return figures
