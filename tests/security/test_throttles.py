"""Abuse (issue 9, item 5): registration, login, password recovery, code activation and learner
pre-validation are rationed; each answers 429 with ``Retry-After``, and the pre-validation cannot
be used to tell a registered SNILS from an unknown one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse_lazy as reverse
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from portfolio.models import CodeActivation
from tests.accounts.conftest import as_form, registration_payload
from tests.enrolment.factories import enrolment_learner, enrolment_organisation, enrolment_staff
from tests.factories import UserFactory
from tests.trajectory.factories import cycle_for

pytestmark = pytest.mark.django_db

REGISTER_PAGE = str(reverse("accounts:register"))
VALIDATE = "/api/v1/provider/learners/validate/"


@pytest.fixture
def low_rates(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The DRF scopes at a rate a test can reach (the real ones are in settings)."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "register": "3/hour", "password_reset": "3/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def _api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _retry_after(response: Any, most: int) -> int:
    assert response.status_code == 429, response.content[:300]
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= most
    return seconds


def test_the_real_rates_are_declared() -> None:
    rates = api_settings.DEFAULT_THROTTLE_RATES
    for scope in ("register", "login", "password_reset", "learner_validate", "code_activation"):
        assert rates[scope], scope


def test_registration_through_the_api_is_rationed_per_address(low_rates: Any) -> None:
    codes = [_api().post("/api/v1/auth/register/", {}, format="json").status_code for _ in range(3)]
    assert codes == [400, 400, 400]
    _retry_after(_api().post("/api/v1/auth/register/", registration_payload(), format="json"), 3600)


def test_the_registration_page_is_rationed_per_address(low_rates: Any) -> None:
    client = Client()
    for _ in range(3):
        assert client.post(REGISTER_PAGE, {}).status_code == 200  # the form with its errors
    response = client.post(REGISTER_PAGE, as_form(registration_payload()))
    _retry_after(response, 3600)
    assert "Слишком много запросов" in response.content.decode()
    assert client.get(REGISTER_PAGE).status_code == 200  # reading the page is not counted


def test_login_is_locked_out_after_five_failures(db: Any) -> None:
    user = UserFactory(snils="11223344595", email="elena@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    client = _api()
    for _ in range(4):
        bad = client.post("/api/v1/auth/token/", {"login": "11223344595", "password": "bad"}, format="json")
        assert bad.status_code == 400
    _retry_after(client.post("/api/v1/auth/token/", {"login": "11223344595", "password": "x"}, format="json"), 900)


def test_password_recovery_is_rationed_per_address(low_rates: Any) -> None:
    client = Client()
    for n in range(3):
        response = client.post("/auth/password/reset/", {"email": f"person{n}@example.org"})
        assert response.status_code == 302
    response = client.post("/auth/password/reset/", {"email": "someone@example.org"})
    _retry_after(response, 3600)
    assert client.get("/auth/password/reset/").status_code == 200


def test_ten_failed_code_activations_an_hour_are_429(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    specialist = enrolment_learner()
    cycle_for(specialist)
    client = _api(specialist)
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):  # the check runs after commit (eager here)
            response = client.post("/api/v1/me/code-activations/", {"code": f"BAD{n:09d}"}, format="json")
        assert response.status_code == 202
    assert CodeActivation.objects.filter(user=specialist, status="rejected").count() == 10
    _retry_after(client.post("/api/v1/me/code-activations/", {"code": "BAD999999999"}, format="json"), 3600)
    assert CodeActivation.objects.filter(user=specialist).count() == 10  # the eleventh is not even saved


def test_learner_pre_validation_cannot_enumerate_snils(db: Any) -> None:
    organisation = enrolment_organisation()
    staff, colleague = enrolment_staff(organisation), enrolment_staff(organisation)
    registered = enrolment_learner(birth_date=date(1985, 4, 12))
    wrong = {"last_name": "Несуществующая", "birth_date": "1970-01-01"}
    known = _api(staff).post(VALIDATE, {"snils": registered.snils, **wrong}, format="json")
    unknown = _api(staff).post(VALIDATE, {"snils": "123-456-789 64", **wrong}, format="json")
    malformed = _api(staff).post(VALIDATE, {"snils": "112-233-445 96", **wrong}, format="json")
    # The same status, the same body, the same headers whether or not the SNILS is registered.
    assert known.status_code == unknown.status_code == malformed.status_code == 200
    assert known.json() == unknown.json() == malformed.json() == {"valid": False}
    assert set(known.headers) == set(unknown.headers)

    # Failed look-ups count per organisation: a second account of the same provider does not help.
    for n in range(17):
        client = _api(staff if n % 2 else colleague)
        assert client.post(VALIDATE, {"snils": "123-456-789 64", **wrong}, format="json").status_code == 200
    _retry_after(_api(colleague).post(VALIDATE, {"snils": registered.snils, **wrong}, format="json"), 3600)
    _retry_after(_api(staff).post(VALIDATE, {"snils": registered.snils, **wrong}, format="json"), 3600)
    # Another organisation is not affected.
    other = enrolment_staff(enrolment_organisation())
    assert _api(other).post(VALIDATE, {"snils": "123-456-789 64", **wrong}, format="json").status_code == 200
