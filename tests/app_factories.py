"""Re-exports of per-app factories (``tests/<app>/factories.py``), added as apps land."""

from tests.accounts.factories import *  # noqa: F403
from tests.accreditation.factories import *  # noqa: F403
from tests.enrolment.factories import *  # noqa: F403
from tests.providers.factories import *  # noqa: F403
from tests.trajectory.factories import *  # noqa: F403
