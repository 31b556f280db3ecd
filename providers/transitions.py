"""The review pipelines as data (conventions: lifecycles are transition tables)."""

from __future__ import annotations

from nmo_portal.lib.statemachine import TransitionTable
from providers.models import ElementStatus, OrganisationStatus

Org = OrganisationStatus
ORGANISATION_MOVES = TransitionTable(
    {
        Org.DRAFT: {Org.SUBMITTED},
        Org.SUBMITTED: {Org.IN_REVIEW},
        Org.IN_REVIEW: {Org.NEEDS_CHANGES, Org.REJECTED, Org.APPROVED},
        Org.NEEDS_CHANGES: {Org.SUBMITTED},
    }
)

E = ElementStatus
ELEMENT_MOVES = TransitionTable(
    {
        E.DRAFT: {E.ON_REVIEW, E.ARCHIVED},
        E.ON_REVIEW: {E.PUBLISHED, E.NEEDS_CHANGES},
        E.NEEDS_CHANGES: {E.ON_REVIEW},
        E.PUBLISHED: {E.ARCHIVED},
    }
)
PROGRAMME_MOVES = EVENT_MOVES = MODULE_MOVES = ELEMENT_MOVES

# Statuses in which the provider may still edit the passport.
EDITABLE_STATUSES = frozenset({E.DRAFT, E.NEEDS_CHANGES})
ORGANISATION_EDITABLE_STATUSES = frozenset({Org.DRAFT, Org.NEEDS_CHANGES})
