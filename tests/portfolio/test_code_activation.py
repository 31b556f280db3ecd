from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from portfolio.models import CodeActivation, CreditEntry
from portfolio.services import code_activation_check, code_activation_submit, code_activations_sweep
from providers.models import ConfirmationCode
from tests.trajectory.factories import catalogue_event, cycle_for, event_code, specialty_pick
from trajectory.models import PlanItem, PlanItemStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/code-activations/"


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _activate(client: APIClient, code: str, capture: Any) -> Any:
    """POST the code (202 pending), let the on-commit check run, return the decision."""
    with capture(execute=True):
        response = client.post(URL, {"code": code}, format="json")
    if response.status_code != 202:
        return response
    assert response.json()["status"] == "pending"
    return client.get(f"{URL}{response.json()['id']}/")


def test_an_accepted_code_adds_the_event_to_the_plan_and_credits_its_zet(
    specialist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = cycle_for(specialist, issued_on=date(2022, 3, 1))
    event = catalogue_event(zet=4, starts_on=date(2024, 5, 14))
    raw = event_code(event)
    response = _activate(_client(specialist), raw.lower(), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["reason"] is None
    [entry] = CreditEntry.objects.filter(cycle=cycle)
    assert (entry.zet, entry.cycle_year, entry.source_kind) == (Decimal("4.00"), 3, "event_code")
    assert PlanItem.objects.get(cycle=cycle, event=event).status == PlanItemStatus.CREDITED
    code = ConfirmationCode.objects.get()
    assert code.used_by == specialist
    # the plain code is never stored
    activation = CodeActivation.objects.get()
    assert raw not in activation.code_masked and raw.upper() not in activation.code_hash
    assert activation.code_masked.endswith(raw[-4:])
    assert any("принят" in m.subject for m in mail.outbox)


def test_the_same_code_twice_credits_once(specialist: Any, django_capture_on_commit_callbacks: Any) -> None:
    cycle_for(specialist)
    raw = event_code(catalogue_event())
    client = _client(specialist)
    assert _activate(client, raw, django_capture_on_commit_callbacks).json()["status"] == "accepted"
    second = _activate(client, raw, django_capture_on_commit_callbacks).json()
    assert (second["status"], second["reason"]) == ("rejected", "already_used")
    assert CreditEntry.objects.count() == 1


@pytest.mark.parametrize(
    "case, reason",
    [
        ("unknown", "unknown_code"),
        ("used", "already_used"),
        ("other_specialty", "specialty_mismatch"),
        ("no_cycle", "no_active_cycle"),
        ("outside_cycle", "no_active_cycle"),
        ("not_finished", "event_not_finished"),
    ],
)
def test_every_rejection_reason_is_explained(
    case: str, reason: str, specialist: Any, other_specialist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    if case != "no_cycle":
        cycle_for(specialist, specialty=specialty_pick(0), issued_on=date(2022, 3, 1))
    event = catalogue_event(specialties=[specialty_pick(0)], starts_on=date(2024, 5, 14))
    raw = event_code(event)
    if case == "unknown":
        raw = "ZZZZ-ZZZZ-ZZZZ"
    elif case == "used":
        ConfirmationCode.objects.update(used_at=timezone.now(), used_by=other_specialist)
    elif case == "other_specialty":
        event.specialties.set([specialty_pick(3)])
    elif case == "outside_cycle":
        event.starts_on = event.ends_on = date(2021, 5, 14)
        event.save()
    elif case == "not_finished":
        tomorrow = timezone.localdate() + timedelta(days=1)
        event.starts_on, event.ends_on = timezone.localdate(), tomorrow
        event.save()
    body = _activate(_client(specialist), raw, django_capture_on_commit_callbacks).json()
    assert (body["status"], body["reason"]) == ("rejected", reason)
    assert body["reason_text"] and body["next_step"]
    assert not CreditEntry.objects.exists()
    if case != "used":
        assert ConfirmationCode.objects.filter(used_at__isnull=True).exists() or case == "unknown"


def test_an_empty_code_is_a_400_on_the_field(specialist: Any) -> None:
    response = _client(specialist).post(URL, {"code": " - "}, format="json")
    assert response.status_code == 400 and "code" in response.json()


def test_ten_failures_an_hour_are_throttled_with_retry_after(
    specialist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle_for(specialist)
    client = _client(specialist)
    for n in range(10):
        assert _activate(client, f"BAD{n:09d}", django_capture_on_commit_callbacks).json()["status"] == "rejected"
    response = _activate(client, "BAD999999999", django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert CodeActivation.objects.count() == 10


def test_the_throttle_forgets_failures_older_than_an_hour(specialist: Any) -> None:
    now = timezone.now()
    for n in range(10):
        code_activation_submit(user=specialist, code=f"OLD{n:09d}", now=now - timedelta(minutes=61))
    code_activation_submit(user=specialist, code="NEW000000000", now=now)


def test_the_sweeper_decides_an_activation_left_pending(specialist: Any) -> None:
    cycle_for(specialist)
    raw = event_code(catalogue_event())
    # No on-commit callbacks run here: the task was "lost" (Redis down).
    activation = code_activation_submit(user=specialist, code=raw)
    assert activation.status == "pending"
    assert code_activations_sweep(now=timezone.now() + timedelta(minutes=5)) == 0  # too fresh
    assert code_activations_sweep(now=timezone.now() + timedelta(minutes=11)) == 1
    activation.refresh_from_db()
    assert activation.status == "accepted" and activation.attempts == 1
    assert CreditEntry.objects.count() == 1


def test_a_decided_activation_is_not_checked_again(specialist: Any) -> None:
    activation = code_activation_submit(user=specialist, code="NOPE00000000")
    code_activation_check(activation_id=activation.pk)
    again = code_activation_check(activation_id=activation.pk)
    assert again is not None and again.status == "rejected" and again.attempts == 1


def test_an_activation_is_visible_to_its_owner_only(
    specialist: Any, other_specialist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = _activate(_client(specialist), "NOPE00000000", django_capture_on_commit_callbacks).json()
    assert _client(specialist).get(f"{URL}{body['id']}/").status_code == 200
    assert _client(other_specialist).get(f"{URL}{body['id']}/").status_code == 404
    assert APIClient().get(f"{URL}{body['id']}/").status_code in (401, 403)
