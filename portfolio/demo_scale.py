"""``seed_demo --scale N``: the ZET ledger at national size, 30 ``CreditEntry`` rows per scale
specialist's active cycle (3 000 000 at N = 100 000), in bulk (COPY on PostgreSQL via ``bench.bulk``).

Entries spread from the cycle's start to yesterday (so over its first four or five cycle years),
mixed kinds: one programme result in ten, four event codes, five module completions, pointing at
the providers' scale catalogue. Source keys are ``scale:<cycle>:<j>``, unique per cycle, and a
cycle that already has them is skipped, so a rerun adds only what is missing. Only INSERTs: the
ledger's triggers allow them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bench.bulk import bulk_insert
from nmo_portal.lib.demo import DemoContext
from portfolio.models import CreditEntry, SourceKind
from providers.demo import SCALE_PREFIX
from providers.models import Event, Module, Programme
from trajectory import dates
from trajectory.demo_scale import scale_cycle_ids
from trajectory.models import Cycle

ENTRIES_PER_CYCLE = 30
SCALE_SOURCE_PREFIX = "scale:"


def _elements() -> dict[str, list[tuple[int, str, Decimal]]]:
    scale = {"title__startswith": SCALE_PREFIX}
    return {
        "program": [
            (pk, title, Decimal(hours))
            for pk, title, hours in Programme.objects.filter(**scale).values_list("pk", "title", "hours")
        ],
        "event": list(Event.objects.filter(**scale).values_list("pk", "title", "zet")),
        "module": list(Module.objects.filter(**scale).values_list("pk", "title", "zet")),
    }


_KIND = ["program"] + ["event"] * 4 + ["module"] * 5
_SOURCE = {
    "program": SourceKind.PROGRAM_RESULT.value,
    "event": SourceKind.EVENT_CODE.value,
    "module": SourceKind.MODULE_COMPLETION.value,
}
_FK = {"program": "programme_id", "event": "event_id", "module": "module_id"}


def seed_scale(ctx: DemoContext, n: int) -> None:
    cycle_ids = scale_cycle_ids(n)
    if not cycle_ids:
        return
    elements = _elements()
    if not all(elements.values()):
        return
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT cycle_id FROM portfolio_creditentry WHERE source_key LIKE %s",
            [SCALE_SOURCE_PREFIX + "%"],
        )
        done = {row[0] for row in cursor.fetchall()}
    todo = [pk for pk in cycle_ids if pk not in done]
    cycles = dict(Cycle.objects.filter(pk__in=todo).values_list("pk", "starts_on")) if todo else {}
    ends = dict(Cycle.objects.filter(pk__in=todo).values_list("pk", "ends_on")) if todo else {}

    def items() -> Iterator[tuple[int, int]]:
        for pk in todo:
            for j in range(ENTRIES_PER_CYCLE):
                yield pk, j

    def values(item: tuple[int, int]) -> dict[str, Any]:
        pk, j = item
        starts = cycles[pk]
        span = (yesterday - starts).days
        completed = starts + dt.timedelta(days=span * j // ENTRIES_PER_CYCLE + (pk % 5))
        completed = min(completed, yesterday)
        kind = _KIND[(pk + j) % len(_KIND)]
        pool = elements[kind]
        element_pk, title, zet = pool[(pk * 31 + j * 7) % len(pool)]
        return {
            "cycle_id": pk,
            "element_type": kind,
            _FK[kind]: element_pk,
            "title": title[:500],
            "zet": zet,
            "completed_on": completed,
            "cycle_year": dates.cycle_year_number(starts, ends[pk], completed),
            "source_kind": _SOURCE[kind],
            "source_key": f"{SCALE_SOURCE_PREFIX}{pk}:{j}",
            "credited_at": now,
            "credited_by_text": "масштабные данные",
        }

    with transaction.atomic():
        bulk_insert(CreditEntry, items(), values)
    ctx.counts["portfolio: scale ledger entries"] = CreditEntry.objects.filter(
        source_key__startswith=SCALE_SOURCE_PREFIX
    ).count()
