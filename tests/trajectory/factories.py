"""Data for the credit engine's tests: documents, cycles, catalogue elements, confirmation codes.

Catalogue rows are created directly (the providers' review path is tested by providers); names
are prefixed so they never clash with other apps' factories re-exported beside them."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from accounts.models import Document
from reference.models import Region, Specialty

__all__ = [
    "catalogue_event",
    "catalogue_module",
    "catalogue_organisation",
    "catalogue_programme",
    "cycle_document",
    "cycle_for",
    "ensure_reference_data",
    "event_code",
    "specialty_pick",
]

_numbers = itertools.count(1)


def ensure_reference_data() -> None:
    """Reload what the reference migrations load, if a transactional test flushed it (tests that
    use real transactions run after a flush that leaves the tables empty)."""
    from reference.loader import load_regions, load_specialties
    from reference.models import RuleSet
    from reference.rules import rules_cache_clear

    if not Specialty.objects.exists():
        load_specialties(Specialty)
    if not Region.objects.exists():
        load_regions(Region)
    if not RuleSet.objects.exists():
        RuleSet.objects.create(effective_from=date(2016, 1, 1), name="НМО: пятилетний цикл 250 ЗЕТ")
    rules_cache_clear()


def specialty_pick(index: int = 0, level: str = "higher") -> Specialty:
    return Specialty.objects.filter(education_level=level).order_by("pk")[index]


def cycle_document(
    owner: Any,
    *,
    specialty: Specialty | None = None,
    issued_on: date = date(2022, 3, 1),
    kind: str = "accreditation",
) -> Document:
    return Document.objects.create(
        owner=owner,
        kind=kind,
        accreditation_type="periodic" if kind == "accreditation" else "",
        specialty=specialty or specialty_pick(),
        number=f"DOC-{next(_numbers)}",
        issued_on=issued_on,
        frmr_status="confirmed",
    )


def cycle_for(owner: Any, *, specialty: Specialty | None = None, issued_on: date = date(2022, 3, 1)) -> Any:
    from trajectory.services import cycle_open

    return cycle_open(document=cycle_document(owner, specialty=specialty, issued_on=issued_on), by=owner)


def catalogue_organisation(**extra: Any) -> Any:
    from providers.models import Organisation

    if not extra:
        existing = Organisation.objects.filter(ogrn="1027700132195").first()
        if existing is not None:
            return existing
    n = next(_numbers)
    defaults = {
        "full_name": f"Учебный центр {n}",
        "short_name": f"УЦ {n}",
        "ogrn": "1027700132195",
        "inn": "7707083893",
        "kpp": "773601001",
        "licence_number": f"Л035-{n}",
        "licence_date": date(2015, 1, 1),
        "region": Region.objects.order_by("pk").first(),
        "legal_address": "Москва",
        "actual_address": "Москва",
        "phone": "+74950000000",
        "email": f"org{n}@example.org",
        "status": "approved",
    }
    defaults.update(extra)
    return Organisation.objects.create(**defaults)


def catalogue_programme(
    *, specialty: Specialty | None = None, additional: list[Specialty] | None = None, hours: int = 36, **extra: Any
) -> Any:
    from providers.models import Programme

    programme = Programme.objects.create(
        organisation=extra.pop("organisation", None) or catalogue_organisation(),
        title=extra.pop("title", f"Программа ДПП ПК {next(_numbers)}"),
        hours=hours,
        form="distance",
        bases=["budget"],
        specialty=specialty or specialty_pick(),
        status=extra.pop("status", "published"),
        **extra,
    )
    if additional:
        programme.additional_specialties.set(additional)
    return programme


def catalogue_event(
    *,
    specialties: list[Specialty] | None = None,
    starts_on: date = date(2024, 5, 14),
    days: int = 1,
    zet: Decimal | int | str = 6,
    **extra: Any,
) -> Any:
    from providers.models import Event

    event = Event.objects.create(
        organisation=extra.pop("organisation", None) or catalogue_organisation(),
        title=extra.pop("title", f"Конференция {next(_numbers)}"),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        zet=Decimal(str(zet)),
        format="online",
        status=extra.pop("status", "published"),
        **extra,
    )
    event.specialties.set(specialties if specialties is not None else [specialty_pick()])
    return event


def catalogue_module(*, specialties: list[Specialty] | None = None, zet: Decimal | int | str = 2, **extra: Any) -> Any:
    from providers.models import Module

    module = Module.objects.create(
        organisation=extra.pop("organisation", None) or catalogue_organisation(),
        title=extra.pop("title", f"Модуль {next(_numbers)}"),
        module_type="cases",
        zet=Decimal(str(zet)),
        url="https://example.org/module",
        status=extra.pop("status", "published"),
        **extra,
    )
    module.specialties.set(specialties if specialties is not None else [specialty_pick()])
    return module


def event_code(event: Any, raw: str | None = None) -> str:
    """Issue one confirmation code for ``event``; returns the plain code."""
    from providers.codes import confirmation_code_generate_raw, confirmation_code_hash
    from providers.models import ConfirmationCode

    raw = raw or confirmation_code_generate_raw()
    ConfirmationCode.objects.create(event=event, code_hash=confirmation_code_hash(raw), last4=raw[-4:])
    return raw
