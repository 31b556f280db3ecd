"""Retry a transaction that lost a race: a deadlock or a serialization failure (issue 9, item 3).

PostgreSQL aborts one of two transactions that deadlock (SQLSTATE 40P01) or that cannot be
serialized (40001); running the whole transaction again is the documented remedy. Crediting ZET,
claiming codes and recording results wrap their service in it::

    @atomic_with_retry(attempts=3)
    def results_record(*, cycle, rows, by): ...

The function runs in its own ``transaction.atomic()``; it is retried only when it is the outermost
transaction (inside another one the outer transaction is already aborted, so the error goes up for
the outermost retry to handle). Any other error goes up at once; after ``attempts`` the last error
goes up. The function must be safe to run again: everything it did was rolled back.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction

logger = logging.getLogger(__name__)

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
F = TypeVar("F", bound=Callable[..., Any])


def is_retryable(exc: BaseException) -> bool:
    """A deadlock or serialization failure, however Django wrapped the driver's error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        state = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if state in RETRYABLE_SQLSTATES:
            return True
        current = current.__cause__ or current.__context__
    return False


def atomic_with_retry(
    func: F | None = None, *, attempts: int = 3, backoff: float = 0.05, using: str = DEFAULT_DB_ALIAS
) -> Any:
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(inner: F) -> F:
        @functools.wraps(inner)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            outermost = not transaction.get_connection(using).in_atomic_block
            for attempt in range(1, attempts + 1):
                try:
                    with transaction.atomic(using=using):
                        return inner(*args, **kwargs)
                except DatabaseError as exc:
                    if not outermost or attempt == attempts or not is_retryable(exc):
                        raise
                    logger.warning("%s: %s, retrying (%d/%d)", inner.__qualname__, exc, attempt, attempts - 1)
                    time.sleep(backoff * (2 ** (attempt - 1)) * (0.5 + random.random()))
            raise AssertionError("unreachable")

        return cast(F, wrapper)

    return decorate(func) if func is not None else decorate
