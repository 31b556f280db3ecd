"""Demo data: the demo specialist's applications at the demo organisation (idempotent).

- a future cycle: an application formed (the organisation can enrol or reject it);
- a cycle that has ended: enrolled and result entered (credited by the task after commit);
- another cycle that has ended: enrolled, no result yet ("ожидает внесения результатов…").

Everything goes through the services; running it again finds the rows and changes nothing. When
the demo organisation, catalogue or specialist is missing it logs why and does nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from enrolment.models import Application, ProgrammeResult
from enrolment.results_parsing import ResultRow
from enrolment.services import (
    applicant_specialty_ids,
    application_create,
    cycle_bases,
    enrolment_by_snils,
    programme_specialty_ids,
    results_record,
)
from nmo_portal.lib.demo import DemoContext
from nmo_portal.lib.exceptions import ApplicationError
from providers.models import ElementStatus, Organisation, ProgrammeCycle
from reference.models import Specialty

DEMO_ORGANISATION = "Учебный центр «Демо»"


def _demo_users(ctx: DemoContext) -> tuple[Any, Any]:
    specialist = ctx.objects.get("specialist@demo.nmo") or User.objects.filter(email="specialist@demo.nmo").first()
    provider = ctx.objects.get("provider@demo.nmo") or User.objects.filter(email="provider@demo.nmo").first()
    return specialist, provider


@transaction.atomic
def seed_demo(ctx: DemoContext) -> None:
    organisation = ctx.objects.get("organisation") or Organisation.objects.filter(short_name=DEMO_ORGANISATION).first()
    specialist, provider = _demo_users(ctx)
    if organisation is None or specialist is None or provider is None:
        ctx.log("enrolment: no demo organisation, specialist or provider: applications skipped")
        return
    own = applicant_specialty_ids(specialist)
    today = timezone.localdate()
    cycles = [
        c
        for c in ProgrammeCycle.objects.filter(
            programme__organisation=organisation, programme__status=ElementStatus.PUBLISHED
        )
        .select_related("programme__organisation")
        .order_by("starts_on", "pk")
        if own & programme_specialty_ids(c)
    ]
    future = [c for c in cycles if c.starts_on > today and cycle_bases(c)]
    ended = [c for c in cycles if c.ends_on < today]
    if not future and not ended:
        ctx.log("enrolment: no demo cycle matches the demo specialist's specialty: applications skipped")
        return
    has = set(Application.objects.filter(applicant=specialist).values_list("programme_cycle_id", flat=True))

    if future and future[0].pk not in has:
        cycle = future[0]
        specialty = Specialty.objects.get(pk=sorted(own & programme_specialty_ids(cycle))[0])
        try:
            application_create(
                applicant=specialist,
                programme_cycle=cycle,
                specialty=specialty,
                employment="state",
                basis=cycle_bases(cycle)[0],
                consent=True,
            )
        except ApplicationError as error:
            ctx.log(f"enrolment: demo application not formed: {error.message}")

    for index, cycle in enumerate(ended[:2]):
        if cycle.pk not in has:
            enrolment_by_snils(cycle=cycle, snils=specialist.snils, by=provider)
        if index == 0 and not ProgrammeResult.objects.filter(cycle=cycle, learner=specialist).exists():
            row = ResultRow(
                row=1,
                snils=specialist.snils,
                outcome="completed",
                completed_on=cycle.ends_on,
                certificate_number=f"ДЕМО-{cycle.pk:06d}",
            )
            results_record(cycle=cycle, rows=[row], by=provider)
    # The result is credited by the task enqueued on commit (and by the sweeper), like any other.
    ctx.counts["demo applications"] = Application.objects.filter(applicant=specialist).count()
