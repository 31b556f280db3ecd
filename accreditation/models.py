"""Periodic accreditation (Order 709n): commissions, applications, frozen portfolios, protocols.

The lifecycle of an application is a transition table (``accreditation.transitions``); every move
writes an ``ApplicationTransition``. What a commission evaluates is a ``PortfolioSnapshot`` frozen
at submission: it is never updated or deleted (the model refuses, and on PostgreSQL a trigger too).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.models import PortalModel
from nmo_portal.lib.statemachine import TransitionRecord
from reference.models import EducationLevel


class Commission(PortalModel):
    """An accreditation (sub)commission: a specialty group, federal or of one region."""

    name = models.CharField(_("наименование"), max_length=255)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("субъект РФ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Пусто — федеральная комиссия."),
    )
    specialties = models.ManyToManyField(
        "reference.Specialty", verbose_name=_("специальности (группа)"), related_name="accreditation_commissions"
    )
    is_active = models.BooleanField(_("действует"), default=True)
    created_at = models.DateTimeField(_("создана"), default=timezone.now)

    class Meta:
        verbose_name = _("аккредитационная комиссия")
        verbose_name_plural = _("аккредитационные комиссии")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommissionRole(models.TextChoices):
    SECRETARY = "secretary", _("Ответственный секретарь")
    MEMBER = "member", _("Член комиссии")


class CommissionMember(PortalModel):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commission_memberships")
    role = models.CharField(_("роль в комиссии"), max_length=16, choices=CommissionRole.choices)

    class Meta:
        verbose_name = _("член комиссии")
        verbose_name_plural = _("состав комиссии")
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="accreditation_member_once"),
            models.CheckConstraint(condition=Q(role__in=CommissionRole.values), name="accreditation_member_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SUBMITTED = "submitted", _("Подано")
    REGISTERED = "registered", _("Зарегистрировано")
    RETURNED = "returned", _("Возвращено на доработку")
    UNDER_REVIEW = "under_review", _("На оценке комиссии")
    DECIDED = "decided", _("Решение принято")
    PUBLISHED = "published", _("Протокол опубликован")


class DisagreementReason(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Не работаю (нет работодателя)")
    REASONED_REFUSAL = "reasoned_refusal", _("Мотивированный отказ руководителя")
    HEAD_OF_ORGANISATION = "head_of_organisation", _("Я — руководитель организации")
    SOLE_TRADER = "sole_trader", _("Я — индивидуальный предприниматель")


class Result(models.TextChoices):
    PASSED = "passed", _("Сдано")
    FAILED = "failed", _("Не сдано")


LIVE_STATUSES = [s for s in ApplicationStatus.values if s != ApplicationStatus.PUBLISHED]


class AccreditationApplication(PortalModel):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
        verbose_name=_("заявитель"),
    )
    cycle = models.ForeignKey(
        "trajectory.Cycle", on_delete=models.PROTECT, related_name="accreditation_applications", verbose_name=_("цикл")
    )
    document = models.ForeignKey(
        "accounts.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("действующий документ"),
    )
    specialty = models.ForeignKey(
        "reference.Specialty", on_delete=models.PROTECT, related_name="+", verbose_name=_("специальность")
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("комиссия"),
    )
    phone = models.CharField(_("телефон"), max_length=16)
    email = models.EmailField(_("электронная почта"))
    education_level = models.CharField(_("уровень образования"), max_length=16, choices=EducationLevel.choices)
    report_agreed_with_employer = models.BooleanField(_("отчёт согласован с работодателем"))
    report_disagreement_reason = models.CharField(
        _("причина, по которой отчёт не согласован"), max_length=32, choices=DisagreementReason.choices, blank=True
    )
    status = models.CharField(
        _("состояние"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    journal_year = models.PositiveSmallIntegerField(_("год журнала"), null=True, blank=True)
    journal_number = models.PositiveIntegerField(_("номер в журнале"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("подано"), null=True, blank=True)
    registered_at = models.DateTimeField(_("зарегистрировано"), null=True, blank=True)
    registration_due_on = models.DateField(_("зарегистрировать до"), null=True, blank=True)
    check_due_on = models.DateField(_("проверить и передать в комиссию до"), null=True, blank=True)
    commission_due_on = models.DateField(_("оценить до"), null=True, blank=True)
    due_on = models.DateField(_("срок текущего шага"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("причина возврата"), blank=True)
    result = models.CharField(_("результат"), max_length=8, choices=Result.choices, blank=True)
    decision_comment = models.TextField(_("комментарий комиссии"), blank=True)
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    protocol = models.ForeignKey("Protocol", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    published_at = models.DateTimeField(_("опубликовано"), null=True, blank=True)
    new_document = models.ForeignKey(
        "accounts.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("выданный документ"),
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("заявление на периодическую аккредитацию")
        verbose_name_plural = _("заявления на периодическую аккредитацию")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="accr_app_status_valid"),
            models.UniqueConstraint(
                fields=["cycle"], condition=~Q(status="published"), name="accr_app_one_live_per_cycle"
            ),
            models.UniqueConstraint(fields=["journal_year", "journal_number"], name="accr_app_journal_unique"),
            models.CheckConstraint(
                condition=(Q(journal_year__isnull=True) & Q(journal_number__isnull=True))
                | (Q(journal_year__isnull=False) & Q(journal_number__isnull=False)),
                name="accr_app_journal_both_or_none",
            ),
            models.CheckConstraint(
                condition=(Q(report_agreed_with_employer=True) & Q(report_disagreement_reason=""))
                | (Q(report_agreed_with_employer=False) & Q(report_disagreement_reason__in=DisagreementReason.values)),
                name="accr_app_disagreement_reason_iff_not_agreed",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["decided", "published"]) & Q(result__in=Result.values))
                | (~Q(status__in=["decided", "published"]) & Q(result="")),
                name="accr_app_result_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(commission__isnull=False), name="accr_app_commission_once_submitted"
            ),
        ]
        indexes = [models.Index(fields=["commission", "status", "due_on"], name="accr_app_queue")]

    def __str__(self) -> str:
        return _("Заявление № %(number)s") % {"number": self.journal_label or f"{self.pk} ({_('без номера')})"}

    @property
    def journal_label(self) -> str:
        if self.journal_number is None:
            return ""
        return f"{self.journal_number}/{self.journal_year}"

    def is_overdue(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.due_on is not None and self.due_on < today


class ApplicationTransition(TransitionRecord):
    subject = models.ForeignKey(AccreditationApplication, on_delete=models.CASCADE, related_name="transitions")
    notified_at = models.DateTimeField(_("уведомление отправлено"), null=True, blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("переход заявления")
        verbose_name_plural = _("история заявления")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return (
            str(ApplicationStatus(self.to_status).label)
            if self.to_status in ApplicationStatus.values
            else self.to_status
        )


class Counter(PortalModel):
    """Sequences without gaps: the journal of applications and protocol numbers, per year.

    A number is taken by locking the row (``select_for_update``) inside the caller's transaction, so
    a rolled-back registration gives its number back and two at once queue on the lock."""

    name = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("счётчик номеров")
        verbose_name_plural = _("счётчики номеров")
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="accr_counter_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.last_value}"


class FileKind(models.TextChoices):
    REPORT = "report", _("Отчёт о профессиональной деятельности")
    OTHER = "other", _("Иной документ")


class FileSource(models.TextChoices):
    UPLOADED = "uploaded", _("Загружен файлом")
    FORM = "form", _("Заполнен на портале")


def _upload_to(instance: ApplicationFile, filename: str) -> str:
    return f"accreditation/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class ApplicationFile(PortalModel):
    """A PDF of an application. Never changed once stored: replacing a report marks the old one
    not current, so that a snapshot's file stays readable by its hash."""

    application = models.ForeignKey(AccreditationApplication, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("вид"), max_length=8, choices=FileKind.choices)
    source = models.CharField(_("источник"), max_length=8, choices=FileSource.choices, default=FileSource.UPLOADED)
    file = models.FileField(_("файл"), upload_to=_upload_to)
    original_name = models.CharField(_("имя файла"), max_length=255)
    title = models.CharField(_("название"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("размер, байт"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_current = models.BooleanField(_("действующий"), default=True)
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("файл заявления")
        verbose_name_plural = _("файлы заявления")
        ordering = ["kind", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(kind="report", is_current=True), name="accr_file_one_current_report"
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="accr_file_sha256_hex"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name


class ActivityReport(PortalModel):
    """The report on professional activity entered in the structured form (rendered to a PDF)."""

    application = models.OneToOneField(AccreditationApplication, on_delete=models.CASCADE, related_name="activity")
    position_and_workplace = models.TextField(_("должность и место работы"))
    work_done = models.TextField(_("выполненная работа за пять лет"))
    achievements = models.TextField(_("достижения, публикации"), blank=True)
    self_assessment = models.TextField(_("самооценка"), blank=True)
    updated_at = models.DateTimeField(_("изменён"), default=timezone.now)

    class Meta:
        verbose_name = _("отчёт о профессиональной деятельности (форма)")
        verbose_name_plural = _("отчёты о профессиональной деятельности (форма)")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


def canonical_json(content: Any) -> bytes:
    """The bytes a snapshot's hash is taken of: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_sha256(content: Any) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


class ImmutableError(Exception):
    pass


class PortfolioSnapshot(PortalModel):
    """The portfolio as submitted: never updated, never deleted (also enforced by a DB trigger)."""

    application = models.ForeignKey(AccreditationApplication, on_delete=models.PROTECT, related_name="snapshots")
    version = models.PositiveSmallIntegerField(_("версия"))
    content = models.JSONField(_("содержание"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)

    class Meta:
        verbose_name = _("снимок портфолио")
        verbose_name_plural = _("снимки портфолио")
        ordering = ["application", "version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="accr_snapshot_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="accr_snapshot_version_positive"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="accr_snapshot_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version} {self.sha256[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ImmutableError("A portfolio snapshot is never changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("A portfolio snapshot is never deleted.")

    def verify(self) -> bool:
        """True when the stored content still hashes to the stored SHA-256."""
        return content_sha256(self.content) == self.sha256


class ArtifactStatus(models.TextChoices):
    PENDING = "pending", _("Готовится")
    READY = "ready", _("Готов")
    FAILED = "failed", _("Ошибка")


class Protocol(PortalModel):
    """A protocol of a commission's meeting: numbered per year, listing its decisions.

    Open (unsigned) while decisions are added to it; signed and published by the secretary."""

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="protocols")
    year = models.PositiveSmallIntegerField(_("год"))
    number = models.PositiveIntegerField(_("номер"))
    protocol_date = models.DateField(_("дата"))
    public_id = models.UUIDField(_("публичный идентификатор"), default=uuid.uuid4, unique=True, editable=False)
    signed_at = models.DateTimeField(_("подписан"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    publication_due_on = models.DateField(_("опубликовать до"), null=True, blank=True)
    published_at = models.DateTimeField(_("опубликован"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="accreditation/protocols/", blank=True)
    pdf_status = models.CharField(
        _("PDF"), max_length=8, choices=ArtifactStatus.choices, default=ArtifactStatus.PENDING
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("протокол")
        verbose_name_plural = _("протоколы")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="accr_protocol_number_unique"),
            models.UniqueConstraint(
                fields=["commission"], condition=Q(signed_at__isnull=True), name="accr_protocol_one_open_per_commission"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(signed_at__isnull=False), name="accr_protocol_signed_first"
            ),
            models.CheckConstraint(
                condition=Q(pdf_status__in=ArtifactStatus.values), name="accr_protocol_pdf_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("Протокол № %(number)s от %(date)s") % {
            "number": self.label,
            "date": self.protocol_date.strftime("%d.%m.%Y"),
        }

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
