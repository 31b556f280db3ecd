"""Full-text search on PostgreSQL uses the Russian configuration through a GIN index; SQLite
falls back to icontains. The API marks x2 for the viewer's specialties."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from providers import selectors
from providers.models import Programme
from providers.search import search_filter
from tests.factories import ProgrammeFactory
from tests.providers.factories import specialty

pytestmark = pytest.mark.django_db


def _index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.postgres
def test_postgresql_has_the_russian_full_text_indexes_and_uses_them() -> None:
    assert {"programme_fts_ru"} <= _index_names("providers_programme")
    assert {"event_fts_ru"} <= _index_names("providers_event")
    assert {"module_fts_ru"} <= _index_names("providers_module")
    queryset = search_filter(Programme.objects.all(), kind="programme", text="кардиология")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "programme_fts_ru" in plan
    assert "russian" in str(queryset.query)


def test_sqlite_falls_back_to_a_case_insensitive_match_of_every_word() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the fallback is for SQLite")
    assert "programme_fts_ru" not in _index_names("providers_programme")
    wanted = ProgrammeFactory(title="Неотложная КАРДИОЛОГИЯ", annotation="для терапевтов")
    ProgrammeFactory(title="Кардиология детская", annotation="для педиатров")
    found = search_filter(Programme.objects.all(), kind="programme", text="кардиология терапевтов")
    assert list(found) == [wanted]


def test_the_api_marks_x2_for_a_viewer_with_two_matching_specialties(
    client: Any, specialist: Any, monkeypatch: Any
) -> None:
    both = ProgrammeFactory(specialty=specialty("76"), additional_specialties=[specialty("25")])
    one = ProgrammeFactory(specialty=specialty("76"))
    viewer = {specialty("76").pk, specialty("25").pk}
    monkeypatch.setattr(selectors, "viewer_specialty_ids", lambda user: viewer)
    client.force_login(specialist)
    rows = {row["id"]: row["x2"] for row in client.get("/api/v1/catalog/programs/").json()["results"]}
    assert rows == {both.pk: True, one.pk: False}
    assert client.get(f"/api/v1/catalog/programs/{both.pk}/").json()["x2"] is True
    assert "x2" in client.get("/catalog/programs/").content.decode()


def test_without_a_documents_relation_the_viewer_has_no_specialties(specialist: Any) -> None:
    assert selectors.viewer_specialty_ids(specialist) == set() or hasattr(specialist, "documents")


def test_a_specialist_with_documents_in_two_specialties_sees_x2_on_a_programme_covering_both(
    client: Any, specialist: Any
) -> None:
    from tests.accounts.factories import DocumentFactory

    therapy, cardiology = specialty("76"), specialty("25")
    DocumentFactory(owner=specialist, specialty=therapy)
    DocumentFactory(owner=specialist, specialty=cardiology, number="7722 000000777")
    both = ProgrammeFactory(specialty=therapy, additional_specialties=[cardiology], title="Обе специальности")
    only_a = ProgrammeFactory(specialty=therapy, title="Только терапия")
    client.force_login(specialist)

    rows = {row["id"]: row["x2"] for row in client.get("/api/v1/catalog/programs/").json()["results"]}
    assert rows == {both.pk: True, only_a.pk: False}
    assert client.get(f"/api/v1/catalog/programs/{both.pk}/").json()["x2"] is True
    assert client.get(f"/api/v1/catalog/programs/{only_a.pk}/").json()["x2"] is False

    articles = client.get("/catalog/programs/").content.decode().split("<article")[1:]
    marked = {title: ">x2</span>" in next(a for a in articles if title in a) for title in (both.title, only_a.title)}
    assert marked == {both.title: True, only_a.title: False}
    assert ">x2</span>" in client.get(f"/catalog/programs/{both.pk}/").content.decode()
    assert ">x2</span>" not in client.get(f"/catalog/programs/{only_a.pk}/").content.decode()
