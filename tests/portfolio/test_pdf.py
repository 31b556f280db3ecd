from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from rest_framework.test import APIClient

from nmo_portal.lib.pdf import pdf_text, qr_svg
from portfolio.models import PdfStatus, PortfolioPdf, SourceKind
from portfolio.services import (
    CreditItem,
    credit_record_many,
    owner_masked,
    portfolio_pdf_render,
    portfolio_pdf_request,
    portfolio_pdfs_sweep,
)
from tests.trajectory.factories import catalogue_module, cycle_for

pytestmark = pytest.mark.django_db


def _cycle_with_entries(owner: Any, n: int = 3) -> Any:
    cycle = cycle_for(owner, issued_on=date(2022, 3, 1))
    module = catalogue_module(zet=2, title="Модуль «Неотложная помощь»")
    credit_record_many(
        items=[
            CreditItem(
                owner_id=owner.pk,
                element=module,
                completed_on=date(2022, 3, 1) + timedelta(days=5 * i),
                source_kind=SourceKind.MODULE_COMPLETION,
                source_key=f"m:{i}",
            )
            for i in range(n)
        ]
    )
    return cycle


def test_the_owner_is_masked_on_documents_others_see(specialist: Any) -> None:
    specialist.snils = "11223344595"
    specialist.middle_name = "Андреевна"
    assert owner_masked(specialist) == "Иванова Е. А., СНИЛС 112-***-*** 95"


def test_the_pdf_is_rendered_by_the_task_and_served_to_its_owner_only(
    specialist: Any, other_specialist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = _cycle_with_entries(specialist)
    client = APIClient()
    client.force_authenticate(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/me/cycles/{cycle.pk}/portfolio/pdf/")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    detail = client.get(f"/api/v1/me/portfolio-pdfs/{response.json()['id']}/").json()
    assert detail["status"] == "ready" and detail["url"].endswith("/file/")
    pdf = PortfolioPdf.objects.get()
    assert (pdf.entry_count, pdf.total_zet) == (3, 6)
    assert len(pdf.verification_code) >= 16  # >= 64 bits of base32
    download = client.get(detail["url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF") and len(content) > 5000
    assert hashlib.sha256(content).hexdigest() == pdf.content_sha256 == detail["content_sha256"]
    stranger = APIClient()
    stranger.force_authenticate(other_specialist)
    assert stranger.get(detail["url"]).status_code == 404


def test_the_pdf_text_names_the_owner_masked_and_the_verification_code(specialist: Any) -> None:
    cycle = _cycle_with_entries(specialist)
    pdf = portfolio_pdf_request(cycle=cycle, by=specialist)
    from portfolio.selectors import portfolio_of

    html = render_to_string(
        "portfolio/portfolio_pdf.html",
        {
            "pdf": pdf,
            "portfolio": portfolio_of(cycle=cycle),
            "owner": specialist,
            "owner_masked": owner_masked(specialist),
            "qr": qr_svg("https://example.org/verify/X/"),
            "verify_url": "https://example.org/verify/X/",
        },
    )
    text = pdf_text(html)
    assert owner_masked(specialist) in text
    assert pdf.verification_code in text
    assert "Неотложная помощь" in text


def test_the_verification_page_shows_only_masked_owner_date_totals_and_hash(specialist: Any) -> None:
    cycle = _cycle_with_entries(specialist)
    pdf = portfolio_pdf_request(cycle=cycle, by=specialist)
    portfolio_pdf_render(pdf_id=pdf.pk)
    pdf.refresh_from_db()
    page = Client().get(f"/verify/{pdf.verification_code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert owner_masked(specialist) in html and pdf.content_sha256 in html
    assert specialist.snils not in html and specialist.email not in html and "Неотложная" not in html
    assert Client().get("/verify/AAAAAAAAAAAAAAAA/").status_code == 404


def test_a_render_runs_once_even_if_asked_twice(specialist: Any) -> None:
    cycle = _cycle_with_entries(specialist, n=1)
    pdf = portfolio_pdf_request(cycle=cycle, by=specialist)
    portfolio_pdf_render(pdf_id=pdf.pk)
    first = PortfolioPdf.objects.get(pk=pdf.pk)
    portfolio_pdf_render(pdf_id=pdf.pk)
    again = PortfolioPdf.objects.get(pk=pdf.pk)
    assert again.attempts == first.attempts == 1 and again.content_sha256 == first.content_sha256


def test_a_failing_render_is_retried_then_marked_failed(specialist: Any, monkeypatch: Any) -> None:
    from portfolio import services

    cycle = _cycle_with_entries(specialist, n=1)
    pdf = portfolio_pdf_request(cycle=cycle, by=specialist)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "_portfolio_pdf_bytes", broken)
    for _attempt in range(services.PDF_MAX_ATTEMPTS - 1):
        with pytest.raises(RuntimeError):
            portfolio_pdf_render(pdf_id=pdf.pk)
        assert PortfolioPdf.objects.get(pk=pdf.pk).status == PdfStatus.PENDING
    portfolio_pdf_render(pdf_id=pdf.pk)
    failed = PortfolioPdf.objects.get(pk=pdf.pk)
    assert failed.status == PdfStatus.FAILED and "no fonts" in failed.error


def test_the_sweeper_renders_a_pdf_whose_task_was_lost(specialist: Any) -> None:
    from django.utils import timezone

    cycle = _cycle_with_entries(specialist, n=1)
    pdf = portfolio_pdf_request(cycle=cycle, by=specialist)  # no on-commit: the task was lost
    assert portfolio_pdfs_sweep(now=timezone.now() + timedelta(minutes=3)) == 1
    assert PortfolioPdf.objects.get(pk=pdf.pk).status == PdfStatus.READY


def test_the_page_says_being_prepared_until_ready(specialist: Any, other_specialist: Any) -> None:
    cycle = _cycle_with_entries(specialist, n=1)
    pdf = portfolio_pdf_request(cycle=cycle, by=specialist)
    browser = Client()
    browser.force_login(specialist)
    pending = browser.get(f"/portfolio/pdf/{pdf.pk}/").content.decode()
    assert "Документ готовится" in pending and "hx-trigger" in pending
    portfolio_pdf_render(pdf_id=pdf.pk)
    ready = browser.get(f"/portfolio/pdf/{pdf.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Скачать PDF" in ready and "hx-trigger" not in ready
    assert browser.get(f"/portfolio/pdf/{pdf.pk}/download/")["Content-Type"] == "application/pdf"
    other = Client()
    other.force_login(other_specialist)
    assert other.get(f"/portfolio/pdf/{pdf.pk}/").status_code == 404
    assert other.get(f"/portfolio/pdf/{pdf.pk}/download/").status_code == 404
