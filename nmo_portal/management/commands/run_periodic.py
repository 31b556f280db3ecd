from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nmo_portal.lib.periodic import registered_jobs


class Command(BaseCommand):
    help = "Run every periodic job once, synchronously (for the embedded default and cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="only list the jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = registered_jobs()
        for job in jobs:
            if options["list"]:
                self.stdout.write(f"{job.name}: {job.description} ({job.schedule})")
                continue
            # apply() runs the task here and now; its result is already there, so the guard
            # against waiting on a task from inside a worker does not apply.
            result = job.task.apply().get(propagate=True, disable_sync_subtasks=False)
            self.stdout.write(f"{job.name}: {result!r}")
        if not jobs:
            self.stdout.write("no periodic jobs are registered")
