"""Writes on accounts. Every write goes through a function here."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, RoleGrant, User


@transaction.atomic
def role_grant(*, user: User, role: Role | str) -> RoleGrant:
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=Role(role))
    if hasattr(user, "_role_cache"):
        del user._role_cache
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: Role | str) -> None:
    RoleGrant.objects.filter(user=user, role=Role(role)).delete()
    if hasattr(user, "_role_cache"):
        del user._role_cache
