"""Rows per second of crediting N programme results through ``credit_record_many`` (all the rules,
idempotency, plan items) beside a plain ``bulk_create`` of the same ledger rows, in the same run.

Everything happens in one transaction that is rolled back: the database is left as it was.

    python manage.py bench_crediting --rows 10000
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import Document, User
from accounts.snils import snils_check_number
from portfolio.models import CreditEntry, SourceKind
from portfolio.services import CreditItem, credit_record_many
from providers.models import ElementStatus, Organisation, Programme
from reference.models import Region, Specialty
from trajectory.dates import cycle_ends_on
from trajectory.models import Cycle


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark crediting N results through credit_record_many against a plain bulk insert (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = options["rows"]
        try:
            with transaction.atomic():
                self._run(rows)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, rows: int) -> None:
        specialty = Specialty.objects.filter(education_level="higher").order_by("pk").first()
        assert specialty is not None
        started = date(2022, 3, 1)
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    snils=f"{700_000_000 + n:09d}" + snils_check_number(f"{700_000_000 + n:09d}"),
                    email=f"bench-credit-{n}@example.org",
                    password=unusable,
                )
                for n in range(rows)
            ],
            batch_size=2000,
        )
        users = list(User.objects.filter(email__startswith="bench-credit-").order_by("pk"))
        Document.objects.bulk_create(
            [
                Document(
                    owner=u,
                    kind="accreditation",
                    accreditation_type="periodic",
                    specialty=specialty,
                    number=f"B{u.pk}",
                    issued_on=started,
                )
                for u in users
            ],
            batch_size=2000,
        )
        documents = list(Document.objects.filter(number__startswith="B", owner__in=users).order_by("owner_id"))
        Cycle.objects.bulk_create(
            [
                Cycle(
                    owner_id=d.owner_id,
                    specialty=specialty,
                    document=d,
                    starts_on=started,
                    ends_on=cycle_ends_on(started, 5),
                    cycle_years=5,
                    target_zet=250,
                )
                for d in documents
            ],
            batch_size=2000,
        )
        organisation = Organisation.objects.create(
            full_name="Бенчмарк",
            short_name="Бенчмарк",
            ogrn="1027700000000",
            inn="7700000000",
            kpp="770001001",
            licence_number="0",
            licence_date=date(2015, 1, 1),
            region=Region.objects.order_by("pk")[0],
            legal_address="-",
            actual_address="-",
            phone="+70000000000",
            email="bench@example.org",
            status="rejected",
        )
        programme = Programme.objects.create(
            organisation=organisation,
            title="Бенчмарк ДПП ПК",
            hours=36,
            form="distance",
            specialty=specialty,
            status=ElementStatus.PUBLISHED,
        )
        items = [
            CreditItem(
                owner_id=u.pk,
                element=programme,
                completed_on=started + timedelta(days=400),
                source_kind=SourceKind.PROGRAM_RESULT,
                source_key=f"program_result:bench:{u.pk}",
            )
            for u in users
        ]

        sid = transaction.savepoint()
        t0 = time.perf_counter()
        created = credit_record_many(items=items, notify=False)
        service_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        repeat = credit_record_many(items=items, notify=False)
        repeat_seconds = time.perf_counter() - t0
        plain_rows = [
            CreditEntry(
                cycle_id=e.cycle_id,
                element_type=e.element_type,
                programme_id=e.programme_id,
                title=e.title,
                zet=e.zet,
                completed_on=e.completed_on,
                cycle_year=e.cycle_year,
                source_kind=e.source_kind,
                source_key=e.source_key,
                credited_at=e.credited_at,
                credited_by_text=e.credited_by_text,
            )
            for e in created
        ]
        transaction.savepoint_rollback(sid)
        t0 = time.perf_counter()
        CreditEntry.objects.bulk_create(plain_rows, batch_size=2000)
        plain_seconds = time.perf_counter() - t0

        self.stdout.write(f"rows: {rows}; entries created: {len(created)}; repeat created: {len(repeat)}")
        self.stdout.write(
            f"credit_record_many: {service_seconds:.2f} s = {rows / service_seconds:,.0f} rows/s "
            f"(with plan items and their history)"
        )
        self.stdout.write(f"credit_record_many, repeat (idempotent no-op): {repeat_seconds:.2f} s")
        self.stdout.write(f"plain bulk_create: {plain_seconds:.2f} s = {rows / plain_seconds:,.0f} rows/s")
