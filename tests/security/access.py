"""Access rows for the audit log (see tests/access.py)."""

from __future__ import annotations

from tests.access import Row, statuses

ROWS: list[Row] = [
    Row("audit-search", statuses(404, anonymous=302, methodologist=200)),
]
