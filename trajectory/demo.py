"""Demo data: the demo specialist's cycle from their accreditation document and a small plan.

Idempotent. If accounts created no document (or providers published nothing), nothing is created."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Document, DocumentKind, User
from nmo_portal.lib.demo import DemoContext
from nmo_portal.lib.exceptions import ApplicationError
from providers.models import ElementStatus, Event, Module, Programme
from trajectory.models import Cycle, PlanItem
from trajectory.services import cycle_open, plan_item_add

DEMO_SPECIALIST = "specialist@demo.nmo"


def seed_demo(ctx: DemoContext) -> None:
    user = User.objects.filter(email__iexact=DEMO_SPECIALIST).first()
    if user is None:
        return
    document = (
        Document.objects.filter(owner=user, kind__in=[DocumentKind.ACCREDITATION, DocumentKind.CERTIFICATE])
        .order_by("-issued_on")
        .first()
    )
    if document is None:
        return
    cycle = Cycle.objects.filter(document=document).first()
    if cycle is None:
        try:
            cycle = cycle_open(document=document, by=user)
        except ApplicationError as error:
            ctx.log(f"trajectory: demo cycle not opened: {error.message}")
            return
    ctx.objects["demo_cycle"] = cycle
    if not cycle.is_active or PlanItem.objects.filter(cycle=cycle).exists():
        return
    specialty = cycle.specialty_id
    candidates: list[tuple[str, QuerySet[Any]]] = [
        ("program", Programme.objects.filter(Q(specialty_id=specialty) | Q(additional_specialties=specialty))),
        ("module", Module.objects.filter(specialties=specialty)),
        ("event", Event.objects.filter(specialties=specialty)),
    ]
    for element_type, queryset in candidates:
        element = queryset.filter(status=ElementStatus.PUBLISHED).order_by("pk").first()
        if element is None:
            continue
        try:
            plan_item_add(cycle=cycle, element_type=element_type, element_id=element.pk, by=user)
        except ApplicationError:
            continue
