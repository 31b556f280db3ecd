"""Free-text search: PostgreSQL's Russian full-text configuration, or ``icontains`` on SQLite.

The GIN index is built over exactly the expression the catalogue filters on
(``programme_search_vector``), so the planner uses it. SQLite cannot build it, so the migration
adds it only on PostgreSQL and keeps it out of the model state (``PostgresOnlyAddIndex``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, migrations
from django.db.models import Q, QuerySet

SEARCH_CONFIG = "russian"
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "programme": ("title", "annotation"),
    "event": ("title", "annotation", "organiser_name"),
    "module": ("title", "annotation"),
}


def search_vector(kind: str) -> SearchVector:
    return SearchVector(*SEARCH_FIELDS[kind], config=SEARCH_CONFIG)


def search_index(kind: str, name: str) -> GinIndex:
    return GinIndex(search_vector(kind), name=name)


def search_filter(queryset: QuerySet[Any], *, kind: str, text: str) -> QuerySet[Any]:
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.alias(_search=search_vector(kind)).filter(_search=query)
    # SQLite folds case for ASCII only, so Cyrillic words are tried as typed, lower-case,
    # capitalised and upper-case: the common spellings in titles and annotations.
    condition = Q()
    for word in text.split()[:8]:
        word_match = Q()
        for variant in {word, word.lower(), word.capitalize(), word.upper()}:
            for field in SEARCH_FIELDS[kind]:
                word_match |= Q(**{f"{field}__icontains": variant})
        condition &= word_match
    return queryset.filter(condition)


class PostgresOnlyAddIndex(migrations.AddIndex):
    """An index only PostgreSQL can build; a no-op elsewhere and invisible to the model state."""

    def state_forwards(self, app_label: str, state: Any) -> None:
        return None

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index)

    def describe(self) -> str:
        return f"Create PostgreSQL-only index {self.index.name} on {self.model_name}"
