from __future__ import annotations

import pytest
from django.db import connection

from bench.workloads import WORKLOADS, WorkloadContext


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("name", ["ledger_bulk_copy", "ledger_bulk_insert"])
def test_the_bulk_insert_baselines_report_rows_per_second_and_leave_no_table(name: str) -> None:
    [item] = [item for item in WORKLOADS if item.name == name]
    figures = item.run(WorkloadContext(rows=300, quick=True))
    assert figures["rows"] == 300
    assert float(figures["rows_per_s"]) > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_scratch_ledger')")
        assert cursor.fetchone()[0] is None


@pytest.mark.django_db
def test_rollback_leaves_the_database_as_it_was() -> None:
    from reference.models import Region

    before = Region.objects.count()
    with WorkloadContext.rollback():
        Region.objects.create(code="zz", name="временный")
    assert Region.objects.count() == before


@pytest.fixture
def scale_seeded(django_db_setup: None, db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", scale=30, quiet_logins=True, stdout=StringIO())


@pytest.mark.postgres
@pytest.mark.django_db
def test_crediting_reports_both_rates_and_leaves_the_ledger_as_seeded(scale_seeded: None) -> None:
    from portfolio.models import CreditEntry

    before = CreditEntry.objects.count()
    [item] = [item for item in WORKLOADS if item.name == "portfolio: crediting"]
    figures = item.run(WorkloadContext(rows=300, quick=True))
    assert int(figures["rows"]) > 0 and figures["credited"] == figures["rows"]
    assert float(figures["rows_per_s"]) > 0 and float(figures["bulk_rows_per_s"]) > 0
    assert CreditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_portfolio_pdf_renders_300_entries_and_leaves_no_row(scale_seeded: None) -> None:
    from portfolio.models import CreditEntry, PortfolioPdf

    before = (CreditEntry.objects.count(), PortfolioPdf.objects.count())
    [item] = [item for item in WORKLOADS if item.name == "portfolio: PDF"]
    figures = item.run(WorkloadContext(rows=300, quick=True))
    assert figures["entries"] == 300 and figures["status"] == "ready" and int(figures["bytes"]) > 0
    assert (CreditEntry.objects.count(), PortfolioPdf.objects.count()) == before


@pytest.mark.django_db
def test_fresh_searches_report_the_page_and_the_api(scale_seeded: None) -> None:
    [item] = [item for item in WORKLOADS if item.name == "providers: fresh catalogue searches"]
    figures = item.run(WorkloadContext(rows=300, quick=True))
    assert figures["searches"] == 40
    assert all(float(figures[key]) > 0 for key in ("page_p50_ms", "page_p95_ms", "api_p50_ms", "api_p95_ms"))


@pytest.mark.django_db
def test_pages_drawn_anew_reports_every_memoized_page(scale_seeded: None) -> None:
    from bench.workloads import DRAWN_ANEW

    [item] = [item for item in WORKLOADS if item.name == "pages drawn anew"]
    figures = item.run(WorkloadContext(rows=300, quick=True))
    assert set(figures) == set(DRAWN_ANEW) and all(float(ms) > 0 for ms in figures.values())
