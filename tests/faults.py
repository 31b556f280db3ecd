"""Fault injection (issue 9, item 3): really stop and start the services the portal depends on.

    @pytest.mark.redis
    def test_x(redis_on_other_port):        # a private redis-server on a free port
        broker_url = redis_on_other_port.url
        redis_on_other_port.stop()          # now connections are refused
        ...
        redis_on_other_port.start()         # back, empty (no persistence)

``celery_broker`` points the Celery app at that server (not eager) for the test and restores it.
Import the fixtures where needed: ``from tests.faults import celery_broker, redis_on_other_port``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Any:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:  # noqa: BLE001
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def pause(self) -> None:
        """SIGSTOP: connections are accepted by the kernel but never answered (a hung server)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@pytest.fixture
def redis_on_other_port(tmp_path: Path) -> Iterator[RedisServer]:
    if not Path(REDIS_SERVER).exists():
        reason = "needs redis-server (apt-get install redis-server)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but the service is missing: {reason}")
        pytest.skip(reason)
    server = RedisServer(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _reset_celery_connections(app: Any) -> None:
    """Forget pooled broker connections so the next publish connects to the current broker_url."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_broker(redis_on_other_port: RedisServer, settings: Any) -> Iterator[RedisServer]:
    """The Celery app publishing to ``redis_on_other_port`` for real (not eager)."""
    from nmo_portal.celery import app

    saved = {key: app.conf.get(key) for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = redis_on_other_port.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = redis_on_other_port.url
    app.conf.task_always_eager = False
    _reset_celery_connections(app)
    try:
        yield redis_on_other_port
    finally:
        _reset_celery_connections(app)
        app.conf.update(saved)
