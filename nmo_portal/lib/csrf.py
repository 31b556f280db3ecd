"""The CSRF token a memoized page carries, masked as Django masks it, for less.

Django's ``get_token`` masks the secret anew on every response (against BREACH) with 32 calls to
``secrets.choice``: 32 reads of the OS's random source and some 500 Python calls, a tenth of what a
page served from the memo costs in all. ``csrf_token`` makes the same token from one read:
a mask of 32 characters drawn uniformly from the 62 allowed (a byte above 247 is drawn again, so
that none is likelier than another), the secret shifted by it. Django unmasks and checks it as its
own; a request without a secret yet goes to ``get_token``, which makes one and sets the cookie.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_CHARS = CSRF_ALLOWED_CHARS
_BASE = len(_CHARS)
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# the largest multiple of _BASE a byte can hold: the bytes below it map onto the characters evenly
_UNBIASED = 256 - 256 % _BASE


def csrf_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns: the request's secret, freshly masked."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)
    # as get_token does: the cookie is sent again, so that its expiry moves on
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)


def masked(secret: str) -> str:
    mask = _random_indices(len(secret))
    cipher = "".join([_CHARS[(_INDEX[char] + shift) % _BASE] for char, shift in zip(secret, mask, strict=True)])
    return "".join([_CHARS[shift] for shift in mask]) + cipher


def _random_indices(count: int) -> list[int]:
    indices: list[int] = []
    while len(indices) < count:
        indices += [byte % _BASE for byte in secrets.token_bytes(2 * count) if byte < _UNBIASED]
    return indices[:count]
