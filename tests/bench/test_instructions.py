"""Instructions per request under callgrind (bench.instructions): the dumps read, the mix weighted as
the load test weights it, and the table's lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.instructions import dump_totals, summarize
from bench.runner import _instruction_lines, targets


def _page(name: str, persona: str, *, weight: int = 1) -> dict[str, Any]:
    return {"name": name, "persona": persona, "weight": weight, "baseline": name.startswith("baseline")}


PAGES = [
    _page("baseline (anonymous)", "anonymous"),
    _page("baseline (provider)", "provider"),
    _page("home", "anonymous"),
    _page("application list", "provider", weight=3),
]


def _dump(directory: Path, number: int, name: str, total: int) -> None:
    header = f"version: 1\ncreator: callgrind-3.19.0\ndesc: Trigger: dump {name}\n"
    (directory / f"callgrind.out.{number}").write_text(f"{header}\nsummary: {total}\ntotals: {total}\n")


def test_each_dump_is_read_as_the_page_it_names(tmp_path: Path) -> None:
    _dump(tmp_path, 1, "page0", 1_800_000)
    _dump(tmp_path, 2, "page3", 30_000_000)
    (tmp_path / "callgrind.out").write_text("desc: Trigger: Program termination\ntotals: 5\n")  # not a page
    assert dump_totals(tmp_path) == {0: 1_800_000, 3: 30_000_000}


def test_a_page_counts_what_its_cheaper_pass_counted(tmp_path: Path) -> None:
    # a memoized answer that expired in one pass is drawn in that pass only
    _dump(tmp_path, 1, "pass0-page0", 1_800_000)
    _dump(tmp_path, 2, "pass0-page1", 23_000_000)
    _dump(tmp_path, 3, "pass1-page0", 1_810_000)
    _dump(tmp_path, 4, "pass1-page1", 10_000_000)
    assert dump_totals(tmp_path) == {0: 1_800_000, 1: 10_000_000}


def test_the_share_is_the_baselines_weighted_mean_over_the_pages() -> None:
    counted = summarize(PAGES, {0: 2e6, 1: 5e6, 2: 3e6, 3: 10e6})
    by_name = {page["name"]: page for page in counted["pages"]}
    assert by_name["home"]["ratio"] == 1.5 and by_name["application list"]["ratio"] == 2.0
    assert by_name["baseline (provider)"]["ratio"] is None
    # (2 + 3 * 5) / 4 over (3 + 3 * 10) / 4
    assert counted["share"] == round(17 / 33, 3)
    assert counted["mixed"] == 8_250_000 and counted["baseline"] == 4_250_000


def test_a_page_without_a_count_or_a_baseline_is_left_out_of_the_share() -> None:
    counted = summarize(PAGES, {0: 2e6, 2: 4e6, 3: 10e6})  # the provider's baseline was not counted
    assert counted["share"] == 0.5
    assert summarize(PAGES, {})["share"] is None


def test_the_table_shows_the_counts_or_why_there_are_none() -> None:
    counted = summarize(PAGES, {0: 2e6, 1: 5e6, 2: 3e6, 3: 10e6})
    lines = "\n".join(_instruction_lines(counted))
    assert "application list" in lines and "10.00" in lines and "2.00" in lines
    assert "the baseline's share 0.52" in lines
    skipped = "\n".join(_instruction_lines({"skipped": "Valgrind is not installed (apt-get install valgrind)"}))
    assert "not counted: Valgrind is not installed" in skipped
    assert "not counted: ERROR callgrind run failed" in "\n".join(_instruction_lines({"error": "callgrind run failed"}))


def test_the_targets_name_the_share_in_instructions() -> None:
    report = {
        "seed": {"scale_s": 1.0, "log": []},
        "pages": [],
        "load": [],
        "workloads": [],
        "instructions": summarize(PAGES, {0: 2e6, 1: 5e6, 2: 3e6, 3: 10e6}),
    }
    verdicts = dict(targets(report))
    assert verdicts["  the same in instructions (callgrind)"] == "ok (0.52x)"
