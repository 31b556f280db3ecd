"""``Inline``: an id written into the statement, so that a prepared statement is planned per scope."""

import pytest

from accounts.models import User
from nmo_portal.lib.sql import Inline
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_id_is_part_of_the_statement_and_selects_the_same_rows() -> None:
    someone, other = UserFactory(), UserFactory()
    inline = User.objects.filter(pk=Inline(someone.pk))
    sql, params = inline.query.sql_with_params()
    assert f"= {someone.pk}" in sql
    assert params == ()
    assert list(inline) == [someone]
    assert other not in inline


@pytest.mark.parametrize("value", ["1", "1; DROP TABLE accounts_user", 1.0, True, None])
def test_only_an_int_can_be_written_into_the_statement(value: object) -> None:
    with pytest.raises(TypeError, match="int id"):
        Inline(value)
