"""A catalogue answer is computed once per query string for everyone who reads it alike (anonymous
visitors, viewers without x2 marks), and never outlives a change of the catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from providers.models import ElementStatus
from providers.services import programme_archive
from tests.factories import ProgrammeFactory
from tests.providers.factories import specialty

pytestmark = pytest.mark.django_db


def _titles(client: Client, url: str) -> set[str]:
    if url.startswith("/api/"):
        return {row["title"] for row in client.get(url).json()["results"]}
    content = client.get(url).content.decode()
    return {title for title in ("Кардиология сегодня", "Кардиология завтра") if title in content}


@pytest.mark.parametrize("url", ["/catalog/programs/?q=Кардиология", "/api/v1/catalog/programs/?q=Кардиология"])
def test_a_repeated_search_is_answered_from_the_cache(client: Client, django_assert_num_queries: Any, url: str) -> None:
    ProgrammeFactory(title="Кардиология сегодня")
    assert _titles(client, url) == {"Кардиология сегодня"}
    with django_assert_num_queries(0):
        assert _titles(client, url) == {"Кардиология сегодня"}


@pytest.mark.parametrize("url", ["/catalog/programs/?q=Кардиология", "/api/v1/catalog/programs/?q=Кардиология"])
def test_a_published_or_archived_programme_shows_in_the_next_answer(
    client: Client, methodologist: Any, django_capture_on_commit_callbacks: Any, url: str
) -> None:
    ProgrammeFactory(title="Кардиология сегодня")
    assert _titles(client, url) == {"Кардиология сегодня"}
    with django_capture_on_commit_callbacks(execute=True):
        later = ProgrammeFactory(title="Кардиология завтра", status=ElementStatus.PUBLISHED)
    assert _titles(client, url) == {"Кардиология сегодня", "Кардиология завтра"}
    with django_capture_on_commit_callbacks(execute=True):
        programme_archive(programme=later, by=methodologist)
    assert _titles(client, url) == {"Кардиология сегодня"}


def test_a_viewer_with_x2_marks_gets_his_own_answer_after_an_anonymous_one(client: Client, specialist: Any) -> None:
    from tests.accounts.factories import DocumentFactory

    therapy, cardiology = specialty("76"), specialty("25")
    DocumentFactory(owner=specialist, specialty=therapy)
    DocumentFactory(owner=specialist, specialty=cardiology, number="7722 000000778")
    ProgrammeFactory(specialty=therapy, additional_specialties=[cardiology], title="Кардиология сегодня")
    anonymous = Client()
    assert ">x2</span>" not in anonymous.get("/catalog/programs/").content.decode()
    assert anonymous.get("/api/v1/catalog/programs/").json()["results"][0]["x2"] is False
    client.force_login(specialist)
    assert ">x2</span>" in client.get("/catalog/programs/").content.decode()
    assert client.get("/api/v1/catalog/programs/").json()["results"][0]["x2"] is True
    # and the anonymous answer cached before is still the anonymous one
    assert ">x2</span>" not in anonymous.get("/catalog/programs/").content.decode()


def test_an_htmx_request_gets_the_rows_only_even_after_the_full_page_was_cached(client: Client) -> None:
    ProgrammeFactory(title="Кардиология сегодня")
    full = client.get("/catalog/programs/?q=Кардиология").content.decode()
    rows = client.get("/catalog/programs/?q=Кардиология", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in rows and "Кардиология сегодня" in rows


def test_viewers_with_the_same_specialties_share_one_answer_and_others_get_theirs(
    client: Client, specialist: Any, django_assert_num_queries: Any
) -> None:
    from accounts.models import User
    from tests.accounts.factories import DocumentFactory
    from tests.factories import UserFactory

    therapy, cardiology, surgery = specialty("76"), specialty("25"), specialty("67")
    colleague: User = UserFactory()
    for owner, number in ((specialist, "1"), (colleague, "2")):
        DocumentFactory(owner=owner, specialty=therapy, number=f"7722 00000077{number}")
        DocumentFactory(owner=owner, specialty=cardiology, number=f"7722 00000088{number}")
    surgeon: User = UserFactory()
    DocumentFactory(owner=surgeon, specialty=therapy, number="7722 000000991")
    DocumentFactory(owner=surgeon, specialty=surgery, number="7722 000000992")
    ProgrammeFactory(specialty=therapy, additional_specialties=[cardiology], title="Кардиология сегодня")
    client.force_login(specialist)
    assert client.get("/api/v1/catalog/programs/").json()["results"][0]["x2"] is True
    other = Client()
    other.force_login(colleague)
    # the session, the user and his documents' specialties: the answer itself is shared
    with django_assert_num_queries(3):
        assert other.get("/api/v1/catalog/programs/").json()["results"][0]["x2"] is True
    third = Client()
    third.force_login(surgeon)
    assert third.get("/api/v1/catalog/programs/").json()["results"][0]["x2"] is False
    assert ">x2</span>" not in third.get("/catalog/programs/").content.decode()


class _CountedReads:
    """The cache both memo layers read, counting the reads that reach Redis."""

    def __init__(self) -> None:
        from django.core.cache import cache

        self.cache, self.reads = cache, 0

    def __getattr__(self, name: str) -> Any:
        if name in {"get", "get_many"}:
            self.reads += 1
        return getattr(self.cache, name)


def test_a_catalogue_page_asked_again_is_one_cache_read(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from nmo_portal.lib import fragments, versioned_cache

    ProgrammeFactory(title="Кардиология сегодня")
    url = "/catalog/programs/?q=Кардиология"
    first = client.get(url).content.decode()
    counted = _CountedReads()
    monkeypatch.setattr(versioned_cache, "cache", counted)
    monkeypatch.setattr(fragments, "cache", counted)
    again = Client().get(url).content.decode()
    assert counted.reads == 1  # the catalogue's version and the page, in one MGET
    assert "Кардиология сегодня" in again and again.count("<html") == first.count("<html") == 1


def test_a_signed_in_viewer_shares_the_answer_but_gets_his_own_layout(client: Client, specialist: Any) -> None:
    ProgrammeFactory(title="Кардиология сегодня")
    url = "/catalog/programs/?q=Кардиология"
    assert specialist.last_name not in Client().get(url).content.decode()
    client.force_login(specialist)
    page = client.get(url).content.decode()
    assert "Кардиология сегодня" in page and specialist.last_name in page


def test_a_catalogue_page_with_a_message_waiting_shows_it_once(client: Client) -> None:
    from django.contrib import messages
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from providers.views import catalogue_programmes

    ProgrammeFactory(title="Кардиология сегодня")
    client.get("/catalog/programs/")  # the page is kept
    request = RequestFactory().get("/catalog/programs/")
    SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type,return-value]
    MessageMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type,return-value]
    request.user = AnonymousUser()
    messages.info(request, "Заявка отправлена.")
    page = catalogue_programmes(request).content.decode()
    assert "Заявка отправлена." in page and "Кардиология сегодня" in page
    assert "Заявка отправлена." not in client.get("/catalog/programs/").content.decode()
