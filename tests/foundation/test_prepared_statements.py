"""PostgreSQL plans a query the portal runs again once per connection, not on every request."""

import pytest
from django.db import connection

from accounts.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _prepared() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return int(cursor.fetchone()[0])


def test_a_query_run_again_on_the_connection_is_prepared() -> None:
    before = _prepared()
    for _ in range(3):
        list(User.objects.filter(email="nobody@example.test"))
    assert _prepared() > before


def test_parameters_are_bound_by_the_server_and_still_typed() -> None:
    # server-side binding sends values apart from the SQL: a value that looks like SQL stays a value
    UserFactory(email="o'brien@example.test")
    assert User.objects.filter(email="o'brien@example.test").count() == 1
    assert not User.objects.filter(email="' OR 1=1 --").exists()


def test_a_statement_with_more_values_than_the_protocol_carries_is_bound_on_the_client() -> None:
    someone = UserFactory()
    ids = [someone.pk, *range(10**9, 10**9 + 70_000)]
    assert list(User.objects.filter(pk__in=ids)) == [someone]
