"""Bad input gets field errors in Russian and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from providers import services
from providers.models import Event, ProgrammeCycle
from reference.models import RuleSet
from reference.rules import rules_cache_clear
from tests.factories import EventFactory, OrganisationFactory, ProgrammeCycleFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

ORGANISATION = {
    "full_name": "Общество с ограниченной ответственностью «Медицинский учебный центр»",
    "short_name": "МУЦ",
    "ogrn": "1027700132195",
    "inn": "7707083893",
    "kpp": "773601001",
    "licence_number": "Л035-01298-77/00180290",
    "licence_date": "2021-06-01",
    "legal_address": "г. Москва, ул. Вавилова, д. 19",
    "actual_address": "г. Москва, ул. Вавилова, д. 19",
    "phone": "+7 495 500-55-50",
    "email": "info@muc.example.org",
}


def _organisation_data(**changes: Any) -> dict[str, Any]:
    from reference.models import Region

    data: dict[str, Any] = {**ORGANISATION, "region": Region.objects.get(code="77")}
    data["licence_date"] = dt.date.fromisoformat(data["licence_date"])
    data.update(changes)
    return data


def test_an_onboarding_request_makes_its_author_the_admin(specialist: Any) -> None:
    organisation = services.organisation_request_create(by=specialist, data=_organisation_data())
    assert organisation.status == "draft"
    membership = organisation.memberships.get()
    assert membership.user == specialist and membership.is_admin
    assert specialist.role_grants.filter(role="provider_staff").exists()


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("ogrn", "1027700132194", "ОГРН"),
        ("ogrn", "12345", "ОГРН"),
        ("inn", "7707083890", "ИНН"),
        ("inn", "77070838", "ИНН"),
        ("kpp", "7736", "КПП"),
    ],
)
def test_an_invalid_registration_number_is_a_russian_field_error(
    specialist: Any, field: str, value: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.organisation_request_create(by=specialist, data=_organisation_data(**{field: value}))
    assert fragment in " ".join(error.value.message_dict[field])


def test_the_onboarding_page_shows_the_ogrn_error(client: Any, specialist: Any) -> None:
    client.force_login(specialist)
    data = {**ORGANISATION, "ogrn": "1027700132194", "region": "", "licence_date": "01.06.2021"}
    from reference.models import Region

    data["region"] = str(Region.objects.get(code="77").pk)
    page = client.post("/provider/onboarding/", data)
    assert page.status_code == 200
    assert "Неверный ОГРН" in page.content.decode()


def test_cycle_dates_out_of_order_are_refused(client: Any, provider_a: Any, org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a)
    client.force_login(provider_a)
    answer = client.post(
        f"/api/v1/provider/programs/{programme.pk}/cycles/",
        {"starts_on": "2026-05-10", "ends_on": "2026-05-01"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"ends_on": ["Дата окончания не может быть раньше даты начала."]}
    assert not ProgrammeCycle.objects.exists()


def test_negative_seats_or_price_are_refused(client: Any, provider_a: Any, org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a)
    client.force_login(provider_a)
    answer = client.post(
        f"/api/v1/provider/programs/{programme.pk}/cycles/",
        {"starts_on": "2026-05-01", "ends_on": "2026-05-10", "seats": {"budget": -1}, "price": "-5"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == {"seats", "price"}
    assert "0" in body["price"][0]


def test_the_database_itself_refuses_reversed_dates_and_negative_prices(org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeCycle.objects.create(programme=programme, starts_on=dt.date(2026, 5, 2), ends_on=dt.date(2026, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeCycle.objects.create(
            programme=programme, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 1), price=Decimal("-1")
        )


def test_the_cycle_page_form_shows_the_date_error(client: Any, provider_a: Any, org_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a)
    client.force_login(provider_a)
    page = client.post(
        f"/provider/programs/{programme.pk}/",
        {
            "cycle-starts_on": "2026-05-10",
            "cycle-ends_on": "2026-05-01",
            "cycle-seats_budget": 1,
            "cycle-seats_contract": 0,
            "cycle-seats_ffoms": 0,
            "cycle-price": "0",
        },
    )
    assert page.status_code == 200
    assert "Дата окончания не может быть раньше даты начала." in page.content.decode()


def test_a_past_cycle_is_allowed_for_reporting_training_already_given(org_a: Any, provider_a: Any) -> None:
    programme = ProgrammeFactory(organisation=org_a)
    cycle = services.cycle_create(
        programme=programme, by=provider_a, starts_on=dt.date(2019, 3, 1), ends_on=dt.date(2019, 3, 30)
    )
    assert cycle.pk


class TestEventZetCaps:
    def _post(self, client: Any, **changes: Any) -> Any:
        data = {
            "title": "Школа кардиолога",
            "starts_on": "2026-06-01",
            "ends_on": "2026-06-01",
            "zet": 6,
            "format": "online",
            "specialties": ["25"],
        }
        data.update(changes)
        return client.post("/api/v1/provider/events/", data, content_type="application/json")

    def test_six_zet_in_one_day_is_accepted(self, client: Any, provider_a: Any) -> None:
        client.force_login(provider_a)
        answer = self._post(client)
        assert answer.status_code == 201, answer.json()
        assert answer.json()["status"] == "draft"

    def test_more_than_six_a_day_is_refused(self, client: Any, provider_a: Any) -> None:
        client.force_login(provider_a)
        answer = self._post(client, zet="6.5")
        assert answer.status_code == 400
        assert answer.json()["zet"] == ["Не более 6 ЗЕТ в день: за 1 дн. — не более 6 ЗЕТ."]
        assert not Event.objects.exists()

    def test_more_than_twelve_an_event_is_refused_however_long(self, client: Any, provider_a: Any) -> None:
        client.force_login(provider_a)
        answer = self._post(client, ends_on="2026-06-03", zet=13)
        assert answer.status_code == 400
        assert answer.json()["zet"] == ["Не более 12 ЗЕТ за мероприятие."]

    def test_twelve_over_two_days_is_accepted(self, client: Any, provider_a: Any) -> None:
        client.force_login(provider_a)
        assert self._post(client, ends_on="2026-06-02", zet=12).status_code == 201

    def test_the_caps_come_from_the_rule_set_in_force_on_the_first_day(self, client: Any, provider_a: Any) -> None:
        RuleSet.objects.create(
            name="Ужесточённые правила", effective_from=dt.date(2030, 1, 1), event_max_zet_per_day=Decimal("4")
        )
        rules_cache_clear()
        client.force_login(provider_a)
        assert self._post(client, starts_on="2029-12-31", ends_on="2029-12-31", zet=6).status_code == 201
        refused = self._post(client, starts_on="2030-01-10", ends_on="2030-01-10", zet=6)
        assert refused.status_code == 400
        assert "Не более 4 ЗЕТ в день" in refused.json()["zet"][0]

    def test_dates_out_of_order_are_refused(self, client: Any, provider_a: Any) -> None:
        client.force_login(provider_a)
        answer = self._post(client, starts_on="2026-06-03", ends_on="2026-06-01")
        assert answer.status_code == 400
        assert answer.json()["ends_on"] == ["Дата окончания не может быть раньше даты начала."]

    def test_a_free_event_with_a_price_is_refused(self, org_a: Any) -> None:
        event = EventFactory.build(organisation=org_a, is_free=True, price=Decimal("100"))
        with pytest.raises(ValidationError) as error:
            event.full_clean()
        assert "price" in error.value.message_dict


def test_programme_bases_accept_only_the_three_funding_bases(client: Any, provider_a: Any) -> None:
    client.force_login(provider_a)
    answer = client.post(
        "/api/v1/provider/programs/",
        {"title": "Терапия", "hours": 36, "form": "distance", "specialty": "76", "bases": ["gift"]},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "bases" in answer.json()


def test_an_unknown_specialty_code_is_a_field_error(client: Any, provider_a: Any) -> None:
    client.force_login(provider_a)
    answer = client.post(
        "/api/v1/provider/programs/",
        {"title": "Терапия", "hours": 36, "form": "distance", "specialty": "no-such"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "specialty" in answer.json()


def test_a_rejected_organisation_frees_its_ogrn_for_a_new_request(specialist: Any) -> None:
    OrganisationFactory(ogrn="1027700132195", status="rejected")
    organisation = services.organisation_request_create(by=specialist, data=_organisation_data())
    assert organisation.ogrn == "1027700132195"


def test_a_live_organisation_ogrn_cannot_be_requested_twice(specialist: Any) -> None:
    OrganisationFactory(ogrn="1027700132195", status="approved")
    with pytest.raises(ValidationError):
        services.organisation_request_create(by=specialist, data=_organisation_data())


def test_a_cycle_factory_cycle_is_valid(org_a: Any) -> None:
    ProgrammeCycleFactory(programme=ProgrammeFactory(organisation=org_a)).full_clean()
