"""The HTTP load test: gunicorn on loopback with the bench settings, locust headless against it.

Locust rather than wrk: it is already pinned in requirements-dev.lock (``make bench`` installs
nothing at run time), it speaks sessions and weighted mixed traffic in plain Python, and its
FastHttpUser (geventhttpclient) keeps the generator's own cost low on a small machine.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


@dataclass
class LoadResult:
    label: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    by_page: list[dict[str, Any]]
    rounds: list[float] = field(default_factory=list)  # req/s of each round, when combined

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def combined(label: str, runs: list[LoadResult], seconds: float) -> LoadResult:
    """Rounds of one traffic as one result: requests and errors summed, req/s over their total
    time, the latencies the median of the rounds' (locust's CSV keeps percentiles, not samples)."""
    pages: dict[str, dict[str, Any]] = {}
    for run in runs:
        for page in run.by_page:
            into = pages.setdefault(page["name"], {"name": page["name"], "requests": 0, "failures": 0, "p95": []})
            into["requests"] += page["requests"]
            into["failures"] += page["failures"]
            into["p95"].append(page["p95_ms"])
    total = sum(run.requests for run in runs)
    return LoadResult(
        label=label,
        requests=total,
        failures=sum(run.failures for run in runs),
        rps=round(total / seconds, 1) if seconds else 0.0,
        p50_ms=statistics.median(run.p50_ms for run in runs),
        p95_ms=statistics.median(run.p95_ms for run in runs),
        by_page=[
            {
                "name": page["name"],
                "requests": page["requests"],
                "failures": page["failures"],
                "rps": round(page["requests"] / seconds, 1) if seconds else 0.0,
                "p95_ms": statistics.median(page["p95"]),
            }
            for page in pages.values()
        ],
        rounds=[run.rps for run in runs],
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, threads: int, log: Path) -> Iterator[str]:
    """A gunicorn serving the portal on a free loopback port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "nmo_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "512",
        "--log-level",
        "warning",
    ]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
                last = f"status {response.status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not become healthy in {timeout:.0f} s ({last}); see {log}")


def run_locust(
    *, base: str, plan: dict[str, Any], label: str, users: int, seconds: int, out_dir: Path, env: dict[str, str]
) -> LoadResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_path = out_dir / f"{label}-plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    prefix = out_dir / label
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(BENCH_DIR / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        "--stop-timeout",
        "5",
    ]
    locust_env = {**env, "BENCH_PLAN": str(plan_path)}
    completed = subprocess.run(
        command, cwd=ROOT, env=locust_env, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    (out_dir / f"{label}-locust.log").write_text(completed.stdout + completed.stderr, encoding="utf-8")
    if completed.returncode != 0:
        raise RuntimeError(f"locust failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return parse_stats(Path(f"{prefix}_stats.csv"), label)


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def parse_stats(path: Path, label: str) -> LoadResult:
    """Read locust's ``<prefix>_stats.csv``: one row per page name and an ``Aggregated`` row."""
    with path.open(newline="", encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    if total is None:
        raise RuntimeError(f"{path} has no Aggregated row")
    by_page = [
        {
            "name": row["Name"],
            "requests": int(_number(row["Request Count"])),
            "failures": int(_number(row["Failure Count"])),
            "rps": round(_number(row["Requests/s"]), 1),
            "p95_ms": _number(row["95%"]),
        }
        for row in rows
        if row["Name"] != "Aggregated"
    ]
    return LoadResult(
        label=label,
        requests=int(_number(total["Request Count"])),
        failures=int(_number(total["Failure Count"])),
        rps=round(_number(total["Requests/s"]), 1),
        p50_ms=_number(total["50%"]),
        p95_ms=_number(total["95%"]),
        by_page=by_page,
    )


def server_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHONPATH=str(ROOT),
    )
    return env
