"""Reads of reference data. The lists are small and read on every form, so they are cached and the
cache is cleared whenever they are loaded again."""

from __future__ import annotations

from django.core.cache import cache

from reference.models import EducationLevel, Region, Specialty

_CACHE_VERSION_KEY = "reference:version"


def _version() -> int:
    version = cache.get(_CACHE_VERSION_KEY)
    if version is None:
        version = 1
        cache.set(_CACHE_VERSION_KEY, version, None)
    return int(version)


def reference_cache_clear() -> None:
    try:
        cache.incr(_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(_CACHE_VERSION_KEY, 2, None)


def specialty_list(*, education_level: str | None = None) -> list[Specialty]:
    key = f"reference:specialties:{education_level or 'all'}"
    rows: list[Specialty] | None = cache.get(key, version=_version())
    if rows is None:
        queryset = Specialty.objects.all()
        if education_level:
            queryset = queryset.filter(education_level=education_level)
        rows = list(queryset.order_by("education_level", "name"))
        cache.set(key, rows, 3600, version=_version())
    return rows


def region_list() -> list[Region]:
    key = "reference:regions"
    rows: list[Region] | None = cache.get(key, version=_version())
    if rows is None:
        rows = list(Region.objects.order_by("code"))
        cache.set(key, rows, 3600, version=_version())
    return rows


def is_education_level(value: str) -> bool:
    return value in EducationLevel.values
