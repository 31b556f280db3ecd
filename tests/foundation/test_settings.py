"""Settings read from the environment are typed and loud."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from nmo_portal.lib.env import env_bool, env_int, env_url

ROOT = Path(__file__).resolve().parents[2]


def test_a_boolean_must_be_a_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)
    monkeypatch.setenv("DEBUG", "off")
    assert env_bool("DEBUG", True) is False


def test_an_integer_must_be_an_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="AXES_FAILURE_LIMIT"):
        env_int("AXES_FAILURE_LIMIT", 5)


def test_a_database_url_of_an_unknown_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/nmo")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_url("DATABASE_URL", schemes={"postgres", "sqlite"})


def _import_settings(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    code = "import django; django.setup(); from django.conf import settings; print(settings.ENVIRONMENT)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def test_production_refuses_the_development_secret_key() -> None:
    result = _import_settings("nmo_portal.settings.production", DEFAULT_FROM_EMAIL="noreply@nmo.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug() -> None:
    result = _import_settings(
        "nmo_portal.settings.production", SECRET_KEY="x" * 50, DEBUG="1", DEFAULT_FROM_EMAIL="noreply@nmo.example"
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_starts_with_proper_values() -> None:
    result = _import_settings(
        "nmo_portal.settings.production", SECRET_KEY="x" * 50, DEFAULT_FROM_EMAIL="noreply@nmo.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "production"


def test_a_bad_value_stops_start_up_with_a_clear_message() -> None:
    result = _import_settings("nmo_portal.settings.dev", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.django_db
def test_production_refuses_to_start_with_demo_accounts(settings: pytest.FixtureRequest) -> None:
    from nmo_portal.lib.safety import refuse_unsafe_production
    from tests.factories import UserFactory

    settings.ENVIRONMENT = "production"  # type: ignore[attr-defined]
    refuse_unsafe_production()  # no demo account yet: starts
    UserFactory(email="specialist@demo.nmo")
    with pytest.raises(ImproperlyConfigured, match="demo accounts"):
        refuse_unsafe_production()


def test_production_sees_client_addresses_through_the_proxy() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AXES_IPWARE_PROXY_COUNT, settings.AXES_IPWARE_META_PRECEDENCE_ORDER[0], "
        "settings.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="nmo_portal.settings.production",
        SECRET_KEY="x" * 60,
        DEFAULT_FROM_EMAIL="noreply@nmo.example",
        PROXY_COUNT="2",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "HTTP_X_FORWARDED_FOR", "2"]
