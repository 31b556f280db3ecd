"""Reference data: the nomenclatures of specialties and the subjects of the Russian Federation.

Rows are never deleted: a row that leaves a nomenclature gets ``valid_to`` so that documents and
programmes that name it stay readable. Sources and doubts: ``reference/data/SOURCES.md``.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.models import PortalModel


class EducationLevel(models.TextChoices):
    HIGHER = "higher", _("Высшее образование")
    SECONDARY = "secondary", _("Среднее профессиональное образование")


class SpecialtyQuerySet(models.QuerySet["Specialty"]):
    def valid_on(self, day: date) -> SpecialtyQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Specialty(PortalModel):
    education_level = models.CharField(_("уровень образования"), max_length=16, choices=EducationLevel.choices)
    code = models.CharField(_("код"), max_length=64)
    name = models.CharField(_("наименование"), max_length=255)
    source = models.CharField(_("нормативный акт"), max_length=255)
    valid_from = models.DateField(_("действует с"), null=True, blank=True)
    valid_to = models.DateField(_("действует по"), null=True, blank=True)

    objects = SpecialtyQuerySet.as_manager()

    class Meta:
        verbose_name = _("специальность")
        verbose_name_plural = _("специальности")
        ordering = ["education_level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["education_level", "code"], name="specialty_unique_code_per_level"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="specialty_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Region(PortalModel):
    code = models.CharField(_("код"), max_length=2, unique=True)
    name = models.CharField(_("наименование"), max_length=255)
    iso_3166_2 = models.CharField(_("код ISO 3166-2"), max_length=8, blank=True)
    valid_from = models.DateField(_("действует с"), null=True, blank=True)
    valid_to = models.DateField(_("действует по"), null=True, blank=True)

    class Meta:
        verbose_name = _("субъект РФ")
        verbose_name_plural = _("субъекты РФ")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RuleSet(PortalModel):
    """The crediting and accreditation rules in force from ``effective_from`` until the next set.

    Every figure the regulations may change lives here, never as a literal in code. A portfolio is
    judged by the set in force when the work was done (``reference.rules.ruleset_in_force``).
    """

    name = models.CharField(_("название"), max_length=200)
    effective_from = models.DateField(_("действует с"), unique=True)
    basis = models.TextField(_("нормативное основание"), blank=True)

    cycle_years = models.PositiveSmallIntegerField(_("длительность цикла, лет"), default=5)
    cycle_target_zet = models.DecimalField(_("цель цикла, ЗЕТ"), max_digits=6, decimal_places=2, default=250)
    yearly_target_zet = models.DecimalField(_("ориентир в год, ЗЕТ"), max_digits=6, decimal_places=2, default=50)
    yearly_programme_zet = models.DecimalField(
        _("ориентир в год по ДПП ПК, ЗЕТ"), max_digits=6, decimal_places=2, default=36
    )
    yearly_other_zet = models.DecimalField(
        _("ориентир в год по мероприятиям и модулям, ЗЕТ"), max_digits=6, decimal_places=2, default=14
    )
    event_max_zet_per_day = models.DecimalField(
        _("мероприятие: не более ЗЕТ в день"), max_digits=5, decimal_places=2, default=6
    )
    event_max_zet_per_event = models.DecimalField(
        _("мероприятие: не более ЗЕТ за мероприятие"), max_digits=5, decimal_places=2, default=12
    )
    accreditation_min_hours = models.DecimalField(
        _("аккредитация: минимум часов обучения за 5 лет"), max_digits=6, decimal_places=2, default=144
    )
    accreditation_min_programme_hours = models.DecimalField(
        _("аккредитация: из них по ДПП ПК"), max_digits=6, decimal_places=2, default=72
    )
    filing_window_months = models.PositiveSmallIntegerField(
        _("окно подачи заявления до окончания документа, мес."), default=12
    )
    registration_working_days = models.PositiveSmallIntegerField(_("регистрация заявления, рабочих дней"), default=2)
    check_working_days = models.PositiveSmallIntegerField(_("проверка и передача в комиссию, рабочих дней"), default=20)
    commission_working_days = models.PositiveSmallIntegerField(_("оценка комиссией, рабочих дней"), default=15)
    publication_working_days = models.PositiveSmallIntegerField(
        _("публикация протокола после подписания, рабочих дней"), default=2
    )
    results_due_days = models.PositiveSmallIntegerField(
        _("внесение результатов ДПП ПК после окончания цикла, дней"), default=30
    )
    dispute_answer_working_days = models.PositiveSmallIntegerField(
        _("ответ организации на обращение о незачтённых ЗЕТ, рабочих дней"), default=10
    )
    code_check_hours = models.PositiveSmallIntegerField(_("проверка кода подтверждения, часов"), default=24)
    report_max_megabytes = models.PositiveSmallIntegerField(_("размер файла PDF, не более МБ"), default=10)

    class Meta:
        verbose_name = _("набор правил")
        verbose_name_plural = _("наборы правил")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(cycle_years__gte=1), name="ruleset_cycle_years_positive"),
            models.CheckConstraint(
                condition=Q(event_max_zet_per_day__gt=0) & Q(event_max_zet_per_event__gt=0),
                name="ruleset_event_caps_positive",
            ),
            models.CheckConstraint(
                condition=Q(accreditation_min_programme_hours__lte=models.F("accreditation_min_hours")),
                name="ruleset_programme_minimum_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (с {self.effective_from:%d.%m.%Y})"


class WorkingCalendarDay(PortalModel):
    """An exception to the holidays package's Russian calendar, kept as data a methodologist can
    extend when the government transfers days off: a Saturday made a working day, or a weekday
    made a day off."""

    day = models.DateField(_("дата"), unique=True)
    is_working = models.BooleanField(_("рабочий день"))
    basis = models.CharField(_("основание"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("перенос выходного дня")
        verbose_name_plural = _("переносы выходных дней")
        ordering = ["day"]

    def __str__(self) -> str:
        kind = _("рабочий") if self.is_working else _("выходной")
        return f"{self.day:%d.%m.%Y}: {kind}"
