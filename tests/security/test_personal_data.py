"""«Скачать мои данные» (issue 9, item 8): a ZIP of JSON and PDFs with everything about the caller,
nothing about anybody else, no secrets, and the export itself audited."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from nmo_portal.models import AuditEvent
from portfolio.services import code_activation_check, code_activation_submit
from tests.enrolment.factories import enrolment_application, enrolment_cycle, enrolment_learner
from tests.trajectory.factories import catalogue_event, cycle_for, event_code

pytestmark = pytest.mark.django_db


def _archive(content: bytes) -> tuple[dict[str, Any], list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("data.json")), archive.namelist()


def _person_with_data() -> tuple[Any, Any]:
    cycle = enrolment_cycle()
    person = enrolment_learner(cycle.programme.specialty)
    cycle_for(person, specialty=cycle.programme.specialty)
    raw = event_code(catalogue_event())
    code_activation_check(activation_id=code_activation_submit(user=person, code=raw).pk)
    return person, enrolment_application(cycle, person)


def test_the_api_gives_the_owner_a_zip_of_everything_about_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import enrolment.documents as documents

    monkeypatch.setattr(documents, "render_pdf", lambda *a, **k: b"%PDF-1.7 test")
    person, application = _person_with_data()
    other, _ = _person_with_data()
    client = APIClient()
    client.force_authenticate(person)
    response = client.get("/api/v1/me/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    data, names = _archive(response.content)
    assert f"pdf/application-{application.pk}.pdf" in names
    assert data["profile"]["id"] == person.pk and "password" not in data["profile"]
    for section in ("documents", "cycles", "plan_items", "ledger_entries", "code_activations", "applications"):
        assert data[section], section
    for section in ("disputes", "accreditation_applications", "portfolio_snapshots", "audit_events"):
        assert section in data
    [activation] = data["code_activations"]
    assert "code_hash" not in activation and activation["code_masked"]
    text = json.dumps(data, ensure_ascii=False)
    assert other.snils not in text and other.email not in text
    assert {row["owner_id"] for row in data["cycles"]} == {person.pk}
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == person and event.target_id == str(person.pk)


def test_the_page_button_downloads_the_same_zip(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    import enrolment.documents as documents

    monkeypatch.setattr(documents, "render_pdf", lambda *a, **k: b"%PDF-1.7 test")
    person, _ = _person_with_data()
    client.force_login(person)
    assert 'data-testid="my-data-export"' in client.get(reverse("accounts:profile")).content.decode()
    response = client.get("/me/export/")
    assert response.status_code == 200
    data, _names = _archive(response.content)
    assert data["profile"]["id"] == person.pk
    assert client.post("/me/export/").status_code == 405


def test_anonymous_callers_get_nothing(client: Client) -> None:
    assert APIClient().get("/api/v1/me/export/").status_code == 401
    assert client.get("/me/export/").status_code == 302
