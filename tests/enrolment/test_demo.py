from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from enrolment.models import Application, ProgrammeResult

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_applications_and_results_idempotently(settings: Any) -> None:
    call_command("seed_demo", "--quiet-logins")
    applications = list(Application.objects.order_by("pk").values_list("pk", "status"))
    results = ProgrammeResult.objects.count()
    call_command("seed_demo", "--quiet-logins")
    assert list(Application.objects.order_by("pk").values_list("pk", "status")) == applications
    assert ProgrammeResult.objects.count() == results


def test_the_demo_skips_gracefully_without_the_catalogue() -> None:
    from enrolment.demo import seed_demo
    from nmo_portal.lib.demo import DemoContext

    ctx = DemoContext()
    seed_demo(ctx)
    assert any("skipped" in line for line in ctx.objects["_log"])
