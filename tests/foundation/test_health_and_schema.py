from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_the_database_and_eager_tasks(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["status"] == "ok"
    assert body["celery"]["status"] == "eager"


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client: Client, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"]["status"] == "error"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reaches_a_real_redis(client: Client, settings: Any) -> None:
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.json()["redis"]["status"] == "ok"


def test_the_api_schema_generates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--fail-on-warn", "--validate", "--file", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "nmo_portal.settings.test"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "/api/v1/reference/specialties/" in out.read_text()


@pytest.mark.django_db
def test_the_api_docs_page_is_served(client: Client) -> None:
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.django_db
def test_the_home_page_explains_the_portal(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Непрерывное медицинское образование" in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_offers_to_sign_in_only_to_who_is_not_signed_in(client: Client) -> None:
    from tests.factories import UserFactory

    for _ in range(2):  # drawn, then served from the memo: the same either way
        assert "Войти по СНИЛС или e-mail" in client.get("/").content.decode()
    client.force_login(UserFactory(last_name="Орлова", first_name="Анна"))
    for _ in range(2):
        page = client.get("/").content.decode()
        assert "Войти по СНИЛС или e-mail" not in page and "Орлова" in page


@pytest.mark.django_db
def test_the_visually_impaired_version_is_remembered(client: Client) -> None:
    response = client.post("/a11y/", {"next": "/"})
    assert response.status_code == 302
    assert client.cookies["nmo_a11y"].value == "1"
    assert "a11y.css" in client.get("/").content.decode()
    client.post("/a11y/", {"next": "https://evil.example/"})
    assert "a11y.css" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_switch_never_redirects_off_site(client: Client) -> None:
    response = client.post("/a11y/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
