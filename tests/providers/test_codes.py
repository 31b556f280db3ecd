"""Individual confirmation codes: unique, at least 50 bits, stored only as a keyed hash, used once."""

from __future__ import annotations

import csv
import io
import math
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from providers import codes, services
from providers.models import ConfirmationCode, ElementStatus
from providers.selectors import confirmation_code_lookup
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_alphabet_has_no_look_alikes_and_the_codes_carry_at_least_50_bits() -> None:
    assert not set("01OIL") & set(codes.ALPHABET)
    assert len(codes.ALPHABET) ** codes.CODE_LENGTH >= 2**50
    assert codes.entropy_bits() == pytest.approx(codes.CODE_LENGTH * math.log2(31))


def test_codes_are_shown_grouped_and_found_however_they_are_typed(org_a: Any, provider_a: Any) -> None:
    event = EventFactory(organisation=org_a)
    [plain] = services.confirmation_codes_generate(event=event, by=provider_a, count=1)
    assert len(plain) == 14 and plain[4] == plain[9] == "-"
    sloppy = " " + plain.lower().replace("-", " ") + " "
    found = confirmation_code_lookup(sloppy)
    assert found is not None and found.event == event
    assert found.last4 == plain[-4:]
    assert confirmation_code_lookup("ZZZZ-ZZZZ-ZZZZ") is None


def test_a_batch_is_unique_and_only_hashes_are_stored(org_a: Any, provider_a: Any) -> None:
    event = EventFactory(organisation=org_a)
    plain = services.confirmation_codes_generate(event=event, by=provider_a, count=500)
    assert len(set(plain)) == 500
    rows = list(ConfirmationCode.objects.filter(event=event).values_list("code_hash", flat=True))
    assert len(set(rows)) == 500
    stored_text = " ".join(str(value) for row in ConfirmationCode.objects.values() for value in row.values())
    for code in plain[:50]:
        assert code not in stored_text
        assert codes.confirmation_code_normalize(code) not in stored_text
    assert set(rows) == {codes.confirmation_code_hash(code) for code in plain}


def test_the_hash_is_keyed(settings: Any) -> None:
    first = codes.confirmation_code_hash("ABCD-EFGH-JKMN")
    settings.CONFIRMATION_CODE_HMAC_KEY = "another-key"
    assert codes.confirmation_code_hash("ABCD-EFGH-JKMN") != first


def test_the_database_refuses_a_second_row_with_the_same_hash(org_a: Any) -> None:
    event = EventFactory(organisation=org_a)
    ConfirmationCode.objects.create(event=event, code_hash="a" * 64, last4="AAAA")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConfirmationCode.objects.create(event=event, code_hash="a" * 64, last4="AAAA")


def test_a_code_is_claimed_once(org_a: Any, provider_a: Any, specialist: Any, other_specialist: Any) -> None:
    event = EventFactory(organisation=org_a)
    [plain] = services.confirmation_codes_generate(event=event, by=provider_a, count=1)
    code = confirmation_code_lookup(plain)
    assert code is not None
    assert services.confirmation_code_claim(code=code, user=specialist) is True
    assert code.used_by == specialist and code.used_at is not None
    stale = ConfirmationCode.objects.get(pk=code.pk)
    assert services.confirmation_code_claim(code=stale, user=other_specialist) is False
    assert services.confirmation_code_claim(code=code, user=specialist) is False
    stale.refresh_from_db()
    assert stale.used_by == specialist


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claims_of_one_code_have_exactly_one_winner(
    reference_reloaded: None, org_a: Any, provider_a: Any
) -> None:
    event = EventFactory(organisation=org_a)
    [plain] = services.confirmation_codes_generate(event=event, by=provider_a, count=1)
    code = confirmation_code_lookup(plain)
    assert code is not None
    claimants = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def claim(user: Any) -> None:
        try:
            row = ConfirmationCode.objects.get(pk=code.pk)  # each thread has its own connection
            barrier.wait(timeout=10)
            results.append(services.confirmation_code_claim(code=row, user=user))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in claimants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == [False, True]
    code.refresh_from_db()
    assert code.used_by in claimants


class TestTheCodesEndpoint:
    def test_it_answers_the_plain_codes_once(self, client: Any, org_a: Any, provider_a: Any) -> None:
        event = EventFactory(organisation=org_a)
        client.force_login(provider_a)
        answer = client.post(
            f"/api/v1/provider/events/{event.pk}/codes/", {"count": 3}, content_type="application/json"
        )
        assert answer.status_code == 201
        assert answer["Cache-Control"] == "no-store"
        assert len(answer.json()["codes"]) == 3
        assert event.codes.count() == 3

    def test_it_exports_csv_on_request(self, client: Any, org_a: Any, provider_a: Any) -> None:
        event = EventFactory(organisation=org_a, title="Школа «Сердце»")
        client.force_login(provider_a)
        answer = client.post(
            f"/api/v1/provider/events/{event.pk}/codes/?format=csv", {"count": 2}, content_type="application/json"
        )
        assert answer.status_code == 201
        assert answer["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert rows[0] == ["code", "event_id", "event_title"]
        assert len(rows) == 3 and rows[1][2] == "Школа «Сердце»"
        assert confirmation_code_lookup(rows[1][0]) is not None

    @pytest.mark.parametrize("count", [0, 5001, -1, "много"])
    def test_the_count_is_between_1_and_5000(self, client: Any, org_a: Any, provider_a: Any, count: Any) -> None:
        event = EventFactory(organisation=org_a)
        client.force_login(provider_a)
        answer = client.post(
            f"/api/v1/provider/events/{event.pk}/codes/", {"count": count}, content_type="application/json"
        )
        assert answer.status_code == 400
        assert "count" in answer.json()

    @pytest.mark.parametrize("status", [s for s in ElementStatus.values if s != ElementStatus.PUBLISHED])
    def test_only_a_published_event_gets_codes(self, client: Any, org_a: Any, provider_a: Any, status: str) -> None:
        event = EventFactory(organisation=org_a, status=status)
        client.force_login(provider_a)
        answer = client.post(
            f"/api/v1/provider/events/{event.pk}/codes/", {"count": 1}, content_type="application/json"
        )
        assert answer.status_code == 409
        assert not event.codes.exists()


class TestTheCodesPage:
    def test_codes_are_shown_once_and_the_csv_downloads_once(self, client: Any, org_a: Any, provider_a: Any) -> None:
        event = EventFactory(organisation=org_a)
        client.force_login(provider_a)
        page = client.post(f"/provider/events/{event.pk}/", {"count": 4})
        assert page.status_code == 200
        shown = page.context["codes"]
        assert len(shown) == 4 and shown[0] in page.content.decode()
        download = client.get(f"/provider/events/{event.pk}/codes.csv")
        assert download.status_code == 200
        assert shown[0] in download.content.decode("utf-8-sig")
        again = client.get(f"/provider/events/{event.pk}/codes.csv")
        assert again.status_code == 302
        assert shown[0] not in client.get(f"/provider/events/{event.pk}/").content.decode()
