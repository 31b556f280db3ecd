"""Facet counts of the public catalogue: how many published elements each filter value would find.

The counts follow the filters of ``providers/selectors.py`` exactly, for an otherwise empty query:

* specialty: a programme counts for its main specialty and for each additional one (once, if a
  specialty is both); events and modules for each of their specialties;
* region: a programme counts for its organisation's region and for each region where one of its
  open cycles is held (once per region); an event for its own region, or its organisation's when it
  has none; a module for its organisation's region;
* form (programmes), format and cost (events), type (modules); and the total.

Each kind costs three to five aggregate queries, cached for an hour under a version that
``providers/signals.py`` bumps after every committed change of what they count. Programmes'
counts also depend on today (which cycles are open), so the day is part of their key. The
organisations offered in the filter are cached the same way.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from nmo_portal.lib.versioned_cache import VersionedCache
from providers.models import ElementStatus, Event, Module, Programme
from providers.selectors import catalogue_organisations, open_cycles

T = TypeVar("T")

CATALOGUE_CACHE = VersionedCache("catalogue")
TIMEOUT = 3600
PUBLISHED = ElementStatus.PUBLISHED


@dataclass(frozen=True)
class Facets:
    """``counts[field][value]``: the published elements the filter ``field=value`` finds, keyed by
    the catalogue filter's name (``specialty``, ``region``, ``form``, ``format``, ``is_free``,
    ``module_type``) and the value as it appears in the query string. Absent values count 0."""

    total: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, name: str, value: Any) -> int | None:
        """The count for one option, or None when that filter has no counts."""
        if name not in self.counts:
            return None
        return self.counts[name].get(str(value), 0)


def catalogue_cache_clear() -> None:
    CATALOGUE_CACHE.bump()


def _grouped(queryset: QuerySet[Any], key: str, counted: str = "pk", *, distinct: bool = False) -> Counter[str]:
    rows = queryset.values(key).annotate(n=Count(counted, distinct=distinct)).order_by()
    return Counter({str(row[key]): row["n"] for row in rows if row[key] is not None})


def _programme_facets(today: date) -> Facets:
    published = Programme.objects.filter(status=PUBLISHED)
    # form, main specialty and the organisation's region in one grouped pass (a few thousand
    # combinations at most), summed per facet below
    forms: Counter[str] = Counter()
    specialty: Counter[str] = Counter()
    region: Counter[str] = Counter()
    combos = published.values("form", "specialty__code", "organisation__region__code").annotate(n=Count("pk"))
    for row in combos.order_by():
        forms[row["form"]] += row["n"]
        specialty[row["specialty__code"]] += row["n"]
        if row["organisation__region__code"] is not None:
            region[row["organisation__region__code"]] += row["n"]
    # An additional specialty that is also the main one is already counted above.
    specialty += _grouped(
        Programme.additional_specialties.through.objects.filter(programme__status=PUBLISHED).exclude(
            specialty_id=F("programme__specialty_id")
        ),
        "specialty__code",
        "programme_id",
    )
    # Open cycles outside the organisation's region add the programme there, once per region.
    region += _grouped(
        open_cycles(today=today)
        .filter(programme__status=PUBLISHED, region__isnull=False)
        .exclude(region_id=F("programme__organisation__region_id")),
        "region__code",
        "programme_id",
        distinct=True,
    )
    return Facets(
        total=sum(forms.values()),
        counts={"specialty": dict(specialty), "region": dict(region), "form": dict(forms)},
    )


def _event_facets() -> Facets:
    published = Event.objects.filter(status=PUBLISHED)
    formats: Counter[str] = Counter()
    cost: Counter[str] = Counter()
    for row in published.values("format", "is_free").annotate(n=Count("pk")).order_by():
        formats[row["format"]] += row["n"]
        cost["true" if row["is_free"] else "false"] += row["n"]
    region = _grouped(
        published.annotate(effective_region=Coalesce("region__code", "organisation__region__code")),
        "effective_region",
    )
    specialty = _grouped(
        Event.specialties.through.objects.filter(event__status=PUBLISHED), "specialty__code", "event_id"
    )
    return Facets(
        total=sum(formats.values()),
        counts={"specialty": dict(specialty), "region": dict(region), "format": dict(formats), "is_free": dict(cost)},
    )


def _module_facets() -> Facets:
    published = Module.objects.filter(status=PUBLISHED)
    types = _grouped(published, "module_type")
    region = _grouped(published, "organisation__region__code")
    specialty = _grouped(
        Module.specialties.through.objects.filter(module__status=PUBLISHED), "specialty__code", "module_id"
    )
    return Facets(
        total=sum(types.values()),
        counts={"specialty": dict(specialty), "region": dict(region), "module_type": dict(types)},
    )


def catalogue_facets(*, kind: str, today: date | None = None) -> Facets:
    """The facet counts of one catalogue (``programs``, ``events`` or ``modules``)."""
    if kind == "programs":
        day = today or timezone.localdate()
        return CATALOGUE_CACHE.get_or_compute(
            f"facets:programs:{day.isoformat()}", lambda: _programme_facets(day), timeout=TIMEOUT
        )
    if kind == "events":
        return CATALOGUE_CACHE.get_or_compute("facets:events", _event_facets, timeout=TIMEOUT)
    if kind == "modules":
        return CATALOGUE_CACHE.get_or_compute("facets:modules", _module_facets, timeout=TIMEOUT)
    raise ValueError(f"unknown catalogue: {kind}")


def catalogue_organisation_choices() -> list[tuple[int, str]]:
    """The organisations the catalogue can be filtered by (every approved one), as (id, name)."""

    def compute() -> list[tuple[int, str]]:
        return list(catalogue_organisations().values_list("pk", "short_name"))

    return CATALOGUE_CACHE.get_or_compute("organisations", compute, timeout=TIMEOUT)


# --- whole catalogue answers, shared by every viewer who reads them alike --------------------------
SEARCH_TIMEOUT = 300


def x2_scope(viewer_specialty_ids: set[int]) -> str:
    """Who reads a catalogue answer alike: the only thing of the viewer's an answer shows is the x2
    mark (an element crediting two of his specialties at once, see ``element_is_x2``), so it
    depends on his set of specialties and on nothing else, and not even on that when the set has
    fewer than two. Everyone with the same scope shares one answer."""
    if len(viewer_specialty_ids) < 2:
        return "all"
    return "x2=" + ",".join(str(pk) for pk in sorted(viewer_specialty_ids))


def catalogue_search_cached(scope: str, query: str, compute: Callable[[], T]) -> T:
    """A catalogue answer (the rendered filters and rows of a page, or an API page's data) for a
    query string, shared by every viewer for whom it reads the same (``scope`` carries
    ``x2_scope``: anonymous visitors and anyone whose documents make nothing x2 share one answer;
    viewers with the same specialties share theirs). Keyed by the day as well (a cycle that ended
    yesterday is no longer open) and stale as soon as anything in the catalogue changes (the
    version above); five minutes at most, so that seats and dates shown never lag far behind."""
    return CATALOGUE_CACHE.get_or_compute(catalogue_search_key(scope, query), compute, timeout=SEARCH_TIMEOUT)


def catalogue_search_key(scope: str, query: str) -> str:
    """The key of a catalogue answer in ``CATALOGUE_CACHE``: the day, the scope and the query."""
    digest = hashlib.sha256(f"{scope}\n{query}".encode()).hexdigest()[:32]
    return f"search:{timezone.localdate().isoformat()}:{digest}"
