from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture
def reference_reloaded(transactional_db: Any) -> None:
    """For transactional tests: an earlier one may have flushed the rows the migrations loaded."""
    from reference.models import Specialty

    if not Specialty.objects.exists():
        call_command("load_reference", stdout=StringIO())
