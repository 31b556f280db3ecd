"""Results: validated whole, applied in one transaction, idempotent, corrections logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enrolment.models import Application, ApplicationStatus, ProgrammeResult
from enrolment.services import application_enroll, enrolment_by_snils
from tests.enrolment.conftest import api, end_cycle
from tests.enrolment.factories import enrolment_application, enrolment_learner

pytestmark = pytest.mark.django_db

HEADER = "snils,outcome,completed_on,certificate_number"


@pytest.fixture
def enrolled(cycle: Any, staff_a: Any) -> list[Any]:
    """Three learners enrolled on organisation A's cycle, which then ends."""
    learners = []
    for name in ("Алексеева", "Борисов", "Васильева"):
        learner = enrolment_learner(cycle.programme.specialty, last_name=name)
        application = enrolment_application(cycle, learner)
        application_enroll(application=application, by=staff_a)
        learners.append(learner)
    end_cycle(cycle)
    return learners


def _csv(cycle: Any, learners: list[Any], *, delimiter: str = ",", outcome: str = "completed") -> str:
    day = cycle.ends_on.isoformat()
    lines = [HEADER.replace(",", delimiter)]
    for n, learner in enumerate(learners, start=1):
        lines.append(delimiter.join([learner.snils, outcome, day, f"УД-{n:04d}"]))
    return "\n".join(lines) + "\n"


def _post_csv(user: Any, cycle: Any, text: str | bytes) -> Any:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return api(user).post(f"/api/v1/provider/cycles/{cycle.pk}/results/", data, content_type="text/csv")


def _json_rows(cycle: Any, learners: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "snils": learner.snils,
            "outcome": "completed",
            "completed_on": cycle.ends_on.isoformat(),
            "certificate_number": f"УД-{n}",
        }
        for n, learner in enumerate(learners, start=1)
    ]


def test_a_good_csv_applies_every_row(cycle: Any, staff_a: Any, enrolled: list[Any]) -> None:
    response = _post_csv(staff_a, cycle, _csv(cycle, enrolled))
    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 3, "already_recorded": 0, "corrected": 0}
    assert set(Application.objects.filter(programme_cycle=cycle).values_list("status", flat=True)) == {"completed"}
    assert ProgrammeResult.objects.filter(cycle=cycle, needs_crediting=True).count() == 3


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_both_encodings_and_both_delimiters_are_read(
    cycle: Any, staff_a: Any, enrolled: list[Any], delimiter: str, encoding: str
) -> None:
    text = _csv(cycle, enrolled, delimiter=delimiter, outcome="освоил")
    text = text.replace(
        HEADER.replace(",", delimiter), delimiter.join(["СНИЛС", "Результат", "Дата", "Номер удостоверения"])
    )
    response = _post_csv(staff_a, cycle, text.encode(encoding))
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 3
    assert ProgrammeResult.objects.get(learner=enrolled[0]).certificate_number == "УД-0001"


def test_sending_the_same_rows_again_changes_nothing(cycle: Any, staff_a: Any, enrolled: list[Any]) -> None:
    text = _csv(cycle, enrolled)
    assert _post_csv(staff_a, cycle, text).json()["accepted"] == 3
    before = list(ProgrammeResult.objects.order_by("pk").values())
    response = _post_csv(staff_a, cycle, text)
    assert response.json() == {"accepted": 0, "already_recorded": 3, "corrected": 0}
    assert list(ProgrammeResult.objects.order_by("pk").values()) == before


def test_the_json_list_is_accepted_too(cycle: Any, staff_a: Any, enrolled: list[Any]) -> None:
    url = f"/api/v1/provider/cycles/{cycle.pk}/results/"
    response = api(staff_a).post(url, _json_rows(cycle, enrolled), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 3
    assert api(staff_a).post(url, _json_rows(cycle, enrolled), format="json").json()["already_recorded"] == 3


def _bad(cycle: Any, enrolled: list[Any], outsider: Any, kind: str) -> tuple[str, str]:
    """A file of three good rows plus one bad row of ``kind``; returns (text, the field blamed)."""
    day = cycle.ends_on.isoformat()
    rows = {
        "unknown_snils": (f"11223344595,completed,{day},УД-9", "snils"),
        "unenrolled_snils": (f"{outsider.snils},completed,{day},УД-9", "snils"),
        "bad_check_number": (f"{enrolled[0].snils[:9]}00,completed,{day},УД-9", "snils"),
        "date_outside_cycle": (
            f"{enrolled[0].snils},completed,{(cycle.ends_on + timedelta(days=5)).isoformat()},У",
            "completed_on",
        ),
        "bad_date": (f"{enrolled[0].snils},completed,31.02.2026,УД-9", "completed_on"),
        "bad_outcome": (f"{enrolled[0].snils},passed,{day},УД-9", "outcome"),
        "no_certificate": (f"{enrolled[0].snils},completed,{day},", "certificate_number"),
        "duplicate_row": (f"{enrolled[2].snils},completed,{day},УД-3", "snils"),
    }
    line, field = rows[kind]
    good = _csv(
        cycle, enrolled[:2] if kind in {"date_outside_cycle", "bad_date", "bad_outcome", "no_certificate"} else enrolled
    )
    if kind in {"date_outside_cycle", "bad_date", "bad_outcome", "no_certificate"}:
        good = _csv(cycle, enrolled[1:])
    return good + line + "\n", field


@pytest.mark.parametrize(
    "kind",
    [
        "unknown_snils",
        "unenrolled_snils",
        "bad_check_number",
        "date_outside_cycle",
        "bad_date",
        "bad_outcome",
        "no_certificate",
        "duplicate_row",
    ],
)
def test_one_bad_row_refuses_the_whole_file(cycle: Any, staff_a: Any, enrolled: list[Any], kind: str) -> None:
    outsider = enrolment_learner(cycle.programme.specialty)
    text, field = _bad(cycle, enrolled, outsider, kind)
    response = _post_csv(staff_a, cycle, text)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and e["row"] >= 2 for e in errors), errors
    assert all(isinstance(e["message"], str) and e["message"] for e in errors)
    assert not ProgrammeResult.objects.exists()
    assert not Application.objects.filter(status=ApplicationStatus.COMPLETED).exists()


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"", "пуст"),
        (HEADER.encode() + b"\n", "Нет ни одной"),
        (b"snils outcome completed_on certificate_number\n1 2 3 4\n", "разделитель"),
        (b"\x00\x01\x02\xff\xfe" * 20, "прочитать"),
        (b"snils,outcome\n11223344595,completed\n", "completed_on"),
        (b"PK\x03\x04not really a workbook", "Excel"),
    ],
)
def test_unreadable_files_are_refused_with_a_russian_message(
    cycle: Any, staff_a: Any, enrolled: list[Any], payload: bytes, needle: str
) -> None:
    response = _post_csv(staff_a, cycle, payload)
    assert response.status_code == 400
    assert needle in str(response.json()["errors"])
    assert not ProgrammeResult.objects.exists()


def test_too_many_rows_and_too_large_files_are_refused() -> None:
    from enrolment.results_parsing import ResultsInvalid, parse_results_file

    rows = "\n".join(f"11223344595,completed,2026-01-01,{n}" for n in range(11))
    with pytest.raises(ResultsInvalid) as error:
        parse_results_file((HEADER + "\n" + rows).encode(), max_rows=10)
    assert "Слишком много строк" in error.value.errors[0]["message"]
    with pytest.raises(ResultsInvalid) as error:
        parse_results_file(b"x" * 101, max_bytes=100)
    assert "слишком большой" in error.value.errors[0]["message"]


def test_an_xlsx_upload_is_read(cycle: Any, staff_a: Any, enrolled: list[Any]) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for n, learner in enumerate(enrolled, start=1):
        sheet.append([learner.snils, "completed", cycle.ends_on, f"УД-{n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = api(staff_a).post(
        f"/api/v1/provider/cycles/{cycle.pk}/results/",
        {"file": _named(buffer.getvalue(), "results.xlsx")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 3


def _named(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_results_before_the_cycle_ends_are_400(cycle: Any, staff_a: Any, learner: Any) -> None:
    application = enrolment_application(cycle, learner)
    application_enroll(application=application, by=staff_a)
    response = _post_csv(staff_a, cycle, _csv(cycle, [learner]))
    assert response.status_code == 400
    assert "после окончания" in response.json()["detail"]


def test_a_changed_row_is_a_logged_correction(cycle: Any, staff_a: Any, enrolled: list[Any]) -> None:
    from nmo_portal.models import AuditEvent

    _post_csv(staff_a, cycle, _csv(cycle, enrolled))
    ProgrammeResult.objects.update(needs_crediting=False, credited_key="result:x:v1")
    changed = _csv(cycle, enrolled).replace(f"{enrolled[0].snils},completed", f"{enrolled[0].snils},failed")
    response = _post_csv(staff_a, cycle, changed)
    assert response.json() == {"accepted": 1, "already_recorded": 2, "corrected": 1}
    result = ProgrammeResult.objects.get(learner=enrolled[0])
    assert (result.outcome, result.version, result.credited_key) == ("failed", 2, "")
    assert Application.objects.get(pk=result.application_id).status == ApplicationStatus.FAILED
    assert AuditEvent.objects.filter(action="results.corrected", target_id=str(result.pk)).exists()


def test_the_grid_page_records_rows_and_lists_errors(
    client: Any, cycle: Any, staff_a: Any, enrolled: list[Any]
) -> None:
    client.force_login(staff_a)
    url = f"/provider/cycles/{cycle.pk}/results/"
    page = client.get(url)
    assert page.status_code == 200
    assert enrolled[0].snils_display in page.content.decode()
    data = {
        "snils": [learner.snils for learner in enrolled],
        "outcome": ["completed", "", "failed"],
        "completed_on": [cycle.ends_on.isoformat()] * 3,
        "certificate_number": ["", "", ""],
    }
    refused = client.post(url, data, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "номер удостоверения" in refused.content.decode()
    data["certificate_number"] = ["УД-1", "", ""]
    saved = client.post(url, data, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert ProgrammeResult.objects.filter(cycle=cycle).count() == 2


def test_direct_enrolment_by_snils(cycle: Any, staff_a: Any, learner: Any) -> None:
    url = f"/api/v1/provider/cycles/{cycle.pk}/enrollments/"
    response = api(staff_a).post(url, {"snils": learner.snils_display}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "enrolled"
    assert api(staff_a).post(url, {"snils": learner.snils}, format="json").status_code == 409
    assert api(staff_a).post(url, {"snils": "112-233-445 95"}, format="json").status_code == 400
    assert api(staff_a).post(url, {"snils": "123"}, format="json").status_code == 400


def test_direct_enrolment_enrols_an_existing_formed_application(cycle: Any, staff_a: Any, learner: Any) -> None:
    application = enrolment_application(cycle, learner)
    enrolled = enrolment_by_snils(cycle=cycle, snils=learner.snils, by=staff_a)
    assert enrolled.pk == application.pk
    assert enrolled.status == ApplicationStatus.ENROLLED


def test_learner_validation_answers_only_valid(staff_a: Any, learner: Any) -> None:
    url = "/api/v1/provider/learners/validate/"
    good = {
        "snils": learner.snils_display,
        "last_name": learner.last_name.upper(),
        "birth_date": learner.birth_date.isoformat(),
    }
    assert api(staff_a).post(url, good, format="json").json() == {"valid": True}
    for wrong in ({"birth_date": "1999-04-13"}, {"last_name": "Другая"}, {"snils": "112-233-445 95"}, {"snils": "1"}):
        response = api(staff_a).post(url, {**good, **wrong}, format="json")
        assert response.status_code == 200
        assert response.json() == {"valid": False}


def test_learner_validation_is_throttled_per_user(staff_a: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "learner_validate": "3/hour"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    # DRF binds the rates to the class at import: swap them in, and put the very same dict back
    # afterwards (reading api_settings again here would still see this test's 3/hour and leak it
    # into every later test on the worker).
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        body = {"snils": "112-233-445 95", "last_name": "Иванов", "birth_date": "1980-01-01"}
        codes = [
            api(staff_a).post("/api/v1/provider/learners/validate/", body, format="json").status_code for _ in range(5)
        ]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


def test_specialists_cannot_validate_learners(learner: Any) -> None:
    body = {"snils": learner.snils, "last_name": learner.last_name, "birth_date": learner.birth_date.isoformat()}
    assert api(learner).post("/api/v1/provider/learners/validate/", body, format="json").status_code == 404


def test_result_and_application_lists_run_a_fixed_number_of_queries(cycle: Any, staff_a: Any) -> None:
    def count(url: str) -> int:
        client = api(staff_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    learners = [enrolment_learner(cycle.programme.specialty) for _ in range(20)]
    first = enrolment_application(cycle, learners[0], basis="contract")
    application_enroll(application=first, by=staff_a)
    end_cycle(cycle)
    api(staff_a).post(f"/api/v1/provider/cycles/{cycle.pk}/results/", _json_rows(cycle, learners[:1]), format="json")
    apps_url = f"/api/v1/provider/cycles/{cycle.pk}/applications/"
    results_url = f"/api/v1/provider/cycles/{cycle.pk}/results/"
    one = (count(apps_url), count(results_url))
    for learner in learners[1:]:
        application = Application.objects.create(
            applicant=learner,
            programme_cycle=cycle,
            specialty=cycle.programme.specialty,
            employment="state",
            basis="contract",
            source="provider",
            status="enrolled",
        )
        assert application.pk
    api(staff_a).post(results_url, _json_rows(cycle, learners), format="json")
    assert ProgrammeResult.objects.filter(cycle=cycle).count() == 20
    twenty = (count(apps_url), count(results_url))
    assert one == twenty
    assert one[0] <= 6 and one[1] <= 6


def test_recording_20_rows_takes_as_many_queries_as_recording_2(org_a: Any, staff_a: Any) -> None:
    from tests.enrolment.factories import enrolment_cycle

    def record(n: int) -> int:
        cycle = enrolment_cycle(org_a, seats_contract=30)
        learners = [enrolment_learner(cycle.programme.specialty) for _ in range(n)]
        for learner in learners:
            application_enroll(application=enrolment_application(cycle, learner, basis="contract"), by=staff_a)
        end_cycle(cycle)
        with CaptureQueriesContext(connection) as queries:
            response = api(staff_a).post(
                f"/api/v1/provider/cycles/{cycle.pk}/results/", _json_rows(cycle, learners), format="json"
            )
        assert response.status_code == 200
        return len(queries)

    record(1)  # warm the rule-set cache
    assert record(2) == record(20)


def test_failed_learner_look_ups_are_counted_per_organisation(org_a: Any, staff_a: Any, settings: Any) -> None:
    from tests.enrolment.factories import enrolment_staff

    settings.FAILURE_THROTTLE_RATES = {**settings.FAILURE_THROTTLE_RATES, "learner_validate": "2/hour"}
    colleague = enrolment_staff(org_a)
    body = {"snils": "112-233-445 95", "last_name": "Иванов", "birth_date": "1980-01-01"}
    url = "/api/v1/provider/learners/validate/"
    assert api(staff_a).post(url, body, format="json").status_code == 200
    assert api(colleague).post(url, body, format="json").status_code == 200
    refused = api(colleague).post(url, body, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_exports_neutralise_formulas(cycle: Any, staff_a: Any) -> None:
    learner = enrolment_learner(cycle.programme.specialty, last_name="=HYPERLINK(1)")
    enrolment_application(cycle, learner)
    response = api(staff_a).get(f"/api/v1/provider/cycles/{cycle.pk}/applications/export/?kind=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    xlsx = api(staff_a).get(f"/api/v1/provider/cycles/{cycle.pk}/applications/export/?kind=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")


def test_an_export_of_learners_data_is_audited(cycle: Any, staff_a: Any) -> None:
    from nmo_portal.models import AuditEvent

    enrolment_application(cycle, enrolment_learner(cycle.programme.specialty))
    response = api(staff_a).get(f"/api/v1/provider/cycles/{cycle.pk}/applications/export/?kind=csv")
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(action="applications.exported")
    assert (event.actor_id, event.target_id, event.details["kind"]) == (staff_a.pk, str(cycle.pk), "csv")


def test_the_grid_counts_its_learners_by_the_totals_it_shows(cycle: Any, staff_a: Any, enrolled: list[Any]) -> None:
    from enrolment.selectors import RosterResult, cycle_roster, roster_totals

    _post_csv(staff_a, cycle, _csv(cycle, enrolled[:1]))
    other = enrolment_learner(cycle.programme.specialty, last_name="Григорьев")
    Application.objects.create(  # formed, never taken in: on no list of the grid
        applicant=other,
        programme_cycle=cycle,
        specialty=cycle.programme.specialty,
        employment="state",
        basis="contract",
        source="provider",
        status=ApplicationStatus.FORMED,
        number="T-formed",
    )
    totals = roster_totals(cycle=cycle)
    assert (totals.enrolled, totals.with_result) == (3, 1)
    for result in ("", *RosterResult.values):
        assert totals.of(result) == cycle_roster(cycle=cycle, result=result).count(), result
    page = Client()
    page.force_login(staff_a)
    for result, shown in (("", 3), ("with", 1), ("without", 2)):
        body = page.get(f"/provider/cycles/{cycle.pk}/results/?result={result}").content.decode()
        assert body.count('data-testid="results-row"') == shown, result
