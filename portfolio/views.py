"""Pages: five-year cycles with their progress, the portfolio, "Ввести код", the PDF and its public
verification. Thin: fetch with permission, call one service, render (a partial for htmx)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nmo_portal.lib.audit import audit_viewed
from nmo_portal.lib.exceptions import ApplicationError, NotFound, TooManyAttempts
from nmo_portal.lib.fragments import render_page
from nmo_portal.lib.htmx import is_htmx
from portfolio import charts, selectors, services
from portfolio.messages import REASON_HELP
from portfolio.models import ActivationStatus, PdfStatus
from trajectory.models import Cycle, CycleStatus
from trajectory.permissions import specialist_required
from trajectory.selectors import (
    cycle_get,
    cycles_of,
    document_for_cycle_get,
    documents_to_open_cycle,
    plan_item_get,
)
from trajectory.services import cycle_open


def _cycle_or_404(request: HttpRequest, cycle_id: int) -> Cycle:
    try:
        return cycle_get(user=request.user, cycle_id=cycle_id)
    except NotFound as error:
        raise Http404 from error


# --- Cycles --------------------------------------------------------------------------------------
@specialist_required
@require_http_methods(["GET", "POST"])
def cycles_page(request: HttpRequest) -> HttpResponse:
    """ "Пятилетние циклы": the list with progress, and opening a cycle from a document."""
    if request.method == "POST":
        try:
            document = document_for_cycle_get(user=request.user, document_id=request.POST.get("document"))
            cycle = cycle_open(document=document, by=request.user)
        except NotFound:
            messages.error(request, _("Выберите документ из списка."))
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Цикл открыт: %(cycle)s.") % {"cycle": cycle})
            return redirect("portfolio:cycle", cycle_id=cycle.pk)
        return redirect("portfolio:cycles")
    cycles = list(cycles_of(user=request.user))
    progress = selectors.progress_of_cycles(cycles=cycles)
    rows = [{"cycle": c, "progress": progress[c.pk]} for c in cycles]
    return render(
        request,
        "portfolio/cycles.html",
        {"rows": rows, "documents": list(documents_to_open_cycle(user=request.user))},
    )


@specialist_required
@require_GET
def cycle_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(request, cycle_id)
    body = ("portfolio/_cycle_body.html", _summary_inputs(cycle))
    return render_page(request, "portfolio/cycle.html", {"cycle": cycle}, body=body, build=_summary_context)


def _summary_inputs(cycle: Cycle) -> dict[str, Any]:
    return {"inputs": selectors.portfolio_inputs(cycle=cycle)}


def _summary_context(body_inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The cycle and portfolio pages' body, computed from the portfolio's inputs (no query): a page
    served from the memo neither computes the portfolio nor draws its charts."""
    portfolio = selectors.portfolio_from(body_inputs["inputs"])
    return {
        "cycle": portfolio.cycle,
        "portfolio": portfolio,
        "chart": charts.year_bars_svg(portfolio),
        **_bars(portfolio),
    }


def _bars(portfolio: selectors.Portfolio) -> dict[str, Any]:
    return {
        "total_bar": charts.progress_bar_svg(
            portfolio.total_zet, portfolio.target_zet, label=_("Всего ЗЕТ"), testid="total-bar"
        ),
        "hours_bar": charts.progress_bar_svg(
            portfolio.hours_total, portfolio.min_hours, label=_("Часов обучения (709н)"), testid="hours-bar"
        ),
        "program_bar": charts.progress_bar_svg(
            portfolio.hours_program, portfolio.min_program_hours, label=_("Из них ДПП ПК"), testid="program-bar"
        ),
    }


# --- The portfolio -------------------------------------------------------------------------------
@specialist_required
@require_GET
def portfolio_home(request: HttpRequest) -> HttpResponse:
    active = [c for c in cycles_of(user=request.user) if c.status == CycleStatus.ACTIVE]
    if len(active) == 1:
        return redirect("portfolio:portfolio", cycle_id=active[0].pk)
    return redirect("portfolio:cycles")


@specialist_required
@require_GET
def portfolio_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(request, cycle_id)
    body = ("portfolio/_portfolio_body.html", _summary_inputs(cycle))
    return render_page(request, "portfolio/portfolio.html", {"cycle": cycle}, body=body, build=_summary_context)


@specialist_required
@require_POST
def portfolio_pdf_request_view(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(request, cycle_id)
    pdf = services.portfolio_pdf_request(cycle=cycle, by=request.user)
    return redirect("portfolio:pdf", pdf_id=pdf.pk)


@specialist_required
@require_GET
def portfolio_pdf_page(request: HttpRequest, pdf_id: int) -> HttpResponse:
    try:
        pdf = selectors.portfolio_pdf_get(user=request.user, pdf_id=pdf_id)
    except NotFound as error:
        raise Http404 from error
    template = "portfolio/_pdf_status.html" if is_htmx(request) else "portfolio/pdf.html"
    return render(request, template, {"pdf": pdf, "pending": pdf.status in (PdfStatus.PENDING, PdfStatus.RENDERING)})


@specialist_required
@require_GET
def portfolio_pdf_download(request: HttpRequest, pdf_id: int) -> FileResponse:
    try:
        pdf = selectors.portfolio_pdf_get(user=request.user, pdf_id=pdf_id)
    except NotFound as error:
        raise Http404 from error
    if pdf.status != PdfStatus.READY or not pdf.file:
        raise Http404
    response = FileResponse(pdf.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{pdf.verification_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms the owner (masked), date, totals and hash of a PDF, nothing more."""
    try:
        pdf = selectors.portfolio_pdf_by_code(code=code)
    except NotFound as error:
        raise Http404 from error
    # Someone else looked at a specialist's portfolio (by its code): the audit log keeps it.
    audit_viewed(
        actor=request.user, owner=pdf.owner, target=pdf, request=request, action="portfolio.verified", summary=code[:64]
    )
    return render(request, "portfolio/verify.html", {"pdf": pdf, "owner_masked": services.owner_masked(pdf.owner)})


# --- "Ввести код" ------------------------------------------------------------------------------
@specialist_required
@require_http_methods(["GET", "POST"])
def code_activate_page(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        plan_item = None
        if request.POST.get("plan_item"):
            try:
                plan_item = plan_item_get(user=request.user, item_id=request.POST["plan_item"])
            except NotFound as failure:
                raise Http404 from failure
        try:
            activation = services.code_activation_submit(
                user=request.user, code=request.POST.get("code", ""), plan_item=plan_item
            )
        except TooManyAttempts as failure:
            error = str(failure.message)
            response = _code_form_response(request, error=error, status=429)
            response["Retry-After"] = str(failure.retry_after)
            return response
        except ApplicationError as failure:
            error = str(failure.message)
        else:
            activation.refresh_from_db()
            if is_htmx(request):
                # the decision (polling while pending) and the form again, for the next code
                return render(request, "portfolio/_code_result.html", _activation_context(activation))
            return redirect("portfolio:code-activation", activation_id=activation.pk)
    return _code_form_response(request, error=error)


def _code_form_response(request: HttpRequest, *, error: str | None, status: int = 200) -> HttpResponse:
    template = "portfolio/_code_form.html" if is_htmx(request) else "portfolio/code_activate.html"
    context = {"error": error, "activations": selectors.activations_of(user=request.user), "help": REASON_HELP}
    return render(request, template, context, status=status)


def _activation_context(activation: Any) -> dict[str, Any]:
    from portfolio.messages import reason_help

    cycles = []
    if activation.status == ActivationStatus.ACCEPTED:
        cycles = list(
            activation.user.cycles.filter(credit_entries__source_key=f"event_code:{activation.code_id}")
            .select_related("specialty")
            .distinct()
        )
    return {
        "activation": activation,
        "help": reason_help(activation.reason),
        "pending": activation.status == ActivationStatus.PENDING,
        "cycles": cycles,
    }


@specialist_required
@require_GET
def code_activation_page(request: HttpRequest, activation_id: int) -> HttpResponse:
    try:
        activation = selectors.activation_get(user=request.user, activation_id=activation_id)
    except NotFound as error:
        raise Http404 from error
    template = "portfolio/_activation_status.html" if is_htmx(request) else "portfolio/code_activation.html"
    return render(request, template, _activation_context(activation))
