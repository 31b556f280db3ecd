"""Measurement (not a test): a results CSV of N rows validated and applied in one request.

``measure_results_upload(rows=10_000)`` builds, inside a transaction it rolls back, an organisation
with a staff member, an ended cycle and N enrolled learners (each with an active five-year cycle and
the programme in their plan), then POSTs the CSV to ``/api/v1/provider/cycles/{id}/results/`` as
that staff member through ``django.test.Client``, and then credits the results the way the task
does. It returns seconds for the upload and for the crediting, and the peak Python memory of the
upload (tracemalloc, on a second identical run, since tracing slows the first).

    python -m enrolment.bench_results 10000          # with DJANGO_SETTINGS_MODULE set

The bench harness may call ``measure_results_upload`` from a workload; the database is left as
it was found.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction


class _Rollback(Exception):
    pass


def _snils(n: int) -> str:
    from accounts.snils import snils_check_number

    first_nine = f"{700_000_000 + n:09d}"
    return first_nine + snils_check_number(first_nine)


def _world(rows: int) -> dict[str, Any]:
    from django.utils import timezone

    from accounts.models import Document, Role, RoleGrant, User
    from enrolment.models import Application
    from enrolment.names import applicant_name_of
    from providers.models import Membership, Organisation, Programme, ProgrammeCycle
    from reference.models import Region, Specialty
    from trajectory.models import Cycle, PlanItem

    today = timezone.localdate()
    specialty = Specialty.objects.filter(education_level="higher").order_by("pk").first()
    region = Region.objects.order_by("code").first()
    assert specialty is not None and region is not None, "run migrate first: reference data is missing"
    organisation = Organisation.objects.create(
        full_name="Бенчмарк: учебный центр",
        short_name="Бенчмарк",
        ogrn="1027700000007",
        inn="7707083893",
        kpp="770701001",
        licence_number="Л035-BENCH",
        licence_date=date(2020, 1, 1),
        region=region,
        legal_address="Москва",
        actual_address="Москва",
        phone="+74950000000",
        email="bench-centre@example.org",
        status="approved",
    )
    staff = User.objects.create_user(_snils(rows + 1), "bench-staff@example.org", "bench-Password-1")
    RoleGrant.objects.create(user=staff, role=Role.PROVIDER_STAFF)
    Membership.objects.create(organisation=organisation, user=staff)
    programme = Programme.objects.create(
        organisation=organisation,
        title="Бенчмарк: программа",
        hours=36,
        form="distance",
        bases=["contract"],
        specialty=specialty,
        status="published",
    )
    ends = today - timedelta(days=3)
    cycle = ProgrammeCycle.objects.create(
        programme=programme, starts_on=ends - timedelta(days=14), ends_on=ends, seats_contract=rows
    )
    start = 0
    existing = User.objects.filter(snils__startswith="7").count()
    start = existing  # never reuse a SNILS left by an aborted run
    users = User.objects.bulk_create(
        [
            User(snils=_snils(start + i), email=f"bench-learner-{start + i}@example.org", last_name=f"Слушатель{i}")
            for i in range(rows)
        ],
        batch_size=2000,
    )
    if not users or users[0].pk is None:  # SQLite before 3.35 does not return ids
        users = list(User.objects.filter(email__startswith="bench-learner-").order_by("pk"))
    issued = today - timedelta(days=400)
    documents = Document.objects.bulk_create(
        [
            Document(
                owner=u,
                kind="accreditation",
                accreditation_type="periodic",
                specialty=specialty,
                number=f"B-{u.pk}",
                issued_on=issued,
            )
            for u in users
        ],
        batch_size=2000,
    )
    cycles = Cycle.objects.bulk_create(
        [
            Cycle(
                owner=u,
                specialty=specialty,
                document=d,
                starts_on=issued,
                ends_on=issued.replace(year=issued.year + 5),
                cycle_years=5,
                target_zet=Decimal("250"),
            )
            for u, d in zip(users, documents, strict=True)
        ],
        batch_size=2000,
    )
    PlanItem.objects.bulk_create(
        [PlanItem(cycle=c, element_type="program", programme=programme, status="enrolled") for c in cycles],
        batch_size=2000,
    )
    Application.objects.bulk_create(
        [
            Application(
                applicant=u,
                programme_cycle=cycle,
                specialty=specialty,
                employment="state",
                basis="contract",
                source="provider",
                status="enrolled",
                number=f"B-{cycle.pk}-{u.pk}",
                applicant_name=applicant_name_of(u),
            )
            for u in users
        ],
        batch_size=2000,
    )
    lines = ["snils;outcome;completed_on;certificate_number"]
    lines += [f"{u.snils};completed;{ends:%d.%m.%Y};УД-{i:06d}" for i, u in enumerate(users)]
    return {"staff": staff, "cycle": cycle, "csv": ("\n".join(lines) + "\n").encode("utf-8")}


def _upload_once(rows: int, *, trace_memory: bool) -> dict[str, float]:
    from django.test import Client

    from enrolment.models import ProgrammeResult
    from enrolment.services import results_credit

    figures: dict[str, float] = {}
    try:
        with transaction.atomic():
            world = _world(rows)
            client = Client()
            client.force_login(world["staff"])
            url = f"/api/v1/provider/cycles/{world['cycle'].pk}/results/"
            if trace_memory:
                tracemalloc.start()
            started = time.perf_counter()
            response = client.post(url, data=world["csv"], content_type="text/csv")
            figures["upload_seconds"] = time.perf_counter() - started
            if trace_memory:
                figures["upload_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
                tracemalloc.stop()
            if response.status_code != 200 or response.json()["accepted"] != rows:
                raise RuntimeError(f"upload failed: {response.status_code} {response.content[:500]!r}")
            started = time.perf_counter()
            credited = results_credit(cycle_id=world["cycle"].pk, limit=rows)
            figures["credit_seconds"] = time.perf_counter() - started
            figures["credited"] = credited
            figures["results"] = ProgrammeResult.objects.filter(cycle=world["cycle"]).count()
            raise _Rollback
    except _Rollback:
        pass
    return figures


def measure_results_upload(rows: int = 10_000) -> dict[str, float]:
    """Seconds and peak memory of a ``rows``-row results CSV upload (and of crediting it)."""
    timed = _upload_once(rows, trace_memory=False)
    traced = _upload_once(rows, trace_memory=True)
    return {
        "rows": rows,
        "upload_seconds": round(timed["upload_seconds"], 3),
        "upload_rows_per_s": round(rows / timed["upload_seconds"], 1),
        "upload_peak_mb": round(traced["upload_peak_mb"], 1),
        "credit_seconds": round(timed["credit_seconds"], 3),
        "credited": timed["credited"],
    }


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    print(measure_results_upload(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
