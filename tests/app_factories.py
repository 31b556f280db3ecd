"""Re-exports of per-app factories (``tests/<app>/factories.py``), added as apps land."""

from tests.accreditation.factories import *  # noqa: F403
