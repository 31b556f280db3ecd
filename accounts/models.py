"""The person: one account per SNILS, logging in by SNILS or e-mail."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.snils import format_snils, mask_snils, normalize_snils, validate_snils
from nmo_portal.lib.models import PortalModel
from reference.models import EducationLevel, Region, Specialty

PHONE_PATTERN = r"^\+7[0-9]{10}$"
_PHONE_JUNK = re.compile(r"[\s\-()‐‑‒–—.]")


def normalize_phone(raw: str) -> str:
    """A Russian phone in any usual spelling -> ``+7XXXXXXXXXX``, or raise ValidationError.

    Accepts ``+7 (912) 345-67-89``, ``8 912 345 67 89``, ``79123456789`` and ``9123456789``.
    """
    digits = _PHONE_JUNK.sub("", (raw or "").strip())
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("7"):
            raise ValidationError(_("Укажите российский номер телефона: +7 и 10 цифр."), code="not_russian")
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(
            _("Номер телефона может содержать только цифры, например +7 912 345-67-89."), code="invalid"
        )
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValidationError(_("Номер телефона: +7 и 10 цифр, например +7 912 345-67-89."), code="invalid_length")
    if digits[0] in "012":
        raise ValidationError(_("Такого кода телефона в России нет: проверьте номер."), code="invalid_code")
    return "+7" + digits


def validate_phone(value: str) -> None:
    """Model-field validator: the stored phone is ``+7`` and 10 digits."""
    if value and normalize_phone(value) != value:
        raise ValidationError(_("Телефон хранится в виде +7XXXXXXXXXX."), code="not_normalized")


def format_phone(value: str) -> str:
    """``+79123456789`` -> ``+7 912 345-67-89``."""
    if not re.fullmatch(PHONE_PATTERN, value or ""):
        return value
    d = value[2:]
    return f"+7 {d[0:3]} {d[3:6]}-{d[6:8]}-{d[8:10]}"


class Sex(models.TextChoices):
    MALE = "male", _("мужской")
    FEMALE = "female", _("женский")


class UserHistoricalRecords(HistoricalRecords):
    """History of every profile change, but not of the bookkeeping write on each login."""

    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)


class Role(models.TextChoices):
    SPECIALIST = "specialist", _("Специалист")
    PROVIDER_STAFF = "provider_staff", _("Сотрудник образовательной организации")
    SECRETARY = "secretary", _("Ответственный секретарь")
    COMMISSION = "commission", _("Член аккредитационной комиссии")
    METHODOLOGIST = "methodologist", _("Методист")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, snils: str, email: str, password: str | None, **extra: Any) -> User:
        user = self.model(snils=normalize_snils(snils), email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def with_email(self, email: str) -> models.QuerySet[User]:
        """Users whose e-mail equals ``email`` ignoring case, through the unique index on LOWER(email)
        (``email__iexact`` compiles to UPPER() on PostgreSQL and would read every row)."""
        return self.get_queryset().alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())

    def create_user(self, snils: str, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(snils, email, password, **extra)

    def create_superuser(self, snils: str, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(snils, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    snils = models.CharField(
        _("СНИЛС"),
        max_length=11,
        unique=True,
        validators=[validate_snils],
        help_text=_("11 цифр; изменяется только службой поддержки."),
    )
    email = models.EmailField(_("электронная почта"), max_length=254)
    last_name = models.CharField(_("фамилия"), max_length=150, blank=True)
    first_name = models.CharField(_("имя"), max_length=150, blank=True)
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    is_active = models.BooleanField(_("активен"), default=True)
    is_staff = models.BooleanField(_("доступ к администрированию"), default=False)
    date_joined = models.DateTimeField(_("дата регистрации"), default=timezone.now)

    # The profile (registration fields of the real portal). Blank/null only for staff and legacy rows.
    citizenship = models.CharField(_("гражданство"), max_length=2, default="RU", help_text=_("Код страны ISO 3166-1."))
    region = models.ForeignKey(
        Region,
        verbose_name=_("регион проживания"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sex = models.CharField(_("пол"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    phone = models.CharField(
        _("телефон"), max_length=12, blank=True, validators=[validate_phone], help_text=_("+7 и 10 цифр.")
    )
    education_level = models.CharField(
        _("уровень образования"), max_length=16, choices=EducationLevel.choices, blank=True
    )
    consent_personal_data_at = models.DateTimeField(
        _("согласие на обработку персональных данных"), null=True, blank=True
    )
    accept_terms_at = models.DateTimeField(_("принятие пользовательского соглашения"), null=True, blank=True)

    notify_credits = models.BooleanField(_("сообщать о зачислении ЗЕТ"), default=True)
    notify_codes = models.BooleanField(_("сообщать о проверке кода подтверждения"), default=True)
    notify_new_modules = models.BooleanField(_("сообщать о новых модулях по моим специальностям"), default=True)
    notify_deadlines = models.BooleanField(_("напоминать о сроках"), default=True)

    history = UserHistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "snils"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(condition=models.Q(snils__regex=r"^[0-9]{11}$"), name="user_snils_11_digits"),
            models.CheckConstraint(condition=Q(phone="") | Q(phone__regex=PHONE_PATTERN), name="user_phone_ru_format"),
            models.CheckConstraint(condition=Q(citizenship__regex=r"^[A-Z]{2}$"), name="user_citizenship_iso"),
            models.CheckConstraint(condition=Q(sex="") | Q(sex__in=Sex.values), name="user_sex_valid"),
            models.CheckConstraint(
                condition=Q(education_level="") | Q(education_level__in=EducationLevel.values),
                name="user_education_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=date(1900, 1, 1)),
                name="user_birth_date_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.snils_display

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def snils_display(self) -> str:
        return format_snils(self.snils)

    @property
    def snils_masked(self) -> str:
        return mask_snils(self.snils)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error


class RoleGrant(PortalModel):
    """A role a person holds. ``provider_staff`` is granted by the providers app with a membership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("роль"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("назначена"), default=timezone.now)

    class Meta:
        verbose_name = _("роль пользователя")
        verbose_name_plural = _("роли пользователей")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class DocumentKind(models.TextChoices):
    DIPLOMA = "diploma", _("Диплом")
    CERTIFICATE = "certificate", _("Сертификат специалиста")
    ACCREDITATION = "accreditation", _("Свидетельство об аккредитации")


class AccreditationType(models.TextChoices):
    PRIMARY = "primary", _("первичная")
    PRIMARY_SPECIALISED = "primary_specialised", _("первичная специализированная")
    PERIODIC = "periodic", _("периодическая")


class FrmrStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("подтверждён в ФРМР")
    NOT_CONFIRMED = "not_confirmed", _("не подтверждён в ФРМР")


# Kinds whose date opens a five-year right to practise (and a five-year cycle).
KINDS_WITH_VALIDITY = frozenset({DocumentKind.CERTIFICATE, DocumentKind.ACCREDITATION})
DEFAULT_CYCLE_YEARS = 5


def _cycle_years(day: date) -> int:
    """The length of the right to practise by the rule set in force on ``day`` (five years in 2026)."""
    from reference.models import RuleSet
    from reference.rules import ruleset_in_force

    try:
        return int(ruleset_in_force(day).cycle_years)
    except RuleSet.DoesNotExist:  # before reference's migrations have created the default set
        return DEFAULT_CYCLE_YEARS


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def document_valid_until(kind: str, issued_on: date | None) -> date | None:
    """The last day of the right a certificate or accreditation gives; None for a diploma."""
    if issued_on is None or kind not in KINDS_WITH_VALIDITY:
        return None
    return _add_years(issued_on, _cycle_years(issued_on))


class Document(PortalModel):
    """A specialist's diploma, certificate or accreditation document (свидетельство or выписка)."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="documents", verbose_name=_("владелец"))
    kind = models.CharField(_("вид документа"), max_length=16, choices=DocumentKind.choices)
    accreditation_type = models.CharField(
        _("вид аккредитации"), max_length=24, choices=AccreditationType.choices, blank=True
    )
    is_record = models.BooleanField(
        _("выписка о прохождении аккредитации"),
        default=False,
        help_text=_("Отметьте, если вместо свидетельства выдана выписка из протокола."),
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("специальность")
    )
    series = models.CharField(_("серия"), max_length=32, blank=True)
    number = models.CharField(_("номер"), max_length=64)
    issued_on = models.DateField(_("дата выдачи"))
    valid_until = models.DateField(_("действителен до"), null=True, blank=True, editable=False)
    frmr_status = models.CharField(
        _("статус в ФРМР"), max_length=16, choices=FrmrStatus.choices, default=FrmrStatus.NOT_CONFIRMED
    )
    used_for_cycle = models.BooleanField(_("открыл пятилетний цикл"), default=False)
    created_at = models.DateTimeField(_("добавлен"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "specialty", "number"], name="document_unique_number_per_owner"
            ),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.ACCREDITATION, accreditation_type__in=AccreditationType.values)
                | (~Q(kind=DocumentKind.ACCREDITATION) & Q(accreditation_type="")),
                name="document_accreditation_type_only_for_accreditation",
            ),
            models.CheckConstraint(
                condition=Q(is_record=False) | Q(kind=DocumentKind.ACCREDITATION),
                name="document_record_only_for_accreditation",
            ),
            models.CheckConstraint(condition=Q(frmr_status__in=FrmrStatus.values), name="document_frmr_status_valid"),
            models.CheckConstraint(condition=Q(issued_on__gte=date(1950, 1, 1)), name="document_issued_on_plausible"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("issued_on")),
                name="document_valid_after_issue",
            ),
            models.CheckConstraint(condition=~Q(number=""), name="document_number_present"),
        ]
        indexes = [models.Index(fields=["owner", "specialty"], name="document_owner_specialty")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.valid_until = document_valid_until(self.kind, self.issued_on)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        if self.kind == DocumentKind.ACCREDITATION:
            base = _("Выписка об аккредитации") if self.is_record else _("Свидетельство об аккредитации")
            if self.accreditation_type:
                return f"{base} ({self.get_accreditation_type_display()})"
            return str(base)
        return str(self.get_kind_display())

    @property
    def frmr_confirmed(self) -> bool:
        return self.frmr_status == FrmrStatus.CONFIRMED

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[Any]] = {}
        self.number = (self.number or "").strip()
        self.series = (self.series or "").strip()
        if self.issued_on and self.issued_on > timezone.localdate():
            errors.setdefault("issued_on", []).append(_("Дата выдачи не может быть в будущем."))
        if self.kind == DocumentKind.ACCREDITATION and not self.accreditation_type:
            errors.setdefault("accreditation_type", []).append(
                _("Укажите вид аккредитации: первичная, первичная специализированная или периодическая.")
            )
        if self.kind != DocumentKind.ACCREDITATION:
            self.accreditation_type = ""
            self.is_record = False
        if self.specialty_id and self.owner_id:
            level = self.owner.education_level
            if level and self.specialty.education_level != level:
                errors.setdefault("specialty", []).append(
                    _("Специальность «%(name)s» не относится к вашему уровню образования (%(level)s).")
                    % {"name": self.specialty.name, "level": self.owner.get_education_level_display().lower()}
                )
        if errors:
            raise ValidationError(errors)
        self.valid_until = document_valid_until(self.kind, self.issued_on)
