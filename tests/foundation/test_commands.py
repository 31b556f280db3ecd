from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_logins() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == first
    printed = out.getvalue()
    for login, password in [
        ("methodologist@demo.nmo", "demo-methodologist"),
        ("provider@demo.nmo", "demo-provider"),
        ("secretary@demo.nmo", "demo-secretary"),
        ("commission@demo.nmo", "demo-commission"),
        ("specialist@demo.nmo", "demo-specialist"),
    ]:
        assert login in printed and password in printed
        assert User.objects.get(email=login).check_password(password)


@pytest.mark.django_db
def test_run_periodic_runs_every_registered_job() -> None:
    out = StringIO()
    call_command("run_periodic", stdout=out)
    assert out.getvalue().strip()
