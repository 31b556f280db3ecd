"""Pages of periodic accreditation: the specialist's, the secretary's queue, the commission's view
of a frozen portfolio, the public protocol. Each view fetches through a selector, then calls one
service; service errors become messages on the page they came from."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accreditation import ledger, policy, selectors, services
from accreditation.forms import ActivityReportForm, ApplicationForm, DecideForm, PdfForm, ReturnForm, form_errors_text
from accreditation.models import (
    AccreditationApplication,
    ApplicationStatus,
    CommissionRole,
    Result,
)
from accreditation.notifications import FAILED_NEXT_STEPS
from nmo_portal.lib.audit import audit_viewed
from nmo_portal.lib.exceptions import ApplicationError, NotFound
from nmo_portal.lib.fragments import render_page

STATUS_HINTS = {
    ApplicationStatus.DRAFT: gettext_lazy("Заполните заявление, приложите отчёт и подайте его."),
    ApplicationStatus.SUBMITTED: gettext_lazy("Заявление подано и ждёт регистрации секретарём комиссии."),
    ApplicationStatus.REGISTERED: gettext_lazy("Заявление зарегистрировано; документы проверяются."),
    ApplicationStatus.RETURNED: gettext_lazy("Заявление возвращено: исправьте указанное и подайте снова."),
    ApplicationStatus.UNDER_REVIEW: gettext_lazy("Портфолио оценивает аккредитационная комиссия."),
    ApplicationStatus.DECIDED: gettext_lazy("Комиссия приняла решение; результат будет в опубликованном протоколе."),
    ApplicationStatus.PUBLISHED: gettext_lazy("Протокол опубликован."),
}


def _error_message(request: HttpRequest, error: ApplicationError) -> None:
    body = error.as_body()
    text = "; ".join(
        " ".join(str(m) for m in value) if isinstance(value, list) else str(value)
        for key, value in body.items()
        if key != "code"
    )
    messages.error(request, text or str(error.message))


def _cycles_for_filing(user: Any, initial: dict[str, Any]) -> list[dict[str, Any]]:
    from trajectory.models import Cycle

    today = timezone.localdate()
    live = set(
        AccreditationApplication.objects.filter(applicant=user)
        .exclude(status=ApplicationStatus.PUBLISHED)
        .values_list("cycle_id", flat=True)
    )
    rows = []
    for cycle in Cycle.objects.filter(owner=user, status="active").select_related("document", "specialty"):
        try:
            opens_on, closes_on = policy.filing_window(cycle.document, today)
        except ApplicationError:
            continue
        entries = ledger.ledger_entries(cycle)
        totals = ledger.ledger_totals(entries)
        readiness = policy.readiness_check(
            totals={"total": totals["total"], "program": totals["by_kind"]["program"]}, today=today
        )
        rows.append(
            {
                "cycle": cycle,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "open": opens_on <= today <= closes_on,
                "has_live": cycle.pk in live,
                "readiness": readiness,
                # One form per cycle, with ids of its own so that every label points at its field.
                "form": ApplicationForm(initial=initial, auto_id=f"cycle{cycle.pk}_%s"),
            }
        )
    return rows


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Периодическая аккредитация: windows, readiness, applications."""
    user: Any = request.user
    initial = {"phone": getattr(user, "phone", ""), "email": user.email}
    return render(
        request,
        "accreditation/home.html",
        {
            "cycles": _cycles_for_filing(user, initial),
            "applications": selectors.applications_of_applicant(user=user),
        },
    )


@login_required
@require_POST
def application_create(request: HttpRequest) -> HttpResponse:
    from trajectory.models import Cycle

    form = ApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return HttpResponseRedirect(reverse("accreditation:home"))
    cycle = Cycle.objects.filter(pk=_int_or_zero(request.POST.get("cycle")), owner_id=request.user.pk).first()
    try:
        application = services.application_create(
            applicant=request.user,
            cycle=cycle,
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            report_agreed_with_employer=form.cleaned_data["report_agreed_with_employer"],
            report_disagreement_reason=form.cleaned_data["report_disagreement_reason"],
        )
    except ApplicationError as error:
        _error_message(request, error)
        return HttpResponseRedirect(reverse("accreditation:home"))
    messages.success(request, _("Черновик заявления создан."))
    return HttpResponseRedirect(reverse("accreditation:application-detail", args=[application.pk]))


def _int_or_zero(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _diff(application: AccreditationApplication) -> dict[str, Any] | None:
    snapshots = selectors.snapshots_of(application=application)
    if len(snapshots) < 2:
        return None
    diff = ledger.snapshot_diff(snapshots[-2].content, snapshots[-1].content)
    diff["from_version"], diff["to_version"] = snapshots[-2].version, snapshots[-1].version
    return diff


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _applicant_get(request, pk)
    editable = application.status in services.EDITABLE
    activity = getattr(application, "activity", None) if hasattr(application, "activity") else None
    entries = ledger.ledger_entries(application.cycle)
    totals = ledger.ledger_totals(entries)
    readiness = policy.readiness_check(totals={"total": totals["total"], "program": totals["by_kind"]["program"]})
    opens_on, closes_on = policy.filing_window(application.document)
    context = {
        "application": application,
        "editable": editable,
        "hint": STATUS_HINTS.get(ApplicationStatus(application.status), ""),
        "history": application.transitions.select_related("actor").all(),
        "files": application.files.filter(is_current=True),
        "snapshots": selectors.snapshots_of(application=application),
        "diff": _diff(application),
        "readiness": readiness,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "missing": services.application_missing(application) if editable else {},
        "failed_next_steps": FAILED_NEXT_STEPS,
        "passed": application.result == Result.PASSED,
        "form": ApplicationForm(
            initial={
                "phone": application.phone,
                "email": application.email,
                "report_agreed_with_employer": "yes" if application.report_agreed_with_employer else "no",
                "report_disagreement_reason": application.report_disagreement_reason,
            }
        ),
        "report_form": ActivityReportForm(
            initial={
                "position_and_workplace": activity.position_and_workplace,
                "work_done": activity.work_done,
                "achievements": activity.achievements,
                "self_assessment": activity.self_assessment,
            }
            if activity
            else None
        ),
        "pdf_form": PdfForm(),
    }
    return render(request, "accreditation/application_detail.html", context)


def _applicant_get(request: HttpRequest, pk: Any) -> AccreditationApplication:
    try:
        return selectors.application_get_for_applicant(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404 from error


SPECIALIST_ACTIONS = {"edit", "report", "report-form", "files", "submit"}


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in SPECIALIST_ACTIONS:
        raise Http404
    application = _applicant_get(request, pk)
    back = HttpResponseRedirect(reverse("accreditation:application-detail", args=[application.pk]))
    user = request.user
    try:
        if action == "edit":
            form = ApplicationForm(request.POST)
            if not form.is_valid():
                messages.error(request, form_errors_text(form))
                return back
            services.application_update(application=application, by=user, **form.cleaned_data)
            messages.success(request, _("Заявление сохранено."))
        elif action == "report":
            services.application_report_upload(application=application, by=user, file=request.FILES.get("file"))
            messages.success(request, _("Отчёт загружен."))
        elif action == "report-form":
            report_form = ActivityReportForm(request.POST)
            if not report_form.is_valid():
                messages.error(request, form_errors_text(report_form))
                return back
            services.application_report_fill(application=application, by=user, **report_form.cleaned_data)
            messages.success(request, _("Отчёт сформирован в PDF."))
        elif action == "files":
            services.application_file_add(
                application=application, by=user, file=request.FILES.get("file"), title=request.POST.get("title", "")
            )
            messages.success(request, _("Документ приложен."))
        elif action == "submit":
            services.application_submit(application=application, by=user)
            messages.success(request, _("Заявление подано; портфолио зафиксировано."))
    except ApplicationError as error:
        _error_message(request, error)
    return back


@login_required
@require_GET
def application_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    try:
        found = selectors.application_file_get(user=request.user, application_pk=pk, file_pk=file_pk)
    except NotFound as error:
        raise Http404 from error
    audit_viewed(
        actor=request.user,
        owner=found.application.applicant_id,
        target=found,
        request=request,
        action="accreditation.file_viewed",
    )
    response = FileResponse(found.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{found.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the secretary and the commission --------------------------------------------------------------------
def _staff_or_404(request: HttpRequest) -> None:
    if not selectors.is_accreditation_staff(user=request.user):
        raise Http404


@login_required
@require_GET
def queue(request: HttpRequest, default_status: str = "") -> HttpResponse:
    _staff_or_404(request)
    today = timezone.localdate()
    status = request.GET.get("status", default_status)
    if status and status not in ApplicationStatus.values:
        status = ""
    queryset = selectors.staff_queue_listing(user=request.user, status=status or None, today=today, for_page=True)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": [(v, label) for v, label in ApplicationStatus.choices if v != ApplicationStatus.DRAFT],
        "today": today,
        "commission_view": bool(default_status),
    }
    page_context = {"commission_view": bool(default_status)}
    return render_page(
        request, "accreditation/queue.html", page_context, body=("accreditation/_queue_body.html", context)
    )


def _staff_get(request: HttpRequest, pk: Any) -> AccreditationApplication:
    try:
        return selectors.application_get_for_staff(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404 from error


@login_required
@require_GET
def queue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_get(request, pk)
    services.application_view_record(application=application, by=request.user, request=request)
    snapshot = selectors.latest_snapshot(application=application)
    roles = selectors.commission_role_of(user=request.user, commission=application.commission)
    files = {f.sha256: f for f in application.files.all()}
    snapshot_files = [
        {**item, "stored": files.get(item["sha256"])}
        for item in (snapshot.content.get("files", []) if snapshot else [])
    ]
    return render(
        request,
        "accreditation/queue_detail.html",
        {
            "application": application,
            "snapshot": snapshot,
            "snapshot_files": snapshot_files,
            "verified": snapshot.verify() if snapshot else False,
            "diff": _diff(application),
            "history": application.transitions.select_related("actor").all(),
            "is_secretary": CommissionRole.SECRETARY in roles,
            "is_member": CommissionRole.MEMBER in roles,
            "return_form": ReturnForm(),
            "decide_form": DecideForm(),
            "today": timezone.localdate(),
        },
    )


STAFF_ACTIONS = {"register", "return", "to-commission", "decide", "publish"}


@login_required
@require_POST
def queue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STAFF_ACTIONS:
        raise Http404
    application = _staff_get(request, pk)
    back = HttpResponseRedirect(reverse("accreditation:queue-detail", args=[application.pk]))
    user = request.user
    try:
        if action == "register":
            services.application_register(application=application, by=user)
            messages.success(request, _("Заявление зарегистрировано: № %s.") % application.journal_label)
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, form_errors_text(form))
                return back
            services.application_return(application=application, by=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Заявление возвращено специалисту."))
        elif action == "to-commission":
            services.application_to_commission(application=application, by=user)
            messages.success(request, _("Заявление передано в комиссию."))
        elif action == "decide":
            decide = DecideForm(request.POST)
            if not decide.is_valid():
                messages.error(request, form_errors_text(decide))
                return back
            services.application_decide(application=application, by=user, **decide.cleaned_data)
            messages.success(request, _("Решение внесено в протокол."))
        elif action == "publish":
            services.application_publish(application=application, by=user)
            messages.success(request, _("Протокол подписан и опубликован."))
    except PermissionDenied:
        raise
    except ApplicationError as error:
        _error_message(request, error)
    return back


# --- public ---------------------------------------------------------------------------------------------------
@require_GET
def protocol_public(request: HttpRequest, public_id: str) -> HttpResponse:
    from accreditation.documents import mask_name

    try:
        protocol = selectors.protocol_get_published(public_id=public_id)
    except NotFound as error:
        raise Http404 from error
    rows = [
        {"application": a, "name": mask_name(a.applicant), "snils": a.applicant.snils_masked}
        for a in selectors.protocol_decisions(protocol=protocol)
    ]
    return render(request, "accreditation/protocol.html", {"protocol": protocol, "rows": rows})


@require_GET
def protocol_pdf(request: HttpRequest, public_id: str) -> FileResponse:
    try:
        protocol = selectors.protocol_get_published(public_id=public_id)
    except NotFound as error:
        raise Http404 from error
    if protocol.pdf_status != "ready" or not protocol.pdf:
        raise Http404
    response = FileResponse(protocol.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protocol-{protocol.year}-{protocol.number}.pdf"'
    return response
