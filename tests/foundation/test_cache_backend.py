"""The Redis cache backend keeps one client per connection pool, and otherwise behaves as Django's:
values round-trip, a dead Redis raises the usual errors and a restarted one is used again."""

from __future__ import annotations

from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from nmo_portal.lib.cache import SharedClientRedisCache
from tests.faults import RedisServer, redis_on_other_port  # noqa: F401


def _cache(url: str) -> SharedClientRedisCache:
    return SharedClientRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


def test_the_production_settings_use_it(settings: Any) -> None:
    from nmo_portal.settings import base

    if base.CACHE_URL:
        assert base.CACHES["default"]["BACKEND"] == "nmo_portal.lib.cache.SharedClientRedisCache"


def test_replies_are_parsed_by_hiredis() -> None:
    # requirements.in: a memoized page is one read of 20-40 kB, which redis-py's own parser reads
    # in Python (a 20 kB read: 212 calls and 0.60 ms here, 168 calls and 0.32 ms with hiredis)
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE


@pytest.mark.redis
def test_one_client_serves_every_operation_and_values_round_trip(
    redis_on_other_port: RedisServer,  # noqa: F811
) -> None:
    cache = _cache(redis_on_other_port.url)
    cache.set("greeting", {"text": "Здравствуйте", "n": 1}, 30)
    assert cache.get("greeting") == {"text": "Здравствуйте", "n": 1}
    assert cache.get_many(["greeting", "missing"]) == {"greeting": {"text": "Здравствуйте", "n": 1}}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share the pool


@pytest.mark.redis
def test_a_restarted_redis_is_used_again_by_the_same_client(
    redis_on_other_port: RedisServer,  # noqa: F811
) -> None:
    cache = _cache(redis_on_other_port.url)
    cache.set("before", 1, 30)
    redis_on_other_port.stop()
    with pytest.raises(RedisConnectionError):
        cache.get("before")
    redis_on_other_port.start()  # back, empty
    assert cache.get("before") is None
    cache.set("after", 2, 30)
    assert cache.get("after") == 2


@pytest.mark.redis
def test_a_key_is_not_held_to_memcacheds_rules(
    redis_on_other_port: RedisServer,  # noqa: F811
    recwarn: pytest.WarningsRecorder,
) -> None:
    # Django walks each key's characters for memcached's sake; Redis takes any bytes
    cache = _cache(redis_on_other_port.url)
    key = "страница: каталог\tпоиск " + "x" * 300
    cache.set(key, "page", 30)
    assert cache.get(key) == "page"
    assert cache.get_many([key]) == {key: "page"}
    assert not [warning for warning in recwarn if "memcached" in str(warning.message)]
