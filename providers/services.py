"""Every write on organisations and the catalogue. Keyword-only, typed, atomic, validated with
``full_clean()``; pages, the API, admin actions and demo data all call these functions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import is_methodologist
from accounts.services import role_grant
from accounts.snils import normalize_snils
from nmo_portal.lib.audit import audit_record
from nmo_portal.lib.exceptions import ApplicationError, ConflictError, NotFound
from nmo_portal.lib.statemachine import TransitionRecord, transition_apply
from providers.codes import (
    confirmation_code_format,
    confirmation_code_generate_raw,
    confirmation_code_hash,
)
from providers.models import (
    ConfirmationCode,
    ElementStatus,
    Event,
    EventTransition,
    Invitation,
    Membership,
    Module,
    ModuleCompletion,
    ModuleReaction,
    ModuleTransition,
    Organisation,
    OrganisationStatus,
    OrganisationTransition,
    PriorityOrganisation,
    Programme,
    ProgrammeCycle,
    ProgrammeTransition,
    ResponsiblePerson,
)
from providers.transitions import (
    EDITABLE_STATUSES,
    ELEMENT_MOVES,
    ORGANISATION_EDITABLE_STATUSES,
    ORGANISATION_MOVES,
)
from reference.models import Specialty

M = TypeVar("M", bound=models.Model)

CODES_MAX_PER_REQUEST = 5000
ELEMENT_LABELS = dict(ElementStatus.choices)
ORGANISATION_LABELS = dict(OrganisationStatus.choices)


def _require_methodologist(user: Any) -> None:
    if not is_methodologist(user):
        raise PermissionDenied(_("Действие доступно только методисту."))


def _set_fields(instance: M, data: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ApplicationError(_("Неизвестные поля: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name, value in data.items():
        setattr(instance, name, value)
    return list(data)


# --- Organisations ----------------------------------------------------------------------------
ORGANISATION_FIELDS = (
    "full_name",
    "short_name",
    "ogrn",
    "inn",
    "kpp",
    "licence_number",
    "licence_date",
    "region",
    "legal_address",
    "actual_address",
    "phone",
    "email",
    "site",
)


@transaction.atomic
def organisation_request_create(*, by: User, data: dict[str, Any]) -> Organisation:
    """An onboarding request: a draft organisation whose author becomes its admin member."""
    organisation = Organisation(created_by=by)
    _set_fields(organisation, data, ORGANISATION_FIELDS)
    organisation.full_clean()
    organisation.save()
    membership_add(organisation=organisation, user=by, is_admin=True)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: User, data: dict[str, Any]) -> Organisation:
    if organisation.status not in ORGANISATION_EDITABLE_STATUSES:
        raise ConflictError(_("Заявку можно изменить только в черновике или после возврата на исправление."))
    _set_fields(organisation, data, ORGANISATION_FIELDS)
    organisation.full_clean()
    organisation.save()
    return organisation


def _organisation_move(organisation: Organisation, to: str, by: Any, reason: str = "") -> OrganisationTransition:
    record: TransitionRecord = transition_apply(
        subject=organisation,
        table=ORGANISATION_MOVES,
        to=to,
        history_model=OrganisationTransition,
        actor=by,
        reason=reason,
        labels=ORGANISATION_LABELS,
    )
    assert isinstance(record, OrganisationTransition)
    return record


@transaction.atomic
def organisation_submit(*, organisation: Organisation, by: User) -> Organisation:
    _organisation_move(organisation, OrganisationStatus.SUBMITTED, by)
    return organisation


@transaction.atomic
def organisation_review_start(*, organisation: Organisation, by: User) -> Organisation:
    _require_methodologist(by)
    _organisation_move(organisation, OrganisationStatus.IN_REVIEW, by)
    return organisation


def _organisation_decide(organisation: Organisation, to: str, by: User, reason: str) -> Organisation:
    _require_methodologist(by)
    if to != OrganisationStatus.APPROVED and not reason.strip():
        raise ApplicationError(_("Укажите причину."), field="reason")
    if organisation.status == OrganisationStatus.SUBMITTED:
        _organisation_move(organisation, OrganisationStatus.IN_REVIEW, by)
    _organisation_move(organisation, to, by, reason.strip())
    audit_record(
        actor=by,
        action=f"organisation.{to}",
        target=organisation,
        summary=str(organisation)[:200],
        details={"reason": reason.strip()[:500]},
    )
    return organisation


@transaction.atomic
def organisation_approve(*, organisation: Organisation, by: User) -> Organisation:
    return _organisation_decide(organisation, OrganisationStatus.APPROVED, by, "")


@transaction.atomic
def organisation_return(*, organisation: Organisation, by: User, reason: str) -> Organisation:
    return _organisation_decide(organisation, OrganisationStatus.NEEDS_CHANGES, by, reason)


@transaction.atomic
def organisation_reject(*, organisation: Organisation, by: User, reason: str) -> Organisation:
    return _organisation_decide(organisation, OrganisationStatus.REJECTED, by, reason)


@transaction.atomic
def responsible_person_add(
    *,
    organisation: Organisation,
    by: User,
    snils: str,
    full_name: str,
    position: str = "",
    phone: str = "",
    email: str = "",
) -> ResponsiblePerson:
    digits = _snils(snils)
    person = ResponsiblePerson(
        organisation=organisation, snils=digits, full_name=full_name, position=position, phone=phone, email=email
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def membership_add(*, organisation: Organisation, user: User, is_admin: bool = False) -> Membership:
    """Make ``user`` staff of ``organisation`` (idempotent); grants the provider_staff role."""
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"is_admin": is_admin}
    )
    if not created and is_admin and not membership.is_admin:
        membership.is_admin = True
        membership.save(update_fields=["is_admin"])
    role_grant(user=user, role=Role.PROVIDER_STAFF)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    if membership.user_id == by.pk:
        raise ConflictError(_("Нельзя исключить самого себя."))
    membership.delete()


def _snils(raw: str) -> str:
    try:
        return normalize_snils(raw)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], field="snils") from error


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def staff_invite(*, organisation: Organisation, by: User, email: str = "", snils: str = "") -> Membership | Invitation:
    """Invite staff by e-mail or SNILS: an existing person becomes a member at once; anyone else
    gets an e-mailed link (a pending ``Invitation`` keeps only the token's hash)."""
    if not Membership.objects.filter(organisation=organisation, user=by, is_admin=True).exists():
        raise PermissionDenied(_("Приглашать сотрудников может только администратор организации."))
    email = (email or "").strip().lower()
    digits = ""
    if snils:
        digits = _snils(snils)
    if not email and not digits:
        raise ApplicationError(_("Укажите e-mail или СНИЛС сотрудника."), field="email")
    lookup = Q(pk__in=[])
    if email:
        lookup |= Q(email__iexact=email)
    if digits:
        lookup |= Q(snils=digits)
    user = User.objects.filter(lookup).first()
    if user is not None:
        return membership_add(organisation=organisation, user=user)
    if not email:
        raise ApplicationError(
            _("Пользователь с таким СНИЛС не зарегистрирован: укажите e-mail, чтобы отправить приглашение."),
            field="email",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation, email=email, snils=digits, token_hash=_token_hash(token), invited_by=by
    )
    invitation.full_clean()
    invitation.save()
    link = settings.SITE_URL + reverse("providers:invitation-accept", args=[token])
    subject = _("Приглашение в организацию «%(name)s» на портале НМО") % {"name": organisation.short_name}
    body = _(
        "Вас пригласили стать сотрудником организации «%(name)s».\n"
        "Зарегистрируйтесь или войдите на портале и откройте ссылку:\n%(link)s\n"
    ) % {"name": organisation.short_name, "link": link}
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=_token_hash(token), accepted_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        raise NotFound(_("Приглашение не найдено или уже использовано."))
    matches = (invitation.email and invitation.email.lower() == user.email.lower()) or (
        invitation.snils and invitation.snils == user.snils
    )
    if not matches:
        raise NotFound(_("Приглашение не найдено или уже использовано."))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership_add(organisation=invitation.organisation, user=user)


@transaction.atomic
def priority_organisation_set(*, user: User, organisation: Organisation | None) -> PriorityOrganisation | None:
    if organisation is None:
        PriorityOrganisation.objects.filter(user=user).delete()
        return None
    if organisation.status != OrganisationStatus.APPROVED:
        raise ApplicationError(_("Выберите одобренную организацию."), field="organisation")
    priority, _created = PriorityOrganisation.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "updated_at": timezone.now()}
    )
    return priority


# --- The review path shared by programmes, events and modules ---------------------------------
Element = Programme | Event | Module
HISTORY: dict[type[models.Model], type[TransitionRecord]] = {
    Programme: ProgrammeTransition,
    Event: EventTransition,
    Module: ModuleTransition,
}


def _element_move(element: Element, to: str, by: Any, reason: str = "") -> None:
    transition_apply(
        subject=element,
        table=ELEMENT_MOVES,
        to=to,
        history_model=HISTORY[type(element)],
        actor=by,
        reason=reason,
        labels=ELEMENT_LABELS,
        extra_updates={"updated_at": timezone.now()},
    )


def _audit_review(element: Element, outcome: str, by: User, reason: str = "") -> None:
    """A methodologist's decision on a programme, event or module is a staff action: audited."""
    audit_record(
        actor=by,
        action=f"{type(element).__name__.lower()}.{outcome}",
        target=element,
        summary=str(getattr(element, "title", element))[:200],
        details={"reason": reason[:500]} if reason else None,
    )


def _require_approved(organisation: Organisation) -> None:
    if organisation.status != OrganisationStatus.APPROVED:
        raise ConflictError(_("Организация ещё не одобрена методистом: публикация недоступна."))


def _require_editable(element: Element) -> None:
    if element.status not in EDITABLE_STATUSES:
        raise ConflictError(
            _("Изменить можно только черновик или возвращённое на исправление (сейчас: «%(status)s»).")
            % {"status": ELEMENT_LABELS.get(element.status, element.status)}
        )


@transaction.atomic
def element_submit(*, element: Element, by: User) -> Element:
    _require_approved(element.organisation)
    _element_move(element, ElementStatus.ON_REVIEW, by)
    return element


@transaction.atomic
def element_approve(*, element: Element, by: User) -> Element:
    _require_methodologist(by)
    _element_move(element, ElementStatus.PUBLISHED, by)
    _audit_review(element, "approved", by)
    return element


@transaction.atomic
def element_reject(*, element: Element, by: User, reason: str) -> Element:
    _require_methodologist(by)
    if not (reason or "").strip():
        raise ApplicationError(_("Укажите причину возврата."), field="reason")
    _element_move(element, ElementStatus.NEEDS_CHANGES, by, reason.strip())
    _audit_review(element, "returned", by, reason.strip())
    return element


@transaction.atomic
def element_archive(*, element: Element, by: User) -> Element:
    _element_move(element, ElementStatus.ARCHIVED, by)
    return element


# Named entry points, one per element and action (conventions: `<entity>_<action>`).
def programme_submit(*, programme: Programme, by: User) -> Programme:
    element_submit(element=programme, by=by)
    return programme


def programme_approve(*, programme: Programme, by: User) -> Programme:
    element_approve(element=programme, by=by)
    return programme


def programme_reject(*, programme: Programme, by: User, reason: str) -> Programme:
    element_reject(element=programme, by=by, reason=reason)
    return programme


def programme_archive(*, programme: Programme, by: User) -> Programme:
    element_archive(element=programme, by=by)
    return programme


def event_submit(*, event: Event, by: User) -> Event:
    element_submit(element=event, by=by)
    return event


def event_approve(*, event: Event, by: User) -> Event:
    element_approve(element=event, by=by)
    return event


def event_reject(*, event: Event, by: User, reason: str) -> Event:
    element_reject(element=event, by=by, reason=reason)
    return event


def event_archive(*, event: Event, by: User) -> Event:
    element_archive(element=event, by=by)
    return event


def module_submit(*, module: Module, by: User) -> Module:
    element_submit(element=module, by=by)
    return module


def module_approve(*, module: Module, by: User) -> Module:
    element_approve(element=module, by=by)
    return module


def module_reject(*, module: Module, by: User, reason: str) -> Module:
    element_reject(element=module, by=by, reason=reason)
    return module


def module_archive(*, module: Module, by: User) -> Module:
    element_archive(element=module, by=by)
    return module


# --- Programmes and cycles --------------------------------------------------------------------
PROGRAMME_FIELDS = (
    "title",
    "hours",
    "form",
    "bases",
    "specialty",
    "annotation",
    "has_simulation",
    "has_internship",
    "has_distance_technologies",
    "is_new_competency",
)


def _save_element(element: M, m2m_name: str, specialties: Sequence[Specialty] | None) -> M:
    element.full_clean()
    element.save()
    if specialties is not None:
        getattr(element, m2m_name).set(specialties)
    return element


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    by: User,
    additional_specialties: Sequence[Specialty] = (),
    **data: Any,
) -> Programme:
    _require_approved(organisation)
    programme = Programme(organisation=organisation)
    _set_fields(programme, data, PROGRAMME_FIELDS)
    return _save_element(programme, "additional_specialties", list(additional_specialties))


@transaction.atomic
def programme_update(
    *, programme: Programme, by: User, additional_specialties: Sequence[Specialty] | None = None, **data: Any
) -> Programme:
    _require_editable(programme)
    _set_fields(programme, data, PROGRAMME_FIELDS)
    programme.updated_at = timezone.now()
    return _save_element(programme, "additional_specialties", additional_specialties)


CYCLE_FIELDS = ("starts_on", "ends_on", "seats_budget", "seats_contract", "seats_ffoms", "price", "region", "place")


@transaction.atomic
def cycle_create(*, programme: Programme, by: User, **data: Any) -> ProgrammeCycle:
    """A dated session of a programme. Past dates are allowed, to report training already given."""
    if programme.status == ElementStatus.ARCHIVED:
        raise ConflictError(_("Программа в архиве: новые циклы не добавляются."))
    cycle = ProgrammeCycle(programme=programme)
    _set_fields(cycle, data, CYCLE_FIELDS)
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(*, cycle: ProgrammeCycle, by: User, **data: Any) -> ProgrammeCycle:
    if cycle.programme.status == ElementStatus.ARCHIVED:
        raise ConflictError(_("Программа в архиве: циклы не изменяются."))
    _set_fields(cycle, data, CYCLE_FIELDS)
    cycle.full_clean()
    cycle.save()
    return cycle


# --- Events and confirmation codes ------------------------------------------------------------
EVENT_FIELDS = (
    "title",
    "organiser_name",
    "starts_on",
    "ends_on",
    "zet",
    "format",
    "region",
    "annotation",
    "is_free",
    "price",
    "seats",
    "attendance_control",
)


@transaction.atomic
def event_create(*, organisation: Organisation, by: User, specialties: Sequence[Specialty] = (), **data: Any) -> Event:
    _require_approved(organisation)
    event = Event(organisation=organisation)
    if not data.get("organiser_name"):
        data["organiser_name"] = organisation.short_name
    if "zet" in data and data["zet"] is not None:
        data["zet"] = Decimal(str(data["zet"]))
    _set_fields(event, data, EVENT_FIELDS)
    return _save_element(event, "specialties", list(specialties))


@transaction.atomic
def event_update(*, event: Event, by: User, specialties: Sequence[Specialty] | None = None, **data: Any) -> Event:
    _require_editable(event)
    _set_fields(event, data, EVENT_FIELDS)
    event.updated_at = timezone.now()
    return _save_element(event, "specialties", specialties)


@transaction.atomic
def confirmation_codes_generate(*, event: Event, by: User, count: int) -> list[str]:
    """Issue ``count`` individual codes for a published event. Returns the plain codes, grouped
    ``XXXX-XXXX-XXXX``: the only moment they exist; the database keeps their HMAC."""
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= CODES_MAX_PER_REQUEST:
        raise ApplicationError(_("Количество кодов: от 1 до %(max)s.") % {"max": CODES_MAX_PER_REQUEST}, field="count")
    if event.status != ElementStatus.PUBLISHED:
        raise ConflictError(_("Коды выпускаются только для опубликованного мероприятия."))
    batch = ConfirmationCode._meta.get_field("batch").get_default()
    now = timezone.now()
    plain: dict[str, str] = {}
    while len(plain) < count:
        raw = confirmation_code_generate_raw()
        plain.setdefault(confirmation_code_hash(raw), raw)
    # A collision with an existing code (about 2**-59 per pair) is retried, never stored twice.
    taken = set(ConfirmationCode.objects.filter(code_hash__in=list(plain)).values_list("code_hash", flat=True))
    while taken:
        for digest in taken:
            del plain[digest]
        fresh: dict[str, str] = {}
        while len(fresh) < len(taken):
            raw = confirmation_code_generate_raw()
            digest = confirmation_code_hash(raw)
            if digest not in plain:
                fresh[digest] = raw
        plain.update(fresh)
        taken = set(ConfirmationCode.objects.filter(code_hash__in=list(fresh)).values_list("code_hash", flat=True))
    ConfirmationCode.objects.bulk_create(
        [
            ConfirmationCode(event=event, code_hash=digest, last4=raw[-4:], batch=batch, created_by=by, created_at=now)
            for digest, raw in plain.items()
        ],
        batch_size=1000,
    )
    return [confirmation_code_format(raw) for raw in plain.values()]


def confirmation_code_claim(*, code: ConfirmationCode, user: User) -> bool:
    """Mark the code used by ``user``. True for exactly one caller, whatever the concurrency: the
    conditional UPDATE only touches an unused row."""
    with transaction.atomic():
        claimed = ConfirmationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
            used_at=timezone.now(), used_by=user
        )
    if claimed:
        code.refresh_from_db(fields=["used_at", "used_by"])
    return bool(claimed)


# --- Modules ----------------------------------------------------------------------------------
MODULE_FIELDS = ("title", "module_type", "zet", "url", "annotation")


@transaction.atomic
def module_create(
    *, organisation: Organisation, by: User, specialties: Sequence[Specialty] = (), **data: Any
) -> Module:
    _require_approved(organisation)
    module = Module(organisation=organisation)
    _set_fields(module, data, MODULE_FIELDS)
    return _save_element(module, "specialties", list(specialties))


@transaction.atomic
def module_update(*, module: Module, by: User, specialties: Sequence[Specialty] | None = None, **data: Any) -> Module:
    _require_editable(module)
    _set_fields(module, data, MODULE_FIELDS)
    module.updated_at = timezone.now()
    return _save_element(module, "specialties", specialties)


@transaction.atomic
def module_completion_record(*, module: Module, user: User, completed_on: date, by: User | None) -> ModuleCompletion:
    """The provider reports a completion (idempotent: a second report keeps the first row)."""
    if module.status != ElementStatus.PUBLISHED:
        raise ConflictError(_("Прохождение отмечается только для опубликованного модуля."))
    if completed_on > timezone.localdate():
        raise ApplicationError(_("Дата прохождения не может быть в будущем."), field="completed_on")
    completion, _created = ModuleCompletion.objects.get_or_create(
        module=module, user=user, defaults={"completed_on": completed_on, "reported_by": by}
    )
    return completion


@transaction.atomic
def module_reaction_save(
    *, module: Module, user: User, liked: bool = False, rating: int | None = None, comment: str = ""
) -> ModuleReaction:
    """A like, a rating out of 10 and a comment, only from someone who completed the module."""
    if not ModuleCompletion.objects.filter(module=module, user=user).exists():
        raise ApplicationError(_("Оценить модуль может только специалист, который его прошёл."), code="not_completed")
    reaction = ModuleReaction.objects.filter(module=module, user=user).first() or ModuleReaction(
        module=module, user=user
    )
    reaction.liked, reaction.rating, reaction.comment = liked, rating, (comment or "").strip()
    reaction.full_clean()
    try:
        with transaction.atomic():
            reaction.save()
    except IntegrityError as error:
        raise ConflictError(_("Отзыв уже сохранён: обновите страницу.")) from error
    return reaction
