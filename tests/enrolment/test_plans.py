"""Plans of the provider's paged lists of a cycle on a seeded table (issue 8, item 2): a page of
the results grid or of the applications, its count and the grid's totals start from the cycle's
index, with or without the filters and the search, and look the applicants up by primary key
(a join let the planner hash the whole users table); unfiltered, a page is read in order from the
(cycle, applicant name) index, with no sort of the whole cycle."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator

from accounts import demo_scale as accounts_scale
from enrolment import demo_scale as enrolment_scale
from enrolment.selectors import cycle_applications, cycle_roster, roster_totals
from nmo_portal.lib.demo import DemoContext
from providers import demo_scale as providers_scale
from tests.performance.explain import assert_calls_use_indexes, assert_no_seq_scan

SEEDED = 50_000  # 25 000 applications, 1 000 of them on the demo provider's big cycle


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_paged_lists_of_a_big_cycle_use_indexes() -> None:
    call_command("seed_demo", quiet_logins=True, stdout=StringIO())
    ctx = DemoContext()
    for module in (accounts_scale, providers_scale, enrolment_scale):
        module.seed_scale(ctx, SEEDED)
    cycle = enrolment_scale.big_cycle()
    assert cycle is not None
    roster = cycle_roster(cycle=cycle)
    assert roster.count() > 500
    someone = roster[300].applicant
    searches = [
        {},
        {"result": "without"},
        {"result": "with"},
        {"q": someone.snils[:7]},
        {"q": someone.last_name},
    ]
    for filters in searches:
        assert_no_seq_scan(cycle_roster(cycle=cycle, **filters)[50:100])

        def page_two(filters: dict[str, str] = filters) -> None:
            list(Paginator(cycle_roster(cycle=cycle, **filters), 50).get_page(2).object_list)

        assert_calls_use_indexes(page_two)
    assert_calls_use_indexes(lambda: roster_totals(cycle=cycle))
    for filters in [{}, {"status": "formed"}, {"q": someone.snils_display}, {"q": someone.last_name}]:
        assert_no_seq_scan(cycle_applications(cycle=cycle, **filters)[50:100])

        def applications_page_two(filters: dict[str, str] = filters) -> None:
            list(Paginator(cycle_applications(cycle=cycle, **filters), 50).get_page(2).object_list)

        assert_calls_use_indexes(applications_page_two)

    # The plain lists, the ones opened most, walk the name index in order: no sort of the cycle.
    from tests.performance.explain import explain, explain_generic, plan_nodes

    for queryset in (cycle_roster(cycle=cycle)[50:100], cycle_applications(cycle=cycle)[50:100]):
        sql, params = queryset.query.sql_with_params()
        plan = explain(sql, params)
        nodes = list(plan_nodes(plan))
        assert not [n for n in nodes if n["Node Type"] in {"Sort", "Incremental Sort"}], plan
        assert "enrolment_app_cycle_name" in {n.get("Index Name") for n in nodes}, plan

        # and so do they once prepared, under the plan made for any cycle: the cycle is written into
        # the statement (nmo_portal.lib.sql.Inline), else the plan for the average cycle of two
        # learners sorted all of the big one's
        generic = explain_generic(sql, params)
        nodes = list(plan_nodes(generic))
        assert not [n for n in nodes if n["Node Type"] in {"Sort", "Incremental Sort"}], generic
