"""Every read of organisations and the catalogue, with permissions applied.

Provider staff see only their organisations' objects: anything else is ``NotFound`` (404), never
403, so existence does not leak. The public catalogue shows only published elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Document
from accounts.roles import is_methodologist
from nmo_portal.lib.exceptions import ApplicationError, NotFound
from nmo_portal.lib.prepared import Listing, Prepared
from providers.codes import confirmation_code_hash
from providers.models import (
    ConfirmationCode,
    ElementStatus,
    Event,
    Membership,
    Module,
    ModuleCompletion,
    Organisation,
    OrganisationStatus,
    Programme,
    ProgrammeCycle,
)
from providers.search import search_filter

# --- Provider staff ---------------------------------------------------------------------------


# Read on every page of the provider's cabinet: compiled once per process (``Prepared``).
_ORGANISATION_IDS = Prepared(
    "staff organisation ids",
    lambda *, user_id: (
        Membership.objects.filter(user=user_id).order_by("organisation_id").values_list("organisation_id", flat=True)
    ),
)


def staff_organisation_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_staff_org_ids", None)
    if cached is None:
        cached = list(_ORGANISATION_IDS.rows(user_id=user.pk))
        user._staff_org_ids = cached
    return list(cached)


def staff_organisations(*, user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=staff_organisation_ids(user)).select_related("region")


def staff_organisation_get(*, user: Any, organisation_id: Any) -> Organisation:
    organisation = staff_organisations(user=user).filter(pk=_pk(organisation_id)).first()
    if organisation is None:
        raise NotFound(_("Организация не найдена."))
    return organisation


def staff_organisation_for_new(*, user: Any, organisation_id: Any = None) -> Organisation:
    """The organisation a new programme, event or module belongs to: the one named, or the
    user's only approved organisation."""
    if organisation_id not in (None, ""):
        return staff_organisation_get(user=user, organisation_id=organisation_id)
    approved = list(staff_organisations(user=user).filter(status=OrganisationStatus.APPROVED)[:2])
    if len(approved) == 1:
        return approved[0]
    if not approved:
        raise NotFound(_("У вас нет одобренной организации."))
    raise ApplicationError(_("Укажите организацию."), field="organization")


def staff_is_admin(*, user: Any, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation, is_admin=True).exists()


MAX_ID = 2**63 - 1  # ids are bigint: a larger number would overflow the query, not just miss


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Не найдено.")) from None
    if not 0 < pk <= MAX_ID:
        raise NotFound(_("Не найдено."))
    return pk


def staff_programmes(*, user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(organisation_id__in=staff_organisation_ids(user))
        .select_related("organisation", "specialty")
        .prefetch_related("additional_specialties")
        .order_by("-updated_at", "-pk")
    )


def _staff_programme_rows(*, organisation_ids: tuple[int, ...]) -> QuerySet[Programme]:
    """``staff_programmes`` with the additional specialties' codes as an array (``additional_codes``)
    instead of a prefetch: a value of the row, which its row-version stamp holds (a prefetch is
    another query, which a stamp cannot see). PostgreSQL only."""
    through = Programme.additional_specialties.through
    codes = (
        through.objects.filter(programme=OuterRef("pk"))
        .order_by("specialty__education_level", "specialty__name")  # Specialty's own order
        .values("specialty__code")
    )
    return (
        Programme.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation", "specialty")
        .annotate(additional_codes=ArraySubquery(codes))
        .order_by("-updated_at", "-pk")
    )


_STAFF_PROGRAMME_ROWS = Prepared("staff programmes", _staff_programme_rows)


def staff_programme_listing(*, user: Any) -> Listing[Programme] | QuerySet[Programme]:
    """The provider's programmes for the API's pages: prepared on PostgreSQL, where each row carries
    its additional specialties' codes; elsewhere ``staff_programmes`` with its prefetch."""
    if connection.vendor != "postgresql":
        return staff_programmes(user=user)
    return _STAFF_PROGRAMME_ROWS.listing(organisation_ids=tuple(staff_organisation_ids(user)))


# The cabinet's list pages show a title, hours or ZET and a state: the rows alone, ordered as the
# staff_* selectors order them, compiled once per process (``Prepared``).
_ELEMENT_PAGES: dict[str, Prepared[Any]] = {
    kind: Prepared(
        f"staff {kind} page",
        lambda *, organisation_ids, _model=model, _order=order: _model.objects.filter(
            organisation_id__in=organisation_ids
        ).order_by(*_order),
    )
    for kind, model, order in (
        ("programs", Programme, ("-updated_at", "-pk")),
        ("events", Event, ("-starts_on", "-pk")),
        ("modules", Module, ("-updated_at", "-pk")),
    )
}


def staff_element_page_listing(*, user: Any, kind: str) -> Listing[Any]:
    """The programmes, events or modules (``kind``) of the organisations ``user`` works for, for the
    cabinet's list page."""
    return _ELEMENT_PAGES[kind].listing(organisation_ids=tuple(staff_organisation_ids(user)))


def staff_programme_get(*, user: Any, programme_id: Any) -> Programme:
    programme = (
        Programme.objects.filter(pk=_pk(programme_id), organisation_id__in=staff_organisation_ids(user))
        .select_related("organisation", "specialty")
        .first()
    )
    if programme is None:
        raise NotFound(_("Программа не найдена."))
    return programme


def staff_cycles(*, user: Any, programme: Programme | None = None) -> QuerySet[ProgrammeCycle]:
    queryset = ProgrammeCycle.objects.filter(programme__organisation_id__in=staff_organisation_ids(user))
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset.select_related("programme", "region").order_by("starts_on", "pk")


def staff_cycle_get(*, user: Any, cycle_id: Any) -> ProgrammeCycle:
    cycle = staff_cycles(user=user).filter(pk=_pk(cycle_id)).first()
    if cycle is None:
        raise NotFound(_("Цикл не найден."))
    return cycle


def staff_events(*, user: Any) -> QuerySet[Event]:
    return (
        Event.objects.filter(organisation_id__in=staff_organisation_ids(user))
        .select_related("organisation", "region")
        .prefetch_related("specialties")
        .annotate(code_count=Count("codes"))
        .order_by("-starts_on", "-pk")
    )


def staff_event_get(*, user: Any, event_id: Any) -> Event:
    event = (
        Event.objects.filter(pk=_pk(event_id), organisation_id__in=staff_organisation_ids(user))
        .select_related("organisation")
        .first()
    )
    if event is None:
        raise NotFound(_("Мероприятие не найдено."))
    return event


def staff_modules(*, user: Any) -> QuerySet[Module]:
    return (
        Module.objects.filter(organisation_id__in=staff_organisation_ids(user))
        .select_related("organisation")
        .prefetch_related("specialties")
        .order_by("-updated_at", "-pk")
    )


def staff_module_get(*, user: Any, module_id: Any) -> Module:
    module = (
        Module.objects.filter(pk=_pk(module_id), organisation_id__in=staff_organisation_ids(user))
        .select_related("organisation")
        .first()
    )
    if module is None:
        raise NotFound(_("Модуль не найден."))
    return module


# --- The methodologist's review queue ---------------------------------------------------------
REVIEW_MODELS: dict[str, Any] = {"programs": Programme, "events": Event, "modules": Module}


def review_queue(*, user: Any, kind: str) -> QuerySet[Any]:
    if not is_methodologist(user):
        raise NotFound(_("Не найдено."))
    if kind == "organizations":
        return (
            Organisation.objects.filter(status__in=[OrganisationStatus.SUBMITTED, OrganisationStatus.IN_REVIEW])
            .select_related("region")
            .prefetch_related("responsible_persons")
            .order_by("created_at", "pk")
        )
    model = REVIEW_MODELS[kind]
    return model.objects.filter(status=ElementStatus.ON_REVIEW).select_related("organisation").order_by("updated_at")


def review_get(*, user: Any, kind: str, object_id: Any) -> Any:
    """Any element or organisation, for a methodologist (others: 404)."""
    if not is_methodologist(user):
        raise NotFound(_("Не найдено."))
    model = Organisation if kind == "organizations" else REVIEW_MODELS[kind]
    found = model.objects.filter(pk=_pk(object_id)).first()
    if found is None:
        raise NotFound(_("Не найдено."))
    return found


# --- The public catalogue ---------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueFilters:
    """Validated catalogue filters; every field is optional."""

    specialty: str | None = None  # a specialty code: the main one or an additional one
    region: str | None = None  # a region code
    organization: int | None = None
    form: str | None = None  # programmes
    basis: str | None = None  # programmes
    format: str | None = None  # events
    module_type: str | None = None  # modules
    zet_min: Decimal | None = None
    zet_max: Decimal | None = None
    starts_after: date | None = None
    starts_before: date | None = None
    is_free: bool | None = None  # events
    q: str | None = None
    ordering: str | None = None


PROGRAMME_ORDERINGS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "zet": ("hours", "title", "pk"),
    "-zet": ("-hours", "title", "pk"),
    "starts_on": (F("next_start").asc(nulls_last=True), "title", "pk"),
    "-starts_on": (F("next_start").desc(nulls_last=True), "title", "pk"),
}


def _off_index(ordering: tuple[Any, ...]) -> tuple[Any, ...]:
    """The same order, by expressions no index matches. With a search word the full-text (GIN)
    index finds the few matches; ordered by the bare title (or start date), whose partial indexes
    serve the first page of the whole catalogue, PostgreSQL instead walked every published
    programme in title order testing each against the text, hoping to fill a page early (bench:
    85 ms instead of 2.6 ms for a three-match search)."""
    # Both columns are NOT NULL: the fallbacks never apply, the order is the column's own.
    fallback = {"title": Value(""), "starts_on": Value(date.max)}
    shielded: list[Any] = []
    for item in ordering:
        name = item.lstrip("-") if isinstance(item, str) else ""
        if name in fallback:
            expression = Coalesce(name, fallback[name])
            shielded.append(expression.desc() if item.startswith("-") else expression.asc())
        else:
            shielded.append(item)
    return tuple(shielded)


EVENT_ORDERINGS = {
    "starts_on": ("starts_on", "pk"),
    "-starts_on": ("-starts_on", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "zet": ("zet", "pk"),
    "-zet": ("-zet", "pk"),
}
MODULE_ORDERINGS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "zet": ("zet", "title", "pk"),
    "-zet": ("-zet", "title", "pk"),
    "-rating": (F("rating_avg").desc(nulls_last=True), "title", "pk"),
    "-likes": ("-like_count", "title", "pk"),
}


def open_cycles(*, today: date | None = None) -> QuerySet[ProgrammeCycle]:
    """Open cycles: not finished yet (not started, or running): ``ends_on >= today``."""
    today = today or timezone.localdate()
    return ProgrammeCycle.objects.filter(ends_on__gte=today)


def _specialty_filter(code: str, *, main: str | None, m2m_through: Any, fk: str) -> Q:
    extra = m2m_through.objects.filter(specialty__code=code).values(fk)
    condition = Q(pk__in=extra)
    if main:
        condition |= Q(**{f"{main}__code": code})
    return condition


def catalogue_programmes(*, filters: CatalogueFilters | None = None, today: date | None = None) -> QuerySet[Programme]:
    """Published programmes with their open cycles prefetched (as ``open_cycles``), in a fixed
    number of queries whatever the number of rows.

    ``region``: an open cycle held in that region, or the organisation's region.
    ``starts_after``/``starts_before``: an open cycle starting in that period.
    ``basis``: the programme offers that basis of training.
    """
    f = filters or CatalogueFilters()
    today = today or timezone.localdate()
    cycles = open_cycles(today=today)
    queryset = Programme.objects.filter(status=ElementStatus.PUBLISHED)
    if f.specialty:
        queryset = queryset.filter(
            _specialty_filter(
                f.specialty, main="specialty", m2m_through=Programme.additional_specialties.through, fk="programme_id"
            )
        )
    if f.region:
        queryset = queryset.filter(
            Q(Exists(cycles.filter(programme=OuterRef("pk"), region__code=f.region)))
            | Q(organisation__region__code=f.region)
        )
    if f.organization:
        queryset = queryset.filter(organisation_id=f.organization)
    if f.form:
        queryset = queryset.filter(form=f.form)
    if f.basis:
        if connection.vendor == "postgresql":
            queryset = queryset.filter(bases__contains=[f.basis])
        else:  # SQLite has no JSON containment: the stored JSON text holds the quoted value
            queryset = queryset.alias(bases_text=Cast("bases", TextField())).filter(bases_text__contains=f'"{f.basis}"')
    if f.zet_min is not None:
        queryset = queryset.filter(hours__gte=f.zet_min)
    if f.zet_max is not None:
        queryset = queryset.filter(hours__lte=f.zet_max)
    if f.starts_after or f.starts_before:
        in_period = cycles.filter(programme=OuterRef("pk"))
        if f.starts_after:
            in_period = in_period.filter(starts_on__gte=f.starts_after)
        if f.starts_before:
            in_period = in_period.filter(starts_on__lte=f.starts_before)
        queryset = queryset.filter(Exists(in_period))
    if f.q:
        queryset = search_filter(queryset, kind="programme", text=f.q)
    ordering_name = f.ordering if f.ordering in PROGRAMME_ORDERINGS else "title"
    if ordering_name.endswith("starts_on"):  # only this ordering needs the nearest open start
        queryset = queryset.annotate(
            next_start=Subquery(cycles.filter(programme=OuterRef("pk")).order_by("starts_on").values("starts_on")[:1])
        )
    ordering = PROGRAMME_ORDERINGS[ordering_name]
    if f.q:
        ordering = _off_index(ordering)
    return (
        queryset.select_related("organisation", "organisation__region", "specialty")
        .prefetch_related(
            "additional_specialties",
            Prefetch(
                "cycles", queryset=cycles.select_related("region").order_by("starts_on", "pk"), to_attr="open_cycles"
            ),
        )
        .order_by(*ordering)
    )


def catalogue_events(*, filters: CatalogueFilters | None = None) -> QuerySet[Event]:
    f = filters or CatalogueFilters()
    queryset = Event.objects.filter(status=ElementStatus.PUBLISHED)
    if f.specialty:
        queryset = queryset.filter(
            _specialty_filter(f.specialty, main=None, m2m_through=Event.specialties.through, fk="event_id")
        )
    if f.region:
        queryset = queryset.filter(
            Q(region__code=f.region) | Q(region__isnull=True, organisation__region__code=f.region)
        )
    if f.organization:
        queryset = queryset.filter(organisation_id=f.organization)
    if f.format:
        queryset = queryset.filter(format=f.format)
    if f.is_free is not None:
        queryset = queryset.filter(is_free=f.is_free)
    if f.zet_min is not None:
        queryset = queryset.filter(zet__gte=f.zet_min)
    if f.zet_max is not None:
        queryset = queryset.filter(zet__lte=f.zet_max)
    if f.starts_after:
        queryset = queryset.filter(starts_on__gte=f.starts_after)
    if f.starts_before:
        queryset = queryset.filter(starts_on__lte=f.starts_before)
    if f.q:
        queryset = search_filter(queryset, kind="event", text=f.q)
    ordering = EVENT_ORDERINGS.get(f.ordering or "starts_on", EVENT_ORDERINGS["starts_on"])
    if f.q:
        ordering = _off_index(ordering)
    return (
        queryset.select_related("organisation", "organisation__region", "region")
        .prefetch_related("specialties")
        .order_by(*ordering)
    )


def catalogue_modules(*, filters: CatalogueFilters | None = None) -> QuerySet[Module]:
    f = filters or CatalogueFilters()
    queryset = Module.objects.filter(status=ElementStatus.PUBLISHED)
    if f.specialty:
        queryset = queryset.filter(
            _specialty_filter(f.specialty, main=None, m2m_through=Module.specialties.through, fk="module_id")
        )
    if f.region:
        queryset = queryset.filter(organisation__region__code=f.region)
    if f.organization:
        queryset = queryset.filter(organisation_id=f.organization)
    if f.module_type:
        queryset = queryset.filter(module_type=f.module_type)
    if f.zet_min is not None:
        queryset = queryset.filter(zet__gte=f.zet_min)
    if f.zet_max is not None:
        queryset = queryset.filter(zet__lte=f.zet_max)
    if f.q:
        queryset = search_filter(queryset, kind="module", text=f.q)
    ordering = MODULE_ORDERINGS.get(f.ordering or "title", MODULE_ORDERINGS["title"])
    return (
        queryset.annotate(
            like_count=Count("reactions", filter=Q(reactions__liked=True)),
            comment_count=Count("reactions", filter=~Q(reactions__comment="")),
            rating_avg=Avg("reactions__rating"),
        )
        .select_related("organisation", "organisation__region")
        .prefetch_related("specialties")
        .order_by(*ordering)
    )


def catalogue_programme_get(*, programme_id: Any, today: date | None = None) -> Programme:
    found = catalogue_programmes(today=today).filter(pk=_pk(programme_id)).first()
    if found is None:
        raise NotFound(_("Программа не найдена."))
    return found


def catalogue_event_get(*, event_id: Any) -> Event:
    found = catalogue_events().filter(pk=_pk(event_id)).first()
    if found is None:
        raise NotFound(_("Мероприятие не найдено."))
    return found


def catalogue_module_get(*, module_id: Any) -> Module:
    found = catalogue_modules().filter(pk=_pk(module_id)).first()
    if found is None:
        raise NotFound(_("Модуль не найден."))
    return found


def catalogue_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=OrganisationStatus.APPROVED).order_by("short_name", "pk")


def module_reviews(*, module: Module, limit: int = 50) -> list[Any]:
    return list(module.reactions.exclude(comment="").select_related("user").order_by("-created_at")[:limit])


# --- x2: one completion credits several of the viewer's specialties ---------------------------
_VIEWER_SPECIALTIES = Prepared(
    "viewer specialties",
    lambda *, owner_id: Document.objects.filter(owner_id=owner_id, specialty__isnull=False).values_list(
        "specialty_id", flat=True
    ),
)


def viewer_specialty_ids(user: Any) -> set[int]:
    """The specialties of the viewer's documents (an element crediting two of them is marked x2);
    none for an anonymous viewer."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(_VIEWER_SPECIALTIES.rows(owner_id=user.pk))


def element_specialty_ids(element: Any) -> set[int]:
    if isinstance(element, Programme):
        return {element.specialty_id, *(s.pk for s in element.additional_specialties.all())}
    return {s.pk for s in element.specialties.all()}


def element_is_x2(element: Any, viewer_specialty_ids: set[int]) -> bool:
    """x2 when the element credits at least two of the viewer's specialties at once."""
    if len(viewer_specialty_ids) < 2:
        return False
    return len(element_specialty_ids(element) & viewer_specialty_ids) >= 2


# --- For the credit engine --------------------------------------------------------------------
def confirmation_code_lookup(raw: str) -> ConfirmationCode | None:
    """The code row for a code as typed (any case, with or without separators), or None."""
    return ConfirmationCode.objects.filter(code_hash=confirmation_code_hash(raw)).select_related("event").first()


def module_completed_by(*, user: Any, module: Module) -> bool:
    return ModuleCompletion.objects.filter(user=user, module=module).exists()


def programme_next_start(programme: Programme) -> date | None:
    return min((c.starts_on for c in getattr(programme, "open_cycles", [])), default=None)
