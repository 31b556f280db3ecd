"""Personas as fixtures (conventions: alice/bob/charlie in healthchecks). Each app's issue adds
the personas it needs here: the specialist, another specialist, provider staff of organisation A
and of organisation B, the secretary, the commission member, the methodologist."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Role
from tests.factories import UserFactory


@pytest.fixture
def specialist(db: Any) -> Any:
    return UserFactory(roles=[Role.SPECIALIST], last_name="Иванова", first_name="Елена")


@pytest.fixture
def other_specialist(db: Any) -> Any:
    return UserFactory(roles=[Role.SPECIALIST], last_name="Петров", first_name="Сергей")


@pytest.fixture
def secretary(db: Any) -> Any:
    return UserFactory(roles=[Role.SECRETARY])


@pytest.fixture
def commission_member(db: Any) -> Any:
    return UserFactory(roles=[Role.COMMISSION])


@pytest.fixture
def methodologist(db: Any) -> Any:
    return UserFactory(roles=[Role.METHODOLOGIST], is_staff=True)
