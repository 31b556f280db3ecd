"""Data for periodic accreditation tests. Names start with ``accr_`` so they never clash with other
apps' factories re-exported beside them (``tests/app_factories.py``)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Document
from reference.models import Region, Specialty

__all__ = [
    "accr_application",
    "accr_commission",
    "accr_credit",
    "accr_cycle",
    "accr_member",
    "accr_pdf",
    "accr_reference_data",
    "accr_specialty",
    "accr_submitted",
]

_numbers = itertools.count(1)


def accr_specialty(index: int = 0, level: str = "higher") -> Specialty:
    return Specialty.objects.filter(education_level=level).order_by("pk")[index]


def accr_cycle(owner: Any, *, specialty: Specialty | None = None, valid_until: date | None = None) -> Any:
    """An active cycle whose document expires on ``valid_until`` (by default in six months, so
    that the filing window is open today)."""
    from trajectory.services import cycle_open

    valid_until = valid_until or (timezone.localdate() + timedelta(days=180))
    issued_on = valid_until.replace(year=valid_until.year - 5)
    document = Document.objects.create(
        owner=owner,
        kind="accreditation",
        accreditation_type="primary_specialised",
        specialty=specialty or accr_specialty(),
        number=f"ACC-{next(_numbers)}",
        issued_on=issued_on,
        frmr_status="confirmed",
    )
    return cycle_open(document=document, by=owner)


def accr_commission(*, specialties: list[Specialty] | None = None, region: Region | None = None, name: str = "") -> Any:
    from accreditation.models import Commission

    commission = Commission.objects.create(name=name or f"Аккредитационная подкомиссия {next(_numbers)}", region=region)
    commission.specialties.set(specialties if specialties is not None else [accr_specialty()])
    return commission


def accr_member(commission: Any, user: Any, role: str = "secretary") -> Any:
    from accreditation.models import CommissionMember

    return CommissionMember.objects.create(commission=commission, user=user, role=role)


def accr_pdf(name: str = "report.pdf", body: bytes = b"report", size: int | None = None) -> SimpleUploadedFile:
    content = b"%PDF-1.4\n" + body + b"\n%%EOF\n"
    if size is not None:
        content = b"%PDF-1.4\n" + b"0" * max(size - 16, 0) + b"\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _organisation() -> Any:
    from tests.providers.factories import OrganisationFactory

    return OrganisationFactory()


def accr_credit(
    cycle: Any,
    *,
    zet: Decimal | int | str,
    element_type: str = "program",
    completed_on: date | None = None,
    title: str = "",
) -> Any:
    """A ledger entry in ``cycle`` (created directly: crediting rules are the credit engine's)."""
    from portfolio.models import CreditEntry
    from providers.models import Event, Programme

    n = next(_numbers)
    completed_on = completed_on or cycle.starts_on + timedelta(days=400)
    fk: dict[str, Any]
    if element_type == "program":
        fk = {
            "programme": Programme.objects.create(
                organisation=_organisation(),
                title=title or f"ДПП ПК {n}",
                hours=int(Decimal(zet)),
                form="distance",
                bases=["budget"],
                specialty=cycle.specialty,
                status="published",
            )
        }
    else:
        event = Event.objects.create(
            organisation=_organisation(),
            title=title or f"Конференция {n}",
            starts_on=completed_on,
            ends_on=completed_on,
            zet=Decimal(zet),
            format="online",
            status="published",
        )
        fk = {"event": event}
        element_type = "event"
    return CreditEntry.objects.create(
        cycle=cycle,
        element_type=element_type,
        title=title or f"Элемент {n}",
        zet=Decimal(zet),
        completed_on=completed_on,
        cycle_year=cycle.year_of(completed_on),
        source_kind="program_result" if element_type == "program" else "event_code",
        source_key=f"accr-{n}",
        **fk,
    )


def accr_application(applicant: Any, *, cycle: Any = None, with_report: bool = True, **extra: Any) -> Any:
    from accreditation.services import application_create, application_report_upload

    cycle = cycle or accr_cycle(applicant)
    application = application_create(
        applicant=applicant,
        cycle=cycle,
        phone=extra.pop("phone", "+79161234567"),
        email=extra.pop("email", applicant.email),
        report_agreed_with_employer=extra.pop("report_agreed_with_employer", True),
        report_disagreement_reason=extra.pop("report_disagreement_reason", ""),
        **extra,
    )
    if with_report:
        application_report_upload(application=application, by=applicant, file=accr_pdf())
    return application


def accr_submitted(applicant: Any, **extra: Any) -> Any:
    from accreditation.services import application_submit

    application = accr_application(applicant, **extra)
    return application_submit(application=application, by=applicant)


def accr_reference_data() -> None:
    """Put the reference data back after a transactional test's flush emptied the tables (the data
    migrations ran once, at database creation); a no-op when it is there."""
    from datetime import date

    from django.core.management import call_command

    from reference.models import RuleSet
    from reference.rules import rules_cache_clear

    if not Specialty.objects.exists():
        call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    if not RuleSet.objects.exists():
        RuleSet.objects.create(effective_from=date(2016, 1, 1), name="НМО: правила по умолчанию (тест)")
        rules_cache_clear()
