"""Read-mostly data cached under a version that a change bumps, and never a reason for a page to fail.

    FACETS = VersionedCache("catalogue:facets")
    counts = FACETS.get_or_compute("programs:2026-11-23", compute, timeout=3600)
    FACETS.bump()                      # every entry of that family is stale from now on

Bumping writes a new version (a fresh token, never a number an old entry could still carry), so
stale entries are simply never read again and expire on their own. When the cache (Redis) is down
or hung, reads compute the value from the database and bumps are skipped, each with a warning: the
portal keeps answering (issue 9, item 3). One failed cache call per read: after a failure the value
is computed and not written back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

T = TypeVar("T")


class VersionedCache:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.version_key = f"{namespace}:version"

    def _version(self) -> int:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, time.time_ns(), None)  # concurrent first readers agree
            version = cache.get(self.version_key)
        return int(version)

    def get_or_compute(self, key: str, compute: Callable[[], T], *, timeout: int) -> T:
        full_key = f"{self.namespace}:{key}"
        try:
            version = self._version()
            value: Any = cache.get(full_key, version=version)
        except Exception:
            logger.warning("cache %s unavailable, computing %s", self.namespace, key, exc_info=True)
            return compute()
        if value is not None:
            return value
        value = compute()
        try:
            cache.set(full_key, value, timeout, version=version)
        except Exception:
            logger.warning("cache %s unavailable, %s not stored", self.namespace, key, exc_info=True)
        return value

    def bump(self) -> None:
        try:
            cache.set(self.version_key, time.time_ns(), None)
        except Exception:
            logger.warning("cache %s unavailable, version not bumped", self.namespace, exc_info=True)
