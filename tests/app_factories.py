"""Re-exports of per-app factories (``tests/<app>/factories.py``), added as apps land."""

from tests.trajectory.factories import *  # noqa: E402, F403
