from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from rest_framework.test import APIClient

_counter = itertools.count(1)


def registration_payload(**overrides: Any) -> dict[str, Any]:
    """A complete, valid registration (api.md); every test changes only what it is about."""
    n = next(_counter)
    payload: dict[str, Any] = {
        "snils": "112-233-445 95",
        "email": f"new{n}@example.org",
        "password": "Kardio-Logia-2024",
        "last_name": "Смирнова",
        "first_name": "Ольга",
        "middle_name": "Викторовна",
        "sex": "female",
        "birth_date": "1990-04-12",
        "citizenship": "RU",
        "region": "77",
        "phone": "+7 (912) 345-67-89",
        "education_level": "higher",
        "consent_personal_data": True,
        "accept_terms": True,
    }
    payload.update(overrides)
    return payload


def as_form(payload: dict[str, Any]) -> dict[str, Any]:
    """The same data as the registration page posts it (unchecked boxes are simply absent)."""
    data = {key: value for key, value in payload.items() if value is not False and value is not None}
    for key in ("consent_personal_data", "accept_terms"):
        if data.get(key) is True:
            data[key] = "on"
    return data


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
