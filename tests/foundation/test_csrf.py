"""The CSRF token of memoized pages (nmo_portal.lib.csrf): Django's token, masked with one random read."""

from __future__ import annotations

import string
from collections import Counter
from unittest import mock

from django.middleware.csrf import (  # type: ignore[attr-defined]  # Django's own checks, private
    CSRF_TOKEN_LENGTH,
    _check_token_format,
    _unmask_cipher_token,
    get_token,
)
from django.test import RequestFactory

from nmo_portal.lib import csrf
from nmo_portal.lib.csrf import csrf_token, masked

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_a_masked_token_unmasks_to_the_secret_as_django_reads_it() -> None:
    for _ in range(200):
        token = masked(SECRET)
        _check_token_format(token)  # raises on a wrong length or character
        assert len(token) == CSRF_TOKEN_LENGTH
        assert _unmask_cipher_token(token) == SECRET


def test_every_response_gets_a_new_mask() -> None:
    assert len({masked(SECRET) for _ in range(50)}) == 50


def test_the_mask_draws_every_allowed_character_evenly() -> None:
    drawn = Counter(char for _ in range(2000) for char in masked(SECRET)[:32])
    assert set(drawn) == set(string.ascii_letters + string.digits)
    expected = 2000 * 32 / 62  # about 1 032 each
    assert all(0.8 * expected < count < 1.2 * expected for count in drawn.values()), drawn.most_common(3)


def test_bytes_that_would_favour_some_characters_are_drawn_again() -> None:
    # 248..255 would map onto the first eight characters a second time: they are skipped
    rigged = [bytes([255] * 32 + [0] * 32), bytes([61] * 64)]
    with mock.patch.object(csrf.secrets, "token_bytes", side_effect=rigged):
        mask = masked(SECRET)[:32]
    assert mask == "a" * 32


def test_a_request_with_a_secret_gets_it_masked_and_its_cookie_renewed() -> None:
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    token = csrf_token(request)
    assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_request_without_a_secret_gets_one_from_django() -> None:
    request = RequestFactory().get("/")
    token = csrf_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(get_token(request)) == request.META["CSRF_COOKIE"]
