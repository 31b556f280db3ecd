"""Reads of reference data. The lists are small and read on every form, so they are cached and the
cache is cleared whenever they are loaded again (or edited in the admin, ``reference/signals.py``).
A dead cache only costs a query (``nmo_portal/lib/versioned_cache.py``)."""

from __future__ import annotations

from nmo_portal.lib.versioned_cache import VersionedCache
from reference.models import EducationLevel, Region, Specialty

REFERENCE_CACHE = VersionedCache("reference")


def reference_cache_clear() -> None:
    REFERENCE_CACHE.bump()


def specialty_list(*, education_level: str | None = None) -> list[Specialty]:
    def compute() -> list[Specialty]:
        queryset = Specialty.objects.all()
        if education_level:
            queryset = queryset.filter(education_level=education_level)
        return list(queryset.order_by("education_level", "name"))

    return REFERENCE_CACHE.get_or_compute(f"specialties:{education_level or 'all'}", compute, timeout=3600)


def region_list() -> list[Region]:
    return REFERENCE_CACHE.get_or_compute("regions", lambda: list(Region.objects.order_by("code")), timeout=3600)


def is_education_level(value: str) -> bool:
    return value in EducationLevel.values
