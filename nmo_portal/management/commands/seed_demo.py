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
            started = time.perf_counter()
            for module in modules:
                if hasattr(module, "seed_scale"):
                    step = time.perf_counter()
                    module.seed_scale(ctx, scale)
                    ctx.timings[module.__name__] = time.perf_counter() - step
            ctx.timings["total"] = time.perf_counter() - started
            for name, seconds in ctx.timings.items():
                self.stdout.write(f"seed --scale {scale}: {name}: {seconds:.1f} s")
            for name, count in ctx.counts.items():
                self.stdout.write(f"seed --scale {scale}: {name}: {count} rows")
        if not options["quiet_logins"]:
            self.stdout.write("Демо-входы (логин / пароль / роли):")
            for login in ctx.logins:
                self.stdout.write(f"  {login.login:<28} {login.password:<22} {login.roles}")
