"""Time catalogue searches over the bulk catalogue of ``providers/demo_scale.py`` (seeded here when
missing, as ``seed_demo --scale`` would): p50 and p95 of the programme endpoint with typical
filter combinations (through the full Django stack)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client

from nmo_portal.lib.demo import DemoContext
from providers import demo_scale
from providers.models import Programme, ProgrammeCycle

QUERIES = [
    "",
    "?q=кардиология",
    "?q=сестринское+дело&form=distance",
    "?specialty=76",
    "?specialty=25&basis=budget",
    "?region=77&ordering=starts_on",
    "?zet_min=36&zet_max=72&q=терапия",
    "?starts_after={soon}&starts_before={later}",
    "?q=неврология&page=3",
    "?organization={organisation}&ordering=-zet",
]


class Command(BaseCommand):
    help = "Benchmark the catalogue search (GET /api/v1/catalog/programs/): prints p50 and p95 in ms."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rounds", type=int, default=20)
        parser.add_argument(
            "--scale", type=int, default=demo_scale.FULL_SCALE, help="seed the catalogue of N specialists first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import datetime as dt

        demo_scale.seed_scale(DemoContext(), options["scale"])  # idempotent: adds only what is missing
        programmes = Programme.objects.count()
        cycles = ProgrammeCycle.objects.count()
        if not programmes:
            raise CommandError("no programmes: load the reference data first (migrate)")
        today = dt.date.today()
        organisation = Programme.objects.values_list("organisation_id", flat=True).first()
        paths = [
            "/api/v1/catalog/programs/"
            + q.format(soon=today, later=today + dt.timedelta(days=60), organisation=organisation)
            for q in QUERIES
        ]
        client = Client()
        for path in paths:  # warm-up
            assert client.get(path).status_code == 200, path
        timings: list[float] = []
        for _ in range(options["rounds"]):
            for path in paths:
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        self.stdout.write(
            f"catalogue search: {programmes} programmes, {cycles} cycles, {len(timings)} requests: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )
