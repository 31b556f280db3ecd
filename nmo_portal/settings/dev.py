"""Development: the embedded default (SQLite in var/, eager tasks, mail as files in var/mail)."""

from .base import *  # noqa: F403
from .base import env_bool

ENVIRONMENT = "dev"
DEBUG = env_bool("DEBUG", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
