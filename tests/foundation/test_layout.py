"""What the layout reads of a request (nmo_portal.context_processors.layout)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from nmo_portal.context_processors import full_path
from nmo_portal.lib.htmx import is_htmx


@pytest.mark.parametrize(
    "url",
    [
        "/catalog/programs/",
        "/catalog/programs/?q=кардиология&specialty=31.08.36",
        "/catalog/programs/?q=a+b%20c&page=2",
        "/cycles/7/plan/?q=%D0%BA",
        "/путь с пробелом/?x=1",
    ],
)
def test_the_full_path_is_quoted_as_django_quotes_it(url: str) -> None:
    request = RequestFactory().get(url)
    assert full_path(request.path, request.META.get("QUERY_STRING", "")) == request.get_full_path()


def test_a_request_is_htmx_when_it_carries_the_header() -> None:
    assert is_htmx(RequestFactory().get("/", headers={"HX-Request": "true"}))
    assert not is_htmx(RequestFactory().get("/"))
