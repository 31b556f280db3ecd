"""SQL details the ORM does not say by itself."""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Value


class Inline(Value):
    """An integer id written into the statement instead of sent as a parameter.

    PostgreSQL plans a prepared statement once for all its parameter values (a generic plan) when
    that looks as cheap as planning each call. For a scope whose size varies by orders of magnitude
    the guess is wrong: "programme_cycle_id = $1" is estimated at the average cycle (2 rows), and
    the big cycle's 2 000 learners were sorted in full for a page of 50 (6.5 ms instead of 1.2).
    With the id in the text, each scope is its own statement, planned for its size and then
    prepared like any other. Only for skewed scopes: a statement per value fills the connection's
    statement cache. Integers only, so nothing a user typed can reach the SQL text."""

    def __init__(self, value: Any) -> None:
        if type(value) is not int:
            raise TypeError(f"Inline takes an int id, not {type(value).__qualname__}")
        super().__init__(value, output_field=BigIntegerField())

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return str(int(self.value)), []
