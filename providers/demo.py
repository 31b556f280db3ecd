"""Demo data: the approved organisation «Учебный центр „Демо“» with ``provider@demo.nmo`` as its
admin, and a realistic catalogue (programmes with past, current and future cycles, events,
modules). Idempotent. The bulk catalogue for the benchmarks is ``providers/demo_scale.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from nmo_portal.lib.demo import DemoContext
from providers.models import (
    ElementStatus,
    Event,
    EventFormat,
    Module,
    ModuleType,
    Organisation,
    OrganisationStatus,
    Programme,
    ProgrammeCycle,
    ProgrammeForm,
)
from providers.services import membership_add
from reference.models import Region, Specialty

DEMO_ORGANISATION = "Учебный центр «Демо»"


def ogrn_with_check(first12: str) -> str:
    return first12 + str(int(first12) % 11 % 10)


def inn10_with_check(first9: str) -> str:
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return first9 + str(sum(w * int(d) for w, d in zip(weights, first9, strict=True)) % 11 % 10)


# (title, hours, form, main specialty code, additional codes, bases, simulation, new competency)
PROGRAMMES = [
    ("Актуальные вопросы терапии", 36, ProgrammeForm.DISTANCE, "76", ["25"], ["budget", "contract"], False, False),
    (
        "Артериальная гипертензия в практике терапевта",
        18,
        ProgrammeForm.DISTANCE,
        "76",
        ["25", "39"],
        ["contract"],
        False,
        False,
    ),
    ("Неотложная кардиология", 36, ProgrammeForm.PART_TIME, "25", ["76"], ["budget", "ffoms"], True, False),
    (
        "Кардиология: функциональная диагностика",
        144,
        ProgrammeForm.FULL_TIME,
        "25",
        [],
        ["contract", "ffoms"],
        True,
        False,
    ),
    ("Сестринское дело в терапии", 36, ProgrammeForm.DISTANCE, "219", ["221"], ["budget", "contract"], False, False),
    (
        "Сестринский уход за пациентами с сердечно-сосудистыми заболеваниями",
        72,
        ProgrammeForm.PART_TIME,
        "219",
        [],
        ["contract"],
        True,
        False,
    ),
    (
        "Организация сестринского дела в медицинской организации",
        144,
        ProgrammeForm.FULL_TIME,
        "205",
        ["219"],
        ["budget"],
        False,
        True,
    ),
    (
        "Анестезиология-реаниматология: трудные дыхательные пути",
        36,
        ProgrammeForm.FULL_TIME,
        "4",
        [],
        ["contract"],
        True,
        False,
    ),
]


@transaction.atomic
def seed_demo(ctx: DemoContext) -> None:
    today = timezone.localdate()
    moscow = Region.objects.get(code="77")
    organisation = Organisation.objects.filter(short_name=DEMO_ORGANISATION).first()
    if organisation is None:
        organisation = Organisation(
            full_name="Автономная некоммерческая организация дополнительного профессионального образования "
            "«Учебный центр „Демо“»",
            short_name=DEMO_ORGANISATION,
            ogrn=ogrn_with_check("103770000000"),
            inn=inn10_with_check("770000000"),
            kpp="770001001",
            licence_number="Л035-00115-77/00000001",
            licence_date=dt.date(2019, 9, 2),
            region=moscow,
            legal_address="г. Москва, ул. Демонстрационная, д. 1",
            actual_address="г. Москва, ул. Демонстрационная, д. 1",
            phone="+7 495 000-00-01",
            email="centre@demo.nmo",
            site="https://demo.nmo.example",
            status=OrganisationStatus.APPROVED,
        )
        organisation.full_clean()
        organisation.save()
    ctx.objects["organisation"] = organisation
    provider = ctx.objects.get("provider@demo.nmo")
    if provider is not None:
        membership_add(organisation=organisation, user=provider, is_admin=True)

    specialties = {s.code: s for s in Specialty.objects.all()}
    for index, (title, hours, form, main, extra, bases, simulation, new) in enumerate(PROGRAMMES):
        programme, created = Programme.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "hours": hours,
                "form": form,
                "bases": bases,
                "specialty": specialties[main],
                "annotation": f"Программа повышения квалификации «{title}»: лекции, клинические разборы и итоговая "
                "аттестация. Для специалистов с высшим и средним медицинским образованием по профилю программы.",
                "has_simulation": simulation,
                "has_distance_technologies": form == ProgrammeForm.DISTANCE,
                "is_new_competency": new,
                "status": ElementStatus.PUBLISHED,
            },
        )
        if created:
            programme.additional_specialties.set([specialties[code] for code in extra if code in specialties])
            length = max(hours // 6, 3)
            for offset in (-90 - index * 7, -2, 20 + index * 10, 80 + index * 5):  # past, current, future, future
                starts = today + dt.timedelta(days=offset)
                ProgrammeCycle.objects.create(
                    programme=programme,
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=length),
                    seats_budget=10 if "budget" in bases else 0,
                    seats_contract=25 if "contract" in bases else 0,
                    seats_ffoms=8 if "ffoms" in bases else 0,
                    price=Decimal("0") if bases == ["budget"] else Decimal(str(hours * 350)),
                    region=moscow,
                    place="г. Москва, ул. Демонстрационная, д. 1",
                )
    ctx.counts["demo programmes"] = (
        Programme.objects.filter(organisation=organisation).exclude(title__startswith=SCALE_PREFIX).count()
    )

    events = [
        ("Конференция «Кардиология сегодня»", -7, 0, Decimal("6"), EventFormat.OFFLINE, ["25", "76"]),
        ("Вебинар «Гипертонический криз: тактика»", 14, 0, Decimal("2"), EventFormat.ONLINE, ["76", "25"]),
        ("Школа медицинской сестры: инфекционная безопасность", 30, 1, Decimal("8"), EventFormat.OFFLINE, ["219"]),
        ("Вебинар «Сахарный диабет 2 типа»", -40, 0, Decimal("1"), EventFormat.ONLINE, ["76"]),
    ]
    for title, offset, extra_days, zet, fmt, codes in events:
        starts = today + dt.timedelta(days=offset)
        event, created = Event.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "organiser_name": DEMO_ORGANISATION,
                "starts_on": starts,
                "ends_on": starts + dt.timedelta(days=extra_days),
                "zet": zet,
                "format": fmt,
                "region": moscow if fmt == EventFormat.OFFLINE else None,
                "annotation": f"{title}: доклады ведущих специалистов и разбор клинических случаев.",
                "attendance_control": "Регистрация на входе и контрольные вопросы в течение мероприятия.",
                "status": ElementStatus.PUBLISHED,
            },
        )
        if created:
            event.specialties.set([specialties[code] for code in codes])
    modules = [
        ("ЭКГ: разбор 20 клинических случаев", ModuleType.CASES, Decimal("2"), ["25", "76"]),
        ("Тесты: фармакотерапия артериальной гипертензии", ModuleType.TESTS, Decimal("1"), ["76"]),
        ("2D-тренажёр: сердечно-лёгочная реанимация", ModuleType.SIMULATOR_2D, Decimal("3"), ["219", "4"]),
        (
            "Видеолекция: профилактика инфекций, связанных с оказанием медицинской помощи",
            ModuleType.VIDEO_LECTURE,
            Decimal("0"),
            ["219"],
        ),
    ]
    for number, (title, kind, zet, codes) in enumerate(modules, start=1):
        module, created = Module.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "module_type": kind,
                "zet": zet,
                "url": f"https://demo.nmo.example/modules/{number}",
                "annotation": f"Интерактивный модуль «{title}».",
                "status": ElementStatus.PUBLISHED,
            },
        )
        if created:
            module.specialties.set([specialties[code] for code in codes])


SCALE_PREFIX = "Масштаб: "  # the bulk benchmark rows of demo_scale.py, kept out of the demo counts
