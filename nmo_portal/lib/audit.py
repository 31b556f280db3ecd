"""The audit log: every staff action and every look at someone else's personal data is recorded.

    audit_record(actor=request.user, action="portfolio.viewed", target=cycle,
                 summary="Просмотр портфолио", request=request)

Call it inside the service's transaction, so the action and its record commit together. ``action``
is a dotted slug ``<entity>.<verb>`` (``application.enrolled``, ``results.recorded``); ``target``
is a model instance or a ``(type, id)`` pair; ``details`` is JSON (dates and Decimals allowed).
Never put passwords, tokens or confirmation codes in ``details``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from django.db import models
from django.http import HttpRequest

from nmo_portal.models import AuditEvent

_ACTION = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    parts = [str(getattr(actor, "snils", "") or ""), str(getattr(actor, "email", "") or "")]
    name = getattr(actor, "full_name", "")
    if name:
        parts.append(str(name))
    return " ".join(p for p in parts if p)[:300]


def _target(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    if isinstance(target, tuple) and len(target) == 2:
        return str(target[0])[:100], str(target[1])[:64]
    raise TypeError("target must be a model instance or a (type, id) pair")


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address as Django sees it (the proxy is expected to set REMOTE_ADDR correctly)."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    summary: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    if not _ACTION.match(action):
        raise ValueError(f"audit action {action!r} is not a dotted lower-case slug")
    target_type, target_id = _target(target)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:500],
        details=details or {},
        ip=client_ip(request),
    )


def audit_viewed(
    *,
    actor: Any,
    owner: Any,
    target: Any,
    request: HttpRequest | None = None,
    summary: str = "",
    action: str = "personal_data.viewed",
) -> AuditEvent | None:
    """Record that ``actor`` looked at data belonging to ``owner`` (a portfolio, a document, an
    application) unless it is the owner's own look. Call it from the selector or view that serves
    the data, e.g. ``audit_viewed(actor=request.user, owner=cycle.user, target=cycle, request=request,
    action="portfolio.viewed")``."""
    owner_pk = getattr(owner, "pk", owner)
    if getattr(actor, "pk", None) is not None and actor.pk == owner_pk:
        return None
    details = {"owner_id": str(owner_pk)}
    return audit_record(actor=actor, action=action, target=target, summary=summary, details=details, request=request)


def audit_search(
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    date_from: Any = None,
    date_to: Any = None,
) -> models.QuerySet[AuditEvent]:
    """The log filtered for the methodologist's search page (newest first).

    ``actor``: a SNILS in any spelling, an e-mail or part of a name; ``action``: a slug or its
    prefix (``application`` finds ``application.enrolled``); ``target``: ``type:id``, ``type`` or
    an id; ``date_from``/``date_to``: inclusive dates in the business time zone.
    """
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    events = AuditEvent.objects.select_related("actor")
    actor = actor.strip()
    if actor:
        digits = re.sub(r"[\s-]", "", actor)
        if digits.isdigit() and len(digits) == 11:
            events = events.filter(models.Q(actor__snils=digits) | models.Q(actor_label__startswith=digits))
        elif "@" in actor:
            events = events.filter(models.Q(actor__email__iexact=actor) | models.Q(actor_label__icontains=actor))
        else:
            events = events.filter(actor_label__icontains=actor)
    action = action.strip().lower()
    if action:
        events = events.filter(models.Q(action=action) | models.Q(action__startswith=action.rstrip(".") + "."))
    target = target.strip()
    if target:
        if ":" in target:
            kind, _, ident = target.partition(":")
            events = events.filter(target_type=kind.strip().lower(), target_id=ident.strip())
        elif "." in target:
            events = events.filter(target_type=target.lower())
        else:
            events = events.filter(target_id=target)
    zone = ZoneInfo(settings.BUSINESS_TIME_ZONE)
    if date_from:
        events = events.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        events = events.filter(created_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return events.order_by("-created_at", "-id")
