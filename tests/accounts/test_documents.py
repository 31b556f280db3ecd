"""Documents ("Пятилетние циклы и документы"): add, edit, delete, FRMR status, valid_until, and
nobody reaches another person's documents."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Document, FrmrStatus, document_valid_until
from accounts.services import document_create, document_mark_used
from nmo_portal.lib.exceptions import ApplicationError
from tests.accounts.factories import DocumentFactory, specialty_named

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/me/documents/"


def _doc_url(document: Any) -> str:
    return f"{DOCS}{document.pk}/"


def test_a_specialist_adds_an_accreditation_through_the_api(api: Any, specialist: Any) -> None:
    api.force_authenticate(specialist)
    therapy = specialty_named("Терапия")
    response = api.post(
        DOCS,
        {
            "kind": "accreditation",
            "accreditation_type": "periodic",
            "specialty": therapy.code,
            "number": "7722 031234567",
            "issued_on": "2022-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "kind", "specialty", "number", "issued_on", "valid_until", "frmr_status"} <= set(body)
    assert body["specialty"] == therapy.code
    assert body["specialty_name"] == "Терапия"
    assert body["valid_until"] == "2027-03-01"
    assert body["frmr_status"] == "not_confirmed"


def test_the_specialist_cannot_set_the_frmr_status(api: Any, specialist: Any) -> None:
    api.force_authenticate(specialist)
    payload = {"kind": "certificate", "specialty": specialty_named().code, "number": "1", "issued_on": "2021-01-01"}
    body = api.post(DOCS, {**payload, "frmr_status": "confirmed"}, format="json").json()
    assert body["frmr_status"] == "not_confirmed"
    response = api.patch(f"{DOCS}{body['id']}/", {"frmr_status": "confirmed"}, format="json")
    assert response.status_code == 200
    assert Document.objects.get(pk=body["id"]).frmr_status == FrmrStatus.NOT_CONFIRMED


@pytest.mark.parametrize(
    ("kind", "issued_on", "valid_until"),
    [
        ("certificate", datetime.date(2020, 12, 25), datetime.date(2025, 12, 25)),
        ("accreditation", datetime.date(2024, 2, 29), datetime.date(2029, 2, 28)),
        ("diploma", datetime.date(2015, 6, 30), None),
    ],
)
def test_valid_until_is_five_years_for_certificates_and_accreditation(
    kind: str, issued_on: datetime.date, valid_until: datetime.date | None
) -> None:
    assert document_valid_until(kind, issued_on) == valid_until


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"issued_on": "future"}, "issued_on", "в будущем"),
        ({"specialty": "9999"}, "specialty", "нет в номенклатуре"),
        ({"kind": "accreditation", "accreditation_type": ""}, "accreditation_type", "вид аккредитации"),
        ({"number": "   "}, "number", ""),
    ],
)
def test_bad_input_is_a_russian_field_error_and_nothing_is_saved(
    api: Any, specialist: Any, payload: dict[str, Any], field: str, words: str
) -> None:
    api.force_authenticate(specialist)
    data = {"kind": "certificate", "specialty": specialty_named().code, "number": "12", "issued_on": "2021-01-01"}
    data.update(payload)
    if data["issued_on"] == "future":
        data["issued_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = api.post(DOCS, data, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert words in " ".join(response.json()[field])
    assert not Document.objects.exists()


def test_a_specialty_of_the_other_education_level_is_refused(specialist: Any) -> None:
    nursing = specialty_named("Сестринское дело", level="secondary")
    with pytest.raises(ApplicationError) as error:
        document_create(
            owner=specialist, kind="certificate", specialty=nursing, number="1", issued_on=datetime.date(2021, 1, 1)
        )
    assert "уровню образования" in error.value.as_body()["specialty"][0]


def test_the_same_document_twice_is_refused(api: Any, specialist: Any) -> None:
    api.force_authenticate(specialist)
    data = {"kind": "certificate", "specialty": specialty_named().code, "number": "12", "issued_on": "2021-01-01"}
    assert api.post(DOCS, data, format="json").status_code == 201
    again = api.post(DOCS, data, format="json")
    assert again.status_code == 400
    assert "уже добавлен" in again.json()["number"][0]
    assert Document.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_specialists_document_is_not_found(
    api: Any, specialist: Any, other_specialist: Any, method: str
) -> None:
    theirs = DocumentFactory(owner=other_specialist)
    api.force_authenticate(specialist)
    response = getattr(api, method)(_doc_url(theirs), {"number": "hijack"}, format="json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.number != "hijack"
    assert Document.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("page", ["accounts:document-edit", "accounts:document-delete"])
def test_another_specialists_document_is_not_found_on_the_pages(
    client: Client, specialist: Any, other_specialist: Any, page: str
) -> None:
    theirs = DocumentFactory(owner=other_specialist)
    client.force_login(specialist)
    assert client.get(reverse(page, args=[theirs.pk])).status_code in (404, 405)
    assert client.post(reverse(page, args=[theirs.pk]), {"number": "x"}).status_code == 404
    assert Document.objects.filter(pk=theirs.pk, number=theirs.number).exists()


def test_the_list_shows_only_my_documents(api: Any, specialist: Any, other_specialist: Any) -> None:
    mine = DocumentFactory(owner=specialist)
    DocumentFactory(owner=other_specialist)
    api.force_authenticate(specialist)
    body = api.get(DOCS).json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_a_document_that_opened_a_cycle_cannot_be_deleted_only_replaced(
    api: Any, client: Client, specialist: Any
) -> None:
    document = DocumentFactory(owner=specialist)
    document_mark_used(document=document)
    api.force_authenticate(specialist)
    response = api.delete(_doc_url(document))
    assert response.status_code == 409
    assert "открыт пятилетний цикл" in response.json()["detail"]
    client.force_login(specialist)
    page = client.post(reverse("accounts:document-delete", args=[document.pk]), follow=True)
    assert "открыт пятилетний цикл" in page.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()
    changed_date = api.patch(_doc_url(document), {"issued_on": "2021-01-01"}, format="json")
    assert changed_date.status_code == 409
    fixed_series = api.patch(_doc_url(document), {"series": "АА"}, format="json")
    assert fixed_series.status_code == 200


def test_marking_a_document_used_is_idempotent() -> None:
    document = DocumentFactory()
    document_mark_used(document=document)
    document_mark_used(document=document)
    document.refresh_from_db()
    assert document.used_for_cycle


def test_an_unused_document_is_deleted_and_the_deletion_is_recorded(api: Any, specialist: Any) -> None:
    document = DocumentFactory(owner=specialist)
    api.force_authenticate(specialist)
    assert api.delete(_doc_url(document)).status_code == 204
    assert not Document.objects.filter(pk=document.pk).exists()
    deleted = Document.history.filter(id=document.pk, history_type="-").get()
    assert deleted.history_user_id == specialist.pk


def test_a_document_change_is_recorded_with_who_and_what(api: Any, specialist: Any) -> None:
    api.force_authenticate(specialist)
    created = api.post(
        DOCS,
        {"kind": "certificate", "specialty": specialty_named().code, "number": "1", "issued_on": "2021-01-01"},
        format="json",
    ).json()
    api.patch(f"{DOCS}{created['id']}/", {"number": "2"}, format="json")
    document = Document.objects.get(pk=created["id"])
    records = list(document.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert all(r.history_user_id == specialist.pk for r in records)
    assert records[-1].diff_against(records[0]).changed_fields == ["number"]


@pytest.mark.parametrize("rows", [1, 20])
def test_the_documents_list_takes_the_same_number_of_queries_however_long(
    api: Any, client: Client, specialist: Any, django_assert_num_queries: Any, rows: int
) -> None:
    DocumentFactory.create_batch(rows, owner=specialist)
    api.force_authenticate(specialist)
    with django_assert_num_queries(2):  # count + page with the specialty joined
        assert api.get(DOCS).json()["count"] == rows
    client.force_login(specialist)
    # session, the user with his roles (for the menu), the documents with their specialty
    with django_assert_num_queries(3):
        response = client.get(reverse("accounts:documents"))
    assert response.content.decode().count('data-testid="document-row"') == rows


def test_the_documents_page_shows_the_frmr_badge_and_what_to_do(client: Client, specialist: Any) -> None:
    DocumentFactory(owner=specialist)
    DocumentFactory(owner=specialist, frmr_status=FrmrStatus.CONFIRMED)
    client.force_login(specialist)
    content = client.get(reverse("accounts:documents")).content.decode()
    assert "Пятилетние циклы и документы" in content
    assert "не подтверждён в ФРМР" in content
    assert "отдел кадров" in content
    assert "Обучение доступно" in content
    assert "подтверждён в ФРМР" in content


def test_the_pages_add_edit_and_delete_a_document(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    therapy = specialty_named()
    response = client.post(
        reverse("accounts:document-add"),
        {"kind": "certificate", "specialty": therapy.code, "number": "0177", "issued_on": "01.02.2021"},
    )
    assert response.status_code == 302
    document = Document.objects.get(owner=specialist)
    assert document.valid_until == datetime.date(2026, 2, 1)
    response = client.post(
        reverse("accounts:document-edit", args=[document.pk]),
        {"kind": "certificate", "specialty": therapy.code, "number": "0178", "issued_on": "2021-02-01"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.number == "0178"
    assert client.post(reverse("accounts:document-delete", args=[document.pk])).status_code == 302
    assert not Document.objects.exists()


def test_a_future_date_on_the_page_is_a_russian_error(client: Client, specialist: Any) -> None:
    client.force_login(specialist)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("accounts:document-add"),
        {"kind": "certificate", "specialty": specialty_named().code, "number": "1", "issued_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "в будущем" in response.context["form"].errors["issued_on"][0]
    assert not Document.objects.exists()


def test_the_documents_page_requires_login(client: Client) -> None:
    assert client.get(reverse("accounts:documents")).status_code == 302


def test_the_frmr_status_is_set_by_the_register_service_and_recorded(methodologist: Any) -> None:
    from accounts.services import document_frmr_set

    document = DocumentFactory()
    document_frmr_set(document=document, status=FrmrStatus.CONFIRMED, by=methodologist)
    document.refresh_from_db()
    assert document.frmr_confirmed
    assert document.history.latest().history_user_id == methodologist.pk


def test_database_constraints_hold_without_the_services() -> None:
    from django.db import IntegrityError, transaction

    document = DocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(accreditation_type="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(frmr_status="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(owner=document.owner, specialty=document.specialty, number=document.number)


def test_valid_until_follows_the_rule_set_in_force_on_the_issue_date() -> None:
    from reference.models import RuleSet
    from reference.rules import rules_cache_clear

    base = RuleSet.objects.order_by("effective_from").first()
    assert base is not None
    base.pk = None
    base.effective_from = datetime.date(2030, 1, 1)
    base.name = "гипотетическая редакция: цикл 7 лет"
    base.cycle_years = 7
    base.save()
    rules_cache_clear()
    assert document_valid_until("accreditation", datetime.date(2029, 12, 31)) == datetime.date(2034, 12, 31)
    assert document_valid_until("accreditation", datetime.date(2030, 1, 1)) == datetime.date(2037, 1, 1)
