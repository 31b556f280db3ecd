"""Plans of the secretary's queue on a seeded table (issue 8, item 2)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts import demo_scale as accounts_scale
from accounts.models import User
from accreditation import demo_scale as accreditation_scale
from accreditation.selectors import applications_for_staff
from nmo_portal.lib.demo import DemoContext
from tests.performance.explain import assert_calls_use_indexes, assert_no_seq_scan
from trajectory import demo_scale as trajectory_scale

SEEDED = 40_000  # 2 000 applications, 200 in the demo commission's queue


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_secretarys_queue_uses_indexes() -> None:
    call_command("seed_demo", quiet_logins=True, stdout=StringIO())
    ctx = DemoContext()
    for module in (accounts_scale, trajectory_scale, accreditation_scale):
        module.seed_scale(ctx, SEEDED)
    secretary = User.objects.get(email__iexact="secretary@demo.nmo")
    assert applications_for_staff(user=secretary, status="registered").count() > 40
    assert_no_seq_scan(applications_for_staff(user=secretary, status="registered"))
    assert_calls_use_indexes(lambda: list(applications_for_staff(user=secretary, status="registered")[:50]))
