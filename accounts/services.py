"""Writes on accounts. Every write goes through a function here."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Document, Role, RoleGrant, User


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


@transaction.atomic
def document_mark_used(*, document: Document) -> Document:
    """Record that the document opened a five-year cycle: from now on it can be replaced, not deleted.

    Called by the trajectory app when it opens a cycle. Idempotent; a conditional update so that
    two cycles opened at once both see the flag.
    """
    Document.objects.filter(pk=document.pk, used_for_cycle=False).update(used_for_cycle=True)
    document.used_for_cycle = True
    return document
