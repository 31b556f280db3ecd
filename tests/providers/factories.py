"""Factories of the providers app: an approved organisation by default, elements published only
when asked (``status=...``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from providers.models import (
    ElementStatus,
    Event,
    EventFormat,
    Membership,
    Module,
    ModuleType,
    Organisation,
    OrganisationStatus,
    Programme,
    ProgrammeCycle,
    ProgrammeForm,
)
from reference.models import Region, Specialty


def valid_ogrn(n: int) -> str:
    """A 13-digit OGRN with a correct check digit: (first 12 mod 11) mod 10."""
    first12 = f"10277{n:07d}0"[:12]
    return first12 + str(int(first12) % 11 % 10)


# Valid INNs (python-stdnum ru.inn); INN is not unique, so a few suffice.
VALID_INN = ["7707083893", "7736207543", "7728168971", "7702070139", "7710140679"]


def specialty(code: str) -> Specialty:
    return Specialty.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    full_name = factory.Sequence(lambda n: f"Автономная некоммерческая организация ДПО «Учебный центр {n}»")
    short_name = factory.Sequence(lambda n: f"Учебный центр {n}")
    ogrn = factory.Sequence(valid_ogrn)
    inn = factory.Sequence(lambda n: VALID_INN[n % len(VALID_INN)])
    kpp = "770701001"
    licence_number = factory.Sequence(lambda n: f"Л035-00115-77/{n:05d}")
    licence_date = dt.date(2020, 3, 1)
    region = factory.LazyFunction(lambda: Region.objects.get(code="77"))
    legal_address = "г. Москва, ул. Примерная, д. 1"
    actual_address = "г. Москва, ул. Примерная, д. 1"
    phone = "+7 495 000-00-00"
    email = factory.Sequence(lambda n: f"centre{n}@example.org")
    status = OrganisationStatus.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory("tests.factories.UserFactory")
    is_admin = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Membership:
        from providers.services import membership_add

        return membership_add(organisation=kwargs["organisation"], user=kwargs["user"], is_admin=kwargs["is_admin"])


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Актуальные вопросы терапии, часть {n}")
    hours = 36
    form = ProgrammeForm.DISTANCE
    bases = factory.LazyFunction(lambda: ["budget", "contract"])
    specialty = factory.LazyFunction(lambda: Specialty.objects.get(code="76"))  # Терапия
    annotation = "Программа для врачей-терапевтов."
    status = ElementStatus.PUBLISHED

    @factory.post_generation
    def additional_specialties(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.additional_specialties.set(extracted)


class ProgrammeCycleFactory(factory.django.DjangoModelFactory[ProgrammeCycle]):
    class Meta:
        model = ProgrammeCycle

    programme = factory.SubFactory(ProgrammeFactory)
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=5))
    seats_budget = 10
    seats_contract = 20
    seats_ffoms = 5
    price = Decimal("15000.00")


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Конференция «Кардиология сегодня» {n}")
    organiser_name = "Учебный центр"
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)
    zet = Decimal("6")
    format = EventFormat.ONLINE
    status = ElementStatus.PUBLISHED

    @factory.post_generation
    def specialties(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.specialties.set(extracted)


class ModuleFactory(factory.django.DjangoModelFactory[Module]):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Клинические случаи: артериальная гипертензия {n}")
    module_type = ModuleType.CASES
    zet = Decimal("2")
    url = "https://edu.example.org/modules/1"
    status = ElementStatus.PUBLISHED

    @factory.post_generation
    def specialties(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.specialties.set(extracted)


__all__ = [
    "EventFactory",
    "MembershipFactory",
    "ModuleFactory",
    "OrganisationFactory",
    "ProgrammeCycleFactory",
    "ProgrammeFactory",
    "valid_ogrn",
]
