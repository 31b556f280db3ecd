"""Settings shared by every environment. Values that differ come from the environment,
read through ``nmo_portal.lib.env`` so that a bad value stops start-up with a clear message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.env import env_bool, env_int, env_list, env_str, env_url

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("NMO_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = "base"
DEV_SECRET_KEY = "dev-insecure-nmo-portal-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    # The project's apps, in dependency order: each may use only those above it.
    "reference",
    "accounts",
    "providers",
    "trajectory",
    "portfolio",
    "enrolment",
    "accreditation",
    "nmo_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nmo_portal.urls"
WSGI_APPLICATION = "nmo_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nmo_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    schemes={"postgres", "postgresql", "pgsql", "sqlite"},
    default=f"sqlite:///{VAR_DIR / 'nmo.sqlite3'}",
)
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0, minimum=0)
# A kept connection is checked before a request uses it: a restarted PostgreSQL costs no error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # PostgreSQL's default random_page_cost (4) prices random reads as on spinning disks; a portal's
    # data lives on SSDs and mostly in memory. With the default the planner hash-joined all 100 000
    # users to sort a cycle's 2 000 applicants by name (bench: 43 ms, by index 5 ms). Set for every
    # connection, so production, the bench and the plan tests (tests/performance) plan alike.
    # No parallel workers per request: they start up slower than the work they share here (16 ms vs
    # 3.6 ms on the same query), on cores that other requests need.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    )
    # Prepared statements: psycopg prepares a query the second time a connection runs it, and
    # PostgreSQL then plans it once instead of on every request. Planning the portal's joins costs
    # 0.3-1.2 ms a query on the bench data (the provider's cycle check 1.42 -> 0.36 ms, the page of
    # applications 1.66 -> 0.70 ms). Django turns them off by default for transaction-pooling
    # PgBouncer, which must not stand between the portal and PostgreSQL with this on: set
    # DB_PREPARED_STATEMENTS=0 behind such a pooler. A prepared statement may settle on one plan for
    # every value: a filter on a scope whose size varies by orders of magnitude writes its id into
    # the statement instead (nmo_portal.lib.sql.Inline; tests.performance.explain.explain_generic).
    # Django's backend, with a statement too long to bind on the server bound on the client
    # (nmo_portal.postgresql: the protocol's limit is 65 535 values).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["ENGINE"] = "nmo_portal.postgresql"
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss"})
# The cache may live in a Redis of its own (production: an LRU-evicting one, see docker-compose.yml),
# so that memoized pages can never crowd out the Celery queue; by default it shares REDIS_URL.
CACHE_URL = env_url("CACHE_URL", schemes={"redis", "rediss"}) or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "nmo_portal.lib.cache.SharedClientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "nmo"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must not hang a request when Redis is down: the sweepers pick the work up later.
# A hung Redis (accepting connections, never answering) blocked a publish indefinitely until the
# socket timeouts were set (tests/security/test_faults.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "Europe/Moscow"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.SnilsOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SITE_ID = 1

# django-allauth: login by SNILS or e-mail is done by our backend; allauth supplies the flows.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "reset_password": "accounts.forms.PasswordResetForm"}
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one once confirmed by link
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # recovery never mails (or reveals) an unknown login
ACCOUNT_EMAIL_SUBJECT_PREFIX = "НМО: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {"login_failed": None}  # failed logins are django-axes's job (per login and address)

# django-axes: lockout per account and per address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"  # one count per person, whatever the spelling
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # 429, Retry-After, the time in Russian
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "no credentials" a 401, as api.md promises
    # (with session first DRF answers 403 to an anonymous caller).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "nmo_portal.lib.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nmo_portal.lib.api.exception_handler",
    # DRF's, writing a memoized answer kept as JSON as it is (nmo_portal/lib/rendered.py)
    "DEFAULT_RENDERER_CLASSES": ["nmo_portal.lib.rendered.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "600/min",
        "login": "10/min",
        "register": "20/hour",
        "password_reset": "10/hour",
        "learner_validate": "60/hour",
        "code_activation": "60/hour",
    },
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "%Y-%m-%d",
    "COERCE_DECIMAL_TO_STRING": False,
}
# Failures only (lib/throttling.FailureThrottle): a wrong confirmation code, a learner that does
# not match. Successes never count, so honest users are not slowed down.
FAILURE_THROTTLE_RATES = {
    "code_activation": "10/hour",
    "learner_validate": "20/hour",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "НМО: портал непрерывного медицинского образования — API",
    "DESCRIPTION": "Public REST API, version 1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI is served from our own static files (drf-spectacular-sidecar): no CDN, CSP-friendly.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nmo_portal.lib.schema.add_error_responses",
    ],
}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский"))]
TIME_ZONE = "Europe/Moscow"
BUSINESS_TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_URL = env_url(
    "EMAIL_URL", schemes={"smtp", "smtps", "smtp+tls", "consolemail", "filemail", "memorymail", "dummymail"}
)
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "НМО <noreply@nmo.example>")

# --- Security defaults (production tightens them) --------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp 4): our own scripts and styles only; no inline script or
# style anywhere (htmx is told not to inject its indicator style: see base.html). A view that
# truly needs more widens it for itself with csp.decorators.csp_update (the API docs page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Individual confirmation codes are stored only as HMAC-SHA256 under this key. Changing it voids
# every code already issued; by default it is derived from SECRET_KEY.
CONFIRMATION_CODE_HMAC_KEY = env_str(
    "CONFIRMATION_CODE_HMAC_KEY", hashlib.sha256(b"nmo-confirmation-codes:" + SECRET_KEY.encode()).hexdigest()
)

# Demo accounts (api.md): created only by seed_demo; production refuses to start with them.
DEMO_LOGIN_DOMAIN = "demo.nmo"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
