"""Production. Refuses to start with DEBUG on, the development secret key, or (checked when the
WSGI application and the Celery worker start) demo accounts in the database."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, SECRET_KEY, env_bool, env_int, env_str

ENVIRONMENT = "production"
DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("Production settings refuse to start with DEBUG on.")
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Production settings need SECRET_KEY from the environment: at least 50 characters, not the development key."
    )

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL")

# Behind the TLS-terminating reverse proxy every request arrives from the proxy's address: the
# lockout per address (django-axes) and DRF's throttles must see the client's instead, or one
# person's failures would lock everybody out. PROXY_COUNT is the number of proxies in front.
PROXY_COUNT = env_int("PROXY_COUNT", 1, minimum=0)
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": PROXY_COUNT}
