from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from portfolio.models import CreditEntry, SourceKind
from portfolio.services import credit_record
from tests.factories import UserFactory
from tests.trajectory.factories import catalogue_programme, cycle_for


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_to_edit_or_delete_a_ledger_entry(specialist: Any) -> None:
    cycle_for(specialist)
    secretary = UserFactory(roles=["secretary"])
    [entry] = credit_record(
        owner=specialist,
        element=catalogue_programme(hours=36),
        completed_on=date(2022, 5, 1),
        source_kind=SourceKind.PROGRAM_RESULT,
        source_key="r1",
        by=secretary,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.filter(pk=entry.pk).update(zet=72)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.filter(pk=entry.pk).delete()
    secretary.delete()  # credited_by becomes NULL: the one update allowed
    entry.refresh_from_db()
    assert entry.credited_by is None and entry.zet == 36
