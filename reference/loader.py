"""Load the reference CSV files (``reference/data``) into the database, idempotently.

Used by the data migration and by ``manage.py load_reference`` when a list is updated. Rows are
matched on their key and updated in place; rows that disappeared from a file are not deleted (they
would orphan documents) but closed with ``valid_to``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# The date each nomenclature came into force, by its order (see data/SOURCES.md). The 2016 and
# 2019-2020 amendments of 700n carry their own start date as FFOMS V021 records it.
_SPECIALTY_VALID_FROM = {
    "higher": date(2016, 1, 1),  # Приказ № 700н of 07.10.2015, in force from 2016
    "secondary": date(2008, 4, 16),  # Приказ № 176н of 16.04.2008
}
_HIGHER_AMENDED_2016 = {str(code) for code in range(95, 102)}
_HIGHER_AMENDED_LATER = {
    "detskaya-onkologiya-gematologiya",
    "meditsinskaya-mikrobiologiya",
    "fizicheskaya-i-reabilitatsionnaya-meditsina",
}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    closed: int = 0


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _specialty_valid_from(level: str, code: str) -> date:
    if level == "higher" and code in _HIGHER_AMENDED_2016:
        return date(2017, 1, 7)
    if level == "higher" and code in _HIGHER_AMENDED_LATER:
        return date(2020, 1, 1)
    return _SPECIALTY_VALID_FROM[level]


def load_specialties(specialty_model: Any, *, today: date | None = None) -> LoadReport:
    report = LoadReport()
    seen: set[tuple[str, str]] = set()
    existing = {(s.education_level, s.code): s for s in specialty_model.objects.all()}
    for row in _read("specialties.csv"):
        key = (row["education_level"], row["code"])
        seen.add(key)
        values = {
            "name": row["name"],
            "source": row["source"],
            "valid_from": _specialty_valid_from(*key),
            "valid_to": None,
        }
        current = existing.get(key)
        if current is None:
            specialty_model.objects.create(education_level=key[0], code=key[1], **values)
            report.created += 1
        elif any(getattr(current, field) != value for field, value in values.items()):
            specialty_model.objects.filter(pk=current.pk).update(**values)
            report.updated += 1
    closing_day = today or date.today()
    for key, specialty in existing.items():
        if key not in seen and specialty.valid_to is None:
            specialty_model.objects.filter(pk=specialty.pk).update(valid_to=closing_day)
            report.closed += 1
    return report


def load_regions(region_model: Any) -> LoadReport:
    report = LoadReport()
    existing = {r.code: r for r in region_model.objects.all()}
    for row in _read("regions.csv"):
        values = {"name": row["name"], "iso_3166_2": row["iso_3166_2"]}
        current = existing.get(row["code"])
        if current is None:
            region_model.objects.create(code=row["code"], **values)
            report.created += 1
        elif any(getattr(current, field) != value for field, value in values.items()):
            region_model.objects.filter(pk=current.pk).update(**values)
            report.updated += 1
    return report


DEFAULT_RULESET = {
    "effective_from": date(2016, 1, 1),
    "name": "НМО: пятилетний цикл 250 ЗЕТ; периодическая аккредитация по приказу 709н",
    "basis": "Приказ Минздрава России от 22.12.2017 № 1043н; приказ Минздрава России от 28.10.2022 № 709н",
}


def ensure_default_ruleset(ruleset_model: Any) -> None:
    """The rule set of domain.md in force since 2016-01-01 (every figure has its model default)."""
    ruleset_model.objects.get_or_create(
        effective_from=DEFAULT_RULESET["effective_from"],
        defaults={"name": DEFAULT_RULESET["name"], "basis": DEFAULT_RULESET["basis"]},
    )


def load_all() -> None:
    """Everything the reference migrations load, again: for a database emptied by a flush."""
    from reference.models import Region, RuleSet, Specialty

    load_specialties(Specialty)
    load_regions(Region)
    ensure_default_ruleset(RuleSet)
