"""Throttles: 429 with ``Retry-After`` for abuse, never for honest use.

Two patterns:

* ``scoped_throttle("register")``: a DRF throttle class counting every request per user (or per
  address for anonymous callers) at ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``. Put it on
  registration, token login and password recovery: ``throttle_classes = [scoped_throttle("login")]``.
  DRF answers 429 with ``Retry-After`` itself.

* ``FailureThrottle("code_activation")``: counts only *failures* in the cache, at
  ``settings.FAILURE_THROTTLE_RATES[scope]``. For code activation and learner pre-validation, where
  guessing is the attack::

      CODE_ACTIVATIONS = FailureThrottle("code_activation")

      def code_activate(*, user, code):
          CODE_ACTIVATIONS.guard(f"user:{user.pk}")        # TooManyAttempts -> 429 + Retry-After
          ...
          if not found:
              CODE_ACTIVATIONS.record_failure(f"user:{user.pk}")

  Key learner pre-validation by the organisation, not the staff member, so a provider cannot spread
  a SNILS enumeration over many accounts.

If the cache (Redis) is down the failure throttle lets requests through and logs a warning: the
portal keeps answering (issue 9, item 3); DRF's own throttles fail the same way.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from nmo_portal.lib.exceptions import TooManyAttempts

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/hour"`` -> (10, 3600); also ``"5/15min"``-style multiples: (5, 900)."""
    count, _, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :]
    if unit not in _PERIODS or not count.isdigit():
        raise ValueError(f"bad rate {rate!r}: use '<n>/<s|min|hour|day>'")
    return int(count), (int(digits) if digits else 1) * _PERIODS[unit]


class FailureThrottle:
    def __init__(self, scope: str, *, rate: str | None = None) -> None:
        self.scope = scope
        self._rate = rate

    @property
    def limit_and_window(self) -> tuple[int, int]:
        return parse_rate(self._rate or settings.FAILURE_THROTTLE_RATES[self.scope])

    def _cache_key(self, key: str) -> str:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return f"failures:{self.scope}:{digest}"

    def _recent(self, key: str, now: float, window: int) -> list[float]:
        stamps = cache.get(self._cache_key(key)) or []
        return [t for t in stamps if t > now - window]

    def check_allowed(self, key: str, *, now: float | None = None) -> int | None:
        """``None`` if another attempt is allowed, else the seconds to wait."""
        now = time.time() if now is None else now
        limit, window = self.limit_and_window
        try:
            recent = self._recent(key, now, window)
        except Exception:
            logger.warning("failure throttle %s: cache unavailable, allowing", self.scope, exc_info=True)
            return None
        if len(recent) < limit:
            return None
        oldest_that_counts = sorted(recent)[-limit]
        return max(1, math.ceil(oldest_that_counts + window - now))

    def record_failure(self, key: str, *, now: float | None = None) -> None:
        now = time.time() if now is None else now
        limit, window = self.limit_and_window
        try:
            recent = self._recent(key, now, window)
            recent.append(now)
            cache.set(self._cache_key(key), recent[-limit:], timeout=window)
        except Exception:
            logger.warning("failure throttle %s: cache unavailable, failure not counted", self.scope, exc_info=True)

    def reset(self, key: str) -> None:
        try:
            cache.delete(self._cache_key(key))
        except Exception:
            logger.warning("failure throttle %s: cache unavailable", self.scope, exc_info=True)

    def guard(self, key: str, *, now: float | None = None) -> None:
        """Raise ``TooManyAttempts`` (429 with Retry-After) when the key has failed too often."""
        retry_after = self.check_allowed(key, now=now)
        if retry_after is not None:
            minutes = max(1, math.ceil(retry_after / 60))
            raise TooManyAttempts(
                _("Слишком много неудачных попыток. Повторите через %(minutes)s мин.") % {"minutes": minutes},
                retry_after=retry_after,
            )


def scoped_throttle(scope: str) -> type[SimpleRateThrottle]:
    """A DRF throttle for ``scope``: per user when signed in, else per address."""

    class _ScopeThrottle(SimpleRateThrottle):
        def get_cache_key(self, request: Request, view: Any) -> str:
            if request.user and request.user.is_authenticated:
                ident = f"user:{request.user.pk}"
            else:
                ident = f"ip:{self.get_ident(request)}"
            return self.cache_format % {"scope": self.scope, "ident": ident}

    _ScopeThrottle.scope = scope
    _ScopeThrottle.__name__ = _ScopeThrottle.__qualname__ = f"{scope.title().replace('_', '')}Throttle"
    return _ScopeThrottle


def page_throttle(request: HttpRequest, scope: str) -> HttpResponse | None:
    """The DRF ``scope`` rate for a Django page (registration, password recovery): ``None`` while
    allowed, else a Russian 429 page with ``Retry-After``. Counted per user, or per address."""
    throttle = scoped_throttle(scope)()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return None
    retry_after = max(1, math.ceil(throttle.wait() or 1))
    minutes = max(1, math.ceil(retry_after / 60))
    message = _("Слишком много запросов. Повторите через %(minutes)s мин.") % {"minutes": minutes}
    response = render(request, "too_many_requests.html", {"throttle_message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
