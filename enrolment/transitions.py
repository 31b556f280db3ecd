"""The lifecycles of applications and disputes as data.

An application is ``formed`` by the specialist (or created ``enrolled`` by the organisation's direct
enrolment by SNILS); the organisation enrols or rejects it (with a reason); the specialist may
cancel it while it is only formed; a result makes it ``completed`` or ``failed``, and a corrected
result may turn one into the other.

A dispute is ``open`` until the organisation answers or its due date passes (``escalated`` to a
methodologist); the specialist or a methodologist resolves an answered one, and a methodologist an
escalated one. An answer that does not satisfy the specialist can be escalated too.
"""

from __future__ import annotations

from enrolment.models import ApplicationStatus as A
from enrolment.models import DisputeStatus as D
from nmo_portal.lib.statemachine import TransitionTable

APPLICATION_MOVES = TransitionTable(
    {
        A.FORMED: {A.ENROLLED, A.REJECTED, A.CANCELLED},
        A.ENROLLED: {A.COMPLETED, A.FAILED},
        A.COMPLETED: {A.FAILED},
        A.FAILED: {A.COMPLETED},
        A.REJECTED: set(),
        A.CANCELLED: set(),
    }
)
APPLICATION_LABELS = dict(A.choices)

DISPUTE_MOVES = TransitionTable(
    {
        D.OPEN: {D.ANSWERED, D.ESCALATED},
        D.ANSWERED: {D.RESOLVED, D.ESCALATED},
        D.ESCALATED: {D.ANSWERED, D.RESOLVED},
        D.RESOLVED: set(),
    }
)
DISPUTE_LABELS = dict(D.choices)
