"""Locust traffic for ``make bench``: started by ``bench.http`` with ``BENCH_PLAN`` naming a JSON
file ``{"pages": [{"name", "url", "persona", "weight"}], "cookies": {persona: "sessionid=..."}}``.

Every simulated user sends requests back to back (no think time: the figure is the server's
throughput), each to a page drawn by weight, with the session cookie of that page's persona, so
anonymous and logged-in requests mix. A response other than 200 counts as a failure.
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["BENCH_PLAN"], encoding="utf-8") as plan_file:
    PLAN: dict[str, Any] = json.load(plan_file)

PAGES: list[dict[str, Any]] = PLAN["pages"]
WEIGHTS = [page.get("weight", 1) for page in PAGES]
COOKIES: dict[str, str] = PLAN.get("cookies", {})


class PortalUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def visit(self) -> None:
        page = random.choices(PAGES, weights=WEIGHTS)[0]
        cookie = COOKIES.get(page["persona"])
        headers = {"Cookie": cookie} if cookie else {}
        with self.client.get(page["url"], headers=headers, name=page["name"], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
