"""Five-year cycles and the individual plan ("Мой план") of each cycle."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.models import PortalModel
from nmo_portal.lib.statemachine import TransitionRecord
from trajectory import dates


class CycleStatus(models.TextChoices):
    ACTIVE = "active", _("Действующий")
    CLOSED = "closed", _("Закрыт")


class Cycle(PortalModel):
    """A five-year cycle of one specialist in one specialty, opened from a certificate or an
    accreditation document. A newer document for the same specialty closes it; its ZET stay here."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("специалист")
    )
    specialty = models.ForeignKey(
        "reference.Specialty", on_delete=models.PROTECT, related_name="+", verbose_name=_("специальность")
    )
    document = models.OneToOneField(
        "accounts.Document", on_delete=models.PROTECT, related_name="cycle", verbose_name=_("документ")
    )
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    cycle_years = models.PositiveSmallIntegerField(_("длительность, лет"))
    target_zet = models.DecimalField(_("цель, ЗЕТ"), max_digits=6, decimal_places=2)
    status = models.CharField(_("состояние"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.ACTIVE)
    created_at = models.DateTimeField(_("открыт"), default=timezone.now)
    closed_at = models.DateTimeField(_("закрыт"), null=True, blank=True)
    closed_by_document = models.ForeignKey(
        "accounts.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("закрыт документом"),
    )

    class Meta:
        verbose_name = _("пятилетний цикл")
        verbose_name_plural = _("пятилетние циклы")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "specialty"],
                condition=Q(status="active"),
                name="trajectory_cycle_one_active_per_specialty",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="trajectory_cycle_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(target_zet__gte=0), name="trajectory_cycle_target_not_negative"),
            models.CheckConstraint(condition=Q(cycle_years__gte=1), name="trajectory_cycle_years_positive"),
            models.CheckConstraint(condition=Q(status__in=CycleStatus.values), name="trajectory_cycle_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(closed_at__isnull=True))
                | (Q(status="closed") & Q(closed_at__isnull=False)),
                name="trajectory_cycle_closed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="trajectory_cycle_owner_status")]

    def __str__(self) -> str:
        return f"{self.specialty} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    @property
    def is_active(self) -> bool:
        return self.status == CycleStatus.ACTIVE

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def year_of(self, day: date) -> int:
        return dates.cycle_year_number(self.starts_on, self.ends_on, day)

    def years(self) -> list[dates.CycleYear]:
        return dates.cycle_years(self.starts_on, self.cycle_years)


class ElementType(models.TextChoices):
    PROGRAM = "program", _("Программа ДПП ПК")
    EVENT = "event", _("Образовательное мероприятие")
    MODULE = "module", _("Интерактивный модуль")


# The FK that holds the element of each type: exactly one is set, matching ``element_type``.
ELEMENT_FIELDS: dict[str, str] = {
    ElementType.PROGRAM: "programme",
    ElementType.EVENT: "event",
    ElementType.MODULE: "module",
}


def element_check() -> Q:
    """``element_type`` names exactly the one FK that is set (used by plan items and credit entries)."""
    return (
        (Q(element_type="program") & Q(programme__isnull=False) & Q(event__isnull=True) & Q(module__isnull=True))
        | (Q(element_type="event") & Q(programme__isnull=True) & Q(event__isnull=False) & Q(module__isnull=True))
        | (Q(element_type="module") & Q(programme__isnull=True) & Q(event__isnull=True) & Q(module__isnull=False))
    )


class PlanItemStatus(models.TextChoices):
    INCLUDED = "included", _("Включён в план")
    APPLIED = "applied", _("Подана заявка")
    ENROLLED = "enrolled", _("Зачислен")
    COMPLETED = "completed", _("Освоен")
    FAILED = "failed", _("Не освоен")
    CREDITED = "credited", _("ЗЕТ зачтены")


class PlanItem(PortalModel):
    """An element of the catalogue in the plan of one cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("цикл"))
    element_type = models.CharField(_("вид элемента"), max_length=16, choices=ElementType.choices)
    programme = models.ForeignKey(
        "providers.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey("providers.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    module = models.ForeignKey("providers.Module", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The dated session of a programme the specialist applied to (set by the applications flow):
    # the plan says until when the organisation must enter the result.
    programme_cycle = models.ForeignKey(
        "providers.ProgrammeCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("сессия программы"),
    )
    status = models.CharField(
        _("состояние"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.INCLUDED
    )
    created_at = models.DateTimeField(_("добавлен"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), default=timezone.now)

    class Meta:
        verbose_name = _("элемент плана")
        verbose_name_plural = _("элементы плана")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=element_check(), name="trajectory_plan_item_one_element"),
            models.CheckConstraint(condition=Q(status__in=PlanItemStatus.values), name="trajectory_plan_status_valid"),
            models.UniqueConstraint(fields=["cycle", "programme"], name="trajectory_plan_unique_programme"),
            models.UniqueConstraint(fields=["cycle", "event"], name="trajectory_plan_unique_event"),
            models.UniqueConstraint(fields=["cycle", "module"], name="trajectory_plan_unique_module"),
        ]

    def __str__(self) -> str:
        return f"{self.get_element_type_display()}: {self.element}"

    @property
    def element(self) -> models.Model:
        element = getattr(self, ELEMENT_FIELDS[self.element_type])
        assert element is not None
        return element

    @property
    def element_id(self) -> int:
        value = getattr(self, ELEMENT_FIELDS[self.element_type] + "_id")
        assert value is not None
        return int(value)


class PlanItemTransition(TransitionRecord):
    subject = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="transitions")
