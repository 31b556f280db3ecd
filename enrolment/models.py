"""Applications to programme cycles, enrolment, results, reporting debts and missing-credit disputes.

Invariants live in the database first: seats are counted per (cycle, basis) in ``SeatCounter``
rows whose ``taken <= capacity`` is a CHECK constraint, and a seat is taken by a conditional
UPDATE, so no interleaving of requests can oversell; one live application per person and cycle is
a partial unique constraint; one result per (cycle, learner); one open dispute per application.
Lifecycles are transition tables in ``transitions.py`` with history rows here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.models import PortalModel
from nmo_portal.lib.statemachine import TransitionRecord


class Basis(models.TextChoices):
    """Основа обучения; the same values as ``providers.Basis``."""

    BUDGET = "budget", _("Бюджет")
    CONTRACT = "contract", _("Договор")
    FFOMS = "ffoms", _("Средства НСЗ ФОМС")


class Employment(models.TextChoices):
    STATE = "state", _("Работаю в государственной или муниципальной организации")
    PRIVATE = "private", _("Работаю в частной организации")
    UNEMPLOYED = "unemployed", _("Не работаю")
    OTHER = "other", _("Иное")


class ApplicationStatus(models.TextChoices):
    FORMED = "formed", _("Сформирована")
    ENROLLED = "enrolled", _("Зачислен")
    REJECTED = "rejected", _("Отклонена")
    CANCELLED = "cancelled", _("Отозвана")
    COMPLETED = "completed", _("Обучение завершено")
    FAILED = "failed", _("Программа не освоена")


LIVE_STATUSES = (ApplicationStatus.FORMED, ApplicationStatus.ENROLLED)
# Statuses of a learner the organisation has taken in (results may be recorded for them).
ENROLLED_STATUSES = (ApplicationStatus.ENROLLED, ApplicationStatus.COMPLETED, ApplicationStatus.FAILED)


class ApplicationSource(models.TextChoices):
    SPECIALIST = "specialist", _("Заявка специалиста")
    PROVIDER = "provider", _("Зачисление организацией по СНИЛС")


class SeatCounter(PortalModel):
    """Seats of one basis on one cycle. ``capacity`` follows the cycle's figure at each take."""

    cycle = models.ForeignKey("providers.ProgrammeCycle", on_delete=models.CASCADE, related_name="seat_counters")
    basis = models.CharField(_("основа обучения"), max_length=16, choices=Basis.choices)
    capacity = models.PositiveIntegerField(_("мест"), default=0)
    taken = models.PositiveIntegerField(_("занято"), default=0)

    class Meta:
        verbose_name = _("счётчик мест")
        verbose_name_plural = _("счётчики мест")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "basis"], name="enrolment_seat_counter_unique"),
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="enrolment_seats_not_oversold"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="enrolment_seats_taken_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.basis}: {self.taken}/{self.capacity}"


class Application(PortalModel):
    number = models.CharField(_("номер заявки"), max_length=32, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("специалист")
    )
    programme_cycle = models.ForeignKey(
        "providers.ProgrammeCycle", on_delete=models.PROTECT, related_name="applications", verbose_name=_("цикл")
    )
    specialty = models.ForeignKey(
        "reference.Specialty", on_delete=models.PROTECT, related_name="+", verbose_name=_("специальность")
    )
    employment = models.CharField(_("занятость"), max_length=16, choices=Employment.choices)
    basis = models.CharField(_("основа обучения"), max_length=16, choices=Basis.choices)
    source = models.CharField(
        _("источник"), max_length=16, choices=ApplicationSource.choices, default=ApplicationSource.SPECIALIST
    )
    seat_taken = models.BooleanField(_("занимает место"), default=False)
    consent_at = models.DateTimeField(_("согласие на передачу данных"), null=True, blank=True)
    status = models.CharField(
        _("состояние"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.FORMED
    )
    reject_reason = models.TextField(_("причина отклонения"), blank=True)
    plan_item_id = models.BigIntegerField(_("элемент плана"), null=True, blank=True)
    created_at = models.DateTimeField(_("сформирована"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменена"), default=timezone.now)
    # The applicant's full name as the staff lists sort it, kept on the row so that a cycle's list
    # is read in order from an index (enrolment_app_cycle_name) instead of looking up the name of
    # every applicant of the cycle to sort them. Filled on save and by enrolment.names; a rename
    # follows through enrolment.signals.
    applicant_name = models.CharField(_("ФИО заявителя"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("заявка на обучение")
        verbose_name_plural = _("заявки на обучение")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "programme_cycle"],
                condition=Q(status__in=["formed", "enrolled"]),
                name="enrolment_one_live_application_per_cycle",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="enrolment_application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source="provider") | Q(consent_at__isnull=False),
                name="enrolment_application_has_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""), name="enrolment_rejection_has_reason"
            ),
        ]
        indexes = [
            # with the key, so that the roster's totals (every learner of a cycle, counted on every
            # results page) are an index-only scan, not 50 heap pages for 2 000 learners
            models.Index(fields=["programme_cycle", "status"], include=["id"], name="enrolment_app_cycle_status"),
            models.Index(fields=["applicant", "-created_at"], name="enrolment_app_applicant"),
            models.Index(fields=["programme_cycle", "applicant_name", "id"], name="enrolment_app_cycle_name"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.applicant_name and self.applicant_id is not None:
            from enrolment.names import applicant_name_of

            self.applicant_name = applicant_name_of(self.applicant)
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class ApplicationTransition(TransitionRecord):
    subject = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Освоил")
    FAILED = "failed", _("Не освоил")


class ProgrammeResult(PortalModel):
    """A learner's outcome on a cycle. ``version`` grows with every correction; the ZET credited
    for the result carry the key ``result:<id>:v<version>`` (``credited_key``), so a correction
    reverses the old entries and credits anew under a new key."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="result")
    cycle = models.ForeignKey("providers.ProgrammeCycle", on_delete=models.PROTECT, related_name="results")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_results")
    outcome = models.CharField(_("результат"), max_length=16, choices=Outcome.choices)
    completed_on = models.DateField(_("дата завершения"))
    certificate_number = models.CharField(_("номер удостоверения"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    due_on = models.DateField(_("срок внесения"))
    on_time = models.BooleanField(_("внесён в срок"), default=True)
    recorded_at = models.DateTimeField(_("внесён"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    needs_crediting = models.BooleanField(_("ожидает зачёта ЗЕТ"), default=False, db_index=True)
    credited_key = models.CharField(_("ключ зачёта"), max_length=100, blank=True)
    credited_at = models.DateTimeField(_("ЗЕТ зачтены"), null=True, blank=True)

    class Meta:
        verbose_name = _("результат освоения программы")
        verbose_name_plural = _("результаты освоения программ")
        ordering = ["cycle", "learner__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "learner"], name="enrolment_one_result_per_learner"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="enrolment_result_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome="failed") | ~Q(certificate_number=""),
                name="enrolment_completion_has_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.learner_id} {self.outcome}"

    def credit_key(self) -> str:
        return f"result:{self.pk}:v{self.version}"


class ReportingDebt(PortalModel):
    """A cycle whose results are overdue: it ended more than ``results_due_days`` ago and still has
    enrolled learners without a result. Resolved when the last result arrives."""

    cycle = models.OneToOneField("providers.ProgrammeCycle", on_delete=models.CASCADE, related_name="reporting_debt")
    organisation = models.ForeignKey("providers.Organisation", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("срок внесения результатов"))
    detected_on = models.DateField(_("выявлено"))
    missing_count = models.PositiveIntegerField(_("слушателей без результата"), default=0)
    notified_at = models.DateTimeField(_("организация уведомлена"), null=True, blank=True)
    resolved_on = models.DateField(_("погашено"), null=True, blank=True)

    class Meta:
        verbose_name = _("просроченное внесение результатов")
        verbose_name_plural = _("просроченные внесения результатов")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("due_on")),
                name="enrolment_debt_resolved_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.due_on:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Ожидает ответа организации")
    ANSWERED = "answered", _("Организация ответила")
    ESCALATED = "escalated", _("Передано методисту")
    RESOLVED = "resolved", _("Решено")


class AnswerKind(models.TextChoices):
    RESULT_ENTERED = "result_entered", _("Результат внесён")
    EXPLANATION = "explanation", _("Результат не будет внесён: объяснение")


class Dispute(PortalModel):
    """The specialist's claim that an expected credit has not arrived (обращение о незачтённых ЗЕТ)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("суть обращения"))
    status = models.CharField(_("состояние"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    opened_on = models.DateField(_("открыто"))
    due_on = models.DateField(_("ответ организации до"))
    answer_kind = models.CharField(_("ответ"), max_length=16, choices=AnswerKind.choices, blank=True)
    answer = models.TextField(_("ответ организации"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("дата ответа"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("передано методисту"), null=True, blank=True)
    resolution = models.TextField(_("решение"), blank=True)
    resolved_at = models.DateTimeField(_("решено"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("обращение о незачтённых ЗЕТ")
        verbose_name_plural = _("обращения о незачтённых ЗЕТ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["open", "answered", "escalated"]),
                name="enrolment_one_live_dispute_per_application",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("opened_on")), name="enrolment_dispute_due_after_open"),
            models.CheckConstraint(condition=Q(status__in=DisputeStatus.values), name="enrolment_dispute_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="enrolment_dispute_due")]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_status_display()}"

    def is_overdue(self, today: date) -> bool:
        return self.status == DisputeStatus.OPEN and self.due_on < today


class DisputeTransition(TransitionRecord):
    subject = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="transitions")
