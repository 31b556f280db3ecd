"""Machine instructions per request, counted by Valgrind's callgrind: the figure the noise cannot move.

Times on a shared machine move by a quarter within a minute (issue 8's notes: one code base gave
0.33-0.55 of the baseline's throughput across runs). The instructions a request executes do not
depend on who else runs: this counts them for every page of the mixed load and for the baseline
asked by each page's persona, in one process (the full middleware stack, Django's test client,
the bench database and Redis), after three warm rounds. The mix's share is the load test's
question asked of instructions: the baseline's instructions per request over the mixed traffic's,
each page weighted as the load test weights it.

``python -m bench.instructions`` is the child run under ``valgrind --tool=callgrind
--instr-atstart=no``: it switches counting on (``callgrind_control -i on``) after warming up, and
dumps the counters after each page (``callgrind_control -d``), so each dump holds one page's
requests. It goes over the pages twice and keeps each page's lower count: what a request costs
when nothing else happens in it. A memoized answer that expires during the (50 times slower) run,
or the collector's full pass, lands in one pass only (seen once each: a page at 2.3 times its
count, a baseline at 1.4). Without Valgrind the figure is skipped with a note; ``apt-get install
valgrind``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REQUESTS_PER_PAGE = 3
WARM_ROUNDS = 3
PASSES = 2
_DUMP = re.compile(r"^desc: Trigger: dump (?:pass\d+-)?page(\d+)$", re.MULTILINE)
_TOTALS = re.compile(r"^totals: (\d+)$", re.MULTILINE)


def available() -> bool:
    return shutil.which("valgrind") is not None and shutil.which("callgrind_control") is not None


def measure(env: dict[str, str], *, requests: int = REQUESTS_PER_PAGE, timeout: int = 900) -> dict[str, Any]:
    """Instructions per request of each page and baseline: ``{"pages": [...], "share": ...}``."""
    with tempfile.TemporaryDirectory(prefix="nmo-callgrind-") as work:
        out = Path(work) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
            sys.executable, "-m", "bench.instructions", str(requests),
        ]  # fmt: skip
        completed = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=Path(__file__).parent.parent,
        )
        names = _names(completed.stdout)
        if completed.returncode != 0 or names is None:
            raise RuntimeError(f"callgrind run failed ({completed.returncode}): {completed.stderr[-1500:]}")
        counted = dump_totals(Path(work))
    return summarize(names, {index: total / requests for index, total in counted.items()})


def _names(stdout: str) -> list[dict[str, Any]] | None:
    import json

    for line in stdout.splitlines():
        if line.startswith("PAGES "):
            pages: list[dict[str, Any]] = json.loads(line[len("PAGES ") :])
            return pages
    return None


def dump_totals(directory: Path) -> dict[int, int]:
    """The instructions of each page, from the dumps callgrind wrote (``callgrind.out.N``): the
    lowest of the passes' dumps that name it."""
    totals: dict[int, int] = {}
    for path in directory.glob("callgrind.out.*"):
        text = path.read_text(errors="replace")
        dump, total = _DUMP.search(text), _TOTALS.search(text)
        if dump and total:
            page, count = int(dump.group(1)), int(total.group(1))
            totals[page] = min(count, totals.get(page, count))
    return totals


def summarize(pages: list[dict[str, Any]], per_request: dict[int, float]) -> dict[str, Any]:
    """Each page's instructions beside its persona's baseline, and the mix's share: the baseline's
    weighted mean over the pages' weighted mean (the load test's throughput share, in instructions)."""
    baselines = {page["persona"]: per_request.get(index) for index, page in enumerate(pages) if page["baseline"]}
    rows = []
    for index, page in enumerate(pages):
        count = per_request.get(index)
        base = baselines.get(page["persona"])
        rows.append(
            {
                **page,
                "instructions": round(count) if count is not None else None,
                "ratio": round(count / base, 2) if count and base and not page["baseline"] else None,
            }
        )
    measured = [row for row in rows if not row["baseline"] and row["instructions"] and baselines.get(row["persona"])]
    weight = sum(row["weight"] for row in measured)
    if not measured or not weight:
        return {"pages": rows, "share": None}
    mixed = sum(row["instructions"] * row["weight"] for row in measured) / weight
    base = sum(baselines[row["persona"]] * row["weight"] for row in measured) / weight  # type: ignore[operator]
    return {"pages": rows, "share": round(base / mixed, 3), "mixed": round(mixed), "baseline": round(base)}


def _child(requests: int) -> None:
    """Under callgrind: warm every page, then count each page's requests into a dump of its own."""
    import json

    import django

    django.setup()
    from django.test import Client

    from bench.pages import PAGES, PERSONAS, PageContext, baseline_for

    load_pages = [page for page in PAGES if page.method == "GET" and page.expect == 200 and page.weight > 0]
    personas = list(dict.fromkeys(page.persona for page in load_pages))
    pages = [baseline_for(persona) for persona in personas] + load_pages
    clients: dict[str, Client] = {}
    ready = []
    for page in pages:
        user = PERSONAS[page.persona]()
        if page.persona not in clients:
            clients[page.persona] = Client()
            if user is not None:
                clients[page.persona].force_login(user)
        ready.append((clients[page.persona], page.build_url(PageContext(page.persona, user))))
    for _ in range(WARM_ROUNDS):
        for client, url in ready:
            client.get(url)
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "--instr=on", pid], capture_output=True, check=True)
    time.sleep(0.3)  # callgrind takes the command at its next poll
    subprocess.run(["callgrind_control", "--zero", pid], capture_output=True, check=True)
    for number in range(PASSES):
        for index, (client, url) in enumerate(ready):
            for _ in range(requests):
                client.get(url)
            dump = f"--dump=pass{number}-page{index}"
            subprocess.run(["callgrind_control", dump, pid], capture_output=True, check=True)
    subprocess.run(["callgrind_control", "--instr=off", pid], capture_output=True, check=True)
    described = [
        {
            "name": page.name,
            "persona": page.persona,
            "weight": page.weight,
            "baseline": page.name.startswith("baseline"),
        }
        for page in pages
    ]
    print("PAGES " + json.dumps(described, ensure_ascii=False), flush=True)


if __name__ == "__main__":  # pragma: no cover - run by measure() under callgrind
    _child(int(sys.argv[1]) if len(sys.argv) > 1 else REQUESTS_PER_PAGE)
