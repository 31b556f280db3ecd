"""User text is escaped wherever the foundation shows it (apps add their own pages' payload tests
with tests/payloads.py)."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.payloads import XSS, assert_escaped


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_name_is_shown_escaped_in_the_header(client: Client, payload: str) -> None:
    user = UserFactory(last_name=payload, first_name="", middle_name="")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert_escaped(body, payload)
    assert html.escape(payload) in body or html.escape(payload, quote=False) in body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_next_parameter_does_not_leave_the_site(client: Client, payload: str) -> None:
    response = client.post("/a11y/", {"next": payload})
    assert response.status_code == 302
    location = response["Location"]
    assert "<" not in location and ">" not in location and '"' not in location  # percent-encoded
    assert not location.lower().startswith(("javascript:", "//", "http:", "https:"))
