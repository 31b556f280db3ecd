from __future__ import annotations

from typing import Any

import pytest
from django.db.models.functions import Lower

from accounts.backends import user_by_login
from accounts.demo_scale import scale_email, scale_snils, seed_scale
from accounts.models import User
from nmo_portal.lib.demo import DemoContext
from tests.performance.explain import assert_calls_use_indexes, assert_no_seq_scan, seq_scans

SEEDED = 20_000


def test_a_nested_sequential_scan_of_a_large_table_is_found() -> None:
    plan = {
        "Node Type": "Nested Loop",
        "Plans": [
            {"Node Type": "Index Scan", "Relation Name": "accounts_user"},
            {"Node Type": "Hash", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "accounts_rolegrant"}]},
            {"Node Type": "Seq Scan", "Relation Name": "reference_region"},
        ],
    }
    assert seq_scans(plan, {"accounts_user", "accounts_rolegrant"}) == ["accounts_rolegrant"]


def test_walking_a_whole_index_to_filter_rows_counts_as_a_full_scan() -> None:
    plan: dict[str, Any] = {
        "Node Type": "Limit",
        "Plans": [
            {
                "Node Type": "Index Scan",
                "Relation Name": "accounts_user",
                "Index Name": "accounts_user_pkey",
                "Filter": "(upper((email)::text) = 'X'::text)",
            }
        ],
    }
    assert seq_scans(plan, {"accounts_user"}) == ["accounts_user (whole index accounts_user_pkey, filtering)"]
    plan["Plans"][0]["Index Cond"] = "(id > 5)"
    assert seq_scans(plan, {"accounts_user"}) == []


@pytest.fixture
def many_users(db: None) -> None:
    seed_scale(DemoContext(), SEEDED)  # COPY on PostgreSQL, then ANALYZE


@pytest.mark.postgres
def test_login_by_snils_uses_an_index(many_users: None) -> None:
    assert_no_seq_scan(User.objects.filter(snils=scale_snils(12_345)))
    assert_calls_use_indexes(lambda: user_by_login(scale_snils(12_345)))


@pytest.mark.postgres
def test_a_lookup_by_lowercased_email_uses_the_unique_index(many_users: None) -> None:
    queryset = User.objects.annotate(email_lower=Lower("email")).filter(email_lower=scale_email(12_345))
    assert_no_seq_scan(queryset)


@pytest.mark.postgres
def test_a_sequential_scan_of_the_users_fails(many_users: None) -> None:
    with pytest.raises(AssertionError, match="sequential scan of accounts_user"):
        assert_no_seq_scan(User.objects.filter(last_name="Иванова"))


@pytest.mark.postgres
def test_login_by_email_uses_an_index(many_users: None) -> None:
    assert_calls_use_indexes(lambda: user_by_login(scale_email(12_345)))
