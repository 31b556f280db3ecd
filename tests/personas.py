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


# --- providers: two approved organisations and a staff member of each -------------------------
@pytest.fixture
def org_a(db: Any) -> Any:
    from tests.providers.factories import OrganisationFactory

    return OrganisationFactory(short_name="Учебный центр А")


@pytest.fixture
def org_b(db: Any) -> Any:
    from tests.providers.factories import OrganisationFactory

    return OrganisationFactory(short_name="Учебный центр Б")


@pytest.fixture
def provider_a(org_a: Any) -> Any:
    from providers.services import membership_add

    user = UserFactory(last_name="Учебнова", first_name="Анна")
    membership_add(organisation=org_a, user=user, is_admin=True)
    return user


@pytest.fixture
def provider_b(org_b: Any) -> Any:
    from providers.services import membership_add

    user = UserFactory(last_name="Учебнов", first_name="Борис")
    membership_add(organisation=org_b, user=user, is_admin=True)
    return user


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
