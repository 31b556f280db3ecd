from __future__ import annotations

import pytest
from django.core.management import call_command

from accreditation.models import AccreditationApplication, Commission, PortfolioSnapshot, Protocol

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_queue_in_several_states_and_is_idempotent() -> None:
    call_command("seed_demo", quiet_logins=True)
    states = set(AccreditationApplication.objects.values_list("status", flat=True))
    assert {"submitted", "registered", "returned", "under_review", "decided", "published"} <= states
    commission = Commission.objects.get()
    assert set(commission.members.values_list("user__email", "role")) == {
        ("secretary@demo.nmo", "secretary"),
        ("commission@demo.nmo", "member"),
    }
    counts = (AccreditationApplication.objects.count(), PortfolioSnapshot.objects.count(), Protocol.objects.count())
    call_command("seed_demo", quiet_logins=True)
    assert counts == (
        AccreditationApplication.objects.count(),
        PortfolioSnapshot.objects.count(),
        Protocol.objects.count(),
    )
    assert Protocol.objects.filter(published_at__isnull=False).count() == 1
