"""What /healthz reports: the database, Redis and Celery, each ``ok``, ``eager`` or an error."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "vendor": connection.vendor}


@cache
def _redis_client(url: str) -> Any:
    """One client per process and URL: its pool keeps the connection, so a probe is one PING, not
    a new connection each time (a probe every few seconds from every balancer)."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def _redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"status": "not_configured"}
    try:
        _redis_client(settings.REDIS_URL).ping()
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok"}


def _celery(redis_ok: bool) -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "eager"}
    if not redis_ok:
        return {"status": "error", "error": "broker unreachable"}
    from nmo_portal.celery import app

    try:
        replies = app.control.inspect(timeout=1.0).ping() or {}
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": type(exc).__name__}
    if not replies:
        return {"status": "error", "error": "no worker answered"}
    return {"status": "ok", "workers": len(replies)}


def health_report() -> dict[str, Any]:
    database = _database()
    redis_state = _redis()
    celery = _celery(redis_state["status"] == "ok")
    healthy = (
        database["status"] == "ok"
        and redis_state["status"] in {"ok", "not_configured"}
        and celery["status"] in {"ok", "eager"}
    )
    return {
        "status": "ok" if healthy else "error",
        "database": database,
        "redis": redis_state,
        "celery": celery,
    }
