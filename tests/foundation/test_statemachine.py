from __future__ import annotations

import pytest

from nmo_portal.lib.exceptions import ConflictError
from nmo_portal.lib.statemachine import TransitionTable

TABLE = TransitionTable(
    {"draft": {"on_review"}, "on_review": {"published", "needs_changes"}, "needs_changes": {"on_review"}}
)


def test_the_table_allows_only_declared_moves() -> None:
    assert TABLE.allowed("draft", "on_review")
    assert not TABLE.allowed("draft", "published")
    assert TABLE.targets("on_review") == {"published", "needs_changes"}


def test_a_refused_move_is_a_conflict_with_a_russian_message() -> None:
    with pytest.raises(ConflictError) as error:
        TABLE.check("draft", "published", labels={"draft": "Черновик", "published": "Опубликована"})
    assert error.value.status_code == 409
    assert "«Черновик»" in str(error.value.message)
