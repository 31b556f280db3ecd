"""Plans of the portfolio's hot queries on a seeded ledger (issue 8, item 2)."""

from __future__ import annotations

import pytest

from accounts.demo_scale import scale_users
from portfolio.selectors import entries_of, portfolio_of, progress_of_cycles
from tests.performance.explain import assert_calls_use_indexes, assert_no_seq_scan, seed_sample
from trajectory.selectors import cycles_of

SEEDED = 5_000  # 150 000 ledger entries


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_portfolio_of_one_cycle_uses_indexes() -> None:
    seed_sample(SEEDED)
    user = scale_users(SEEDED).last()
    cycle = cycles_of(user=user).get(status="active")
    assert entries_of(cycle=cycle).count() == 30
    assert_no_seq_scan(entries_of(cycle=cycle))
    assert_calls_use_indexes(lambda: portfolio_of(cycle=cycle))
    assert_calls_use_indexes(lambda: progress_of_cycles(cycles=[cycle]))


@pytest.mark.postgres
@pytest.mark.django_db
def test_crediting_many_results_looks_the_ledger_up_by_index() -> None:
    from bench.workloads import _credit_items
    from portfolio.services import credit_record_many

    seed_sample(SEEDED)
    items = _credit_items(200)
    assert items
    # The ledger and the cycles: the catalogue of a 5 000 sample is small enough to be read whole.
    ledger = {"portfolio_creditentry", "trajectory_cycle", "accounts_user"}
    assert_calls_use_indexes(lambda: credit_record_many(items=items, notify=False), large_tables=ledger)
