"""``seed_demo --scale N``: a national-size catalogue for the benchmarks, in bulk (COPY on
PostgreSQL through ``bench.bulk``).

At N >= 100 000 specialists: 100 organisations, 10 000 published programmes (every third with an
additional specialty) with 30 000 cycles, 2 000 events and 1 000 modules, spread over the
specialties and regions. A smaller N scales these down proportionally, never below a floor
(``FLOOR_PROGRAMMES``) so that catalogue search is still measured over a real-looking catalogue.

Idempotent: the scale rows are recognised by their prefixes, so a rerun adds only what is missing
(the same N adds nothing, a larger N the difference). ``manage.py bench_catalogue`` seeds through
this module too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bench.bulk import bulk_insert
from nmo_portal.lib.demo import DemoContext
from providers.demo import SCALE_PREFIX, inn10_with_check, ogrn_with_check
from providers.facets import catalogue_cache_clear
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
from reference.models import Region, Specialty

FULL_SCALE = 100_000  # specialists: the size at which the catalogue is national
PROGRAMMES = 10_000
CYCLES_PER_PROGRAMME = 3
EVENTS = 2_000
MODULES = 1_000
PROGRAMMES_PER_ORGANISATION = 100
FLOOR_PROGRAMMES = 300

ORGANISATION_PREFIX = "Масштаб-центр "
WORDS = [
    "кардиология",
    "терапия",
    "неврология",
    "педиатрия",
    "хирургия",
    "онкология",
    "эндокринология",
    "сестринское дело",
    "анестезиология",
    "пульмонология",
    "гастроэнтерология",
    "ревматология",
]


def scale_sizes(n: int) -> dict[str, int]:
    """How many scale rows N specialists bring: proportional up to the full scale, with a floor."""
    programmes = max(FLOOR_PROGRAMMES, PROGRAMMES * min(n, FULL_SCALE) // FULL_SCALE)
    ratio = programmes / PROGRAMMES
    return {
        "organisations": max(1, programmes // PROGRAMMES_PER_ORGANISATION),
        "programmes": programmes,
        "cycles": programmes * CYCLES_PER_PROGRAMME,
        "events": max(1, round(EVENTS * ratio)),
        "modules": max(1, round(MODULES * ratio)),
    }


def _organisations(count: int) -> list[int]:
    existing = Organisation.objects.filter(short_name__startswith=ORGANISATION_PREFIX)
    have = existing.count()
    if have < count:
        regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))

        def values(i: int) -> dict[str, Any]:
            return {
                "full_name": f"АНО ДПО «{ORGANISATION_PREFIX}{i:04d}»",
                "short_name": f"{ORGANISATION_PREFIX}{i:04d}",
                "ogrn": ogrn_with_check(f"19{i:010d}"),
                "inn": inn10_with_check(f"{770000000 + i:09d}"),
                "kpp": "770101001",
                "licence_number": f"Л035-99999-77/{i:05d}",
                "licence_date": dt.date(2019, 1, 1),
                "region_id": regions[i % len(regions)],
                "legal_address": "г. Москва",
                "actual_address": "г. Москва",
                "phone": "+7 495 000-00-00",
                "email": f"scale{i}@scale.nmo",
                "status": OrganisationStatus.APPROVED.value,
            }

        bulk_insert(Organisation, range(have, count), values)
    return list(existing.order_by("pk").values_list("pk", flat=True)[:count])


def _programmes(count: int, organisations: list[int], specialties: list[int], regions: list[int]) -> None:
    scale = Programme.objects.filter(title__startswith=SCALE_PREFIX)
    have = scale.count()
    if have >= count:
        return
    today = timezone.localdate()
    bulk_insert(
        Programme,
        range(have, count),
        lambda i: {
            "organisation_id": organisations[i % len(organisations)],
            "title": f"{SCALE_PREFIX}{WORDS[i % len(WORDS)]}, программа {i}",
            "hours": (18, 36, 72, 144)[i % 4],
            "form": ProgrammeForm.values[i % 3],
            "bases": [("budget", "contract", "ffoms")[i % 3]],
            "specialty_id": specialties[i % len(specialties)],
            "annotation": f"Повышение квалификации: {WORDS[(i * 7) % len(WORDS)]} и {WORDS[(i * 3) % len(WORDS)]}.",
            "status": ElementStatus.PUBLISHED.value,
        },
    )
    added = list(scale.order_by("pk").values_list("pk", flat=True)[have:count])
    bulk_insert(
        ProgrammeCycle,
        [(pk, k) for pk in added for k in range(CYCLES_PER_PROGRAMME)],
        lambda item: _cycle(item[0], item[1], today, regions),
    )
    through = Programme.additional_specialties.through
    bulk_insert(
        through,
        [pk for pk in added if pk % 3 == 0],
        lambda pk: {"programme_id": pk, "specialty_id": specialties[(pk * 7 + 1) % len(specialties)]},
    )


def _cycle(programme_id: int, k: int, today: dt.date, regions: list[int]) -> dict[str, Any]:
    offset = (programme_id * 11 + k * 60) % 400 - 100
    return {
        "programme_id": programme_id,
        "starts_on": today + dt.timedelta(days=offset),
        "ends_on": today + dt.timedelta(days=offset + 14),
        "seats_budget": 5,
        "seats_contract": 10,
        "seats_ffoms": 2,
        "price": Decimal("12000.00"),
        "region_id": regions[(programme_id + k) % len(regions)],
    }


def _events(count: int, organisations: list[int], specialties: list[int], regions: list[int]) -> None:
    scale = Event.objects.filter(title__startswith=SCALE_PREFIX)
    have = scale.count()
    if have >= count:
        return
    today = timezone.localdate()
    bulk_insert(
        Event,
        range(have, count),
        lambda i: {
            "organisation_id": organisations[i % len(organisations)],
            "title": f"{SCALE_PREFIX}конференция «{WORDS[i % len(WORDS)]}» {i}",
            "organiser_name": f"{ORGANISATION_PREFIX}{i % len(organisations):04d}",
            "starts_on": today + dt.timedelta(days=i % 365 - 60),
            "ends_on": today + dt.timedelta(days=i % 365 - 60 + i % 2),
            "zet": Decimal((3, 6, 12)[i % 3]),
            "format": (EventFormat.ONLINE, EventFormat.OFFLINE)[i % 2].value,
            "region_id": regions[i % len(regions)],
            "annotation": f"Образовательное мероприятие: {WORDS[(i * 5) % len(WORDS)]}.",
            "is_free": i % 4 == 0,
            "price": Decimal("0.00") if i % 4 == 0 else Decimal("3000.00"),
            "status": ElementStatus.PUBLISHED.value,
        },
    )
    added = list(scale.order_by("pk").values_list("pk", flat=True)[have:count])
    bulk_insert(
        Event.specialties.through,
        added,
        lambda pk: {"event_id": pk, "specialty_id": specialties[pk % len(specialties)]},
    )


def _modules(count: int, organisations: list[int], specialties: list[int]) -> None:
    scale = Module.objects.filter(title__startswith=SCALE_PREFIX)
    have = scale.count()
    if have >= count:
        return
    bulk_insert(
        Module,
        range(have, count),
        lambda i: {
            "organisation_id": organisations[i % len(organisations)],
            "title": f"{SCALE_PREFIX}модуль «{WORDS[i % len(WORDS)]}» {i}",
            "module_type": ModuleType.values[i % len(ModuleType.values)],
            "zet": Decimal((1, 2, 3)[i % 3]),
            "url": f"https://modules.scale.nmo/{i}",
            "annotation": f"Интерактивный модуль: {WORDS[(i * 5) % len(WORDS)]}.",
            "status": ElementStatus.PUBLISHED.value,
        },
    )
    added = list(scale.order_by("pk").values_list("pk", flat=True)[have:count])
    bulk_insert(
        Module.specialties.through,
        added,
        lambda pk: {"module_id": pk, "specialty_id": specialties[pk % len(specialties)]},
    )


def seed_scale(ctx: DemoContext, n: int) -> None:
    sizes = scale_sizes(n)
    specialties = list(Specialty.objects.order_by("pk").values_list("pk", flat=True))
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        organisations = _organisations(sizes["organisations"])
        _programmes(sizes["programmes"], organisations, specialties, regions)
        _events(sizes["events"], organisations, specialties, regions)
        _modules(sizes["modules"], organisations, specialties)
    catalogue_cache_clear()  # bulk inserts send no signals
    scale = {"title__startswith": SCALE_PREFIX}
    ctx.counts["providers: scale programmes"] = Programme.objects.filter(**scale).count()
    ctx.counts["providers: scale cycles"] = ProgrammeCycle.objects.filter(
        programme__title__startswith=SCALE_PREFIX
    ).count()
    ctx.counts["providers: scale events"] = Event.objects.filter(**scale).count()
    ctx.counts["providers: scale modules"] = Module.objects.filter(**scale).count()
