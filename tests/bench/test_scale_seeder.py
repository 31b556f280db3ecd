from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.demo_scale import SCALE_PASSWORD, scale_users
from accounts.models import Role, RoleGrant, User
from accounts.snils import normalize_snils


@pytest.mark.django_db
def test_scale_seeding_adds_n_specialists_once_and_prints_its_steps() -> None:
    out = StringIO()
    call_command("seed_demo", scale=40, quiet_logins=True, stdout=out)
    before = User.objects.count()
    call_command("seed_demo", scale=40, quiet_logins=True, stdout=StringIO())
    assert User.objects.count() == before
    assert scale_users(40).count() == 40
    printed = out.getvalue()
    assert "accounts.demo_scale:" in printed and "total:" in printed
    assert "accounts: scale specialists: 40" in printed


@pytest.mark.django_db
def test_a_larger_scale_adds_only_the_difference() -> None:
    call_command("seed_demo", scale=10, quiet_logins=True, stdout=StringIO())
    first_ids = set(scale_users(10).values_list("id", flat=True))
    call_command("seed_demo", scale=25, quiet_logins=True, stdout=StringIO())
    assert scale_users(25).count() == 25
    assert first_ids <= set(scale_users(25).values_list("id", flat=True))


@pytest.mark.django_db
def test_scale_specialists_are_valid_people_with_the_specialist_role() -> None:
    call_command("seed_demo", scale=30, quiet_logins=True, stdout=StringIO())
    users = list(scale_users(30))
    for user in users:
        assert normalize_snils(user.snils) == user.snils
        user.full_clean(exclude=["password"])
    assert len({user.email.lower() for user in users}) == 30
    assert RoleGrant.objects.filter(user__in=users, role=Role.SPECIALIST).count() == 30
    assert users[7].check_password(SCALE_PASSWORD)
