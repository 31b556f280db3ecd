"""VersionedCache: a value served again costs one cache round trip, a bump makes every entry stale
at once, and a dead cache computes the value instead of failing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from nmo_portal.lib import versioned_cache
from nmo_portal.lib.versioned_cache import VersionedCache


class CountingCache:
    """The real cache, counting the calls that reach it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(cache, name)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> CountingCache:
    counting = CountingCache()
    monkeypatch.setattr(versioned_cache, "cache", counting)
    cache.clear()
    return counting


def test_a_value_served_again_costs_one_round_trip(counted: CountingCache) -> None:
    family = VersionedCache("test-family")
    computed: list[int] = []
    assert family.get_or_compute("k", lambda: computed.append(1) or "value", timeout=60) == "value"
    counted.calls.clear()
    assert family.get_or_compute("k", lambda: computed.append(1) or "other", timeout=60) == "value"
    assert computed == [1]
    assert counted.calls == ["get_many"]


def test_a_bump_makes_every_entry_of_the_family_stale(counted: CountingCache) -> None:
    family, other = VersionedCache("test-family"), VersionedCache("test-other")
    family.get_or_compute("a", lambda: 1, timeout=60)
    family.get_or_compute("b", lambda: 2, timeout=60)
    other.get_or_compute("a", lambda: 3, timeout=60)
    family.bump()
    assert family.get_or_compute("a", lambda: 10, timeout=60) == 10
    assert family.get_or_compute("b", lambda: 20, timeout=60) == 20
    assert other.get_or_compute("a", lambda: 30, timeout=60) == 3
    assert family.get_or_compute("a", lambda: 100, timeout=60) == 10  # stored again under the new version


def test_a_dead_cache_computes_the_value(monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    class DeadCache:
        def __getattr__(self, name: str) -> Any:
            def fail(*args: Any, **kwargs: Any) -> Any:
                raise ConnectionError("redis is down")

            return fail

    monkeypatch.setattr(versioned_cache, "cache", DeadCache())
    family = VersionedCache("test-family")
    assert family.get_or_compute("k", lambda: "computed", timeout=60) == "computed"
    family.bump()  # skipped, with a warning
    assert "unavailable" in caplog.text


def test_a_value_not_fit_to_keep_is_served_and_made_again_next_time(counted: CountingCache) -> None:
    family = VersionedCache("test-family")
    made: list[str] = []

    def make(keep: bool) -> tuple[str, bool]:
        made.append("made")
        return f"value {len(made)}", keep

    assert family.get_or_make("k", lambda: make(False), timeout=60) == "value 1"
    assert family.get_or_make("k", lambda: make(True), timeout=60) == "value 2"  # nothing was stored
    assert family.get_or_make("k", lambda: make(True), timeout=60) == "value 2"  # now it was
    assert made == ["made", "made"]
