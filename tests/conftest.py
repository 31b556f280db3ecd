"""Shared fixtures: service gates, personas, the browser.

Tests marked ``postgres``, ``redis`` or ``browser`` need that service. Without it they are skipped
with the reason, except under ``REQUIRE_SERVICES=1`` (CI), where a missing service fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


@cache
def redis_available() -> bool:
    if not os.environ.get("REDIS_URL"):
        return False
    import redis

    try:
        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False
    return True


def _missing_service(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not redis_available():
        return "needs Redis: set REDIS_URL=redis://... to a running server"
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing_service(item)
    if reason is None:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but the service is missing: {reason}")
    pytest.skip(reason)


def _flushes_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return transactional or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test ends with a flush that empties every table, including the reference
    data the migrations loaded (specialties, regions, the rule set); the tests after it on the same
    worker would find none. Once every fixture is torn down (the flush included), load it again."""
    result = yield
    # After the last test the session's fixtures, the test database among them, are gone too.
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        from reference.loader import load_all

        with item.config.stash[blocking_manager_key].unblock():
            load_all()
    return result


@pytest.fixture(autouse=True)
def _celery_join_guard_reset() -> None:
    """A test that ran a Celery worker in this process leaves Celery's process-wide "we are inside
    a worker" flag set, and every later ``EagerResult.get()`` then refuses to run. Tests start
    from a plain process."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache as django_cache

    from reference.rules import rules_cache_clear

    django_cache.clear()
    rules_cache_clear()  # and the copy each process keeps: the last test's rows were rolled back
    yield


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the browser ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        reason = f"needs Debian's Chromium at {CHROMIUM}"
        if services_required():
            pytest.fail(reason)
        pytest.skip(reason)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


from tests.personas import *  # noqa: E402, F403
