"""The frame of ``manage.py seed_demo``: each app may have a ``demo.py`` with

    def seed_demo(ctx: DemoContext) -> None: ...          # the demo accounts and catalogue

and, for the benchmarks, ``<app>/demo_scale.py`` with

    def seed_scale(ctx: DemoContext, n: int) -> None: ... # n specialists and their data, in bulk

called in dependency order. Both must be idempotent: running the command twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoLogin:
    login: str
    password: str
    roles: str


@dataclass
class DemoContext:
    logins: list[DemoLogin] = field(default_factory=list)
    objects: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def log(self, message: str) -> None:
        self.objects.setdefault("_log", []).append(message)
