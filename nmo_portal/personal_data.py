"""«Скачать мои данные» (issue 9, item 8): one ZIP of everything the portal holds about a person,
as JSON (``data.json``), with their PDFs (portfolio PDFs already made, each application's PDF).

It reads every app's models, so it lives in the project app (last in INSTALLED_APPS). Secrets are
left out: the password hash, and the hashes of activated codes (their masked form stays). Other
people's addresses in the audit events are left out too. The export itself is audited.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from nmo_portal.lib.audit import audit_record

logger = logging.getLogger(__name__)

SECRET_FIELDS = {"password", "code_hash"}
MAX_APPLICATION_PDFS = 50


def _row(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    skip = SECRET_FIELDS | set(exclude)
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        row[field.attname] = value
    return row


def _sections(user: Any) -> dict[str, Callable[[], Any]]:
    from accounts.models import Document, RoleGrant
    from accreditation.models import AccreditationApplication, PortfolioSnapshot
    from enrolment.models import Application, Dispute, ProgrammeResult
    from nmo_portal.models import AuditEvent
    from portfolio.models import CodeActivation, CreditEntry, PortfolioPdf
    from trajectory.models import Cycle, PlanItem

    def rows(queryset: Any, **kwargs: Any) -> list[dict[str, Any]]:
        return [_row(obj, **kwargs) for obj in queryset.order_by("pk")]

    def audit() -> list[dict[str, Any]]:
        about = (
            Q(actor=user)
            | Q(details__owner_id=str(user.pk))
            | Q(target_type=user._meta.label_lower, target_id=str(user.pk))
        )
        events = []
        for event in AuditEvent.objects.filter(about).order_by("created_at", "pk"):
            row = _row(event)
            if event.actor_id != user.pk:
                row["ip"] = None  # someone else's address is not the person's data
            events.append(row)
        return events

    return {
        "profile": lambda: _row(user, exclude={"last_login"}),
        "roles": lambda: rows(RoleGrant.objects.filter(user=user)),
        "documents": lambda: rows(Document.objects.filter(owner=user)),
        "cycles": lambda: rows(Cycle.objects.filter(owner=user)),
        "plan_items": lambda: rows(PlanItem.objects.filter(cycle__owner=user)),
        "ledger_entries": lambda: rows(CreditEntry.objects.filter(cycle__owner=user)),
        "code_activations": lambda: rows(CodeActivation.objects.filter(user=user)),
        "portfolio_pdfs": lambda: rows(PortfolioPdf.objects.filter(owner=user)),
        "applications": lambda: rows(Application.objects.filter(applicant=user)),
        "programme_results": lambda: rows(ProgrammeResult.objects.filter(learner=user)),
        "disputes": lambda: rows(Dispute.objects.filter(Q(opened_by=user) | Q(application__applicant=user))),
        "accreditation_applications": lambda: rows(AccreditationApplication.objects.filter(applicant=user)),
        "portfolio_snapshots": lambda: rows(PortfolioSnapshot.objects.filter(application__applicant=user)),
        "audit_events": audit,
    }


def personal_data_collect(*, user: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"generated_at": timezone.now(), "person_id": user.pk}
    for name, read in _sections(user).items():
        data[name] = read()
    return data


def _pdfs(user: Any) -> Iterable[tuple[str, bytes]]:
    from enrolment.documents import application_pdf
    from enrolment.models import Application
    from portfolio.models import PortfolioPdf

    for pdf in PortfolioPdf.objects.filter(owner=user).exclude(file="").order_by("pk"):
        try:
            with pdf.file.open("rb") as handle:
                yield f"pdf/portfolio-{pdf.pk}.pdf", handle.read()
        except OSError:
            logger.warning("Portfolio PDF %s has no file; left out of the export", pdf.pk)
    applications = Application.objects.filter(applicant=user).select_related(
        "programme_cycle__programme__organisation", "applicant"
    )
    for application in applications.order_by("pk")[:MAX_APPLICATION_PDFS]:
        try:
            yield f"pdf/application-{application.pk}.pdf", application_pdf(application=application)
        except Exception:  # one PDF that cannot be made must not cost the person the rest
            logger.exception("Application PDF %s could not be made for the export", application.pk)


def personal_data_export(*, user: Any, request: HttpRequest | None = None) -> bytes:
    """The ZIP (``data.json`` and ``pdf/*.pdf``); the export is recorded in the audit log."""
    data = personal_data_collect(user=user)
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _pdfs(user):
            archive.writestr(name, content)
            names.append(name)
        data["files"] = names
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    audit_record(
        actor=user,
        action="personal_data.exported",
        target=user,
        summary="Выгрузка своих данных",
        details={"owner_id": str(user.pk), "files": len(names)},
        request=request,
    )
    return buffer.getvalue()
