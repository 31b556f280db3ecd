"""Keep the catalogue's cached facet counts and organisation list in step with every change, from
services and the admin alike: any committed save or delete of what they count bumps their version."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from providers.facets import catalogue_cache_clear
from providers.models import (
    Event,
    EventTransition,
    Module,
    ModuleTransition,
    Organisation,
    OrganisationTransition,
    Programme,
    ProgrammeCycle,
    ProgrammeTransition,
)

# An organisation's other fields (address, phone, ...) change neither the counts nor the filter.
ORGANISATION_FIELDS_COUNTED = {"status", "region", "region_id", "short_name"}


def _clear_after_commit(using: str | None = None) -> None:
    transaction.on_commit(catalogue_cache_clear, using=using)


@receiver([post_save, post_delete], sender=Programme)
@receiver([post_save, post_delete], sender=ProgrammeCycle)
@receiver([post_save, post_delete], sender=Event)
@receiver([post_save, post_delete], sender=Module)
# Lifecycle moves (publish, archive, approve an organisation) are conditional UPDATEs that send no
# post_save (``nmo_portal/lib/statemachine.py``); each writes a history row, which does.
@receiver(post_save, sender=ProgrammeTransition)
@receiver(post_save, sender=EventTransition)
@receiver(post_save, sender=ModuleTransition)
@receiver(post_save, sender=OrganisationTransition)
def _element_changed(using: str | None = None, **kwargs: Any) -> None:
    _clear_after_commit(using)


@receiver(m2m_changed, sender=Programme.additional_specialties.through)
@receiver(m2m_changed, sender=Event.specialties.through)
@receiver(m2m_changed, sender=Module.specialties.through)
def _specialties_changed(action: str, using: str | None = None, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _clear_after_commit(using)


@receiver([post_save, post_delete], sender=Organisation)
def _organisation_changed(using: str | None = None, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and not ORGANISATION_FIELDS_COUNTED & set(update_fields):
        return
    _clear_after_commit(using)
