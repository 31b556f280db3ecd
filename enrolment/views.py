"""Pages: the specialist's applications and disputes, the organisation's processing and results
grid, the methodologist's overview. Each view fetches through a selector (404 for what is not
yours), calls one service, and renders or redirects; with htmx the results grid answers with its
partial. Service errors become messages or form errors in Russian."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enrolment import selectors, services
from enrolment.api import export_response
from enrolment.documents import application_pdf
from enrolment.models import AnswerKind, ApplicationStatus, Basis, Employment
from enrolment.results_parsing import MAX_BYTES, ResultsInvalid, check_rows, parse_results_file
from nmo_portal.lib.exceptions import ApplicationError, NotFound
from nmo_portal.lib.fragments import render_fragment, render_page
from nmo_portal.lib.htmx import is_htmx
from nmo_portal.lib.prepared import Listing
from providers.models import ElementStatus, OrganisationStatus, ProgrammeCycle
from reference.models import Specialty


def _get(fetch: Any, **kwargs: Any) -> Any:
    try:
        return fetch(**kwargs)
    except NotFound:
        raise Http404 from None


def _error_text(error: ApplicationError) -> str:
    return str(error.message)


# --- the specialist -------------------------------------------------------------------------------
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.applications_of(user=request.user))
    today = timezone.localdate()
    rows = [{"application": a, "waiting_for": selectors.waiting_for(a, today=today)} for a in applications]
    return render(request, "enrolment/my_applications.html", {"rows": rows})


@login_required
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(selectors.application_get, user=request.user, application_id=pk)
    return render(
        request,
        "enrolment/my_application.html",
        {
            "application": application,
            "waiting_for": selectors.waiting_for(application),
            "history": application.transitions.all(),
            "disputes": application.disputes.all(),
            "can_dispute": application.status in (ApplicationStatus.ENROLLED, ApplicationStatus.COMPLETED)
            and application.programme_cycle.ends_on < timezone.localdate(),
        },
    )


@login_required
@require_POST
def my_application_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(selectors.application_get, user=request.user, application_id=pk)
    try:
        services.application_cancel(application=application, by=request.user)
        messages.success(request, _("Заявка отозвана, место освобождено."))
    except ApplicationError as error:
        messages.error(request, _error_text(error))
    return redirect("enrolment:my-application", pk=application.pk)


@login_required
def my_application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(selectors.application_get, user=request.user, application_id=pk)
    response = HttpResponse(application_pdf(application=application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zayavka-{application.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_dispute_open(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(selectors.application_get, user=request.user, application_id=pk)
    error = ""
    if request.method == "POST":
        try:
            dispute = services.dispute_open(
                application=application,
                by=request.user,  # type: ignore[arg-type]
                message=request.POST.get("message", ""),
            )
            messages.success(request, _("Обращение отправлено организации."))
            return redirect("enrolment:my-dispute", pk=dispute.pk)
        except ApplicationError as exc:
            error = _error_text(exc)
    return render(request, "enrolment/dispute_open.html", {"application": application, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def my_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _get(selectors.dispute_get, user=request.user, dispute_id=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "escalate":
                services.dispute_escalate(dispute=dispute, by=request.user, reason=request.POST.get("reason", ""))
            else:
                services.dispute_resolve(dispute=dispute, by=request.user, resolution=request.POST.get("reason", ""))
        except ApplicationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("enrolment:my-dispute", pk=dispute.pk)
    return render(request, "enrolment/dispute.html", {"dispute": dispute, "role": "specialist"})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form for a published cycle (from the catalogue or the plan)."""
    cycle = (
        ProgrammeCycle.objects.select_related("programme__organisation")
        .filter(
            pk=pk,
            programme__status=ElementStatus.PUBLISHED,
            programme__organisation__status=OrganisationStatus.APPROVED,
        )
        .first()
    )
    if cycle is None:
        raise Http404
    wanted = services.programme_specialty_ids(cycle)
    own = services.applicant_specialty_ids(request.user)  # type: ignore[arg-type]
    specialties = list(Specialty.objects.filter(pk__in=wanted & own).order_by("name"))
    bases = [(b, Basis(b).label) for b in services.cycle_bases(cycle)]
    errors: dict[str, str] = {}
    if request.method == "POST":
        specialty = next((s for s in specialties if str(s.pk) == request.POST.get("specialty")), None)
        try:
            if specialty is None:
                raise ApplicationError(_("Выберите специальность."), field="specialty")
            application = services.application_create(
                applicant=request.user,  # type: ignore[arg-type]
                programme_cycle=cycle,
                specialty=specialty,
                employment=request.POST.get("employment", ""),
                basis=request.POST.get("basis", ""),
                consent=request.POST.get("consent") == "on",
            )
            messages.success(request, _("Заявка %(number)s сформирована.") % {"number": application.number})
            return redirect("enrolment:my-application", pk=application.pk)
        except ApplicationError as exc:
            errors[exc.field or "form"] = _error_text(exc)
    return render(
        request,
        "enrolment/apply.html",
        {
            "cycle": cycle,
            "specialties": specialties,
            "bases": bases,
            "employments": Employment.choices,
            "seats_free": services.seats_free(cycle),
            "errors": errors,
            "values": request.POST,
        },
    )


# --- provider staff -------------------------------------------------------------------------------
def _staff_only(request: HttpRequest) -> None:
    if not selectors.staff_organisations(user=request.user).exists():
        raise Http404


@login_required
def provider_home(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    organisations = selectors.staff_organisations(user=request.user)
    cycles = selectors.staff_cycles(user=request.user).order_by("-starts_on", "pk")[:200]
    return render(
        request,
        "enrolment/provider_home.html",
        {
            "cycles": cycles,
            "debts": selectors.open_debts(user=request.user),
            "scorecards": selectors.scorecards(organisations=organisations),
            "disputes": selectors.staff_disputes(user=request.user).exclude(status="resolved").order_by("due_on"),
        },
    )


PAGE_SIZE = 50


def _page(request: HttpRequest, rows: QuerySet[Any] | Listing[Any], *, count: int | None = None) -> Page[Any]:
    """The requested page of ``rows`` (the last one when the number is too large, the first when
    it is not a number): a count and one slice, whatever the number of rows. ``count``, when the
    caller already knows how many rows there are, saves the count query."""
    paginator = Paginator(rows, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not counted again
    return paginator.get_page(request.GET.get("page"))


def _query(values: dict[str, Any]) -> str:
    """The filters (and page) as a query string for links, without the empty ones."""
    return urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _application_filters(request: HttpRequest) -> dict[str, str]:
    status = request.GET.get("status", "")
    basis = request.GET.get("basis", "")
    return {
        "status": status if status in ApplicationStatus.values else "",
        "basis": basis if basis in Basis.values else "",
        "q": request.GET.get("q", "").strip(),
    }


@login_required
def provider_applications(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _get(selectors.staff_cycle_get, user=request.user, cycle_id=pk)
    filters = _application_filters(request)
    page = _page(request, selectors.cycle_applications_listing(cycle=cycle, for_page=True, **filters))
    context = {
        "cycle": cycle,
        "page": page,
        "applications": page.object_list,
        "statuses": ApplicationStatus.choices,
        "bases": Basis.choices,
        "filters": filters,
        "filtered": any(filters.values()),
        "query": _query(filters),
        "page_query": _query({**filters, "page": page.number if page.number > 1 else ""}),
        "seats_free": services.seats_free(cycle),
    }
    return render_page(
        request, "enrolment/provider_applications.html", {}, body=("enrolment/_applications_body.html", context)
    )


@login_required
def provider_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    cycle = _get(selectors.staff_cycle_get, user=request.user, cycle_id=pk)
    return export_response(
        request=request,
        cycle=cycle,
        kind=request.GET.get("kind", "csv"),
        status=request.GET.get("status", ""),
        basis=request.GET.get("basis", ""),
        q=request.GET.get("q", ""),
    )


@login_required
@require_POST
def provider_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(selectors.staff_application_get, user=request.user, application_id=pk)
    try:
        if request.POST.get("action") == "reject":
            services.application_reject(application=application, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Заявка %(n)s отклонена.") % {"n": application.number})
        else:
            services.application_enroll(application=application, by=request.user)
            messages.success(request, _("Слушатель по заявке %(n)s зачислен.") % {"n": application.number})
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    # back to the page and filters the decision was taken on (the form passes them in its URL)
    number = request.GET.get("page", "")
    back = _query({**_application_filters(request), "page": number if number.isdigit() else ""})
    url = reverse("enrolment:provider-applications", args=[application.programme_cycle_id])
    return redirect(f"{url}?{back}" if back else url)


@login_required
@require_POST
def provider_enrol_by_snils(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _get(selectors.staff_cycle_get, user=request.user, cycle_id=pk)
    try:
        application = services.enrolment_by_snils(cycle=cycle, snils=request.POST.get("snils", ""), by=request.user)
        messages.success(request, _("Зачислен: %(name)s.") % {"name": application.applicant.full_name})
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("enrolment:provider-applications", pk=cycle.pk)


@login_required
@require_http_methods(["GET", "POST"])
def provider_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results grid, a page of the roster at a time: edit the page's rows in place (htmx posts
    the grid) or upload a CSV/XLSX file for the whole cycle."""
    cycle = _get(selectors.staff_cycle_get, user=request.user, cycle_id=pk)
    errors: list[dict[str, Any]] = []
    summary = None
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is not None:
                rows = parse_results_file(upload.read(MAX_BYTES + 1), filename=upload.name or "")
            else:
                rows = check_rows(_grid_rows(request))
            summary = services.results_record(cycle=cycle, rows=rows, by=request.user)
        except ResultsInvalid as exc:
            errors = exc.errors
        except ApplicationError as exc:
            errors = [{"row": 0, "field": exc.field or "file", "message": str(exc.message)}]
    filters = _roster_filters(request)
    totals = selectors.roster_totals(cycle=cycle)
    roster = selectors.cycle_roster_listing(cycle=cycle, for_page=True, **filters)
    page = _page(request, roster, count=None if filters["q"] else totals.of(filters["result"]))
    context = {
        "cycle": cycle,
        "page": page,
        "roster": page.object_list,
        "totals": totals,
        "filters": filters,
        "filtered": any(filters.values()),
        "result_choices": selectors.RosterResult.choices,
        "query": _query(filters),
        "page_query": _query({**filters, "page": page.number if page.number > 1 else ""}),
        "errors": errors,
        "summary": summary,
        "ended": cycle.ends_on < timezone.localdate(),
        "due_on": selectors.results_due_on(cycle),
    }
    status = 400 if errors else 200
    if is_htmx(request):
        return HttpResponse(render_fragment(request, "enrolment/_results_grid.html", context), status=status)
    body = ("enrolment/_results_body.html", context)
    return render_page(request, "enrolment/provider_results.html", {}, body=body, status=status)


def _roster_filters(request: HttpRequest) -> dict[str, str]:
    """The grid's filters come from the URL, on a POST too: the grid posts to the URL of the page
    it shows, so that after saving the same page (same filters, same number) is shown again."""
    result = request.GET.get("result", "")
    return {
        "result": result if result in selectors.RosterResult.values else "",
        "q": request.GET.get("q", "").strip(),
    }


def _grid_rows(request: HttpRequest) -> list[tuple[int, dict[str, str]]]:
    """The grid posts ``snils``, ``outcome``, ``completed_on``, ``certificate_number`` per line;
    a line without an outcome is left out (not yet decided). Row numbers are the grid's lines."""
    snils = request.POST.getlist("snils")
    outcome = request.POST.getlist("outcome")
    completed = request.POST.getlist("completed_on")
    certificate = request.POST.getlist("certificate_number")
    rows = []
    for index, value in enumerate(snils):
        row = {
            "snils": value,
            "outcome": outcome[index] if index < len(outcome) else "",
            "completed_on": completed[index] if index < len(completed) else "",
            "certificate_number": certificate[index] if index < len(certificate) else "",
        }
        if row["outcome"].strip():
            rows.append((index + 1, row))
    if not rows:
        raise ResultsInvalid(
            [{"row": 0, "field": "outcome", "message": _("Укажите результат хотя бы одного слушателя.")}]
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def provider_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _get(selectors.staff_dispute_get, user=request.user, dispute_id=pk)
    if request.method == "POST":
        try:
            services.dispute_answer(
                dispute=dispute,
                by=request.user,
                kind=request.POST.get("answer_kind", ""),
                answer=request.POST.get("answer", ""),
            )
            messages.success(request, _("Ответ отправлен слушателю."))
        except ApplicationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("enrolment:provider-dispute", pk=dispute.pk)
    return render(
        request, "enrolment/dispute.html", {"dispute": dispute, "role": "provider", "answer_kinds": AnswerKind.choices}
    )


# --- methodologists -------------------------------------------------------------------------------
@login_required
def methodologist_overview(request: HttpRequest) -> HttpResponse:
    if not selectors.is_methodologist(request.user):
        raise Http404
    from providers.models import Organisation

    return render(
        request,
        "enrolment/methodologist_overview.html",
        {
            "disputes": selectors.escalated_disputes(user=request.user).order_by("due_on"),
            "debts": selectors.open_debts(user=request.user),
            "scorecards": selectors.scorecards(
                organisations=Organisation.objects.filter(status=OrganisationStatus.APPROVED)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def methodologist_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _get(selectors.methodologist_dispute_get, user=request.user, dispute_id=pk)
    if request.method == "POST":
        try:
            services.dispute_resolve(dispute=dispute, by=request.user, resolution=request.POST.get("reason", ""))
            messages.success(request, _("Обращение решено."))
        except ApplicationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("enrolment:methodologist-dispute", pk=dispute.pk)
    return render(request, "enrolment/dispute.html", {"dispute": dispute, "role": "methodologist"})
