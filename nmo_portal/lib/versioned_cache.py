"""Read-mostly data cached under a version that a change bumps, and never a reason for a page to fail.

    FACETS = VersionedCache("catalogue:facets")
    counts = FACETS.get_or_compute("programs:2026-11-23", compute, timeout=3600)
    FACETS.bump()                      # every entry of that family is stale from now on

Bumping writes a new version (a fresh token, never a number an old entry could still carry); an
entry is stored with the version it was computed under, so a stale one is recomputed when next
read, or expires on its own. A read is one round trip: the version and the entry together. When
the cache (Redis) is down or hung, reads compute the value from the database and bumps are
skipped, each with a warning: the portal keeps answering (issue 9, item 3). One failed cache call
per read: after a failure the value is computed and not written back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

T = TypeVar("T")


class VersionedCache:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.version_key = f"{namespace}:version"

    def get_or_compute(self, key: str, compute: Callable[[], T], *, timeout: int) -> T:
        """One round trip when the value is there: the version and the value are read together
        (MGET), and the value carries the version it was computed under."""
        return self.get_or_make(key, lambda: (compute(), True), timeout=timeout)

    def get_or_make(self, key: str, make: Callable[[], tuple[T, bool]], *, timeout: int) -> T:
        """``get_or_compute`` for a value that may not be fit to keep: ``make()`` answers the value
        and whether to store it (a page drawn from more than its key is served, not stored)."""
        full_key = f"{self.namespace}:{key}"
        try:
            found = cache.get_many([self.version_key, full_key])
            version = found.get(self.version_key)
            if version is None:
                cache.add(self.version_key, time.time_ns(), None)  # concurrent first readers agree
                version = cache.get(self.version_key)
        except Exception:
            logger.warning("cache %s unavailable, computing %s", self.namespace, key, exc_info=True)
            return make()[0]
        stored = found.get(full_key)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
            value: T = stored[1]
            return value
        value, keep = make()
        if not keep:
            return value
        try:
            cache.set(full_key, (version, value), timeout)
        except Exception:
            logger.warning("cache %s unavailable, %s not stored", self.namespace, key, exc_info=True)
        return value

    def bump(self) -> None:
        try:
            cache.set(self.version_key, time.time_ns(), None)
        except Exception:
            logger.warning("cache %s unavailable, version not bumped", self.namespace, exc_info=True)
