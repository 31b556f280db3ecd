"""Counting the SQL queries of a block of code: for the query-budget tests and ``make bench``.

with QueryCounter() as counted:
    client.get(url)
counted.count         # how many queries
counted.repeated()    # the statements run more than once, with their counts: the N+1 suspects
"""

from __future__ import annotations

import re
from collections import Counter
from types import TracebackType

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")
_IN_LISTS = re.compile(r"IN \((?:\?|%s|, )+\)")


def normalize_sql(sql: str) -> str:
    """The shape of a statement: literals and IN-lists folded, so repeats of one query match."""
    return _IN_LISTS.sub("IN (...)", _LITERALS.sub("?", sql))


class QueryCounter:
    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self._capture = CaptureQueriesContext(connections[using])

    def __enter__(self) -> QueryCounter:
        self._capture.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._capture.__exit__(exc_type, exc, traceback)

    @property
    def count(self) -> int:
        return len(self._capture.captured_queries)

    @property
    def statements(self) -> list[str]:
        return [query["sql"] for query in self._capture.captured_queries]

    def repeated(self) -> list[tuple[str, int]]:
        shapes = Counter(normalize_sql(sql) for sql in self.statements)
        return [(shape, times) for shape, times in shapes.most_common() if times > 1]
