from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.http import parse_stats
from bench.runner import bench_database_url, cpu_share, percentile, render, required_services, targets


def test_the_bench_database_is_nmo_bench_on_the_same_server() -> None:
    url = bench_database_url("postgres://nmo:secret@db.example:5433/nmo?sslmode=require")
    assert url == "postgres://nmo:secret@db.example:5433/nmo_bench?sslmode=require"


def test_it_refuses_sqlite_and_a_missing_redis() -> None:
    with pytest.raises(SystemExit, match="must point at PostgreSQL"):
        required_services({"DATABASE_URL": "sqlite:///var/nmo.sqlite3", "REDIS_URL": "redis://x:6379/0"})
    with pytest.raises(SystemExit, match="set DATABASE_URL"):
        required_services({"REDIS_URL": "redis://x:6379/0"})
    with pytest.raises(SystemExit, match="set REDIS_URL"):
        required_services({"DATABASE_URL": "postgres://u:p@h/db"})


def test_percentiles_interpolate_between_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0


def test_locust_statistics_are_read_per_page_and_in_total(tmp_path: Path) -> None:
    stats = tmp_path / "mixed_stats.csv"
    header = "Type,Name,Request Count,Failure Count,Median Response Time,Requests/s,50%,95%"
    stats.write_text(
        f"{header}\nGET,home,100,0,5,50.0,5,9\nGET,regions,60,2,3,30.0,3,7\n,Aggregated,160,2,4,80.0,4,8\n",
        encoding="utf-8",
    )
    result = parse_stats(stats, "mixed")
    assert (result.requests, result.failures, result.rps, result.p95_ms) == (160, 2, 80.0, 8.0)
    assert [page["name"] for page in result.by_page] == ["home", "regions"]


def test_rounds_of_one_traffic_are_combined_over_their_total_time() -> None:
    from bench.http import LoadResult, combined

    def run(requests: int, rps: float, p95: float, failures: int = 0) -> LoadResult:
        page = {"name": "home", "requests": requests, "failures": failures, "rps": rps, "p95_ms": p95}
        return LoadResult("mixed-n", requests, failures, rps, p95 / 2, p95, [page])

    result = combined("mixed", [run(2000, 100.0, 30), run(1000, 50.0, 90, failures=1), run(3000, 150.0, 40)], 60)
    assert (result.label, result.requests, result.failures, result.rps) == ("mixed", 6000, 1, 100.0)
    assert (result.p95_ms, result.rounds) == (40, [100.0, 50.0, 150.0])  # the median round's
    assert result.by_page == [{"name": "home", "requests": 6000, "failures": 1, "rps": 100.0, "p95_ms": 40}]


def test_the_table_flags_what_misses_a_target() -> None:
    page = {"persona": "anonymous", "error": "", "p50_ms": 1.0, "queries": 0}
    report = {
        "scale": 10,
        "seed": {"migrate_s": 1.0, "demo_s": 1.0, "scale_s": 2.0, "log": []},
        "iterations": 5,
        "pages": [
            {**page, "name": "baseline", "p95_ms": 1.0, "ratio": 1.0},
            {**page, "name": "slow page", "p95_ms": 4.0, "ratio": 4.0},
            {**page, "name": "broken", "error": "status 500, expected 200", "p95_ms": 0, "ratio": 0},
        ],
        "http": {"workers": 2, "threads": 2, "users": 20, "seconds": 60, "rounds": 2},
        "load": [
            {
                "label": "mixed",
                "rounds": [300.0, 500.0],
                "rps": 400.0,
                "p50_ms": 5,
                "p95_ms": 20,
                "requests": 4000,
                "failures": 0,
                "by_page": [{"name": "home", "rps": 400.0, "p95_ms": 20, "requests": 4000, "failures": 0}],
            },
            {
                "label": "baseline",
                "rounds": [1000.0, 1000.0],
                "rps": 1000.0,
                "p50_ms": 2,
                "p95_ms": 8,
                "requests": 10000,
                "failures": 0,
                "by_page": [],
            },
        ],
        "workload_rows": 10,
        "workloads": [
            {"name": "ledger_bulk_copy", "description": "", "rows_per_s": 1000},
            {"name": "portfolio: crediting", "description": "", "ratio_to_bulk": 0.7},
        ],
    }
    table = render(report)
    lines = {line.split()[0] + " " + line.split()[1]: line for line in table.splitlines() if len(line.split()) > 1}
    assert lines["baseline anonymous"].endswith("ok")
    assert lines["slow page"].endswith("OVER")
    assert "ERROR status 500" in lines["broken anonymous"]
    assert "mixed/baseline throughput 0.40 [OVER" in table
    assert "mixed/baseline by round: 0.30, 0.50" in table and "in 2 alternating rounds" in table
    assert "ledger_bulk_copy" in table
    summary = table.split("Targets (issue 8)")[1]
    assert "seeding < 10 min" in summary and "ok (2 s)" in summary
    assert "OVER (2 of 2 pages over)" in summary  # the slow one and the broken one
    assert "OVER (0.40x)" in summary and "ok (0.70x)" in summary


def test_the_load_baseline_is_the_same_traffic_asking_the_minimal_view() -> None:
    from bench.runner import baseline_load_plan

    plan = {
        "pages": [
            {"name": "plan page", "url": "/cycles/1/plan/", "persona": "scale_specialist", "weight": 2},
            {"name": "catalogue", "url": "/catalog/programs/?q=x", "persona": "anonymous", "weight": 1},
        ],
        "cookies": {"scale_specialist": "sessionid=abc"},
    }
    baseline = baseline_load_plan(plan)
    assert [(p["url"], p["persona"], p["weight"]) for p in baseline["pages"]] == [
        ("/_baseline", "scale_specialist", 2),
        ("/_baseline", "anonymous", 1),
    ]
    assert baseline["cookies"] == plan["cookies"]


def test_the_machine_line_says_when_statements_were_not_prepared() -> None:
    from bench.runner import _prepared_note

    assert _prepared_note({"prepared_statements": True}) == ""
    assert "prepared statements off" in _prepared_note({"prepared_statements": False})
    assert _prepared_note({}) == ""  # a report written before the setting existed


def test_the_cpu_share_weighs_each_page_against_its_personas_baseline() -> None:
    def page(name: str, persona: str, cpu_ms: float, weight: int = 0, error: str = "") -> dict[str, Any]:
        return {"name": name, "persona": persona, "cpu_ms": cpu_ms, "weight": weight, "error": error}

    pages = [
        page("baseline (anonymous)", "anonymous", 0.3),
        page("baseline (provider)", "provider", 1.0),
        page("home", "anonymous", 0.6, weight=1),
        page("application list", "provider", 2.5, weight=3),
        page("broken", "provider", 9.0, weight=1, error="status 500, expected 200"),
        page("a post, not in the load", "provider", 5.0),
    ]
    # (0.3 + 3 * 1.0) / 4 over (0.6 + 3 * 2.5) / 4
    assert cpu_share(pages) == {"mixed_ms": 2.025, "baseline_ms": 0.825, "share": round(3.3 / 8.1, 3)}
    assert cpu_share([{**p, "cpu_ms": 0.0} for p in pages]) is None  # a report from before the figure


def test_the_table_and_the_targets_show_the_cpu_share() -> None:
    pages = [
        {"name": "baseline", "persona": "anonymous", "error": "", "p50_ms": 1.0, "p95_ms": 1.0, "ratio": 1.0,
         "queries": 0, "cpu_ms": 0.5, "weight": 0},
        {"name": "home", "persona": "anonymous", "error": "", "p50_ms": 2.0, "p95_ms": 2.0, "ratio": 2.0,
         "queries": 0, "cpu_ms": 1.25, "weight": 1},
    ]  # fmt: skip
    report = {
        "scale": 10,
        "seed": {"migrate_s": 1.0, "demo_s": 1.0, "scale_s": 2.0, "log": []},
        "iterations": 5,
        "pages": pages,
        "http": {},
        "load": [],
        "workload_rows": 10,
        "workloads": [],
    }
    table = render(report)
    assert "of the same traffic on the baseline 0.500 ms: the baseline's share 0.40" in table
    assert dict(targets(report))["  the same in CPU time (in process)"] == "OVER (0.40x)"
