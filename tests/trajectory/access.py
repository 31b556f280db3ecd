"""Access rows for cycles and the plan (see tests/access.py). The world builder for the credit
engine lives here (trajectory runs before portfolio): the specialist's cycle, a document not yet
used, a planned event and another event to add, a code activation and a ready portfolio PDF."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from tests.access import Row, World, statuses, world_builder
from tests.trajectory.factories import catalogue_event, cycle_document, cycle_for, specialty_pick

# Specialists only: anonymous 401 (API) / 302 to the login page; other roles 403; the other
# specialist 404 on the specialist's objects.
OWN_API = statuses(403, anonymous=401, specialist=200, other_specialist=404)
OWN_PAGE = statuses(403, anonymous=302, specialist=200, other_specialist=404)


@world_builder
def credit_engine(world: World) -> None:
    from portfolio.models import CodeActivation, PortfolioPdf
    from portfolio.services import verification_code_new
    from trajectory.services import plan_item_add

    specialty = specialty_pick(0)
    world.cycle = cycle_for(world.specialist, specialty=specialty, issued_on=date(2022, 3, 1))
    world.spare_document = cycle_document(world.specialist, specialty=specialty_pick(1))
    world.planned_event = catalogue_event(specialties=[specialty])
    world.other_event = catalogue_event(specialties=[specialty])
    world.plan_item = plan_item_add(
        cycle=world.cycle, element_type="event", element_id=world.planned_event.pk, by=world.specialist
    )
    world.activation = CodeActivation.objects.create(
        user=world.specialist, code_hash="0" * 64, code_masked="****-****-ABCD"
    )
    pdf = PortfolioPdf(owner=world.specialist, cycle=world.cycle, verification_code=verification_code_new())
    pdf.file.save("portfolio.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    pdf.status, pdf.content_sha256, pdf.entry_count, pdf.total_zet = "ready", "f" * 64, 0, 0
    from django.utils import timezone

    pdf.rendered_at = timezone.now()
    pdf.save()
    world.pdf = pdf


ROWS: list[Row] = [
    Row("api-plan", OWN_API, url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/plan/"),
    Row(
        "api-plan",
        statuses(403, anonymous=401, specialist=201, other_specialist=404),
        method="POST",
        url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/plan/",
        data=lambda w: {"element_type": "event", "element_id": w.other_event.pk},
    ),
    Row("api-plan-item", OWN_API, url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/plan/{w.plan_item.pk}/"),
    Row(
        "api-plan-item",
        statuses(403, anonymous=401, specialist=204, other_specialist=404),
        method="DELETE",
        url=lambda w: f"/api/v1/me/cycles/{w.cycle.pk}/plan/{w.plan_item.pk}/",
    ),
    Row("trajectory:plan-home", statuses(403, anonymous=302, specialist=302, other_specialist=302)),
    Row("trajectory:plan", OWN_PAGE, url=lambda w: f"/cycles/{w.cycle.pk}/plan/"),
    Row(
        "trajectory:plan-add",
        statuses(403, anonymous=302, specialist=302, other_specialist=404),
        method="POST",
        url=lambda w: f"/cycles/{w.cycle.pk}/plan/add/",
        data=lambda w: {"element": f"event:{w.other_event.pk}"},
    ),
    Row(
        "trajectory:plan-remove",
        statuses(403, anonymous=302, specialist=302, other_specialist=404),
        method="POST",
        url=lambda w: f"/cycles/{w.cycle.pk}/plan/{w.plan_item.pk}/remove/",
    ),
]
