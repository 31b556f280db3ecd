"""Django's PostgreSQL backend, with prepared statements that a long statement cannot break.

With ``server_side_binding`` (settings: ``DB_PREPARED_STATEMENTS``) values travel apart from the
SQL, so psycopg can prepare a statement and PostgreSQL plans it once per connection. The protocol
carries at most 65 535 values in one statement, where client-side binding has no limit: a long
``IN`` list or a big batch would fail. Such a statement is bound on the client instead, as Django
does by default, and not prepared.

One more difference to know (Django ticket #20516): an expression with a value in it that is both
selected and grouped by (``annotate(x=Value(...))`` then ``values("x").annotate(Count(...))``)
becomes two parameters, which PostgreSQL does not see as the same expression. Group by a column.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.db.backends.postgresql import base as postgresql

# The extended query protocol counts a statement's parameters in 16 bits.
MAX_BOUND_PARAMETERS = 65_535

# defined under "if is_psycopg3" in Django's module, which the stubs do not see
ServerBindingCursor: Any = postgresql.ServerBindingCursor  # type: ignore[attr-defined]


class Cursor(ServerBindingCursor):
    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, None, **{**kwargs, "prepare": False})
        return super().execute(query, params, **kwargs)


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if params.get("cursor_factory") is ServerBindingCursor:
            params["cursor_factory"] = Cursor
        return params
