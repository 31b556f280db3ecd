from __future__ import annotations

import pytest

from accounts.models import Role, RoleGrant, User
from bench.bulk import UnfillableColumn, bulk_insert, insert_fields
from tests.factories import UserFactory


@pytest.mark.django_db
def test_unnamed_columns_are_filled_from_the_fields_defaults() -> None:
    user = UserFactory()
    inserted = bulk_insert(RoleGrant, [user.pk], lambda uid: {"user_id": uid, "role": Role.SECRETARY.value})
    assert inserted == 1
    grant = RoleGrant.objects.get(user=user)
    assert grant.role == Role.SECRETARY and grant.granted_at is not None


@pytest.mark.django_db
def test_a_required_foreign_key_points_at_an_existing_row_when_not_named() -> None:
    user = UserFactory()
    bulk_insert(RoleGrant, [1], lambda _: {"role": Role.COMMISSION.value})
    assert RoleGrant.objects.get(role=Role.COMMISSION).user_id == user.pk


@pytest.mark.django_db
def test_a_column_the_model_does_not_have_is_refused_by_name() -> None:
    UserFactory()
    with pytest.raises(UnfillableColumn, match="no field"):
        bulk_insert(RoleGrant, [1], lambda _: {"role": "secretary", "colour": "red"})


def test_the_auto_primary_key_is_left_to_the_database() -> None:
    names = [field.name for field in insert_fields(User)]
    assert "id" not in names and "snils" in names and "password" in names


@pytest.mark.django_db
def test_a_required_foreign_key_with_no_row_to_point_at_is_named() -> None:
    with pytest.raises(UnfillableColumn, match=r"RoleGrant\.user"):
        bulk_insert(RoleGrant, [1], lambda _: {"role": "secretary"})
