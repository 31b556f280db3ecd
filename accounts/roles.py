"""Roles as code: predicates used by selectors and services (and by templates, for display)."""

from __future__ import annotations

from typing import Any

import rules

from accounts.models import Role


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = set(user.role_grants.values_list("role", flat=True))
        user._role_cache = cached
    return set(cached)


def has_role(user: Any, role: str) -> bool:
    return role in user_roles(user)


@rules.predicate
def is_specialist(user: Any) -> bool:
    return has_role(user, Role.SPECIALIST)


@rules.predicate
def is_provider_staff(user: Any) -> bool:
    return has_role(user, Role.PROVIDER_STAFF)


@rules.predicate
def is_secretary(user: Any) -> bool:
    return has_role(user, Role.SECRETARY)


@rules.predicate
def is_commission(user: Any) -> bool:
    return has_role(user, Role.COMMISSION)


@rules.predicate
def is_methodologist(user: Any) -> bool:
    return has_role(user, Role.METHODOLOGIST)


# Django permissions as rules. The methodologist runs the accounts in the admin: corrects a SNILS
# (kept in the history) and sets a document's FRMR status; superusers are out of their reach.
rules.set_perm("accounts", is_methodologist)
rules.set_perm("accounts.view_user", is_methodologist)
rules.set_perm("accounts.change_user", is_methodologist)
rules.set_perm("accounts.view_document", is_methodologist)
rules.set_perm("accounts.change_document", is_methodologist)
