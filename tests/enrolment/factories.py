"""Builders for the enrolment tests: an approved organisation with staff, a published programme
with a cycle, a specialist holding a document in the programme's specialty, applications."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from accounts.models import Document, Role
from providers.models import Membership, Organisation, Programme, ProgrammeCycle
from reference.models import Specialty
from tests.factories import UserFactory

__all__ = [
    "enrolment_application",
    "enrolment_cycle",
    "enrolment_learner",
    "enrolment_organisation",
    "enrolment_staff",
    "reference_data_ensure",
]

_seq = count(1)


def enrolment_organisation(**extra: Any) -> Organisation:
    from tests.providers.factories import OrganisationFactory

    extra.setdefault("status", "approved")
    return OrganisationFactory(**extra)


def enrolment_staff(organisation: Organisation, **extra: Any) -> Any:
    user = UserFactory(roles=[Role.PROVIDER_STAFF], **extra)
    Membership.objects.create(organisation=organisation, user=user)
    return user


def _specialty() -> Specialty:
    specialty = Specialty.objects.filter(education_level="higher").order_by("pk").first()
    assert specialty is not None, "reference specialties are loaded by the migrations"
    return specialty


def enrolment_cycle(
    organisation: Organisation | None = None,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    seats_budget: int = 5,
    seats_contract: int = 5,
    seats_ffoms: int = 0,
    bases: list[str] | None = None,
    hours: int = 36,
    specialty: Specialty | None = None,
) -> ProgrammeCycle:
    organisation = organisation or enrolment_organisation()
    today = timezone.localdate()
    starts_on = starts_on or today + timedelta(days=10)
    ends_on = ends_on or starts_on + timedelta(days=14)
    programme = Programme.objects.create(
        organisation=organisation,
        title=f"Актуальные вопросы кардиологии {next(_seq)}",
        hours=hours,
        form="distance",
        bases=bases if bases is not None else ["budget", "contract", "ffoms"],
        specialty=specialty or _specialty(),
        status="published",
    )
    return ProgrammeCycle.objects.create(
        programme=programme,
        starts_on=starts_on,
        ends_on=ends_on,
        seats_budget=seats_budget,
        seats_contract=seats_contract,
        seats_ffoms=seats_ffoms,
        price=Decimal("12000.00"),
    )


def enrolment_learner(specialty: Specialty | None = None, user: Any = None, **extra: Any) -> Any:
    """A specialist with an accreditation document in ``specialty`` (and birth date)."""
    extra.setdefault("birth_date", date(1985, 4, 12))
    user = user or UserFactory(roles=[Role.SPECIALIST], **extra)
    if user.birth_date is None:
        user.birth_date = extra["birth_date"]
        user.save(update_fields=["birth_date"])
    Document.objects.create(
        owner=user,
        kind="accreditation",
        accreditation_type="periodic",
        specialty=specialty or _specialty(),
        number=f"77240{next(_seq):06d}",
        issued_on=date(2023, 6, 1),
    )
    return user


def enrolment_application(cycle: ProgrammeCycle, learner: Any = None, *, basis: str = "budget", **extra: Any) -> Any:
    from enrolment.services import application_create

    learner = learner or enrolment_learner(cycle.programme.specialty)
    return application_create(
        applicant=learner,
        programme_cycle=cycle,
        specialty=cycle.programme.specialty,
        employment=extra.pop("employment", "state"),
        basis=basis,
        consent=True,
        **extra,
    )


def reference_data_ensure() -> None:
    """Transactional tests flush the database, and with it the reference data and the rule set that
    the migrations load: put them back (idempotent)."""
    import importlib

    from django.apps import apps as django_apps
    from django.core.management import call_command

    from reference.models import Region, RuleSet
    from reference.rules import rules_cache_clear

    if not Region.objects.exists():
        call_command("load_reference", verbosity=0)
    if not RuleSet.objects.exists():
        importlib.import_module("reference.migrations.0004_default_ruleset").create(django_apps, None)
    rules_cache_clear()
