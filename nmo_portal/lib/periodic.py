"""Periodic jobs as data: each app declares its sweepers next to the task with ``periodic_job``.

Beat reads them through ``beat_schedule()``; ``manage.py run_periodic`` runs every one of them
once, synchronously (the embedded default and cron use it). A periodic task must be idempotent:
it claims its work with a conditional update, so running it twice or alongside beat is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from celery.schedules import crontab

T = TypeVar("T", bound=Callable[..., Any])


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any
    schedule: timedelta | crontab
    description: str


_JOBS: dict[str, PeriodicJob] = {}


def periodic_job(*, every: timedelta | crontab, description: str) -> Callable[[T], T]:
    """Register a Celery task (decorate *above* ``@shared_task``) as a periodic job."""

    def decorate(task: T) -> T:
        name = getattr(task, "name", None) or f"{task.__module__}.{task.__name__}"
        _JOBS[name] = PeriodicJob(name=name, task=task, schedule=every, description=description)
        return task

    return decorate


def registered_jobs() -> list[PeriodicJob]:
    _import_all_task_modules()
    return sorted(_JOBS.values(), key=lambda job: job.name)


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {job.name: {"task": job.name, "schedule": job.schedule} for job in registered_jobs()}


def _import_all_task_modules() -> None:
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.tasks"
        if find_spec(module) is not None:
            import_module(module)
