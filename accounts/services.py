"""Writes on accounts. Every write goes through a function here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import (
    AccreditationType,
    Document,
    DocumentKind,
    Role,
    RoleGrant,
    Sex,
    User,
    normalize_phone,
)
from accounts.snils import normalize_snils
from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from reference.models import EducationLevel, Region, Specialty

MINIMUM_AGE_YEARS = 16

CITIZENSHIPS = [
    ("RU", gettext_lazy("Российская Федерация")),
    ("BY", gettext_lazy("Республика Беларусь")),
    ("KZ", gettext_lazy("Республика Казахстан")),
    ("KG", gettext_lazy("Киргизская Республика")),
    ("AM", gettext_lazy("Республика Армения")),
    ("UZ", gettext_lazy("Республика Узбекистан")),
    ("TJ", gettext_lazy("Республика Таджикистан")),
]
_CITIZENSHIP_CODES = {code for code, _label in CITIZENSHIPS}

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: Any) -> None:
    errors.setdefault(field, []).append(str(message))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ApplicationError(_("Проверьте выделенные поля."), errors=errors)


# --- roles ----------------------------------------------------------------------------------
@transaction.atomic
def role_grant(*, user: User, role: Role | str) -> RoleGrant:
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=Role(role))
    if hasattr(user, "_role_cache"):
        del user._role_cache
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: Role | str) -> None:
    RoleGrant.objects.filter(user=user, role=Role(role)).delete()
    if hasattr(user, "_role_cache"):
        del user._role_cache


# --- profile fields shared by registration and the profile page -----------------------------
def _check_birth_date(errors: Errors, birth_date: date | None, today: date) -> None:
    if birth_date is None:
        _add(errors, "birth_date", _("Укажите дату рождения."))
    elif birth_date > today:
        _add(errors, "birth_date", _("Дата рождения не может быть в будущем."))
    elif birth_date > _years_before(today, MINIMUM_AGE_YEARS):
        _add(errors, "birth_date", _("Зарегистрироваться на портале можно с 16 лет."))
    elif birth_date < date(1900, 1, 1):
        _add(errors, "birth_date", _("Проверьте год рождения."))


def _check_phone(errors: Errors, phone: str) -> str:
    if not (phone or "").strip():
        _add(errors, "phone", _("Укажите номер телефона."))
        return ""
    try:
        return normalize_phone(phone)
    except ValidationError as error:
        for message in error.messages:
            _add(errors, "phone", message)
        return ""


def _check_region(errors: Errors, region: str | Region | None) -> Region | None:
    if isinstance(region, Region):
        return region
    code = (region or "").strip()
    if not code:
        _add(errors, "region", _("Выберите регион проживания."))
        return None
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    found = Region.objects.filter(code=code).first()
    if found is None:
        _add(errors, "region", _("Такого региона нет в справочнике субъектов РФ."))
    return found


def _check_education_level(errors: Errors, education_level: str) -> str:
    if education_level not in EducationLevel.values:
        _add(errors, "education_level", _("Выберите уровень образования: высшее или среднее профессиональное."))
        return ""
    return education_level


# --- registration ---------------------------------------------------------------------------
@transaction.atomic
def user_register(
    *,
    snils: str,
    email: str,
    password: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    sex: str,
    birth_date: date | None,
    citizenship: str = "RU",
    region: str | Region | None,
    phone: str,
    education_level: str,
    consent_personal_data: bool,
    accept_terms: bool,
    now: datetime | None = None,
) -> User:
    """Register a specialist. Every field is checked first; on any error nothing is saved.

    The e-mail address is recorded for allauth unconfirmed; the caller sends the confirmation
    link (the page through allauth's sign-up completion, the API through
    ``user_email_confirmation_send``). The password is never mailed.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: Errors = {}

    normalized_snils = ""
    try:
        normalized_snils = normalize_snils(snils or "")
    except ValidationError as error:
        for message in error.messages:
            _add(errors, "snils", message)
    if normalized_snils and User.objects.filter(snils=normalized_snils).exists():
        _add(
            errors,
            "snils",
            _("Пользователь с таким СНИЛС уже зарегистрирован. Войдите или восстановите пароль по СНИЛС."),
        )

    email = (email or "").strip().lower()
    if not email:
        _add(errors, "email", _("Укажите адрес электронной почты."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Введите правильный адрес электронной почты."))
        else:
            taken = User.objects.with_email(email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
            if taken:
                _add(errors, "email", _("Этот адрес электронной почты уже используется другой учётной записью."))

    last_name, first_name, middle_name = (
        (last_name or "").strip(),
        (first_name or "").strip(),
        (middle_name or "").strip(),
    )
    if not last_name:
        _add(errors, "last_name", _("Укажите фамилию."))
    if not first_name:
        _add(errors, "first_name", _("Укажите имя."))
    if sex not in Sex.values:
        _add(errors, "sex", _("Укажите пол."))
    _check_birth_date(errors, birth_date, today)
    citizenship = (citizenship or "").strip().upper()
    if citizenship not in _CITIZENSHIP_CODES:
        _add(errors, "citizenship", _("Выберите гражданство из списка."))
    region_row = _check_region(errors, region)
    phone = _check_phone(errors, phone)
    education_level = _check_education_level(errors, education_level)
    if not consent_personal_data:
        _add(
            errors, "consent_personal_data", _("Без согласия на обработку персональных данных регистрация невозможна.")
        )
    if not accept_terms:
        _add(errors, "accept_terms", _("Примите пользовательское соглашение, чтобы зарегистрироваться."))

    candidate = User(
        snils=normalized_snils, email=email, last_name=last_name, first_name=first_name, middle_name=middle_name
    )
    if not password:
        _add(errors, "password", _("Придумайте пароль."))
    else:
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            for message in error.messages:
                _add(errors, "password", message)
    _raise_if(errors)

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                normalized_snils,
                email,
                password,
                last_name=last_name,
                first_name=first_name,
                middle_name=middle_name,
                sex=sex,
                birth_date=birth_date,
                citizenship=citizenship,
                region=region_row,
                phone=phone,
                education_level=education_level,
                consent_personal_data_at=now,
                accept_terms_at=now,
            )
    except (IntegrityError, ValidationError) as error:
        # Someone registered the same SNILS or e-mail a moment ago.
        if User.objects.filter(snils=normalized_snils).exists():
            raise ApplicationError(
                _("Пользователь с таким СНИЛС уже зарегистрирован."), field="snils", code="snils_taken"
            ) from error
        raise ApplicationError(
            _("Этот адрес электронной почты уже используется другой учётной записью."), field="email"
        ) from error
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    role_grant(user=user, role=Role.SPECIALIST)
    return user


def user_email_confirmation_send(*, request: HttpRequest, user: User) -> None:
    """Mail the confirmation link for the user's primary address once the transaction commits."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None or address.verified:
        return
    transaction.on_commit(lambda: address.send_confirmation(request, signup=True))


def user_email_is_confirmed(*, user: User) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


# --- profile --------------------------------------------------------------------------------
PROFILE_FIELDS = (
    "phone",
    "region",
    "education_level",
    "notify_credits",
    "notify_codes",
    "notify_new_modules",
    "notify_deadlines",
)


@transaction.atomic
def user_profile_update(*, user: User, by: User | None = None, **changes: Any) -> User:
    """Change what the specialist may change about themselves. SNILS, name and e-mail are not here:
    the SNILS only a methodologist changes in the admin, the e-mail through re-confirmation."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Эти данные нельзя изменить в профиле: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    errors: Errors = {}
    values: dict[str, Any] = {}
    if "phone" in changes:
        values["phone"] = _check_phone(errors, changes["phone"])
    if "region" in changes:
        values["region"] = _check_region(errors, changes["region"])
    if "education_level" in changes:
        level = _check_education_level(errors, changes["education_level"])
        values["education_level"] = level
        if (
            level
            and level != user.education_level
            and user.documents.exclude(specialty__education_level=level).exists()
        ):
            _add(
                errors,
                "education_level",
                _("У вас есть документы по специальностям другого уровня образования: сначала измените их."),
            )
    for flag in ("notify_credits", "notify_codes", "notify_new_modules", "notify_deadlines"):
        if flag in changes:
            values[flag] = bool(changes[flag])
    _raise_if(errors)
    for field, value in values.items():
        setattr(user, field, value)
    if values:
        user._history_user = by or user  # type: ignore[attr-defined]
        user.full_clean(exclude=["password"])
        user.save(update_fields=list(values))
    return user


# --- documents ------------------------------------------------------------------------------
DOCUMENT_FIELDS = ("kind", "accreditation_type", "is_record", "specialty", "series", "number", "issued_on")


def _resolve_specialty(errors: Errors, owner: User, specialty: Any) -> Specialty | None:
    if isinstance(specialty, Specialty):
        return specialty
    code = str(specialty or "").strip()
    if not code:
        _add(errors, "specialty", _("Выберите специальность."))
        return None
    queryset = Specialty.objects.filter(code=code)
    if owner.education_level:
        queryset = queryset.filter(education_level=owner.education_level)
    found = queryset.order_by("education_level").first()
    if found is None:
        _add(errors, "specialty", _("Такой специальности нет в номенклатуре для вашего уровня образования."))
    return found


def _document_apply(document: Document, changes: dict[str, Any], errors: Errors) -> None:
    if "kind" in changes:
        if changes["kind"] not in DocumentKind.values:
            _add(errors, "kind", _("Выберите вид документа: диплом, сертификат или свидетельство об аккредитации."))
        else:
            document.kind = changes["kind"]
    if "accreditation_type" in changes:
        value = changes["accreditation_type"] or ""
        if value and value not in AccreditationType.values:
            _add(errors, "accreditation_type", _("Выберите вид аккредитации из списка."))
        else:
            document.accreditation_type = value
    if "is_record" in changes:
        document.is_record = bool(changes["is_record"])
    if "specialty" in changes:
        found = _resolve_specialty(errors, document.owner, changes["specialty"])
        if found is not None:
            document.specialty = found
    if "series" in changes:
        document.series = (changes["series"] or "").strip()
    if "number" in changes:
        document.number = (changes["number"] or "").strip()
        if not document.number:
            _add(errors, "number", _("Укажите номер документа."))
    if "issued_on" in changes:
        if changes["issued_on"] is None:
            _add(errors, "issued_on", _("Укажите дату выдачи."))
        else:
            document.issued_on = changes["issued_on"]


def _document_save(document: Document, errors: Errors, *, by: User) -> Document:
    _raise_if(errors)
    duplicate = (
        Document.objects.filter(
            owner=document.owner, kind=document.kind, specialty=document.specialty, number=document.number
        )
        .exclude(pk=document.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError(
            _("Документ этого вида с таким номером по этой специальности уже добавлен."), field="number"
        )
    try:
        document.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ApplicationError(
            _("Проверьте выделенные поля."),
            errors={field: [str(m) for m in messages] for field, messages in error.message_dict.items()},
        ) from error
    document._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise ConflictError(_("Такой документ уже есть."), field="number") from error
    return document


@transaction.atomic
def document_create(
    *,
    owner: User,
    kind: str,
    specialty: Specialty | str | None,
    number: str,
    issued_on: date | None,
    accreditation_type: str = "",
    is_record: bool = False,
    series: str = "",
    by: User | None = None,
) -> Document:
    """Add a document. The FRMR status always starts as not confirmed: only the register confirms it."""
    document = Document(owner=owner)
    errors: Errors = {}
    _document_apply(
        document,
        {
            "kind": kind,
            "accreditation_type": accreditation_type,
            "is_record": is_record,
            "specialty": specialty,
            "series": series,
            "number": number,
            "issued_on": issued_on,
        },
        errors,
    )
    return _document_save(document, errors, by=by or owner)


@transaction.atomic
def document_update(*, document: Document, by: User, **changes: Any) -> Document:
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Эти поля документа изменить нельзя: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if document.used_for_cycle and {"kind", "specialty", "issued_on"} & {
        key for key, value in changes.items() if _changes_value(key, value) != _current(document, key)
    }:
        raise ConflictError(
            _(
                "По этому документу уже открыт пятилетний цикл: вид, специальность и дату изменить нельзя. "
                "Добавьте новый документ."
            ),
            code="document_used_for_cycle",
        )
    errors: Errors = {}
    _document_apply(document, changes, errors)
    return _document_save(document, errors, by=by)


def _changes_value(key: str, value: Any) -> Any:
    return value.code if key == "specialty" and isinstance(value, Specialty) else value


def _current(document: Document, key: str) -> Any:
    if key == "specialty":
        return document.specialty.code if document.specialty_id else None
    return getattr(document, key)


@transaction.atomic
def document_delete(*, document: Document, by: User) -> None:
    locked = (
        Document.objects.select_for_update().filter(pk=document.pk).values_list("used_for_cycle", flat=True).first()
    )
    if locked:
        raise ConflictError(
            _(
                "Документ нельзя удалить: по нему открыт пятилетний цикл. "
                "Добавьте новый документ по этой специальности — он заменит прежний."
            ),
            code="document_used_for_cycle",
        )
    document._history_user = by  # type: ignore[attr-defined]
    document.delete()


@transaction.atomic
def document_mark_used(*, document: Document) -> Document:
    """Record that the document opened a five-year cycle: from now on it can be replaced, not deleted.

    Called by the trajectory app when it opens a cycle. Idempotent; a conditional update so that
    two cycles opened at once both see the flag.
    """
    Document.objects.filter(pk=document.pk, used_for_cycle=False).update(used_for_cycle=True)
    document.used_for_cycle = True
    return document


@transaction.atomic
def document_frmr_set(*, document: Document, status: str, by: User | None = None) -> Document:
    """Set the FRMR status (from the register's import or a methodologist); never the specialist."""
    document.frmr_status = status
    document._history_user = by  # type: ignore[attr-defined]
    document.full_clean(validate_unique=False, validate_constraints=False)
    document.save(update_fields=["frmr_status"])
    return document
