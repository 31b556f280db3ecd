"""``python -m bench`` (``make bench``): seed a national-size sample into its own PostgreSQL
database, then measure the key pages in process, the HTTP load against gunicorn, and the workloads;
print a table and write it as JSON under ``var/bench/``.

It refuses to run without ``DATABASE_URL`` on PostgreSQL and a reachable ``REDIS_URL``, and works
only in the database ``nmo_bench`` on the same server (created when missing, dropped by
``--reset``), so development data is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "nmo_bench"
DEFAULT_SCALE = 100_000
QUICK_SCALE = 2_000
TARGET_PAGE_RATIO = 3.0
TARGET_QUERIES = 12
TARGET_THROUGHPUT_SHARE = 0.5
TARGET_SEED_SECONDS = 600


class BenchError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"bench: {message}")


# --- configuration ----------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=None, help=f"specialists to seed (default {DEFAULT_SCALE})")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: {QUICK_SCALE} specialists (seeding only adds: with --reset for a small sample), "
        "30 requests per page, 10 s loads, 10 000-row workloads",
    )
    parser.add_argument("--reset", action="store_true", help=f"drop the {BENCH_DB} database first")
    parser.add_argument("--iterations", type=int, default=None, help="timed requests per page (200; quick 30)")
    parser.add_argument("--load-seconds", type=int, default=None, help="seconds of each load test (60; quick 10)")
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument("--no-load", action="store_true", help="skip the HTTP load test")
    parser.add_argument(
        "--no-instructions", action="store_true", help="skip counting instructions per request under Valgrind"
    )
    parser.add_argument(
        "--load-rounds", type=int, default=None, help="alternating rounds the load seconds are split into (6; quick 1)"
    )
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scale = QUICK_SCALE if args.quick else DEFAULT_SCALE
    if args.iterations is None:
        args.iterations = 30 if args.quick else 200
    if args.load_seconds is None:
        args.load_seconds = 10 if args.quick else 60
    if args.load_rounds is None:
        args.load_rounds = 1 if args.quick else 6
    return args


def bench_database_url(database_url: str) -> str:
    """The same server and credentials as DATABASE_URL, the database ``nmo_bench``."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise BenchError(
            "DATABASE_URL must point at PostgreSQL (postgres://user:pass@host:5432/db); "
            f"the benchmark is meaningless on {parts.scheme or 'nothing'}."
        )
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def required_services(environ: dict[str, str]) -> tuple[str, str]:
    database_url = environ.get("DATABASE_URL", "")
    if not database_url:
        raise BenchError("set DATABASE_URL=postgres://user:pass@host:5432/db (a PostgreSQL server).")
    redis_url = environ.get("REDIS_URL", "")
    if not redis_url.startswith(("redis://", "rediss://")):
        raise BenchError("set REDIS_URL=redis://host:6379/N: the cache is part of what is measured.")
    return bench_database_url(database_url), redis_url


def _check_redis(redis_url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        raise BenchError(f"Redis at REDIS_URL does not answer: {exc}") from None


def ensure_database(bench_url: str, *, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(bench_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
            if reset:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    except psycopg.Error as exc:
        raise BenchError(f"cannot prepare the {BENCH_DB} database on {parts.hostname}: {exc}") from None


# --- statistics -------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class PageResult:
    name: str
    persona: str
    url: str
    status: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    ratio: float = 0.0
    error: str = ""
    repeated_queries: list[tuple[str, int]] = field(default_factory=list)
    cpu_ms: float = 0.0  # the median of the thread's CPU time a request
    weight: int = 0  # the page's weight in the load test's mixed traffic (0: not in it)


# --- in-process page timings --------------------------------------------------------------------
def measure_pages(iterations: int, warmup: int = 5) -> list[PageResult]:
    from django.test import Client

    from bench.pages import BASELINE, PAGES, PERSONAS, Page, PageContext, baseline_for
    from nmo_portal.lib.querycount import QueryCounter

    clients: dict[str, Client] = {}

    def client_for(persona: str) -> tuple[Client, Any]:
        user = PERSONAS[persona]()
        if persona not in clients:
            clients[persona] = Client()
            if user is not None:
                clients[persona].force_login(user)
        return clients[persona], user

    def send(client: Client, page: Page, url: str) -> Any:
        if page.method == "GET":
            return client.get(url, headers=page.headers)
        return client.generic(page.method, url, data=json.dumps(page.data or {}), content_type="application/json")

    personas = list(dict.fromkeys(page.persona for page in PAGES if page.persona != BASELINE.persona))
    baselines = [BASELINE, *(baseline_for(persona) for persona in personas)]
    pages = [*baselines, *PAGES]
    ready: list[tuple[Page, PageResult, Client, str]] = []
    results: list[PageResult] = []
    for page in pages:
        in_load = page not in baselines and page.method == "GET" and page.expect == 200
        result = PageResult(page.name, page.persona, "", weight=page.weight if in_load else 0)
        results.append(result)
        try:
            client, user = client_for(page.persona)
            result.url = page.build_url(PageContext(page.persona, user))
            for _ in range(warmup):
                response = send(client, page, result.url)
            with QueryCounter() as counted:
                response = send(client, page, result.url)
            result.status = response.status_code
            result.queries = counted.count
            result.repeated_queries = counted.repeated()[:3]
            if response.status_code != page.expect:
                result.error = f"status {response.status_code}, expected {page.expect}"
                continue
        except Exception as exc:  # noqa: BLE001 - a broken page is reported, the run goes on
            result.error = f"{type(exc).__name__}: {exc}"[:200]
            continue
        ready.append((page, result, client, result.url))

    timings: dict[str, list[float]] = {result.name: [] for _, result, _, _ in ready}
    cpu: dict[str, list[float]] = {result.name: [] for _, result, _, _ in ready}
    # Round-robin: every page sees the same moments of the machine as the baseline.
    for _ in range(iterations):
        for page, result, client, url in ready:
            started, cpu_started = time.perf_counter_ns(), time.thread_time_ns()
            send(client, page, url)
            cpu[result.name].append((time.thread_time_ns() - cpu_started) / 1e6)
            timings[result.name].append((time.perf_counter_ns() - started) / 1e6)
    for _, result, _, _ in ready:
        result.p50_ms = round(percentile(timings[result.name], 50), 2)
        result.p95_ms = round(percentile(timings[result.name], 95), 2)
        result.cpu_ms = round(percentile(cpu[result.name], 50), 3)
    by_persona = {result.persona: result for result in results[: len(baselines)]}
    for result in results:
        baseline = by_persona.get(result.persona, results[0])
        if baseline.p95_ms and result.p95_ms:
            result.ratio = round(result.p95_ms / baseline.p95_ms, 2)
    return results


def cpu_share(pages: list[dict[str, Any]]) -> dict[str, float] | None:
    """The load test's question asked of CPU time in process: each page of the mixed traffic's
    median thread CPU a request beside its persona's baseline, weighted as the load test weights
    the pages. Closer to the HTTP share than instructions are: a page of the mix runs more code
    and touches more memory than the baseline, so it runs fewer instructions a second. None when
    nothing was measured (a report from before the figure)."""
    base = {p["persona"]: p.get("cpu_ms") for p in pages if p["name"].startswith("baseline") and p.get("cpu_ms")}
    mixed = [p for p in pages if p.get("weight") and not p["error"] and p.get("cpu_ms") and p["persona"] in base]
    weight = sum(p["weight"] for p in mixed)
    if not weight:
        return None
    mixed_ms = sum(p["cpu_ms"] * p["weight"] for p in mixed) / weight
    base_ms = sum(base[p["persona"]] * p["weight"] for p in mixed) / weight
    return {"mixed_ms": round(mixed_ms, 3), "baseline_ms": round(base_ms, 3), "share": round(base_ms / mixed_ms, 3)}


def vacuum() -> float:
    """``VACUUM (ANALYZE)`` of the bench database before anything is measured; its seconds. The
    workloads of an earlier run leave dead rows behind (a 10 000-row upload, crediting), which
    autovacuum clears in production but not on a server where it is off (as on the machines
    here): a second run found 130 000 dead rows beside the 50 000 applications under the lists."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


def load_plan() -> dict[str, Any]:
    """The pages for locust, with a session cookie per logged-in persona (force_login)."""
    from django.conf import settings
    from django.test import Client

    from bench.pages import PAGES, PERSONAS, PageContext

    cookies: dict[str, str] = {}
    pages = []
    for page in PAGES:
        if page.method != "GET" or page.expect != 200 or page.weight <= 0:
            continue
        user = PERSONAS[page.persona]()
        if user is not None and page.persona not in cookies:
            client = Client()
            client.force_login(user)
            cookies[page.persona] = (
                f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            )
        pages.append(
            {
                "name": page.name,
                "url": page.build_url(PageContext(page.persona, user)),
                "persona": page.persona,
                "weight": page.weight,
            }
        )
    return {"pages": pages, "cookies": cookies}


def baseline_load_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """The same load on the minimal view: every page of the mixed plan, with its persona's session
    cookie and its weight, asks ``/_baseline`` instead, so the baseline pays the same session and
    user look-ups as the traffic it is compared with (as the in-process figures do per persona)."""
    pages = [{**page, "name": f"baseline ({page['persona']})", "url": "/_baseline"} for page in plan["pages"]]
    return {"pages": pages, "cookies": plan["cookies"]}


def measure_load(args: argparse.Namespace, bench_url: str, redis_url: str, out_dir: Path) -> list[dict[str, Any]]:
    """The mixed traffic and the same traffic on the baseline view, in ``--load-rounds`` alternating
    rounds (mixed then baseline, then baseline then mixed, ...) that share ``--load-seconds`` each:
    a shared machine that slows down for a minute slows both figures, not one of them."""
    from bench.http import combined, gunicorn, run_locust, server_env

    env = server_env(bench_url, redis_url)
    plan = load_plan()
    plans = {"mixed": plan, "baseline": baseline_load_plan(plan)}
    rounds = max(1, args.load_rounds)
    seconds = max(5, args.load_seconds // rounds)
    runs: dict[str, list[Any]] = {"mixed": [], "baseline": []}
    with gunicorn(env, workers=args.workers, threads=args.threads, log=out_dir / "gunicorn.log") as base:
        for number in range(rounds):
            order = ("mixed", "baseline") if number % 2 == 0 else ("baseline", "mixed")
            for label in order:
                print(
                    f"  load: {label}, round {number + 1} of {rounds}, {args.users} users, {seconds} s ...", flush=True
                )
                result = run_locust(
                    base=base, plan=plans[label], label=f"{label}-{number + 1}", users=args.users, seconds=seconds,
                    out_dir=out_dir, env=env,
                )  # fmt: skip
                runs[label].append(result)
    return [combined(label, runs[label], seconds * rounds).as_dict() for label in ("mixed", "baseline")]


def measure_instructions(args: argparse.Namespace, bench_url: str, redis_url: str) -> dict[str, Any]:
    """Instructions per request under callgrind (``bench.instructions``), or why they were not counted."""
    from bench import instructions
    from bench.http import server_env

    if args.no_instructions:
        return {"skipped": "--no-instructions"}
    if not instructions.available():
        return {"skipped": "Valgrind is not installed (apt-get install valgrind)"}
    print("  instructions per request (callgrind) ...", flush=True)
    try:
        return instructions.measure(server_env(bench_url, redis_url))
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:  # reported; the rest still runs
        return {"error": str(exc)[:500]}


def measure_workloads(rows: int, quick: bool) -> list[dict[str, Any]]:
    from bench.workloads import WORKLOADS, WorkloadContext

    ctx = WorkloadContext(rows=rows, quick=quick)
    results = []
    for item in WORKLOADS:
        try:
            figures: dict[str, Any] = dict(item.run(ctx))
        except Exception as exc:  # noqa: BLE001 - reported in the table
            figures = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        results.append({"name": item.name, "description": item.description, **figures})
    return results


def _prepared_statements() -> bool:
    """Whether the bench's connections prepare repeated statements (settings: DB_PREPARED_STATEMENTS)."""
    from django.conf import settings

    return settings.DATABASES["default"].get("OPTIONS", {}).get("prepare_threshold") is not None


def _prepared_note(machine: dict[str, Any]) -> str:
    return "; prepared statements off (DB_PREPARED_STATEMENTS=0)" if machine.get("prepared_statements") is False else ""


# --- the report ---------------------------------------------------------------------------------
def render(report: dict[str, Any]) -> str:
    lines: list[str] = []
    machine = report.get("machine", {})
    if machine:
        loads = machine["load_average_at_start"][0], machine["load_average_at_end"][0]
        lines.append(
            f"Machine: {machine['cpus']} CPUs, load average {loads[0]:.1f} at start, {loads[1]:.1f} at end "
            "(other work on the machine shows in every figure)" + _prepared_note(machine)
        )
    seed = report["seed"]
    lines.append(
        f"Seeding (scale {report['scale']}): migrate {seed['migrate_s']:.1f} s, seed_demo {seed['demo_s']:.1f} s, "
        f"seed_demo --scale {seed['scale_s']:.1f} s, vacuum {seed.get('vacuum_s', 0.0):.1f} s "
        f"[{'ok' if seed['scale_s'] < TARGET_SEED_SECONDS else 'OVER'}: target < {TARGET_SEED_SECONDS} s]"
    )
    for line in seed["log"]:
        lines.append(f"    {line}")
    lines.append("")
    lines.append(
        f"Pages in process ({report['iterations']} requests each, round-robin; "
        f"targets: p95 <= {TARGET_PAGE_RATIO:g}x baseline, <= {TARGET_QUERIES} queries)"
    )
    lines.append(
        "  x base: the page's p95 over the p95 of /_baseline asked by the same persona; "
        "queries: one request, warm cache"
    )
    lines.append(f"  {'page':<34} {'persona':<17} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7} {'queries':>7}  verdict")
    for page in report["pages"]:
        if page["error"]:
            lines.append(f"  {page['name']:<34} {page['persona']:<17} ERROR {page['error']}")
            continue
        over = page["ratio"] > TARGET_PAGE_RATIO or page["queries"] > TARGET_QUERIES
        lines.append(
            f"  {page['name']:<34} {page['persona']:<17} {page['p50_ms']:>8.2f} {page['p95_ms']:>8.2f} "
            f"{page['ratio']:>7.2f} {page['queries']:>7}  {'OVER' if over else 'ok'}"
        )
    in_cpu = cpu_share(report["pages"])
    if in_cpu is not None:
        lines.append(
            f"  CPU time (the thread's, median): a request of the mixed traffic {in_cpu['mixed_ms']:.3f} ms, of the "
            f"same traffic on the baseline {in_cpu['baseline_ms']:.3f} ms: the baseline's share {in_cpu['share']:.2f}"
        )
    if report.get("load_error"):
        lines.append("")
        lines.append(f"HTTP load: ERROR {report['load_error']}")
    if report["load"]:
        http = report["http"]
        lines.append("")
        lines.append(
            f"HTTP load (gunicorn {http['workers']} workers x {http['threads']} threads, locust {http['users']} users, "
            f"{http['seconds']} s each in {http.get('rounds', 1)} alternating rounds, loopback)"
        )
        lines.append(f"  {'traffic':<34} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'requests':>9} {'errors':>7}")
        for run in report["load"]:
            lines.append(
                f"  {run['label']:<34} {run['rps']:>9.1f} {run['p50_ms']:>8.0f} {run['p95_ms']:>8.0f} "
                f"{run['requests']:>9} {run['failures']:>7}"
            )
            if run["label"] != "baseline":
                for page in run["by_page"]:
                    lines.append(
                        f"    {page['name']:<32} {page['rps']:>9.1f} {'':>8} {page['p95_ms']:>8.0f} "
                        f"{page['requests']:>9} {page['failures']:>7}"
                    )
        mixed, base = report["load"][0], report["load"][-1]
        if len(mixed.get("rounds", [])) > 1 and len(mixed["rounds"]) == len(base.get("rounds", [])):
            shares = [m / b for m, b in zip(mixed["rounds"], base["rounds"], strict=True) if b]
            lines.append(f"  mixed/baseline by round: {', '.join(f'{share:.2f}' for share in shares)}")
        if base["rps"]:
            share = mixed["rps"] / base["rps"]
            verdict = "ok" if share >= TARGET_THROUGHPUT_SHARE and mixed["failures"] == 0 else "OVER"
            lines.append(
                f"  mixed/baseline throughput {share:.2f} [{verdict}: target >= {TARGET_THROUGHPUT_SHARE}, no errors]"
            )
    lines += _instruction_lines(report.get("instructions") or {})
    lines.append("")
    lines.append(f"Workloads ({report['workload_rows']} rows where row-shaped)")
    for item in report["workloads"]:
        figures = ", ".join(f"{key} {value}" for key, value in item.items() if key not in {"name", "description"})
        lines.append(f"  {item['name']:<34} {figures}")
    lines.append("")
    lines.append("Targets (issue 8)")
    lines += [f"  {name:<34} {verdict}" for name, verdict in targets(report)]
    return "\n".join(lines)


def _instruction_lines(counted: dict[str, Any]) -> list[str]:
    if not counted:
        return []
    lines = ["", "Instructions per request (Valgrind callgrind: the same on any machine load; one process, warm)"]
    if "pages" not in counted:
        return [*lines, f"  not counted: {counted.get('skipped') or 'ERROR ' + str(counted.get('error'))}"]
    lines.append(f"  {'page':<44} {'persona':<17} {'M instr':>8} {'x base':>7}")
    for page in counted["pages"]:
        million = f"{page['instructions'] / 1e6:8.2f}" if page["instructions"] else f"{'-':>8}"
        ratio = f"{page['ratio']:7.2f}" if page["ratio"] else f"{'':>7}"
        lines.append(f"  {page['name']:<44} {page['persona']:<17} {million} {ratio}")
    if counted.get("share") is not None:
        mixed, base = counted["mixed"] / 1e6, counted["baseline"] / 1e6
        lines.append(
            f"  a request of the mixed traffic {mixed:.2f} M, of the same traffic on the baseline {base:.2f} M: "
            f"the baseline's share {counted['share']:.2f} (the throughput share, were CPU all a request cost)"
        )
    return lines


def targets(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Each target of the issue with its verdict on this run, for the summary under the table."""
    seed_s = report["seed"]["scale_s"]
    pages = [p for p in report["pages"] if not p["name"].startswith("baseline")]
    measured = [p for p in pages if not p.get("error")]
    within = [p for p in measured if p["ratio"] <= TARGET_PAGE_RATIO]
    most = max((p["queries"] for p in measured), default=0)
    reseeded = not any("added now: 0" in line for line in report["seed"].get("log", []))
    seeded = f"{seed_s:.0f} s" if reseeded else f"{seed_s:.0f} s: the sample was there; --reset times it from nothing"
    verdicts = [
        ("seeding < 10 min", f"{'ok' if seed_s < TARGET_SEED_SECONDS else 'OVER'} ({seeded})"),
        ("queries per page <= 12", f"{'ok' if most <= TARGET_QUERIES else 'OVER'} (at most {most})"),
        (
            "pages p95 <= 3x baseline",
            f"{'ok' if len(within) == len(pages) else 'OVER'} ({len(pages) - len(within)} of {len(pages)} pages over)",
        ),
    ]
    if len(report["load"]) >= 2 and report["load"][-1]["rps"]:
        mixed, base = report["load"][0], report["load"][-1]
        share = mixed["rps"] / base["rps"]
        ok = share >= TARGET_THROUGHPUT_SHARE and mixed["failures"] == 0
        verdicts.append(("mixed throughput >= 0.5x, no errors", f"{'ok' if ok else 'OVER'} ({share:.2f}x)"))
    in_cpu = cpu_share(report["pages"])
    if in_cpu is not None:
        verdict = "ok" if in_cpu["share"] >= TARGET_THROUGHPUT_SHARE else "OVER"
        verdicts.append(("  the same in CPU time (in process)", f"{verdict} ({in_cpu['share']:.2f}x)"))
    counted = (report.get("instructions") or {}).get("share")
    if counted is not None:
        verdict = "ok" if counted >= TARGET_THROUGHPUT_SHARE else "OVER"
        verdicts.append(("  the same in instructions (callgrind)", f"{verdict} ({counted:.2f}x)"))
    crediting = next((w for w in report["workloads"] if "ratio_to_bulk" in w), None)
    if crediting is not None:
        ratio = float(crediting["ratio_to_bulk"])
        verdicts.append(("crediting >= 0.5x bulk insert", f"{'ok' if ratio >= 0.5 else 'OVER'} ({ratio:.2f}x)"))
    return verdicts


def write_report(report: dict[str, Any], out_root: Path) -> Path:
    out_root.mkdir(parents=True, exist_ok=True)
    path = out_root / f"bench-{report['started'].replace(':', '').replace('-', '')}.json"
    text = json.dumps(report, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    (out_root / "latest.json").write_text(text, encoding="utf-8")
    return path


# --- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench_url, redis_url = required_services(dict(os.environ))
    _check_redis(redis_url)
    ensure_database(bench_url, reset=args.reset)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    load_at_start = list(os.getloadavg())
    out_root = Path(settings.VAR_DIR) / "bench"
    work_dir = out_root / "work"
    work_dir.mkdir(parents=True, exist_ok=True)
    print(f"bench: database {BENCH_DB} on {urlsplit(bench_url).hostname}, scale {args.scale}", flush=True)

    step = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - step
    step = time.perf_counter()
    call_command("seed_demo", quiet_logins=True, stdout=StringIO())
    demo_s = time.perf_counter() - step
    step = time.perf_counter()
    seed_out = StringIO()
    call_command("seed_demo", scale=args.scale, quiet_logins=True, stdout=seed_out)
    scale_s = time.perf_counter() - step
    seed_log = [line for line in seed_out.getvalue().splitlines() if line.strip()]
    print(f"  seeded in {scale_s:.1f} s", flush=True)
    vacuum_s = vacuum()

    print(f"  pages: {args.iterations} requests each ...", flush=True)
    pages = measure_pages(args.iterations)
    load: list[dict[str, Any]] = []
    load_error = ""
    if not args.no_load:
        try:
            load = measure_load(args, bench_url, redis_url, work_dir)
        except (RuntimeError, OSError) as exc:  # reported; the workloads still run
            load_error = str(exc)[:500]
    instructions = measure_instructions(args, bench_url, redis_url)
    workload_rows = 10_000 if args.quick else 100_000
    print(f"  workloads: {workload_rows} rows ...", flush=True)
    workloads = measure_workloads(workload_rows, args.quick)

    report: dict[str, Any] = {
        "started": started,
        "scale": args.scale,
        "quick": args.quick,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": list(os.getloadavg()),
            "prepared_statements": _prepared_statements(),
        },
        "seed": {"migrate_s": migrate_s, "demo_s": demo_s, "scale_s": scale_s, "vacuum_s": vacuum_s, "log": seed_log},
        "iterations": args.iterations,
        "pages": [asdict(page) for page in pages],
        "http": {
            "workers": args.workers,
            "threads": args.threads,
            "users": args.users,
            "seconds": args.load_seconds,
            "rounds": args.load_rounds,
        },
        "load": load,
        "load_error": load_error,
        "instructions": instructions,
        "workload_rows": workload_rows,
        "workloads": workloads,
    }
    print()
    print(render(report))
    path = write_report(report, out_root)
    print(f"\nWritten: {path} (and {out_root / 'latest.json'})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
