"""The Celery application. Tasks live in each app's ``tasks.py``; periodic jobs are declared there
with ``nmo_portal.lib.periodic.periodic_job`` and land in beat's schedule (django-celery-beat keeps
it in the database) and in ``manage.py run_periodic``."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmo_portal.settings.dev")

app = Celery("nmo_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_periodic_jobs(sender: Celery, **kwargs: Any) -> None:
    from nmo_portal.lib.periodic import beat_schedule

    sender.conf.beat_schedule = {**(sender.conf.beat_schedule or {}), **beat_schedule()}


@app.on_after_configure.connect
def _refuse_unsafe_production(sender: Celery, **kwargs: Any) -> None:
    from celery.signals import worker_init

    @worker_init.connect(weak=False)
    def _check(**_: Any) -> None:
        from nmo_portal.lib.safety import refuse_unsafe_production

        refuse_unsafe_production()
