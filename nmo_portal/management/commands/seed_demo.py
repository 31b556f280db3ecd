from __future__ import annotations

import time
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nmo_portal.lib.demo import DemoContext
from nmo_portal.urls import PROJECT_APPS


class Command(BaseCommand):
    help = "Create the demo organisation, catalogue and accounts (idempotent); --scale N adds N specialists."

    # ``--scale N`` calls ``<app>.demo_scale.seed_scale(ctx, n)`` for each app that has one, in
    # dependency order (accounts' specialists before providers' catalogue before their cycles...).
    # Each step is timed; the row counts a step puts in ``ctx.counts`` are printed after it.

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=0, help="generate N specialists with related data (bulk)")
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = DemoContext()
        modules = [import_module(f"{app}.demo") for app in PROJECT_APPS if find_spec(f"{app}.demo")]
        for module in modules:
            if hasattr(module, "seed_demo"):
                module.seed_demo(ctx)
        scale = options["scale"]
        if scale:
            self._seed_scale(ctx, scale)
        if not options["quiet_logins"]:
            self.stdout.write("Демо-входы (логин / пароль / роли):")
            for login in ctx.logins:
                self.stdout.write(f"  {login.login:<28} {login.password:<22} {login.roles}")

    def _seed_scale(self, ctx: DemoContext, scale: int) -> None:
        started = time.perf_counter()
        for app in PROJECT_APPS:
            if find_spec(f"{app}.demo_scale") is None:
                continue
            module = import_module(f"{app}.demo_scale")
            counted = set(ctx.counts)
            step = time.perf_counter()
            module.seed_scale(ctx, scale)
            ctx.timings[module.__name__] = time.perf_counter() - step
            self.stdout.write(f"seed --scale {scale}: {module.__name__}: {ctx.timings[module.__name__]:.1f} s")
            for name in ctx.counts:
                if name not in counted:
                    self.stdout.write(f"seed --scale {scale}:   {name}: {ctx.counts[name]}")
        ctx.timings["total"] = time.perf_counter() - started
        self.stdout.write(f"seed --scale {scale}: total: {ctx.timings['total']:.1f} s")
