"""Typed, loud readers of the environment.

Every setting that comes from the environment goes through one of these. A value that cannot be
understood stops start-up with a message naming the variable, instead of silently becoming a
default (``DEBUG=yes please`` is an error, not ``False``).
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required and not set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, *, schemes: set[str], default: str | None = None) -> str | None:
    """A URL whose scheme must be one of ``schemes``; ``None`` when unset and no default."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} has the scheme {parsed.scheme!r}; expected one of: {allowed}.")
    if parsed.scheme not in {"sqlite"} and not parsed.hostname and not parsed.path:
        raise ImproperlyConfigured(f"{name}={raw!r} names no host.")
    return raw
