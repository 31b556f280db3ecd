"""The ZET ledger, code activations and portfolio PDFs.

``CreditEntry`` is append-only: no service updates or deletes a row, the admin is read-only, and a
correction is a new reversing entry. The partial unique constraint (cycle, source_kind, source_key)
on non-reversing rows makes every crediting path idempotent: a source credits a cycle at most once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.models import PortalModel
from trajectory.models import ElementType


class SourceKind(models.TextChoices):
    PROGRAM_RESULT = "program_result", _("Результат освоения программы ДПП ПК")
    EVENT_CODE = "event_code", _("Код подтверждения мероприятия")
    MODULE_COMPLETION = "module_completion", _("Прохождение интерактивного модуля")
    CORRECTION = "correction", _("Исправление ответственного секретаря")


class CreditEntry(PortalModel):
    cycle = models.ForeignKey(
        "trajectory.Cycle", on_delete=models.PROTECT, related_name="credit_entries", verbose_name=_("цикл")
    )
    element_type = models.CharField(_("вид элемента"), max_length=16, choices=ElementType.choices)
    programme = models.ForeignKey(
        "providers.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey("providers.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    module = models.ForeignKey("providers.Module", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("наименование (на момент зачёта)"), max_length=500)
    zet = models.DecimalField(_("ЗЕТ"), max_digits=6, decimal_places=2)
    completed_on = models.DateField(_("дата освоения"))
    cycle_year = models.PositiveSmallIntegerField(_("год цикла"))
    source_kind = models.CharField(_("источник"), max_length=32, choices=SourceKind.choices)
    source_key = models.CharField(_("ключ источника"), max_length=100)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("сторнирует запись"),
    )
    reason = models.TextField(_("основание"), blank=True)
    credited_at = models.DateTimeField(_("зачтено"), default=timezone.now)
    credited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем"),
    )
    credited_by_text = models.CharField(_("кем (как записано)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("запись о зачёте ЗЕТ")
        verbose_name_plural = _("записи о зачёте ЗЕТ")
        ordering = ["completed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "source_kind", "source_key"],
                condition=Q(reverses__isnull=True),
                name="portfolio_credit_once_per_source",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(zet__gte=0)) | (Q(reverses__isnull=False) & Q(zet__lte=0)),
                name="portfolio_credit_sign",
            ),
            models.CheckConstraint(condition=Q(cycle_year__gte=1), name="portfolio_credit_year_positive"),
            models.CheckConstraint(condition=Q(source_kind__in=SourceKind.values), name="portfolio_credit_source"),
            models.CheckConstraint(
                condition=(
                    Q(element_type="program")
                    & Q(programme__isnull=False)
                    & Q(event__isnull=True)
                    & Q(module__isnull=True)
                )
                | (
                    Q(element_type="event")
                    & Q(programme__isnull=True)
                    & Q(event__isnull=False)
                    & Q(module__isnull=True)
                )
                | (
                    Q(element_type="module")
                    & Q(programme__isnull=True)
                    & Q(event__isnull=True)
                    & Q(module__isnull=False)
                ),
                name="portfolio_credit_one_element",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "completed_on"], name="portfolio_credit_cycle_date"),
            # credit_record_many's idempotency check looks sources up without the cycle: without
            # this index it reads the whole ledger (3 000 000 rows at national size) per call.
            models.Index(
                fields=["source_kind", "source_key"],
                condition=Q(reverses__isnull=True),
                name="portfolio_credit_source_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.zet} ЗЕТ ({self.completed_on:%d.%m.%Y})"


class ActivationStatus(models.TextChoices):
    PENDING = "pending", _("Проверяется")
    ACCEPTED = "accepted", _("Принят")
    REJECTED = "rejected", _("Не принят")


class RejectionReason(models.TextChoices):
    UNKNOWN_CODE = "unknown_code", _("Код не найден")
    ALREADY_USED = "already_used", _("Код уже использован")
    SPECIALTY_MISMATCH = "specialty_mismatch", _("Мероприятие не по специальности ваших циклов")
    NO_ACTIVE_CYCLE = "no_active_cycle", _("Нет действующего цикла на дату мероприятия")
    EVENT_NOT_FINISHED = "event_not_finished", _("Мероприятие ещё не закончилось")


class CodeActivation(PortalModel):
    """A specialist's attempt to activate a confirmation code. The plain code is never stored:
    only its keyed hash (the same function providers store codes with) and a masked form."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_activations")
    code_hash = models.CharField(max_length=64, db_index=True)
    code_masked = models.CharField(_("код"), max_length=32)
    code = models.ForeignKey(
        "providers.ConfirmationCode", on_delete=models.PROTECT, null=True, blank=True, related_name="activations"
    )
    event = models.ForeignKey("providers.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    plan_item = models.ForeignKey(
        "trajectory.PlanItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="code_activations"
    )
    status = models.CharField(
        _("состояние"), max_length=16, choices=ActivationStatus.choices, default=ActivationStatus.PENDING
    )
    reason = models.CharField(_("причина отказа"), max_length=32, choices=RejectionReason.choices, blank=True)
    created_at = models.DateTimeField(_("введён"), default=timezone.now)
    decided_at = models.DateTimeField(_("решение"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("проверок"), default=0)

    class Meta:
        verbose_name = _("активация кода")
        verbose_name_plural = _("активации кодов")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_at__isnull=True) & Q(reason=""))
                | (Q(status="accepted") & Q(decided_at__isnull=False) & Q(reason="") & Q(code__isnull=False))
                | (Q(status="rejected") & Q(decided_at__isnull=False) & ~Q(reason="")),
                name="portfolio_activation_decision_consistent",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="accepted"), name="portfolio_activation_code_accepted_once"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status", "created_at"], name="portfolio_activation_user"),
            models.Index(fields=["status", "created_at"], name="portfolio_activation_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.code_masked}: {self.status}"


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("Готовится")
    RENDERING = "rendering", _("Готовится")
    READY = "ready", _("Готов")
    FAILED = "failed", _("Не удалось подготовить")


def _pdf_path(instance: PortfolioPdf, filename: str) -> str:
    return f"portfolio-pdfs/{instance.owner_id}/{filename}"


class PortfolioPdf(PortalModel):
    """A rendered portfolio: an artifact tied to its owner and the ledger state it shows."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_pdfs")
    cycle = models.ForeignKey("trajectory.Cycle", on_delete=models.CASCADE, related_name="portfolio_pdfs")
    status = models.CharField(_("состояние"), max_length=16, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    file = models.FileField(_("файл"), upload_to=_pdf_path, blank=True)
    verification_code = models.CharField(_("код проверки"), max_length=32, unique=True)
    entry_count = models.PositiveIntegerField(_("записей в реестре"), null=True, blank=True)
    max_entry_id = models.BigIntegerField(_("последняя запись"), null=True, blank=True)
    total_zet = models.DecimalField(_("всего ЗЕТ"), max_digits=8, decimal_places=2, null=True, blank=True)
    content_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("портфолио в PDF")
        verbose_name_plural = _("портфолио в PDF")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(content_sha256="") & Q(rendered_at__isnull=False)),
                name="portfolio_pdf_ready_has_hash",
            ),
            models.CheckConstraint(condition=Q(status__in=PdfStatus.values), name="portfolio_pdf_status_valid"),
        ]

    def __str__(self) -> str:
        return f"PDF {self.verification_code} ({self.status})"
