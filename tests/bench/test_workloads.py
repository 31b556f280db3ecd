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
