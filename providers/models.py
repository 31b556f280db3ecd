"""Organisations (training centres) and what they publish: programmes (ДПП ПК) with their dated
cycles, educational events (ОМ) with individual confirmation codes, interactive modules (ИОМ).

Invariants live in the database first (date order, non-negative seats, prices and ZET, one
membership per person and organisation, a code hash used once); ``clean()`` repeats them with a
Russian message for forms and the API. Lifecycles are transition tables in ``transitions.py``.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.snils import validate_snils
from nmo_portal.lib.models import PortalModel
from nmo_portal.lib.statemachine import TransitionRecord

KPP_VALIDATOR = RegexValidator(r"^[0-9]{9}$", _("КПП состоит из 9 цифр."))


def validate_ogrn(value: str) -> None:
    from stdnum.ru import ogrn

    if not ogrn.is_valid(value or ""):
        raise ValidationError(_("Неверный ОГРН: проверьте 13 (или 15) цифр и контрольное число."), code="ogrn")


def validate_inn(value: str) -> None:
    from stdnum.ru import inn

    if not inn.is_valid(value or ""):
        raise ValidationError(_("Неверный ИНН: проверьте 10 (или 12) цифр и контрольное число."), code="inn")


class OrganisationStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик заявки")
    SUBMITTED = "submitted", _("Заявка подана")
    IN_REVIEW = "in_review", _("На проверке")
    NEEDS_CHANGES = "needs_changes", _("Нужны исправления")
    REJECTED = "rejected", _("Отклонена")
    APPROVED = "approved", _("Одобрена")


class ElementStatus(models.TextChoices):
    """The review path shared by programmes, events and modules."""

    DRAFT = "draft", _("Черновик")
    ON_REVIEW = "on_review", _("На проверке")
    PUBLISHED = "published", _("Опубликовано")
    NEEDS_CHANGES = "needs_changes", _("Нужны исправления")
    ARCHIVED = "archived", _("В архиве")


ProgrammeStatus = ElementStatus
EventStatus = ElementStatus
ModuleStatus = ElementStatus


class Organisation(PortalModel):
    full_name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=200)
    ogrn = models.CharField(_("ОГРН"), max_length=15, validators=[validate_ogrn])
    inn = models.CharField(_("ИНН"), max_length=12, validators=[validate_inn])
    kpp = models.CharField(_("КПП"), max_length=9, validators=[KPP_VALIDATOR])
    licence_number = models.CharField(_("номер лицензии на образовательную деятельность"), max_length=100)
    licence_date = models.DateField(_("дата лицензии"))
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("субъект РФ"), on_delete=models.PROTECT, related_name="+"
    )
    legal_address = models.CharField(_("юридический адрес"), max_length=500)
    actual_address = models.CharField(_("фактический адрес"), max_length=500)
    phone = models.CharField(_("телефон"), max_length=32)
    email = models.EmailField(_("электронная почта"))
    site = models.URLField(_("сайт"), blank=True)
    status = models.CharField(
        _("состояние"), max_length=32, choices=OrganisationStatus.choices, default=OrganisationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("создана"), default=timezone.now)

    class Meta:
        verbose_name = _("образовательная организация")
        verbose_name_plural = _("образовательные организации")
        ordering = ["short_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ogrn"], condition=~Q(status="rejected"), name="organisation_ogrn_unique_live"
            ),
            models.CheckConstraint(condition=Q(kpp__regex=r"^[0-9]{9}$"), name="organisation_kpp_9_digits"),
        ]
        indexes = [models.Index(fields=["status"], name="organisation_status_idx")]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED


class OrganisationTransition(TransitionRecord):
    subject = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="transitions")


class ResponsiblePerson(PortalModel):
    """A person answerable for the organisation's data on the portal, named by SNILS."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="responsible_persons")
    snils = models.CharField(_("СНИЛС"), max_length=11, validators=[validate_snils])
    full_name = models.CharField(_("ФИО"), max_length=300)
    position = models.CharField(_("должность"), max_length=200, blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)

    class Meta:
        verbose_name = _("ответственное лицо")
        verbose_name_plural = _("ответственные лица")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "snils"], name="responsible_person_unique"),
            models.CheckConstraint(condition=Q(snils__regex=r"^[0-9]{11}$"), name="responsible_snils_11_digits"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Membership(PortalModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(_("администратор организации"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("сотрудник организации")
        verbose_name_plural = _("сотрудники организаций")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id}"


class Invitation(PortalModel):
    """A pending invitation for someone not yet registered; only the token's SHA-256 is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("электронная почта"), blank=True)
    snils = models.CharField(_("СНИЛС"), max_length=11, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("приглашение сотрудника")
        verbose_name_plural = _("приглашения сотрудников")
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(snils=""), name="invitation_names_someone"),
        ]

    def __str__(self) -> str:
        return self.email or self.snils


class PriorityOrganisation(PortalModel):
    """The organisation a specialist prefers to study at."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="priority_org")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("приоритетная организация")
        verbose_name_plural = _("приоритетные организации")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.organisation_id}"


# --- Programmes -------------------------------------------------------------------------------
class ProgrammeForm(models.TextChoices):
    FULL_TIME = "full_time", _("Очная")
    PART_TIME = "part_time", _("Очно-заочная")
    DISTANCE = "distance", _("Заочная (дистанционная)")


class Basis(models.TextChoices):
    BUDGET = "budget", _("Бюджет")
    CONTRACT = "contract", _("Договор")
    FFOMS = "ffoms", _("Средства НСЗ ФОМС")


def validate_bases(value: Any) -> None:
    if not isinstance(value, list) or any(item not in Basis.values for item in value):
        raise ValidationError(_("Основы обучения: допустимы только «бюджет», «договор», «ФОМС»."), code="bases")
    if len(set(value)) != len(value):
        raise ValidationError(_("Основы обучения не должны повторяться."), code="bases")


class Programme(PortalModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(_("наименование"), max_length=500)
    hours = models.PositiveSmallIntegerField(
        _("трудоёмкость, часов (ЗЕТ)"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    form = models.CharField(_("форма обучения"), max_length=16, choices=ProgrammeForm.choices)
    bases = models.JSONField(_("основы обучения"), default=list, blank=True, validators=[validate_bases])
    specialty = models.ForeignKey(
        "reference.Specialty", verbose_name=_("основная специальность"), on_delete=models.PROTECT, related_name="+"
    )
    additional_specialties = models.ManyToManyField(
        "reference.Specialty", verbose_name=_("дополнительные специальности"), blank=True, related_name="+"
    )
    annotation = models.TextField(_("аннотация"), blank=True)
    has_simulation = models.BooleanField(_("симуляционное обучение"), default=False)
    has_internship = models.BooleanField(_("стажировка"), default=False)
    has_distance_technologies = models.BooleanField(_("дистанционные образовательные технологии"), default=False)
    is_new_competency = models.BooleanField(_("новая компетенция"), default=False)
    status = models.CharField(_("состояние"), max_length=32, choices=ElementStatus.choices, default=ElementStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("программа ДПП ПК")
        verbose_name_plural = _("программы ДПП ПК")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=1), name="programme_hours_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "organisation"], name="programme_status_org_idx"),
            # The catalogue's first page (by title) reads 20 rows instead of sorting all published ones.
            models.Index(fields=["title", "id"], condition=Q(status="published"), name="programme_published_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zet(self) -> int:
        return self.hours


class ProgrammeTransition(TransitionRecord):
    subject = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="transitions")


class ProgrammeCycle(PortalModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    starts_on = models.DateField(_("дата начала"))
    ends_on = models.DateField(_("дата окончания"))
    seats_budget = models.PositiveIntegerField(_("мест (бюджет)"), default=0)
    seats_contract = models.PositiveIntegerField(_("мест (договор)"), default=0)
    seats_ffoms = models.PositiveIntegerField(_("мест (ФОМС)"), default=0)
    price = models.DecimalField(
        _("стоимость, руб."), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("субъект РФ"), null=True, blank=True, on_delete=models.PROTECT
    )
    place = models.CharField(_("место проведения"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("цикл программы")
        verbose_name_plural = _("циклы программ")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cycle_dates_in_order"),
            models.CheckConstraint(
                condition=Q(seats_budget__gte=0) & Q(seats_contract__gte=0) & Q(seats_ffoms__gte=0),
                name="cycle_seats_non_negative",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="cycle_price_non_negative"),
        ]
        indexes = [models.Index(fields=["programme", "ends_on"], name="cycle_programme_ends_idx")]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Дата окончания не может быть раньше даты начала.")})

    @property
    def seats(self) -> dict[str, int]:
        return {"budget": self.seats_budget, "contract": self.seats_contract, "ffoms": self.seats_ffoms}

    @property
    def results_due_on(self) -> date:
        """The last day the organisation may enter this session's results: its end plus the rule
        set's ``results_due_days`` (the rule set in force on the last day of the session)."""
        from reference.rules import ruleset_in_force

        return self.ends_on + timedelta(days=int(ruleset_in_force(self.ends_on).results_due_days))


# --- Events -----------------------------------------------------------------------------------
class EventFormat(models.TextChoices):
    ONLINE = "online", _("Онлайн")
    OFFLINE = "offline", _("Очно")


class Event(PortalModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("наименование"), max_length=500)
    organiser_name = models.CharField(_("организатор"), max_length=300, blank=True)
    starts_on = models.DateField(_("дата начала"))
    ends_on = models.DateField(_("дата окончания"))
    zet = models.DecimalField(_("ЗЕТ"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    format = models.CharField(_("формат"), max_length=16, choices=EventFormat.choices)
    specialties = models.ManyToManyField(
        "reference.Specialty", verbose_name=_("специальности"), blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("субъект РФ"), null=True, blank=True, on_delete=models.PROTECT
    )
    annotation = models.TextField(_("описание"), blank=True)
    is_free = models.BooleanField(_("бесплатно"), default=True)
    price = models.DecimalField(
        _("стоимость, руб."), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    seats = models.PositiveIntegerField(_("мест"), null=True, blank=True)
    attendance_control = models.TextField(_("контроль присутствия"), blank=True)
    status = models.CharField(_("состояние"), max_length=32, choices=ElementStatus.choices, default=ElementStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("образовательное мероприятие")
        verbose_name_plural = _("образовательные мероприятия")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_dates_in_order"),
            models.CheckConstraint(condition=Q(zet__gt=0), name="event_zet_positive"),
            models.CheckConstraint(condition=Q(price__gte=0), name="event_price_non_negative"),
            models.CheckConstraint(condition=Q(is_free=False) | Q(price=0), name="event_free_has_no_price"),
        ]
        indexes = [
            models.Index(fields=["status", "organisation"], name="event_status_org_idx"),
            # The catalogue's first page of events (by date) reads 20 rows instead of sorting them all.
            models.Index(fields=["starts_on", "id"], condition=Q(status="published"), name="event_published_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def clean(self) -> None:
        super().clean()
        from providers.rules import event_zet_errors

        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Дата окончания не может быть раньше даты начала.")
        elif self.starts_on and self.ends_on and self.zet is not None:
            zet_errors = event_zet_errors(zet=self.zet, starts_on=self.starts_on, ends_on=self.ends_on)
            if zet_errors:
                errors["zet"] = zet_errors
        if self.is_free and self.price:
            errors["price"] = _("У бесплатного мероприятия стоимость должна быть 0.")
        if errors:
            raise ValidationError(errors)


class EventTransition(TransitionRecord):
    subject = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")


class ConfirmationCode(PortalModel):
    """An individual confirmation code (ИКП). Only a keyed hash is stored: a leaked table yields no
    usable codes. The unique hash plus the conditional update in ``confirmation_code_claim`` make a
    code single-use."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    last4 = models.CharField(_("последние 4 знака"), max_length=4)
    batch = models.UUIDField(_("выпуск"), default=uuid.uuid4, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(_("использован"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("код подтверждения")
        verbose_name_plural = _("коды подтверждения")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_by__isnull=True) | Q(used_at__isnull=False), name="code_used_by_needs_used_at"
            ),
        ]

    def __str__(self) -> str:
        return f"…{self.last4}"


# --- Modules ----------------------------------------------------------------------------------
class ModuleType(models.TextChoices):
    TESTS = "tests", _("Тестовые задания")
    CASES = "cases", _("Клинические случаи")
    SIMULATOR_2D = "simulator_2d", _("2D-тренажёр")
    VIDEO_LECTURE = "video_lecture", _("Видеолекция")
    OTHER = "other", _("Другое")


class Module(PortalModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="modules")
    title = models.CharField(_("наименование"), max_length=500)
    module_type = models.CharField(_("тип"), max_length=32, choices=ModuleType.choices)
    zet = models.DecimalField(_("ЗЕТ"), max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    specialties = models.ManyToManyField(
        "reference.Specialty", verbose_name=_("специальности"), blank=True, related_name="+"
    )
    url = models.URLField(_("ссылка на платформу"), max_length=500)
    annotation = models.TextField(_("аннотация"), blank=True)
    status = models.CharField(_("состояние"), max_length=32, choices=ElementStatus.choices, default=ElementStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("интерактивный модуль")
        verbose_name_plural = _("интерактивные модули")
        ordering = ["title", "pk"]
        constraints = [models.CheckConstraint(condition=Q(zet__gte=0), name="module_zet_non_negative")]
        indexes = [models.Index(fields=["status", "organisation"], name="module_status_org_idx")]

    def __str__(self) -> str:
        return self.title


class ModuleTransition(TransitionRecord):
    subject = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="transitions")


class ModuleCompletion(PortalModel):
    """The module host reports that a specialist completed the module; the credit engine credits
    ZET from these rows, and only people with a row may rate the module."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions")
    completed_on = models.DateField(_("дата прохождения"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("прохождение модуля")
        verbose_name_plural = _("прохождения модулей")
        constraints = [models.UniqueConstraint(fields=["module", "user"], name="module_completion_unique")]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.user_id} {self.completed_on:%d.%m.%Y}"


class ModuleReaction(PortalModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_reactions")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="reactions")
    liked = models.BooleanField(_("нравится"), default=False)
    rating = models.PositiveSmallIntegerField(
        _("оценка (1–10)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    comment = models.TextField(_("комментарий"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("отзыв о модуле")
        verbose_name_plural = _("отзывы о модулях")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_reaction_unique"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=10)),
                name="module_rating_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.user_id}"
