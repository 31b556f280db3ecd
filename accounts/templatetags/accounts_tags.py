"""Personal data in templates: ``{{ user.snils|snils_masked }}`` in staff lists,
``{% snils_for person %}`` where the viewer may need the full number."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import User, format_phone
from accounts.selectors import snils_for_viewer
from accounts.snils import format_snils, mask_snils

register = template.Library()


@register.filter
def snils_masked(value: Any) -> str:
    digits = value.snils if isinstance(value, User) else str(value or "")
    return mask_snils(digits)


@register.filter
def snils_formatted(value: Any) -> str:
    digits = value.snils if isinstance(value, User) else str(value or "")
    return format_snils(digits)


@register.filter
def phone_formatted(value: Any) -> str:
    return format_phone(str(value or ""))


@register.simple_tag(takes_context=True)
def snils_for(context: dict[str, Any], subject: User) -> str:
    request = context.get("request")
    return snils_for_viewer(viewer=getattr(request, "user", None), subject=subject)
