"""Reads on accounts, with permissions applied: a specialist sees only their own documents, and
the full SNILS is shown only to those whose work needs it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Document, Role, User
from accounts.roles import is_commission, is_methodologist, is_secretary, user_roles
from accounts.snils import format_snils, mask_snils
from nmo_portal.lib.exceptions import NotFound

ROLE_ORDER = [Role.SPECIALIST, Role.PROVIDER_STAFF, Role.SECRETARY, Role.COMMISSION, Role.METHODOLOGIST]


def user_role_list(*, user: Any) -> list[str]:
    """The roles a person holds, in a stable order (``GET /api/v1/me/``)."""
    held = user_roles(user)
    return [role.value for role in ROLE_ORDER if role.value in held]


def document_list(*, user: User) -> QuerySet[Document]:
    """The viewer's own documents, newest first, with what the list shows fetched in one query."""
    return Document.objects.filter(owner=user).select_related("specialty").order_by("-issued_on", "-id")


def document_get(*, user: User, document_id: Any) -> Document:
    """One of the viewer's own documents; someone else's is "not found", never "forbidden"."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError) as error:
        raise NotFound("Не найдено.") from error
    document = document_list(user=user).filter(pk=pk).first()
    if document is None:
        raise NotFound("Не найдено.")
    return document


def viewer_needs_full_snils(*, viewer: Any, subject: User) -> bool:
    """The person themselves, the accreditation secretary and commission (who identify applicants)
    and the methodologist (who corrects SNILS in the admin) see it in full; everyone else masked."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == subject.pk or viewer.is_superuser:
        return True
    return bool(is_secretary(viewer) or is_commission(viewer) or is_methodologist(viewer))


def snils_for_viewer(*, viewer: Any, subject: User) -> str:
    """The subject's SNILS as the viewer may see it: ``112-233-445 95`` or ``112-***-*** 95``."""
    if viewer_needs_full_snils(viewer=viewer, subject=subject):
        return format_snils(subject.snils)
    return mask_snils(subject.snils)
