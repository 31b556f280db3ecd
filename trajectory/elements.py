"""The catalogue elements a plan item or a credit entry names, seen uniformly.

``providers`` owns programmes, events and modules; this module reads them for the credit engine:
an element's title, its ZET and the specialties it counts for (main + additional for a programme,
the listed specialties for an event or a module), loaded for many elements in a constant number
of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from providers.models import ElementStatus, Event, Module, Programme
from trajectory.models import ELEMENT_FIELDS, ElementType

ELEMENT_MODELS: dict[str, type[models.Model]] = {
    ElementType.PROGRAM: Programme,
    ElementType.EVENT: Event,
    ElementType.MODULE: Module,
}


def element_type_of(element: Any) -> str:
    for element_type, model in ELEMENT_MODELS.items():
        if isinstance(element, model):
            return str(element_type)
    raise TypeError(f"{type(element).__name__} is not a catalogue element")


def element_fk_kwargs(element: Any) -> dict[str, Any]:
    """``{"element_type": ..., "event": element}``: the fields naming ``element`` on a row."""
    element_type = element_type_of(element)
    return {"element_type": element_type, ELEMENT_FIELDS[element_type]: element}


def element_zet(element: Any) -> Decimal:
    if isinstance(element, Programme):
        return Decimal(element.hours)
    return Decimal(element.zet)


def element_specialty_ids(element: Any) -> set[int]:
    """The specialties the element counts for: main + additional (x2), or the listed ones."""
    if isinstance(element, Programme):
        ids = {element.specialty_id}
        ids.update(s.pk for s in element.additional_specialties.all())
        return ids
    return {s.pk for s in element.specialties.all()}


@dataclass(frozen=True)
class ElementKey:
    element_type: str
    element_id: int


def specialties_of_elements(keys: Iterable[ElementKey]) -> dict[ElementKey, set[int]]:
    """The specialty ids of many elements: at most one query per element type."""
    wanted: dict[str, set[int]] = {}
    for key in keys:
        wanted.setdefault(key.element_type, set()).add(key.element_id)
    result: dict[ElementKey, set[int]] = {}
    if ids := wanted.get(ElementType.PROGRAM):
        for pk, main in Programme.objects.filter(pk__in=ids).values_list("pk", "specialty_id"):
            result.setdefault(ElementKey(ElementType.PROGRAM, pk), set()).add(main)
        through = Programme.additional_specialties.through
        for pk, specialty in through.objects.filter(programme_id__in=ids).values_list("programme_id", "specialty_id"):
            result.setdefault(ElementKey(ElementType.PROGRAM, pk), set()).add(specialty)
    for element_type, model, column in (
        (ElementType.EVENT, Event, "event_id"),
        (ElementType.MODULE, Module, "module_id"),
    ):
        if ids := wanted.get(element_type):
            link: Any = model.specialties.through
            for pk, specialty in link.objects.filter(**{f"{column}__in": ids}).values_list(column, "specialty_id"):
                result.setdefault(ElementKey(element_type, pk), set()).add(specialty)
    return result


def published_element(element_type: str, element_id: int) -> Any | None:
    model = ELEMENT_MODELS.get(element_type)
    if model is None:
        return None
    return model._default_manager.filter(pk=element_id, status=ElementStatus.PUBLISHED).first()
