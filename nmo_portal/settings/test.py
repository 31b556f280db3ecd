"""Tests: the database and Redis come from DATABASE_URL/REDIS_URL when set (CI), else SQLite and
eager tasks. Fast password hashing; mail kept in memory."""

from typing import Any

from .base import *  # noqa: F403

ENVIRONMENT = "test"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests call tasks directly or rely on eager execution; a test that needs a real broker says so.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"
# The cache is per-process memory in tests unless a test asks for Redis explicitly.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FRAGMENTS_STRICT = True  # a memoized fragment that reads the database fails its test (nmo_portal.lib.fragments)
_ENGINE: dict[str, Any] = TEMPLATES[0]
_ENGINE["DIRS"] = [*_ENGINE["DIRS"], BASE_DIR / "tests" / "templates"]  # templates of the tests only
