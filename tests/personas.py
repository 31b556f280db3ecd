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


# --- periodic accreditation: two commissions and their staff -------------------------------------
@pytest.fixture
def commission_own(db: Any) -> Any:
    """The commission for the specialist's specialty (``accr_specialty()``)."""
    from tests.accreditation.factories import accr_commission, accr_specialty

    return accr_commission(specialties=[accr_specialty(0)], name="Подкомиссия своя")


@pytest.fixture
def commission_other(db: Any) -> Any:
    from tests.accreditation.factories import accr_commission, accr_specialty

    return accr_commission(specialties=[accr_specialty(1)], name="Подкомиссия чужая")


@pytest.fixture
def secretary_own(commission_own: Any) -> Any:
    from tests.accreditation.factories import accr_member

    user = UserFactory(roles=[Role.SECRETARY], last_name="Секретарёва")
    accr_member(commission_own, user, "secretary")
    return user


@pytest.fixture
def secretary_other(commission_other: Any) -> Any:
    from tests.accreditation.factories import accr_member

    user = UserFactory(roles=[Role.SECRETARY], last_name="Чужая")
    accr_member(commission_other, user, "secretary")
    return user


@pytest.fixture
def commission_member_own(commission_own: Any) -> Any:
    from tests.accreditation.factories import accr_member

    user = UserFactory(roles=[Role.COMMISSION], last_name="Комиссаров")
    accr_member(commission_own, user, "member")
    return user


@pytest.fixture
def commission_member_other(commission_other: Any) -> Any:
    from tests.accreditation.factories import accr_member

    user = UserFactory(roles=[Role.COMMISSION], last_name="Чужой")
    accr_member(commission_other, user, "member")
    return user
