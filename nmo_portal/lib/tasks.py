"""Enqueue Celery tasks only once the transaction that created their work has committed.

If the broker is unreachable the work is not lost: it is already saved in a pending state and the
app's periodic sweeper picks it up (issue: nothing a user entered is lost when a service is down).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """``task.delay(*args, **kwargs)`` after commit; a broker failure is logged, not raised."""

    def _send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:
            logger.warning("Could not enqueue %s%r; the sweeper will pick it up", task.name, args, exc_info=True)

    transaction.on_commit(_send)
