"""The lifecycle of an application to periodic accreditation, as data (api.md)."""

from __future__ import annotations

from accreditation.models import ApplicationStatus as S
from nmo_portal.lib.statemachine import TransitionTable

APPLICATION_MOVES = TransitionTable(
    {
        S.DRAFT: {S.SUBMITTED},
        S.SUBMITTED: {S.REGISTERED, S.RETURNED},
        S.REGISTERED: {S.UNDER_REVIEW, S.RETURNED},
        S.RETURNED: {S.SUBMITTED},
        S.UNDER_REVIEW: {S.DECIDED},
        S.DECIDED: {S.PUBLISHED},
    }
)

LABELS = dict(S.choices)
