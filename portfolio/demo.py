"""Demo data: credited entries in the demo specialist's cycle (an accepted event code and a module
completion), so the portfolio page shows something. Idempotent; does nothing without a cycle or
without a published, finished event / module in the cycle's specialty."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from nmo_portal.lib.demo import DemoContext
from nmo_portal.lib.exceptions import ApplicationError
from portfolio.models import ActivationStatus, CodeActivation, CreditEntry, SourceKind
from portfolio.services import code_activation_check, code_activation_submit, module_completion_report
from providers.models import ElementStatus, Event, Module, ModuleCompletion
from trajectory.models import Cycle


def seed_demo(ctx: DemoContext) -> None:
    cycle = ctx.objects.get("demo_cycle")
    if not isinstance(cycle, Cycle) or not cycle.is_active:
        return
    user = cycle.owner
    today = timezone.localdate()
    if not CodeActivation.objects.filter(user=user, status=ActivationStatus.ACCEPTED).exists():
        event = (
            Event.objects.filter(
                specialties=cycle.specialty_id,
                status=ElementStatus.PUBLISHED,
                ends_on__lte=today,
                ends_on__gte=cycle.starts_on,
            )
            .order_by("-ends_on")
            .first()
        )
        if event is not None:
            from providers.services import confirmation_codes_generate

            try:
                [raw] = confirmation_codes_generate(event=event, by=None, count=1)  # type: ignore[arg-type]
                activation = code_activation_submit(user=user, code=raw)
                code_activation_check(activation_id=activation.pk)
            except ApplicationError as error:
                ctx.log(f"portfolio: demo code not activated: {error.message}")
    if not CreditEntry.objects.filter(cycle=cycle, source_kind=SourceKind.MODULE_COMPLETION).exists():
        module = (
            Module.objects.filter(specialties=cycle.specialty_id, status=ElementStatus.PUBLISHED, zet__gt=0)
            .exclude(pk__in=ModuleCompletion.objects.filter(user=user).values("module"))
            .order_by("pk")
            .first()
        )
        if module is not None:
            try:
                module_completion_report(
                    module=module, user=user, completed_on=max(cycle.starts_on, today - timedelta(days=30)), by=None
                )
            except ApplicationError as error:
                ctx.log(f"portfolio: demo module not credited: {error.message}")
