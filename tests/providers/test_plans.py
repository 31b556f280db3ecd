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
