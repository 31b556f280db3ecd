"""At catalogue size (a few thousand programmes from ``providers/demo_scale.py``), the catalogue
search by specialty and by words reads through indexes, not whole tables (PostgreSQL only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from nmo_portal.lib.demo import DemoContext
from providers import demo_scale, selectors
from tests.performance.explain import LARGE_TABLES, analyze, assert_no_seq_scan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SEEDED = 50_000  # specialists' worth: 5 000 programmes, 15 000 cycles, 1 000 events, 500 modules


@pytest.fixture
def catalogue() -> None:
    demo_scale.seed_scale(DemoContext(), SEEDED)  # COPY, then ANALYZE
    analyze(LARGE_TABLES)


def _search(**filters: Any) -> QuerySet[Any]:
    return selectors.catalogue_programmes(filters=selectors.CatalogueFilters(**filters))


def test_the_catalogue_search_by_specialty_and_words_uses_indexes(catalogue: None) -> None:
    assert_no_seq_scan(_search(specialty="25", q="кардиология 4321"))  # selective: see below


def test_the_catalogue_search_by_words_uses_the_full_text_index(catalogue: None) -> None:
    # A selective search (one programme's own words) must use the index. A word that one programme
    # in twelve carries (the seeded vocabulary is small) may be read faster by a sequential scan,
    # and the planner is right to choose it, so that is not what this pins.
    assert_no_seq_scan(_search(q="неврология 4321"))


def test_the_first_page_of_programmes_and_events_reads_an_index_not_the_whole_table(catalogue: None) -> None:
    # The default orderings (programmes by title, events by date): without the partial indexes of
    # migration 0003 every published row was joined and sorted to show 20 (15 ms at full scale).
    assert_no_seq_scan(_search()[:20])
    assert_no_seq_scan(selectors.catalogue_events()[:20])


@pytest.mark.parametrize("kind", ["programmes", "events"])
def test_a_search_page_finds_by_the_full_text_index_not_by_walking_the_ordering_index(
    catalogue: None, kind: str
) -> None:
    # With a search word, the first page ordered by title (or date) must not walk the partial
    # ordering index testing every row against the text: that is no sequential scan, yet it read
    # 8 000 programmes for 3 matches on the bench (85 ms instead of 2.6 ms).
    from tests.performance.explain import explain, plan_nodes

    if kind == "programmes":  # the bench's search: a common word, a specialty, a region, a ZET range
        query = _search(q="кардиология", specialty="1", region="10", zet_min=18, zet_max=144)[:20]
        ordering_index, text_index = "programme_published_title_idx", "programme_fts_ru"
    else:
        query = selectors.catalogue_events(filters=selectors.CatalogueFilters(q="кардиология", specialty="1"))[:20]
        ordering_index, text_index = "event_published_start_idx", "event_fts_ru"
    sql, params = query.query.sql_with_params()
    used = {node["Index Name"] for node in plan_nodes(explain(sql, params)) if "Index Name" in node}
    assert ordering_index not in used, used
    # programmes are found by their words; events may be found by their specialty first
    assert text_index in used or kind == "events", used
