"""Reference data: the nomenclatures of specialties and the subjects of the Russian Federation.

Rows are never deleted: a row that leaves a nomenclature gets ``valid_to`` so that documents and
programmes that name it stay readable. Sources and doubts: ``reference/data/SOURCES.md``.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    HIGHER = "higher", _("Высшее образование")
    SECONDARY = "secondary", _("Среднее профессиональное образование")


class SpecialtyQuerySet(models.QuerySet["Specialty"]):
    def valid_on(self, day: date) -> SpecialtyQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Specialty(models.Model):
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


class Region(models.Model):
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
