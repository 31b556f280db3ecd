"""Settings of ``python -m bench``: the shared base (PostgreSQL and Redis from the environment),
with what production would have and the benchmark needs.

- DEBUG off, persistent database connections (``DB_CONN_MAX_AGE``, 60 s here as in a real
  deployment), the Redis cache of the base settings.
- Plain static storage: the manifest storage would need ``collectstatic``; static files are not
  what is measured.
- Tasks run inline (no worker is started): what a request or a workload enqueues is paid for
  inside the figure, and ``/healthz`` does not wait a second for a worker that is not there.
- Throttle rates raised so that one load generator on loopback is not answered 429; the throttle
  classes still run, so their cost (a Redis round trip) is measured.
Production settings are not touched.
"""

import warnings

from nmo_portal.settings.base import *  # noqa: F403
from nmo_portal.settings.base import DATABASES, REST_FRAMEWORK, STORAGES, env_int

ENVIRONMENT = "bench"
DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
_RATES: dict[str, str] = REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # type: ignore[assignment]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(_RATES, "1000000/min")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The static root is not collected for the benchmark: WhiteNoise's notice about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")
