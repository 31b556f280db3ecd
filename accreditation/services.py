"""Every write of periodic accreditation. Pages, the API, the admin and tasks call these.

Permissions to *see* an application are applied by the selectors (404); the services check the
right to *act* in the application's commission (403) and the transition table (409).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation import ledger, policy
from accreditation.models import (
    AccreditationApplication,
    ActivityReport,
    ApplicationFile,
    ApplicationStatus,
    ApplicationTransition,
    CommissionRole,
    Counter,
    DisagreementReason,
    FileKind,
    FileSource,
    PortfolioSnapshot,
    Protocol,
    Result,
    content_sha256,
)
from accreditation.selectors import commission_for, commission_role_of
from accreditation.transitions import APPLICATION_MOVES, LABELS
from nmo_portal.lib.audit import audit_record
from nmo_portal.lib.exceptions import ApplicationError, ConflictError, NotFound
from nmo_portal.lib.statemachine import transition_apply
from nmo_portal.lib.tasks import enqueue_on_commit
from nmo_portal.lib.uploads import check_pdf_upload
from reference.rules import ruleset_in_force

EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _move(
    application: AccreditationApplication,
    *,
    to: str,
    by: Any,
    reason: str = "",
    updates: dict[str, Any] | None = None,
) -> ApplicationTransition:
    record = transition_apply(
        subject=application,
        table=APPLICATION_MOVES,
        to=to,
        history_model=ApplicationTransition,
        actor=by,
        reason=reason,
        extra_updates=updates,
        labels=LABELS,
    )
    assert isinstance(record, ApplicationTransition)
    if by is not None and getattr(by, "pk", None) != application.applicant_id:
        audit_record(
            actor=by,
            action=f"accreditation_application.{to}",
            target=application,
            summary=f"Заявление на аккредитацию: {LABELS.get(to, to)}",
            details={"from": record.from_status, "to": to, "reason": reason[:500]},
        )
    _notify(record)
    return record


def application_view_record(*, application: AccreditationApplication, by: Any, request: Any = None) -> None:
    """A secretary or a commission member opened someone's application: the audit log keeps it."""
    audit_record(
        actor=by,
        action="accreditation_application.viewed",
        target=application,
        summary="Просмотр заявления на аккредитацию и снимка портфолио",
        request=request,
    )


def _notify(record: ApplicationTransition) -> None:
    from accreditation.tasks import transition_notify

    enqueue_on_commit(transition_notify, record.pk)


def _require(application: AccreditationApplication, by: Any, role: str) -> None:
    if role not in commission_role_of(user=by, commission=application.commission):
        if role == CommissionRole.SECRETARY:
            raise PermissionDenied(_("Это действие выполняет ответственный секретарь комиссии."))
        raise PermissionDenied(_("Это действие выполняет член аккредитационной комиссии."))


def _require_editable(application: AccreditationApplication) -> None:
    if application.status not in EDITABLE:
        raise ConflictError(
            _("Заявление в состоянии «%(status)s» изменить нельзя.") % {"status": application.get_status_display()},
            code="invalid_transition",
        )


def _max_bytes(today: date | None = None) -> int:
    return int(ruleset_in_force(_today(today)).report_max_megabytes) * 1024 * 1024


def pdf_read_checked(file: Any, *, max_bytes: int) -> tuple[bytes, str]:
    """The bytes and SHA-256 of an uploaded PDF, judged by content (``check_pdf_upload``)."""
    if file is None:
        raise ApplicationError(_("Приложите файл PDF."), field="file", code="required")
    check_pdf_upload(file, max_bytes=max_bytes)
    data = file.read()
    file.seek(0)
    return data, hashlib.sha256(data).hexdigest()


# --- the specialist's application -----------------------------------------------------------------
def _check_disagreement(agreed: bool, reason: str) -> str:
    if agreed:
        return ""
    if reason not in DisagreementReason.values:
        raise ApplicationError(
            _("Отчёт не согласован с работодателем: укажите причину."),
            field="report_disagreement_reason",
            code="required",
        )
    return reason


@transaction.atomic
def application_create(
    *,
    applicant: Any,
    cycle: Any,
    phone: str,
    email: str,
    report_agreed_with_employer: bool,
    report_disagreement_reason: str = "",
    education_level: str = "",
    today: date | None = None,
) -> AccreditationApplication:
    """A draft application for the cycle whose document is about to expire."""
    from trajectory.models import Cycle

    today = _today(today)
    if cycle is None or cycle.owner_id != applicant.pk:  # someone else's is "not found" (404), never "not yours"
        raise NotFound(_("Цикл не найден."), field="cycle", code="not_found")
    cycle = Cycle.objects.select_for_update().select_related("document", "specialty").get(pk=cycle.pk)
    if cycle.status != "active":
        raise ApplicationError(_("Цикл закрыт: заявление подаётся по действующему циклу."), field="cycle")
    policy.filing_window_check(cycle.document, today)
    if AccreditationApplication.objects.filter(cycle=cycle).exclude(status=ApplicationStatus.PUBLISHED).exists():
        raise ConflictError(_("По этому циклу уже есть заявление в работе."), code="duplicate")
    application = AccreditationApplication(
        applicant=applicant,
        cycle=cycle,
        document=cycle.document,
        specialty=cycle.specialty,
        phone=(phone or "").strip(),
        email=(email or "").strip().lower(),
        education_level=education_level or getattr(applicant, "education_level", "") or cycle.specialty.education_level,
        report_agreed_with_employer=bool(report_agreed_with_employer),
        report_disagreement_reason=_check_disagreement(bool(report_agreed_with_employer), report_disagreement_reason),
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a concurrent create of the same cycle
        raise ConflictError(_("По этому циклу уже есть заявление в работе."), code="duplicate") from error
    ApplicationTransition.objects.create(
        subject=application,
        from_status="",
        to_status=ApplicationStatus.DRAFT,
        actor=applicant,
        notified_at=timezone.now(),  # nothing to tell about a draft
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: AccreditationApplication,
    by: Any,
    phone: str,
    email: str,
    report_agreed_with_employer: bool,
    report_disagreement_reason: str = "",
) -> AccreditationApplication:
    _require_editable(application)
    application.phone = (phone or "").strip()
    application.email = (email or "").strip().lower()
    application.report_agreed_with_employer = bool(report_agreed_with_employer)
    application.report_disagreement_reason = _check_disagreement(
        application.report_agreed_with_employer, report_disagreement_reason
    )
    application.full_clean()
    application.save(update_fields=["phone", "email", "report_agreed_with_employer", "report_disagreement_reason"])
    return application


def _store_file(
    *,
    application: AccreditationApplication,
    kind: str,
    source: str,
    data: bytes,
    sha256: str,
    original_name: str,
    title: str = "",
) -> ApplicationFile:
    if kind == FileKind.REPORT:
        application.files.filter(kind=FileKind.REPORT, is_current=True).update(is_current=False)
    stored = ApplicationFile(
        application=application,
        kind=kind,
        source=source,
        original_name=(original_name or "document.pdf")[:255],
        title=(title or "")[:255],
        size=len(data),
        sha256=sha256,
    )
    stored.file.save(f"{sha256[:16]}.pdf", ContentFile(data), save=False)
    stored.full_clean()
    stored.save()
    return stored


@transaction.atomic
def application_report_upload(
    *, application: AccreditationApplication, by: Any, file: Any, today: date | None = None
) -> ApplicationFile:
    """The report on professional activity as a PDF (at most 10 MB, checked by content)."""
    _require_editable(application)
    data, sha256 = pdf_read_checked(file, max_bytes=_max_bytes(today))
    return _store_file(
        application=application,
        kind=FileKind.REPORT,
        source=FileSource.UPLOADED,
        data=data,
        sha256=sha256,
        original_name=getattr(file, "name", ""),
        title=str(_("Отчёт о профессиональной деятельности")),
    )


@transaction.atomic
def application_report_fill(
    *,
    application: AccreditationApplication,
    by: Any,
    position_and_workplace: str,
    work_done: str,
    achievements: str = "",
    self_assessment: str = "",
) -> ApplicationFile:
    """The report entered in the structured form, rendered to a PDF that becomes the report.

    Rendered here, not in a task: the submission that follows freezes the report's hash."""
    from accreditation.documents import activity_report_pdf

    _require_editable(application)
    report, _created = ActivityReport.objects.get_or_create(
        application=application,
        defaults={"position_and_workplace": position_and_workplace, "work_done": work_done},
    )
    report.position_and_workplace = (position_and_workplace or "").strip()
    report.work_done = (work_done or "").strip()
    report.achievements = (achievements or "").strip()
    report.self_assessment = (self_assessment or "").strip()
    report.updated_at = timezone.now()
    report.full_clean()
    report.save()
    data = activity_report_pdf(application=application, report=report)
    return _store_file(
        application=application,
        kind=FileKind.REPORT,
        source=FileSource.FORM,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        original_name="report.pdf",
        title=str(_("Отчёт о профессиональной деятельности (форма портала)")),
    )


@transaction.atomic
def application_file_add(
    *, application: AccreditationApplication, by: Any, file: Any, title: str = "", today: date | None = None
) -> ApplicationFile:
    """Another document of the portfolio (PDF, at most 10 MB)."""
    _require_editable(application)
    data, sha256 = pdf_read_checked(file, max_bytes=_max_bytes(today))
    return _store_file(
        application=application,
        kind=FileKind.OTHER,
        source=FileSource.UPLOADED,
        data=data,
        sha256=sha256,
        original_name=getattr(file, "name", ""),
        title=title,
    )


@transaction.atomic
def application_file_withdraw(*, application: AccreditationApplication, by: Any, file_pk: int) -> None:
    """Take a document out of the application (the stored file stays for earlier snapshots)."""
    _require_editable(application)
    application.files.filter(pk=file_pk).update(is_current=False)


def application_missing(application: AccreditationApplication) -> dict[str, list[str]]:
    """What an application lacks before it can be submitted, by field (empty when complete)."""
    missing: dict[str, list[str]] = {}
    if not application.files.filter(kind=FileKind.REPORT, is_current=True).exists():
        missing["report"] = [_("Нет отчёта о профессиональной деятельности: загрузите PDF или заполните форму.")]
    if not application.phone:
        missing["phone"] = [_("Укажите телефон.")]
    if not application.email:
        missing["email"] = [_("Укажите электронную почту.")]
    if not application.report_agreed_with_employer and not application.report_disagreement_reason:
        missing["report_disagreement_reason"] = [_("Отчёт не согласован с работодателем: укажите причину.")]
    return missing


def snapshot_content(*, application: AccreditationApplication, today: date | None = None) -> dict[str, Any]:
    """What a snapshot freezes: applicant (masked SNILS), cycle, entries, totals, readiness, files."""
    today = _today(today)
    cycle = application.cycle
    entries = ledger.ledger_entries(cycle)
    totals = ledger.ledger_totals(entries)
    readiness = policy.readiness_check(
        totals={"total": totals["total"], "program": totals["by_kind"].get("program", ledger.ZERO)}, today=today
    )
    applicant = application.applicant
    files = [
        {
            "id": f.pk,
            "kind": f.kind,
            "source": f.source,
            "title": f.title or f.original_name,
            "sha256": f.sha256,
            "size": f.size,
        }
        for f in application.files.filter(is_current=True).order_by("kind", "pk")
    ]
    document = application.document
    return {
        "format": 1,
        "applicant": {"full_name": applicant.full_name, "snils": applicant.snils_masked},
        "application": {
            "id": application.pk,
            "phone": application.phone,
            "email": application.email,
            "education_level": application.education_level,
            "report_agreed_with_employer": application.report_agreed_with_employer,
            "report_disagreement_reason": application.report_disagreement_reason,
        },
        "specialty": {"code": application.specialty.code, "name": application.specialty.name},
        "document": {
            "number": document.number,
            "issued_on": document.issued_on.isoformat(),
            "valid_until": document.valid_until.isoformat() if document.valid_until else None,
        },
        "cycle": {"id": cycle.pk, "starts_on": cycle.starts_on.isoformat(), "ends_on": cycle.ends_on.isoformat()},
        "entries": entries,
        "totals": ledger.totals_as_json(totals),
        "readiness": readiness.as_dict(),
        "files": files,
        "created_at": timezone.now().isoformat(),
    }


def _snapshot_freeze(*, application: AccreditationApplication, today: date | None = None) -> PortfolioSnapshot:
    content = snapshot_content(application=application, today=today)
    version = application.snapshots.count() + 1
    snapshot = PortfolioSnapshot(
        application=application, version=version, content=content, sha256=content_sha256(content)
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot


@transaction.atomic
def application_submit(
    *, application: AccreditationApplication, by: Any, today: date | None = None
) -> AccreditationApplication:
    """Submit (or resubmit after a return): check the window and completeness, assign the
    commission, freeze a snapshot of the portfolio."""
    today = _today(today)
    APPLICATION_MOVES.check(application.status, ApplicationStatus.SUBMITTED, labels=LABELS)
    policy.filing_window_check(application.document, today)
    missing = application_missing(application)
    if missing:
        raise ApplicationError(_("Заявление не заполнено."), errors=missing)
    commission = application.commission or commission_for(
        specialty=application.specialty, region=getattr(application.applicant, "region", None)
    )
    if commission is None:
        raise ApplicationError(
            _("Для специальности «%(name)s» пока не назначена аккредитационная комиссия; обратитесь в поддержку.")
            % {"name": application.specialty.name},
            field="specialty",
            code="no_commission",
        )
    _snapshot_freeze(application=application, today=today)
    due = policy.registration_due(today)
    _move(
        application,
        to=ApplicationStatus.SUBMITTED,
        by=by,
        updates={
            "commission": commission,
            "submitted_at": timezone.now(),
            "registration_due_on": due,
            "due_on": due,
            "return_reason": "",
        },
    )
    return application


# --- the secretary ----------------------------------------------------------------------------------
def _next_number(name: str, year: int) -> int:
    """The next number of a gapless per-year sequence; call inside the caller's transaction."""
    counter = Counter.objects.select_for_update().filter(name=name, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                Counter.objects.create(name=name, year=year, last_value=0)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        counter = Counter.objects.select_for_update().get(name=name, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


@transaction.atomic
def application_register(
    *, application: AccreditationApplication, by: Any, today: date | None = None
) -> AccreditationApplication:
    """Register in the journal: the next number of the year, and the 20-working-day check deadline."""
    today = _today(today)
    _require(application, by, CommissionRole.SECRETARY)
    APPLICATION_MOVES.check(application.status, ApplicationStatus.REGISTERED, labels=LABELS)
    # Lock the application first so that a second register of the same one waits, then fails the
    # state check without taking a number.
    locked = AccreditationApplication.objects.select_for_update().get(pk=application.pk)
    APPLICATION_MOVES.check(locked.status, ApplicationStatus.REGISTERED, labels=LABELS)
    updates: dict[str, Any] = {"registered_at": timezone.now()}
    if locked.journal_number is None:
        updates["journal_year"] = today.year
        updates["journal_number"] = _next_number("journal", today.year)
    due = policy.check_due(today)
    updates.update(check_due_on=due, due_on=due)
    _move(application, to=ApplicationStatus.REGISTERED, by=by, updates=updates)
    return application


@transaction.atomic
def application_return(
    *, application: AccreditationApplication, by: Any, reason: str, today: date | None = None
) -> AccreditationApplication:
    """Return as incomplete, with reasons; the specialist may fix and submit again."""
    _require(application, by, CommissionRole.SECRETARY)
    APPLICATION_MOVES.check(application.status, ApplicationStatus.RETURNED, labels=LABELS)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Укажите, что нужно исправить."), field="reason", code="required")
    _move(
        application,
        to=ApplicationStatus.RETURNED,
        by=by,
        reason=reason,
        updates={"return_reason": reason, "due_on": None},
    )
    return application


@transaction.atomic
def application_to_commission(
    *, application: AccreditationApplication, by: Any, today: date | None = None
) -> AccreditationApplication:
    """Pass a checked application to the commission: 15 working days to decide."""
    today = _today(today)
    _require(application, by, CommissionRole.SECRETARY)
    due = policy.commission_due(today)
    _move(
        application,
        to=ApplicationStatus.UNDER_REVIEW,
        by=by,
        updates={"commission_due_on": due, "due_on": due},
    )
    return application


# --- the commission ---------------------------------------------------------------------------------
def _open_protocol(*, commission: Any, today: date) -> Protocol:
    """The commission's protocol that decisions are being added to (created when none is open)."""
    protocol = Protocol.objects.select_for_update().filter(commission=commission, signed_at__isnull=True).first()
    if protocol is not None:
        return protocol
    protocol = Protocol(
        commission=commission,
        year=today.year,
        number=_next_number("protocol", today.year),
        protocol_date=today,
    )
    protocol.full_clean()
    protocol.save()
    return protocol


@transaction.atomic
def application_decide(
    *,
    application: AccreditationApplication,
    by: Any,
    result: str,
    comment: str = "",
    today: date | None = None,
) -> AccreditationApplication:
    """Record passed / failed with a comment; the decision goes into the open protocol."""
    today = _today(today)
    _require(application, by, CommissionRole.MEMBER)
    APPLICATION_MOVES.check(application.status, ApplicationStatus.DECIDED, labels=LABELS)
    if result not in Result.values:
        raise ApplicationError(_("Укажите результат: «сдано» или «не сдано»."), field="result", code="invalid")
    comment = (comment or "").strip()
    if result == Result.FAILED and not comment:
        raise ApplicationError(_("Укажите, почему портфолио не принято."), field="comment", code="required")
    assert application.commission is not None
    protocol = _open_protocol(commission=application.commission, today=today)
    _move(
        application,
        to=ApplicationStatus.DECIDED,
        by=by,
        reason=comment,
        updates={
            "result": result,
            "decision_comment": comment,
            "decided_at": timezone.now(),
            "decided_by": by,
            "protocol": protocol,
            # The protocol is signed when the decision is taken: publication is due 2 working days on.
            "due_on": policy.publication_due(today),
        },
    )
    return application


# --- publication --------------------------------------------------------------------------------------
@transaction.atomic
def application_publish(
    *, application: AccreditationApplication, by: Any, today: date | None = None
) -> AccreditationApplication:
    """Sign and publish the protocol holding this decision; every decision in it is published."""
    _require(application, by, CommissionRole.SECRETARY)
    APPLICATION_MOVES.check(application.status, ApplicationStatus.PUBLISHED, labels=LABELS)
    assert application.protocol is not None
    protocol_publish(protocol=application.protocol, by=by, today=today)
    application.refresh_from_db()
    return application


@transaction.atomic
def protocol_publish(*, protocol: Protocol, by: Any, today: date | None = None) -> Protocol:
    """Sign the protocol, publish it (public page now, PDF rendered by a task) and carry out its
    decisions: a pass gives the specialist a periodic accreditation record and a new cycle."""
    today = _today(today)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    if protocol.published_at is not None:
        raise ConflictError(_("Протокол уже опубликован."), code="invalid_transition")
    if CommissionRole.SECRETARY not in commission_role_of(user=by, commission=protocol.commission):
        raise PermissionDenied(_("Протокол подписывает ответственный секретарь комиссии."))
    now = timezone.now()
    protocol.signed_at = now
    protocol.signed_by = by
    protocol.publication_due_on = policy.publication_due(today)
    protocol.published_at = now
    protocol.pdf_status = "pending"
    protocol.full_clean()
    protocol.save(update_fields=["signed_at", "signed_by", "publication_due_on", "published_at", "pdf_status"])
    decisions = list(
        protocol.decisions.select_for_update()
        .filter(status=ApplicationStatus.DECIDED)
        .select_related("applicant", "specialty", "cycle")
        .order_by("pk")
    )
    for decision in decisions:
        updates: dict[str, Any] = {"published_at": now, "due_on": None}
        if decision.result == Result.PASSED:
            updates["new_document"] = _accreditation_grant(application=decision, protocol=protocol, by=by, today=today)
        _move(decision, to=ApplicationStatus.PUBLISHED, by=by, updates=updates)
    from accreditation.tasks import protocol_render

    enqueue_on_commit(protocol_render, protocol.pk)
    return protocol


def _accreditation_grant(*, application: AccreditationApplication, protocol: Protocol, by: Any, today: date) -> Any:
    """A pass: the specialist's new periodic accreditation record, which opens the next cycle."""
    from accounts.services import document_create
    from trajectory.services import cycle_open

    # The record is created by the accounts service (FRMR status starts "not confirmed" there).
    document = document_create(
        owner=application.applicant,
        kind="accreditation",
        accreditation_type="periodic",
        is_record=True,
        specialty=application.specialty,
        number=f"ПА-{protocol.number}/{protocol.year}-{application.journal_number or application.pk}",
        issued_on=today,
        by=by,
    )
    cycle_open(document=document, by=by)
    return document


def protocol_pdf_store(*, protocol: Protocol, data: bytes) -> Protocol:
    """Keep the rendered PDF of a published protocol (called by the task)."""
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        locked = Protocol.objects.select_for_update().get(pk=protocol.pk)
        if locked.pdf_status == "ready":
            return locked
        locked.pdf.save(f"protocol-{locked.year}-{locked.number}-{digest[:8]}.pdf", ContentFile(data), save=False)
        locked.pdf_sha256 = digest
        locked.pdf_status = "ready"
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_status"])
    return locked
