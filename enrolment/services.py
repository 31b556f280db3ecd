"""Every write of the enrolment app: applications, enrolment, results, reporting debts, disputes.

Services are keyword-only, typed and atomic; they check the rule, call ``full_clean`` on what they
create, move states only through the transition tables, and enqueue e-mails and crediting only
after the transaction commits (``enqueue_on_commit``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Document, Role, User
from accounts.roles import has_role
from accounts.snils import normalize_snils
from enrolment import plan
from enrolment.models import (
    ENROLLED_STATUSES,
    LIVE_STATUSES,
    AnswerKind,
    Application,
    ApplicationSource,
    ApplicationStatus,
    ApplicationTransition,
    Basis,
    Dispute,
    DisputeStatus,
    DisputeTransition,
    Employment,
    Outcome,
    ProgrammeResult,
    ReportingDebt,
    SeatCounter,
)
from enrolment.results_parsing import ResultRow, ResultsInvalid
from enrolment.selectors import results_due_on
from enrolment.transitions import APPLICATION_LABELS, APPLICATION_MOVES, DISPUTE_LABELS, DISPUTE_MOVES
from nmo_portal.lib.audit import audit_record
from nmo_portal.lib.exceptions import ApplicationError, ConflictError
from nmo_portal.lib.prepared import Prepared
from nmo_portal.lib.statemachine import transition_apply
from nmo_portal.lib.tasks import enqueue_on_commit
from providers.models import ElementStatus, OrganisationStatus, ProgrammeCycle
from reference.calendar import add_working_days
from reference.models import Specialty
from reference.rules import ruleset_in_force


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _audit(**kwargs: Any) -> None:
    audit_record(**kwargs)


def _tasks() -> Any:
    from enrolment import tasks

    return tasks


# --- specialties and bases ---------------------------------------------------------------------
def applicant_specialty_ids(applicant: User) -> set[int]:
    """The specialist's specialties: those of their documents (and so of their cycles)."""
    return set(Document.objects.filter(owner=applicant).values_list("specialty_id", flat=True))


def programme_specialty_ids(cycle: ProgrammeCycle) -> set[int]:
    programme = cycle.programme
    return {programme.specialty_id, *programme.additional_specialties.values_list("pk", flat=True)}


def cycle_bases(cycle: ProgrammeCycle) -> list[str]:
    """The bases a cycle offers: in the programme's list and with seats on the cycle."""
    offered = set(cycle.programme.bases or [])
    return [b for b in Basis.values if b in offered and cycle.seats.get(b, 0) > 0]


# --- seats -----------------------------------------------------------------------------------------
def seat_take(*, cycle: ProgrammeCycle, basis: str) -> None:
    """Take a seat with one conditional UPDATE: it succeeds only while ``taken < capacity``."""
    capacity = int(cycle.seats.get(basis, 0))
    counter, _created = SeatCounter.objects.get_or_create(cycle=cycle, basis=basis, defaults={"capacity": capacity})
    taken = SeatCounter.objects.filter(pk=counter.pk, taken__lt=capacity).update(
        taken=F("taken") + 1, capacity=capacity
    )
    if not taken:
        raise ApplicationError(_("Свободных мест на этой основе обучения не осталось."), field="basis", code="no_seats")


def seat_return(*, application: Application) -> None:
    if application.seat_taken:
        SeatCounter.objects.filter(
            cycle_id=application.programme_cycle_id, basis=application.basis, taken__gt=0
        ).update(taken=F("taken") - 1)
        Application.objects.filter(pk=application.pk).update(seat_taken=False)
        application.seat_taken = False


# Read on every page of a cycle's applications: compiled once per process (``Prepared``).
_SEATS_TAKEN = Prepared(
    "seats taken", lambda *, cycle_id: SeatCounter.objects.filter(cycle=cycle_id).values_list("basis", "taken")
)


def seats_free(cycle: ProgrammeCycle) -> dict[str, int]:
    taken = dict(_SEATS_TAKEN.rows(cycle_id=cycle.pk))
    return {basis: max(0, int(cycle.seats.get(basis, 0)) - int(taken.get(basis, 0))) for basis in Basis.values}


# --- applications ----------------------------------------------------------------------------------
def _move(application: Application, to: str, *, by: Any, reason: str = "", **extra: Any) -> None:
    transition_apply(
        subject=application,
        table=APPLICATION_MOVES,
        to=to,
        history_model=ApplicationTransition,
        actor=by,
        reason=reason,
        extra_updates={"updated_at": timezone.now(), **extra},
        labels=APPLICATION_LABELS,
    )


def _assign_number(application: Application) -> None:
    """``З-2026-000123``: the year it was formed and the database sequence of the row."""
    number = f"З-{timezone.localdate():%Y}-{application.pk:06d}"
    Application.objects.filter(pk=application.pk).update(number=number)
    application.number = number


@transaction.atomic
def application_create(
    *,
    applicant: User,
    programme_cycle: ProgrammeCycle,
    specialty: Specialty,
    employment: str,
    basis: str,
    consent: bool,
    today: date | None = None,
) -> Application:
    """The specialist forms an application to a cycle and takes a seat of the chosen basis."""
    today = today or timezone.localdate()
    cycle = programme_cycle
    programme = cycle.programme
    if programme.status != ElementStatus.PUBLISHED or programme.organisation.status != OrganisationStatus.APPROVED:
        raise ApplicationError(_("Эта программа не опубликована в каталоге."), field="program_cycle")
    if not has_role(applicant, Role.SPECIALIST):
        raise ApplicationError(_("Заявку может подать только специалист."), field="program_cycle")
    if cycle.starts_on <= today:
        raise ApplicationError(
            _("Цикл уже начался %(date)s: заявку подать нельзя.") % {"date": f"{cycle.starts_on:%d.%m.%Y}"},
            field="program_cycle",
            code="cycle_started",
        )
    if consent is not True:
        raise ApplicationError(_("Нужно согласие на передачу организации ФИО, СНИЛС и даты рождения."), field="consent")
    if specialty.pk not in programme_specialty_ids(cycle):
        raise ApplicationError(_("Программа не предназначена для этой специальности."), field="specialty")
    if specialty.pk not in applicant_specialty_ids(applicant):
        raise ApplicationError(_("Выберите одну из своих специальностей (по вашим документам)."), field="specialty")
    if employment not in Employment.values:
        raise ApplicationError(_("Выберите занятость из списка."), field="employment")
    if basis not in cycle_bases(cycle):
        raise ApplicationError(_("Этот цикл не предлагает такой основы обучения."), field="basis")
    if Application.objects.filter(applicant=applicant, programme_cycle=cycle, status__in=LIVE_STATUSES).exists():
        raise ConflictError(_("У вас уже есть действующая заявка на этот цикл."), code="duplicate")

    application = Application(
        applicant=applicant,
        programme_cycle=cycle,
        specialty=specialty,
        employment=employment,
        basis=basis,
        consent_at=timezone.now(),
        seat_taken=True,
    )
    application.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            seat_take(cycle=cycle, basis=basis)
            application.save()
    except IntegrityError as error:
        raise ConflictError(_("У вас уже есть действующая заявка на этот цикл."), code="duplicate") from error
    _assign_number(application)
    ApplicationTransition.objects.create(subject=application, to_status=application.status, actor=_actor(applicant))
    plan.plan_item_follow(application=application, to="applied", by=applicant, reason=application.number or "")
    return application


@transaction.atomic
def application_cancel(*, application: Application, by: Any, reason: str = "") -> Application:
    """The specialist withdraws a formed application; the seat returns."""
    if application.status != ApplicationStatus.FORMED:
        raise ConflictError(_("Отозвать можно только заявку, по которой ещё нет решения о зачислении."))
    _move(application, ApplicationStatus.CANCELLED, by=by, reason=reason)
    seat_return(application=application)
    plan.plan_item_follow(application=application, to="included", by=by, reason=_("Заявка отозвана"))
    return application


@transaction.atomic
def application_enroll(*, application: Application, by: Any) -> Application:
    _move(application, ApplicationStatus.ENROLLED, by=by)
    plan.plan_item_follow(application=application, to="enrolled", by=by, reason=application.number or "")
    _audit(actor=by, action="application.enrolled", target=application, summary=f"Зачислен: {application.number}")
    enqueue_on_commit(_tasks().application_notify_task, application.pk, "enrolled")
    return application


@transaction.atomic
def application_reject(*, application: Application, by: Any, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Укажите причину отклонения: её увидит специалист."), field="reason")
    _move(application, ApplicationStatus.REJECTED, by=by, reason=reason, reject_reason=reason)
    seat_return(application=application)
    plan.plan_item_follow(application=application, to="included", by=by, reason=_("Заявка отклонена"))
    _audit(actor=by, action="application.rejected", target=application, summary=reason[:200])
    enqueue_on_commit(_tasks().application_notify_task, application.pk, "rejected")
    return application


@transaction.atomic
def enrolment_by_snils(
    *, cycle: ProgrammeCycle, snils: str, by: Any, basis: str = "", today: date | None = None
) -> Application:
    """Direct enrolment by the organisation (training already given, or an offline application).

    It creates an application already ``enrolled``; it takes no seat of the portal's quota."""
    try:
        digits = normalize_snils(snils)
    except Exception as error:  # noqa: BLE001 - Django's ValidationError with a Russian message
        raise ApplicationError(getattr(error, "messages", [str(error)])[0], field="snils") from None
    learner = User.objects.filter(snils=digits, is_active=True).first()
    if learner is None:
        raise ApplicationError(_("Специалист с таким СНИЛС не зарегистрирован на портале."), field="snils")
    if basis and basis not in Basis.values:
        raise ApplicationError(_("Выберите основу обучения из списка."), field="basis")
    existing = Application.objects.filter(applicant=learner, programme_cycle=cycle, status__in=LIVE_STATUSES).first()
    if existing is not None:
        if existing.status == ApplicationStatus.ENROLLED:
            raise ConflictError(_("Этот специалист уже зачислен на цикл."), code="duplicate")
        return application_enroll(application=existing, by=by)
    if ProgrammeResult.objects.filter(cycle=cycle, learner=learner).exists():
        raise ConflictError(_("По этому специалисту результат на цикле уже внесён."), code="duplicate")
    wanted = programme_specialty_ids(cycle)
    own = applicant_specialty_ids(learner)
    specialty_id = next(iter(sorted(own & wanted)), cycle.programme.specialty_id)
    offered = cycle_bases(cycle) or list(cycle.programme.bases or []) or [Basis.CONTRACT]
    application = Application(
        applicant=learner,
        programme_cycle=cycle,
        specialty_id=specialty_id,
        employment=Employment.OTHER,
        basis=basis or offered[0],
        source=ApplicationSource.PROVIDER,
        status=ApplicationStatus.ENROLLED,
    )
    application.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise ConflictError(_("Этот специалист уже зачислен на цикл."), code="duplicate") from error
    _assign_number(application)
    ApplicationTransition.objects.create(
        subject=application, to_status=application.status, actor=_actor(by), reason=_("Зачисление по СНИЛС")
    )
    plan.plan_item_follow(application=application, to="enrolled", by=by, reason=application.number or "")
    _audit(actor=by, action="application.enrolled_by_snils", target=application, summary=application.number or "")
    enqueue_on_commit(_tasks().application_notify_task, application.pk, "enrolled")
    return application


# --- results -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultsSummary:
    accepted: int
    already_recorded: int
    corrected: int


def _row_error(row: int, field: str, message: str) -> dict[str, Any]:
    return {"row": row, "field": field, "message": message}


@transaction.atomic
def results_record(
    *, cycle: ProgrammeCycle, rows: list[ResultRow], by: Any, today: date | None = None
) -> ResultsSummary:
    """Record the outcomes of a cycle's learners: all rows or none.

    Rows are checked against the cycle first (the SNILS is an enrolled learner, the date is inside
    the cycle); any problem refuses the whole input with every error listed. Then, in bulk and with
    a constant number of queries: new results are created, identical ones counted as already
    recorded, changed ones are corrections (their credited ZET are reversed and credited anew, and
    each is written to the audit log); applications and plan items move to completed / failed; the
    crediting is enqueued after commit (and swept periodically).
    """
    today = today or timezone.localdate()
    if cycle.ends_on >= today:
        raise ApplicationError(
            _("Результаты вносятся после окончания цикла (%(date)s).") % {"date": f"{cycle.ends_on:%d.%m.%Y}"},
            code="cycle_not_ended",
        )
    if not rows:
        raise ResultsInvalid([_row_error(0, "file", _("Нет ни одной строки с результатами."))])
    roster = {
        a.applicant.snils: a
        for a in Application.objects.filter(programme_cycle=cycle, status__in=ENROLLED_STATUSES)
        .select_related("applicant")
        .only("pk", "status", "applicant_id", "specialty_id", "programme_cycle_id", "applicant__snils")
    }
    errors: list[dict[str, Any]] = []
    for row in rows:
        if row.snils not in roster:
            errors.append(_row_error(row.row, "snils", _("Слушатель с этим СНИЛС не зачислен на этот цикл.")))
        if not (cycle.starts_on <= row.completed_on <= cycle.ends_on):
            errors.append(
                _row_error(
                    row.row,
                    "completed_on",
                    _("Дата завершения должна быть в пределах цикла: с %(start)s по %(end)s.")
                    % {"start": f"{cycle.starts_on:%d.%m.%Y}", "end": f"{cycle.ends_on:%d.%m.%Y}"},
                )
            )
    if errors:
        raise ResultsInvalid(errors)

    existing = {r.learner_id: r for r in ProgrammeResult.objects.filter(cycle=cycle)}
    now = timezone.now()
    due = results_due_on(cycle)
    on_time = today <= due
    new: list[ProgrammeResult] = []
    changed: list[tuple[ProgrammeResult, str]] = []  # (result, key credited before the change)
    moves: dict[str, list[Application]] = {Outcome.COMPLETED: [], Outcome.FAILED: []}
    same = 0
    for row in rows:
        application = roster[row.snils]
        application.programme_cycle = cycle
        result = existing.get(application.applicant_id)
        if result is None:
            new.append(
                ProgrammeResult(
                    application=application,
                    cycle=cycle,
                    learner_id=application.applicant_id,
                    outcome=row.outcome,
                    completed_on=row.completed_on,
                    certificate_number=row.certificate_number,
                    due_on=due,
                    on_time=on_time,
                    recorded_at=now,
                    recorded_by=_actor(by),
                    needs_crediting=row.outcome == Outcome.COMPLETED,
                )
            )
            moves[row.outcome].append(application)
            continue
        if (result.outcome, result.completed_on, result.certificate_number) == (
            row.outcome,
            row.completed_on,
            row.certificate_number,
        ):
            same += 1
            continue
        previous_key = result.credited_key
        if result.outcome != row.outcome:
            moves[row.outcome].append(application)
        result.outcome = row.outcome
        result.completed_on = row.completed_on
        result.certificate_number = row.certificate_number
        result.version += 1
        result.recorded_at = now
        result.recorded_by = _actor(by)
        result.credited_key = ""
        result.credited_at = None
        result.needs_crediting = row.outcome == Outcome.COMPLETED
        changed.append((result, previous_key))

    ProgrammeResult.objects.bulk_create(new, batch_size=1000)
    ProgrammeResult.objects.bulk_update(
        [r for r, _key in changed],
        [
            "outcome",
            "completed_on",
            "certificate_number",
            "version",
            "recorded_at",
            "recorded_by",
            "credited_key",
            "credited_at",
            "needs_crediting",
        ],
        batch_size=1000,
    )
    _applications_move_many(moves=moves, by=by, now=now)
    for result, previous_key in changed:
        reversed_count = (
            plan.credit_reverse_key(source_key=previous_key, by=by, reason=_("Исправлен результат"))
            if (previous_key)
            else 0
        )
        if reversed_count and result.outcome == Outcome.FAILED:
            plan.plan_items_uncredit(
                owner_id=result.learner_id, programme_id=cycle.programme_id, by=by, reason=_("Исправлен результат")
            )
        _audit(
            actor=by,
            action="results.corrected",
            target=result,
            summary=_("Исправлен результат слушателя"),
            details={
                "cycle": cycle.pk,
                "learner": result.learner_id,
                "outcome": result.outcome,
                "completed_on": result.completed_on.isoformat(),
                "version": result.version,
                "reversed_entries": reversed_count,
            },
        )
    if new or changed:
        _disputes_answer_by_results(
            application_ids=[r.application_id for r in new] + [r.application_id for r, _key in changed], by=by
        )
        _audit(
            actor=by,
            action="results.recorded",
            target=cycle,
            summary=_("Внесены результаты цикла"),
            details={"accepted": len(new), "corrected": len(changed), "already_recorded": same},
        )
        debt_resolve_if_paid(cycle=cycle, today=today)
        enqueue_on_commit(_tasks().results_credit_task, cycle.pk)
    return ResultsSummary(accepted=len(new) + len(changed), already_recorded=same, corrected=len(changed))


def _disputes_answer_by_results(*, application_ids: list[int], by: Any) -> None:
    """An open dispute is answered by the result itself: "результат внесён" (one query when none)."""
    for dispute in Dispute.objects.filter(
        application_id__in=application_ids, status__in=[DisputeStatus.OPEN, DisputeStatus.ESCALATED]
    ):
        dispute_answer(
            dispute=dispute, by=by, kind=AnswerKind.RESULT_ENTERED, answer=_("Организация внесла результат обучения.")
        )


def _applications_move_many(*, moves: dict[str, list[Application]], by: Any, now: Any) -> None:
    """Applications → completed / failed in bulk, through the table, with history rows."""
    history: list[ApplicationTransition] = []
    plan_moves: list[plan.PlanMove] = []
    for to, applications in moves.items():
        by_source: dict[str, list[int]] = {}
        for application in applications:
            if not APPLICATION_MOVES.allowed(application.status, to):
                continue
            by_source.setdefault(application.status, []).append(application.pk)
            history.append(
                ApplicationTransition(
                    subject=application, from_status=application.status, to_status=to, actor=_actor(by), created_at=now
                )
            )
            plan_moves.append(plan.PlanMove(application=application, to=to))
        for source, ids in by_source.items():
            Application.objects.filter(pk__in=ids, status=source).update(status=to, updated_at=now)
    ApplicationTransition.objects.bulk_create(history, batch_size=1000)
    plan.plan_items_follow_many(moves=plan_moves, by=by, reason=_("Внесён результат"))


def results_credit(*, cycle_id: int | None = None, limit: int = 5000) -> int:
    """Credit recorded completions not yet credited (all cycles, or one). Idempotent: each result
    is claimed by a conditional UPDATE, and the ledger refuses a second entry for the same key."""
    queryset = ProgrammeResult.objects.filter(needs_crediting=True, outcome=Outcome.COMPLETED)
    if cycle_id is not None:
        queryset = queryset.filter(cycle_id=cycle_id)
    credited = 0
    candidates = list(
        queryset.select_related("cycle").only("pk", "version", "learner_id", "completed_on", "cycle__programme_id")[
            :limit
        ]
    )
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        with transaction.atomic():
            claimed_ids = set(
                ProgrammeResult.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[r.pk for r in chunk], needs_crediting=True)
                .values_list("pk", flat=True)
            )
            claimed = [r for r in chunk if r.pk in claimed_ids]
            if not claimed:
                continue
            requests = [
                plan.CreditRequest(
                    owner_id=r.learner_id,
                    programme_id=r.cycle.programme_id,
                    completed_on=r.completed_on,
                    source_key=r.credit_key(),
                )
                for r in claimed
            ]
            plan.credit_results(requests=requests)
            # One UPDATE for the chunk: the rows are locked, so no correction changed them meanwhile.
            ProgrammeResult.objects.filter(pk__in=[r.pk for r in claimed]).update(
                needs_crediting=False,
                credited_at=timezone.now(),
                credited_key=Concat(
                    Value("result:"), Cast("pk", CharField()), Value(":v"), Cast("version", CharField())
                ),
            )
            credited += len(claimed)
    return credited


# --- reporting debts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DebtsSummary:
    opened: int
    resolved: int


@transaction.atomic
def reporting_debts_detect(*, today: date | None = None) -> DebtsSummary:
    """Find cycles whose results are overdue (ended more than ``results_due_days`` ago, with
    learners still only enrolled): open a debt once per cycle and mail the organisation once;
    close the debts that were paid. Running it twice changes nothing."""
    today = today or timezone.localdate()
    days = int(ruleset_in_force(today).results_due_days)
    ended_before = today - timedelta(days=days)
    missing = dict(
        Application.objects.filter(status=ApplicationStatus.ENROLLED, programme_cycle__ends_on__lt=ended_before)
        .values_list("programme_cycle_id")
        .annotate(n=Count("pk"))
        .values_list("programme_cycle_id", "n")
    )
    cycles = ProgrammeCycle.objects.filter(pk__in=list(missing)).select_related("programme")
    known = set(ReportingDebt.objects.filter(cycle_id__in=list(missing)).values_list("cycle_id", flat=True))
    new = [
        ReportingDebt(
            cycle=c,
            organisation_id=c.programme.organisation_id,
            due_on=results_due_on(c),
            detected_on=today,
            missing_count=missing[c.pk],
        )
        for c in cycles
        if c.pk not in known
    ]
    ReportingDebt.objects.bulk_create(new, ignore_conflicts=True)
    for cycle_id, count in missing.items():
        ReportingDebt.objects.filter(cycle_id=cycle_id).exclude(missing_count=count).update(
            missing_count=count, resolved_on=None
        )
    resolved = (
        ReportingDebt.objects.filter(resolved_on__isnull=True)
        .exclude(cycle_id__in=list(missing))
        .update(resolved_on=today, missing_count=0)
    )
    for debt_id in ReportingDebt.objects.filter(resolved_on__isnull=True, notified_at__isnull=True).values_list(
        "pk", flat=True
    ):
        enqueue_on_commit(_tasks().debt_notify_task, debt_id)
    return DebtsSummary(opened=len(new), resolved=resolved)


def debt_resolve_if_paid(*, cycle: ProgrammeCycle, today: date) -> None:
    if not Application.objects.filter(programme_cycle=cycle, status=ApplicationStatus.ENROLLED).exists():
        ReportingDebt.objects.filter(cycle=cycle, resolved_on__isnull=True).update(resolved_on=today, missing_count=0)


# --- disputes ------------------------------------------------------------------------------------
def _dispute_move(dispute: Dispute, to: str, *, by: Any, reason: str = "", **extra: Any) -> None:
    transition_apply(
        subject=dispute,
        table=DISPUTE_MOVES,
        to=to,
        history_model=DisputeTransition,
        actor=by,
        reason=reason,
        extra_updates=extra,
        labels=DISPUTE_LABELS,
    )


@transaction.atomic
def dispute_open(*, application: Application, by: User, message: str, today: date | None = None) -> Dispute:
    """The specialist reports that an expected credit has not arrived; the organisation must answer
    within ``dispute_answer_working_days`` working days."""
    today = today or timezone.localdate()
    message = (message or "").strip()
    if not message:
        raise ApplicationError(_("Опишите, какие ЗЕТ не зачтены."), field="message")
    if application.applicant_id != by.pk:
        raise ApplicationError(_("Обращение подаёт сам слушатель."), field="application")
    cycle = application.programme_cycle
    if application.status not in (ApplicationStatus.ENROLLED, ApplicationStatus.COMPLETED) or cycle.ends_on >= today:
        raise ConflictError(
            _("Обращение о незачтённых ЗЕТ можно подать по программе, обучение на которой закончилось."),
            code="invalid_state",
        )
    days = int(ruleset_in_force(today).dispute_answer_working_days)
    dispute = Dispute(
        application=application,
        opened_by=by,
        message=message,
        opened_on=today,
        due_on=add_working_days(today, days),
    )
    dispute.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            dispute.save()
    except IntegrityError as error:
        raise ConflictError(_("По этой заявке обращение уже открыто."), code="duplicate") from error
    DisputeTransition.objects.create(subject=dispute, to_status=dispute.status, actor=_actor(by), reason=message[:500])
    enqueue_on_commit(_tasks().dispute_notify_task, dispute.pk, "opened")
    return dispute


@transaction.atomic
def dispute_answer(*, dispute: Dispute, by: Any, kind: str, answer: str) -> Dispute:
    answer = (answer or "").strip()
    if kind not in AnswerKind.values:
        raise ApplicationError(_("Выберите ответ: результат внесён или объяснение."), field="answer_kind")
    if (
        kind == AnswerKind.RESULT_ENTERED
        and not ProgrammeResult.objects.filter(application=dispute.application).exists()
    ):
        raise ApplicationError(
            _("Результат этого слушателя ещё не внесён: внесите его, затем ответьте."), field="answer_kind"
        )
    if kind == AnswerKind.EXPLANATION and not answer:
        raise ApplicationError(_("Объясните, почему результат не будет внесён."), field="answer")
    _dispute_move(
        dispute,
        DisputeStatus.ANSWERED,
        by=by,
        reason=answer[:500],
        answer_kind=kind,
        answer=answer,
        answered_by=_actor(by),
        answered_at=timezone.now(),
    )
    _audit(actor=by, action="dispute.answered", target=dispute, summary=kind)
    enqueue_on_commit(_tasks().dispute_notify_task, dispute.pk, "answered")
    return dispute


@transaction.atomic
def dispute_escalate(*, dispute: Dispute, by: Any = None, reason: str = "") -> Dispute:
    """To a methodologist: the due date passed without an answer, or the specialist disagrees."""
    if dispute.status == DisputeStatus.ANSWERED and (by is None or by.pk != dispute.opened_by_id):
        raise ConflictError(_("Ответ организации оспаривает сам слушатель."), code="invalid_state")
    _dispute_move(dispute, DisputeStatus.ESCALATED, by=by, reason=reason, escalated_at=timezone.now())
    enqueue_on_commit(_tasks().dispute_notify_task, dispute.pk, "escalated")
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, by: Any, resolution: str = "") -> Dispute:
    """The specialist accepts the answer, or a methodologist decides an escalated dispute."""
    is_owner = getattr(by, "pk", None) == dispute.opened_by_id
    if dispute.status == DisputeStatus.ESCALATED and not has_role(by, Role.METHODOLOGIST):
        raise ConflictError(_("Переданное методисту обращение решает методист."), code="invalid_state")
    if dispute.status == DisputeStatus.ANSWERED and not (is_owner or has_role(by, Role.METHODOLOGIST)):
        raise ConflictError(_("Закрыть обращение может слушатель или методист."), code="invalid_state")
    resolution = (resolution or "").strip()
    if not is_owner and not resolution:
        raise ApplicationError(_("Опишите решение: его увидят слушатель и организация."), field="resolution")
    _dispute_move(
        dispute,
        DisputeStatus.RESOLVED,
        by=by,
        reason=resolution[:500],
        resolution=resolution,
        resolved_at=timezone.now(),
    )
    _audit(actor=by, action="dispute.resolved", target=dispute, summary=resolution[:200])
    enqueue_on_commit(_tasks().dispute_notify_task, dispute.pk, "resolved")
    return dispute


def disputes_escalate_overdue(*, today: date | None = None) -> int:
    """Escalate every open dispute whose due date has passed; each in its own transaction, claimed
    by the transition's conditional UPDATE, so a second run or a concurrent one does nothing."""
    today = today or timezone.localdate()
    escalated = 0
    for dispute in Dispute.objects.filter(status=DisputeStatus.OPEN, due_on__lt=today).order_by("due_on", "pk"):
        try:
            dispute_escalate(
                dispute=dispute,
                reason=_("Организация не ответила до %(date)s") % {"date": f"{dispute.due_on:%d.%m.%Y}"},
            )
        except ConflictError:
            continue
        escalated += 1
    return escalated


def results_rows_from_grid(entries: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """The grid page posts one dict per learner; blank rows (no outcome) are skipped."""
    return [e for e in entries if (e.get("outcome") or "").strip()]
