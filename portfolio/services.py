"""Writes on the ledger. ``credit_record`` / ``credit_record_many`` are the only way ZET get in.

Rules applied here and nowhere else:
- a completion credits every ACTIVE cycle of the specialist whose specialty is the element's main
  or an additional specialty (x2) and whose dates contain the completion date;
- the entry goes into the cycle year the completion date falls in;
- an event's ZET are capped by the rule set in force on the completion date (per event, per day);
- a source credits a cycle at most once (a database constraint; a repeat changes nothing).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nmo_portal.lib.exceptions import ApplicationError, ConflictError, TooManyAttempts
from nmo_portal.lib.inserts import insert_new
from nmo_portal.lib.retry import atomic_with_retry
from nmo_portal.lib.tasks import enqueue_on_commit
from nmo_portal.lib.throttling import parse_rate
from portfolio.models import (
    ActivationStatus,
    CodeActivation,
    CreditEntry,
    PdfStatus,
    PortfolioPdf,
    RejectionReason,
    SourceKind,
)
from portfolio.provider_codes import code_claim, code_format, code_hash, code_normalize
from portfolio.rules import ZERO, event_credit_cap
from providers.models import ConfirmationCode, Event, ModuleCompletion
from reference.rules import ruleset_in_force
from trajectory.dates import cycle_year_number
from trajectory.elements import ElementKey, element_type_of, element_zet, specialties_of_elements
from trajectory.models import ELEMENT_FIELDS, Cycle, CycleStatus, PlanItem, PlanItemStatus, PlanItemTransition

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CreditItem:
    """One completion to credit: who, what, when, from which source."""

    owner_id: int
    element: Any
    completed_on: date
    source_kind: str
    source_key: str
    zet: Decimal | None = None


def credit_record(
    *,
    owner: Any,
    element: Any,
    completed_on: date,
    source_kind: str,
    source_key: str,
    zet: Decimal | None = None,
    by: Any = None,
    notify: bool = True,
) -> list[CreditEntry]:
    """Credit one completion into every matching active cycle; returns the entries created (empty
    when the source was already credited or no cycle matches)."""
    item = CreditItem(
        owner_id=owner.pk,
        element=element,
        completed_on=completed_on,
        source_kind=source_kind,
        source_key=source_key,
        zet=zet,
    )
    return credit_record_many(items=[item], by=by, notify=notify)


@atomic_with_retry(attempts=3)
def credit_record_many(*, items: Sequence[CreditItem], by: Any = None, notify: bool = True) -> list[CreditEntry]:
    """``credit_record`` for many completions at once, in a constant number of queries (plus one
    INSERT per 5 000 rows): the results upload credits 10 000 rows through here.

    Idempotent without a look-up: the ledger's unique constraint on (cycle, source) skips what is
    already credited (``ON CONFLICT DO NOTHING``), and only the rows that went in come back, so a
    repeat or a concurrent call credits nothing twice and reports nothing twice."""
    if not items:
        return []
    today = timezone.localdate()
    kinds = set(SourceKind.values)
    for item in items:
        if item.source_kind not in kinds or not item.source_key:
            raise ApplicationError(_("Неизвестный источник зачёта."), field="source_kind")
        if item.completed_on > today:
            raise ApplicationError(_("Дата освоения не может быть в будущем."), field="completed_on")
    now = timezone.now()
    by_fields = _by_fields(by)
    credited_by_id = by_fields["credited_by"].pk if by_fields["credited_by"] is not None else None
    owner_ids = {item.owner_id for item in items}
    cycles_by_owner: dict[int, list[_CycleDates]] = {}
    for cycle in (
        Cycle.objects.filter(owner_id__any=owner_ids, status=CycleStatus.ACTIVE)
        .order_by("starts_on", "pk")
        .values_list("pk", "owner_id", "specialty_id", "starts_on", "ends_on")
    ):
        cycles_by_owner.setdefault(cycle[1], []).append(_CycleDates(*cycle))
    keys = [ElementKey(element_type_of(item.element), item.element.pk) for item in items]
    specialties = specialties_of_elements(set(keys))
    zet_of: dict[tuple[ElementKey, date, Decimal | None], Decimal] = {}

    rows: dict[tuple[int, str, str], tuple[Any, ...]] = {}
    for item, key in zip(items, keys, strict=True):
        cycles = cycles_by_owner.get(item.owner_id)
        if not cycles:
            continue
        ids = specialties.get(key, set())
        memo = (key, item.completed_on, item.zet)
        if memo not in zet_of:
            zet_of[memo] = _credit_zet(item)
        zet = zet_of[memo]
        if zet <= ZERO:
            continue
        title = str(item.element.title)[:500]
        element_ids = tuple(key.element_id if key.element_type == t else None for t in ELEMENT_FIELDS)
        for cycle in cycles:
            if cycle.specialty_id not in ids or not cycle.starts_on <= item.completed_on <= cycle.ends_on:
                continue
            marker = (cycle.pk, item.source_kind, item.source_key)
            if marker in rows:
                continue
            rows[marker] = (
                cycle.pk,
                key.element_type,
                *element_ids,
                title,
                zet,
                item.completed_on,
                cycle_year_number(cycle.starts_on, cycle.ends_on, item.completed_on),
                item.source_kind,
                item.source_key,
                now,
                credited_by_id,
                by_fields["credited_by_text"],
            )
    if not rows:
        return []
    inserted = insert_new(
        CreditEntry, _ENTRY_COLUMNS, list(rows.values()), returning=("id", "cycle_id", "source_kind", "source_key")
    )
    created = [_entry(pk, rows[(cycle_id, kind, source)]) for pk, cycle_id, kind, source in inserted]
    _plan_items_credit(created, by=by, now=now)
    if notify and created:
        from portfolio.tasks import credit_notify

        enqueue_on_commit(credit_notify, [entry.pk for entry in created])
    return created


class _CycleDates(NamedTuple):
    pk: int
    owner_id: int
    specialty_id: int
    starts_on: date
    ends_on: date


# The ledger columns crediting writes, in the order of the rows built above; the rest take their
# defaults (no reversal, no reason).
_ENTRY_COLUMNS = (
    "cycle_id",
    "element_type",
    *(f"{name}_id" for name in ELEMENT_FIELDS.values()),
    "title",
    "zet",
    "completed_on",
    "cycle_year",
    "source_kind",
    "source_key",
    "credited_at",
    "credited_by_id",
    "credited_by_text",
)


def _entry(pk: int, row: tuple[Any, ...]) -> CreditEntry:
    """The entry as stored, built from the row that was inserted (no reselect, nothing deferred)."""
    values = {"id": pk, **_ENTRY_DEFAULTS, **dict(zip(_ENTRY_COLUMNS, row, strict=True))}
    return CreditEntry.from_db("default", _ENTRY_FIELDS, [values[name] for name in _ENTRY_FIELDS])


_ENTRY_DEFAULTS = {"reverses_id": None, "reason": ""}
_ENTRY_FIELDS = [f.attname for f in CreditEntry._meta.concrete_fields]


def _credit_zet(item: CreditItem) -> Decimal:
    zet = Decimal(item.zet) if item.zet is not None else element_zet(item.element)
    if isinstance(item.element, Event):
        rules = ruleset_in_force(item.completed_on)
        zet = event_credit_cap(zet=zet, starts_on=item.element.starts_on, ends_on=item.element.ends_on, rules=rules)
    return zet.quantize(Decimal("0.01"))


def _by_fields(by: Any) -> dict[str, Any]:
    if by is None:
        return {"credited_by": None, "credited_by_text": str(_("портал"))}
    if isinstance(by, str):
        return {"credited_by": None, "credited_by_text": by[:200]}
    return {"credited_by": by if getattr(by, "is_authenticated", False) else None, "credited_by_text": str(by)[:200]}


def _plan_items_credit(entries: list[CreditEntry], *, by: Any, now: Any) -> None:
    """Every (cycle, element) credited: its plan item becomes ``credited`` (added if missing), with
    a history row for each change. One SELECT per element type, one UPDATE, the INSERTs."""
    pairs: set[tuple[int, str, int]] = set()
    for entry in entries:
        pairs.add((entry.cycle_id, entry.element_type, getattr(entry, ELEMENT_FIELDS[entry.element_type] + "_id")))
    if not pairs:
        return
    existing = _plan_items_of(pairs)
    missing = sorted(pairs - existing.keys())
    if missing:
        columns = ("cycle_id", "element_type", *(f"{name}_id" for name in ELEMENT_FIELDS.values()), "status")
        added = insert_new(
            PlanItem,
            [*columns, "created_at", "updated_at"],
            [
                (
                    cycle_id,
                    element_type,
                    *(element_id if element_type == t else None for t in ELEMENT_FIELDS),
                    PlanItemStatus.CREDITED.value,
                    now,
                    now,
                )
                for cycle_id, element_type, element_id in missing
            ],
        )
        transitions = [(pk, "") for (pk,) in added]
        if len(added) < len(missing):  # someone added some of them to the plan meanwhile
            existing.update(_plan_items_of(set(missing)))
    else:
        transitions = []
    to_update = {item.pk: item.status for item in existing.values() if item.status != PlanItemStatus.CREDITED}
    if to_update:
        PlanItem.objects.filter(pk__in=to_update).update(status=PlanItemStatus.CREDITED, updated_at=now)
        transitions += list(to_update.items())
    if transitions:
        actor_id = by.pk if getattr(by, "is_authenticated", False) else None
        reason = _("ЗЕТ зачтены")
        insert_new(
            PlanItemTransition,
            ("subject_id", "from_status", "to_status", "actor_id", "reason", "created_at"),
            [(pk, source, PlanItemStatus.CREDITED.value, actor_id, reason, now) for pk, source in transitions],
        )


def _plan_items_of(pairs: set[tuple[int, str, int]]) -> dict[tuple[int, str, int], PlanItem]:
    """The plan items of these (cycle, element type, element) pairs, locked for the update."""
    found: dict[tuple[int, str, int], PlanItem] = {}
    for element_type, field in ELEMENT_FIELDS.items():
        wanted = [(c, e) for (c, t, e) in pairs if t == element_type]
        if not wanted:
            continue
        queryset = PlanItem.objects.filter(
            cycle_id__any={c for c, _e in wanted}, **{f"{field}_id__any": {e for _c, e in wanted}}
        ).only("pk", "cycle_id", "element_type", "status", f"{field}_id")
        for item in queryset.select_for_update():
            marker = (item.cycle_id, element_type, getattr(item, f"{field}_id"))
            if marker in pairs:
                found[marker] = item
    return found


@transaction.atomic
def credit_reverse(*, entry: CreditEntry, by: Any, reason: str) -> CreditEntry:
    """Cancel an entry by a new reversing entry (the ledger is never edited)."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Укажите основание исправления."), field="reason")
    if entry.reverses_id is not None:
        raise ConflictError(_("Сторнирующую запись нельзя сторнировать."), code="invalid_transition")
    reversal = CreditEntry(
        cycle_id=entry.cycle_id,
        element_type=entry.element_type,
        programme_id=entry.programme_id,
        event_id=entry.event_id,
        module_id=entry.module_id,
        title=entry.title,
        zet=-entry.zet,
        completed_on=entry.completed_on,
        cycle_year=entry.cycle_year,
        source_kind=SourceKind.CORRECTION,
        source_key=f"reversal:{entry.pk}",
        reverses=entry,
        reason=reason,
        credited_at=timezone.now(),
        **_by_fields(by),
    )
    reversal.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as error:
        raise ConflictError(_("Эта запись уже сторнирована."), code="duplicate") from error
    return reversal


# --- Code activation ---------------------------------------------------------------------------
def _throttle_check(*, user: Any, now: Any) -> None:
    """At most ``FAILURE_THROTTLE_RATES["code_activation"]`` (10/hour) rejected or still pending
    activations per user. Counted in the database rather than the cache (lib.throttling's
    FailureThrottle): the activations are rows anyway, and the limit then holds with Redis down."""
    limit, seconds = parse_rate(settings.FAILURE_THROTTLE_RATES["code_activation"])
    window = timedelta(seconds=seconds)
    recent = list(
        CodeActivation.objects.filter(
            user=user,
            status__in=[ActivationStatus.REJECTED, ActivationStatus.PENDING],
            created_at__gt=now - window,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        oldest = recent[-1]
        retry_after = max(1, int((oldest + window - now).total_seconds()) + 1)
        raise TooManyAttempts(
            _(
                "Слишком много непринятых кодов за последний час. Проверьте коды в письмах организаторов "
                "и повторите через %(minutes)s мин."
            )
            % {"minutes": max(1, (retry_after + 59) // 60)},
            retry_after=retry_after,
        )


def code_mask(normalized: str) -> str:
    """``ABCD-EFGH-JKMN`` → ``****-****-JKMN``: enough to recognise one's own code, useless to others."""
    if len(normalized) <= 4:
        return "*" * len(normalized)
    hidden = "*" * (len(normalized) - 4) + normalized[-4:]
    return code_format(hidden)[:32]


@transaction.atomic
def code_activation_submit(
    *, user: Any, code: str, plan_item: PlanItem | None = None, now: Any = None
) -> CodeActivation:
    """Record a code entered by ``user`` and have it checked after commit (the sweeper re-checks
    whatever is still pending, so a lost task only delays the decision)."""
    now = now or timezone.now()
    normalized = code_normalize(code or "")
    if not normalized:
        raise ApplicationError(_("Введите код подтверждения из письма организатора."), field="code")
    if len(normalized) > 64:
        raise ApplicationError(_("Код подтверждения не длиннее 64 знаков."), field="code")
    _throttle_check(user=user, now=now)
    activation = CodeActivation(
        user=user,
        code_hash=code_hash(normalized),
        code_masked=code_mask(normalized),
        plan_item=plan_item,
        status=ActivationStatus.PENDING,
        created_at=now,
    )
    activation.full_clean(exclude=["user", "plan_item", "code", "event"])
    activation.save()
    from portfolio.tasks import code_activation_check_task

    enqueue_on_commit(code_activation_check_task, activation.pk)
    return activation


def code_activation_check(*, activation_id: int, today: date | None = None) -> CodeActivation | None:
    """Decide a pending activation: accept (claim the code, credit the event) or reject with a
    reason. Idempotent: a decided activation is left as it is. Two activations of the same code at
    once: the conditional claim lets exactly one win; the other is ``already_used``."""
    with transaction.atomic():
        activation = CodeActivation.objects.select_for_update().select_related("user").filter(pk=activation_id).first()
        if activation is None or activation.status != ActivationStatus.PENDING:
            return activation
        day = today or timezone.localdate(activation.created_at)
        CodeActivation.objects.filter(pk=activation.pk).update(attempts=F("attempts") + 1)
        code = ConfirmationCode.objects.select_related("event").filter(code_hash=activation.code_hash).first()
        reason, _cycles = _code_decision(activation=activation, code=code, day=day)
        if reason is None:
            assert code is not None
            if not code_claim(code=code, user=activation.user):
                reason = RejectionReason.ALREADY_USED
        if reason is not None:
            _activation_decide(activation, status=ActivationStatus.REJECTED, reason=reason, code=code)
        else:
            assert code is not None
            _activation_decide(activation, status=ActivationStatus.ACCEPTED, reason="", code=code)
            credit_record(
                owner=activation.user,
                element=code.event,
                completed_on=code.event.ends_on,
                source_kind=SourceKind.EVENT_CODE,
                source_key=f"event_code:{code.pk}",
                by=_("код подтверждения %(code)s") % {"code": activation.code_masked},
            )
        from portfolio.tasks import code_activation_notify

        enqueue_on_commit(code_activation_notify, activation.pk)
    return activation


def _code_decision(
    *, activation: CodeActivation, code: ConfirmationCode | None, day: date
) -> tuple[str | None, list[Cycle]]:
    if code is None:
        return RejectionReason.UNKNOWN_CODE, []
    if code.used_at is not None:
        return RejectionReason.ALREADY_USED, []
    event = code.event
    if day < event.ends_on:
        return RejectionReason.EVENT_NOT_FINISHED, []
    active = list(Cycle.objects.filter(owner_id=activation.user_id, status=CycleStatus.ACTIVE))
    if not active:
        return RejectionReason.NO_ACTIVE_CYCLE, []
    event_specialties = set(event.specialties.values_list("pk", flat=True))
    by_specialty = [cycle for cycle in active if cycle.specialty_id in event_specialties]
    if not by_specialty:
        return RejectionReason.SPECIALTY_MISMATCH, []
    on_date = [cycle for cycle in by_specialty if cycle.contains(event.ends_on)]
    if not on_date:
        return RejectionReason.NO_ACTIVE_CYCLE, []
    return None, on_date


def _activation_decide(activation: CodeActivation, *, status: str, reason: str, code: ConfirmationCode | None) -> None:
    activation.status = status
    activation.reason = reason
    activation.decided_at = timezone.now()
    activation.code = code
    activation.event = code.event if code is not None else None
    activation.save(update_fields=["status", "reason", "decided_at", "code", "event"])


def code_activations_sweep(*, now: Any = None, older_than: timedelta = timedelta(minutes=10), limit: int = 500) -> int:
    """Re-check activations still pending ``older_than`` after entry (a lost task, Redis down)."""
    now = now or timezone.now()
    ids = list(
        CodeActivation.objects.filter(status=ActivationStatus.PENDING, created_at__lte=now - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for activation_id in ids:
        try:
            code_activation_check(activation_id=activation_id)
        except Exception:  # one bad row must not stop the others; it stays pending
            logger.exception("Code activation %s could not be checked; the next sweep retries", activation_id)
    return len(ids)


# --- Module completions ------------------------------------------------------------------------
def module_completion_credit(*, completion: ModuleCompletion, notify: bool = True) -> list[CreditEntry]:
    """Credit a module completion reported by its provider (idempotent by the completion's id)."""
    return credit_record(
        owner=completion.user,
        element=completion.module,
        completed_on=completion.completed_on,
        source_kind=SourceKind.MODULE_COMPLETION,
        source_key=f"module_completion:{completion.pk}",
        by=completion.reported_by,
        notify=notify,
    )


@transaction.atomic
def module_completion_report(
    *, module: Any, user: Any, completed_on: date, by: Any
) -> tuple[ModuleCompletion, list[CreditEntry]]:
    """The provider reports that ``user`` completed ``module``: record it (providers) and credit it."""
    from providers.services import module_completion_record

    completion = module_completion_record(module=module, user=user, completed_on=completed_on, by=by)
    return completion, module_completion_credit(completion=completion)


def module_completions_sweep(*, now: Any = None, within: timedelta = timedelta(days=7), limit: int = 5000) -> int:
    """Credit completions that have no entry yet: reported by providers' own API or page, or a
    task that never ran, or reported before the specialist opened the cycle that covers them.
    Returns how many completions produced entries."""
    now = now or timezone.now()
    key = Concat(Value(f"{SourceKind.MODULE_COMPLETION}:"), Cast("pk", output_field=CharField()))
    credited = CreditEntry.objects.filter(
        source_kind=SourceKind.MODULE_COMPLETION, reverses__isnull=True, source_key=OuterRef("source_key")
    )
    # Recent reports, and older ones of a specialist who opened a cycle recently (a completion
    # reported before the cycle existed counts once the cycle covers its date).
    recent_cycle_owners = Cycle.objects.filter(created_at__gte=now - within).values("owner_id")
    pending = list(
        ModuleCompletion.objects.filter(Q(created_at__gte=now - within) | Q(user_id__in=recent_cycle_owners))
        .annotate(source_key=key)
        .exclude(Exists(credited))
        .select_related("module")
        .order_by("pk")[:limit]
    )
    items = [
        CreditItem(
            owner_id=c.user_id,
            element=c.module,
            completed_on=c.completed_on,
            source_kind=SourceKind.MODULE_COMPLETION,
            source_key=f"{SourceKind.MODULE_COMPLETION}:{c.pk}",
        )
        for c in pending
    ]
    entries = credit_record_many(items=items)
    return len({e.source_key for e in entries})


# --- Portfolio PDF -------------------------------------------------------------------------------
PDF_MAX_ATTEMPTS = 3


def owner_masked(user: Any) -> str:
    """«Иванова Е. А., СНИЛС 112-***-*** 95»: who the document belongs to, and no more."""
    initials = " ".join(f"{part[0]}." for part in (user.first_name, user.middle_name) if part)
    name = " ".join(part for part in (user.last_name, initials) if part)
    return _("%(name)s, СНИЛС %(snils)s") % {"name": name, "snils": user.snils_masked}


def verification_code_new() -> str:
    """80 random bits in base32 (16 letters and digits, no padding)."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


@transaction.atomic
def portfolio_pdf_request(*, cycle: Cycle, by: Any) -> PortfolioPdf:
    """Ask for the portfolio of ``cycle`` as a PDF; a task renders it after commit."""
    pdf = PortfolioPdf(owner_id=cycle.owner_id, cycle=cycle, verification_code=verification_code_new())
    pdf.full_clean(exclude=["file"])
    pdf.save()
    from portfolio.tasks import portfolio_pdf_render_task

    enqueue_on_commit(portfolio_pdf_render_task, pdf.pk)
    return pdf


def portfolio_pdf_render(*, pdf_id: int, today: date | None = None) -> PortfolioPdf | None:
    """Render a pending PDF. Claims it with a conditional update (so two workers never render the
    same one), stores the file with the ledger state and SHA-256, and marks it ready. A failure
    puts it back to pending for a bounded number of attempts, then ``failed`` (visible)."""
    now = timezone.now()
    claimed = PortfolioPdf.objects.filter(pk=pdf_id, status=PdfStatus.PENDING).update(
        status=PdfStatus.RENDERING, attempts=F("attempts") + 1, started_at=now, error=""
    )
    pdf = PortfolioPdf.objects.select_related("owner", "cycle__specialty").filter(pk=pdf_id).first()
    if not claimed or pdf is None:
        return pdf
    try:
        content, state = _portfolio_pdf_bytes(pdf, today=today)
        digest = hashlib.sha256(content).hexdigest()
        pdf.file.save(f"portfolio-{pdf.verification_code}.pdf", ContentFile(content), save=False)
        PortfolioPdf.objects.filter(pk=pdf.pk, status=PdfStatus.RENDERING).update(
            status=PdfStatus.READY,
            file=pdf.file.name,
            content_sha256=digest,
            rendered_at=timezone.now(),
            entry_count=state["entry_count"],
            max_entry_id=state["max_entry_id"],
            total_zet=state["total_zet"],
        )
    except Exception as error:
        final = pdf.attempts >= PDF_MAX_ATTEMPTS  # already counted by the claim
        PortfolioPdf.objects.filter(pk=pdf.pk, status=PdfStatus.RENDERING).update(
            status=PdfStatus.FAILED if final else PdfStatus.PENDING, error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.exception("Portfolio PDF %s failed (attempt %s)", pdf.pk, pdf.attempts)
        if not final:
            raise
    pdf.refresh_from_db()
    return pdf


def _portfolio_pdf_bytes(pdf: PortfolioPdf, *, today: date | None) -> tuple[bytes, dict[str, Any]]:
    from nmo_portal.lib.pdf import qr_svg, render_pdf, static_css
    from portfolio.charts import year_bars_svg
    from portfolio.selectors import portfolio_of

    portfolio = portfolio_of(cycle=pdf.cycle, today=today)
    verify_url = settings.SITE_URL + reverse("portfolio:verify", args=[pdf.verification_code])
    context = {
        "pdf": pdf,
        "portfolio": portfolio,
        "owner": pdf.owner,
        "owner_masked": owner_masked(pdf.owner),
        "chart": year_bars_svg(portfolio),
        "qr": qr_svg(verify_url, title=_("Проверка подлинности")),
        "verify_url": verify_url,
        "generated_at": timezone.localtime(),
    }
    content = render_pdf("portfolio/portfolio_pdf.html", context, extra_css=static_css("css/portfolio.css"))
    state = {
        "entry_count": len(portfolio.entries),
        "max_entry_id": max((e.pk for e in portfolio.entries), default=None),
        "total_zet": portfolio.total_zet,
    }
    return content, state


def portfolio_pdfs_sweep(*, now: Any = None) -> int:
    """Render PDFs still pending after two minutes; put back renders stuck for ten minutes."""
    now = now or timezone.now()
    PortfolioPdf.objects.filter(
        status=PdfStatus.RENDERING, started_at__lt=now - timedelta(minutes=10), attempts__lt=PDF_MAX_ATTEMPTS
    ).update(status=PdfStatus.PENDING)
    PortfolioPdf.objects.filter(
        status=PdfStatus.RENDERING, started_at__lt=now - timedelta(minutes=10), attempts__gte=PDF_MAX_ATTEMPTS
    ).update(status=PdfStatus.FAILED, error="timeout")
    ids = list(
        PortfolioPdf.objects.filter(status=PdfStatus.PENDING, created_at__lt=now - timedelta(minutes=2)).values_list(
            "pk", flat=True
        )[:50]
    )
    done = 0
    for pdf_id in ids:
        try:
            portfolio_pdf_render(pdf_id=pdf_id)
            done += 1
        except Exception:  # noqa: BLE001 - recorded on the row; the next sweep retries
            logger.warning("Portfolio PDF %s will be retried", pdf_id)
    return done
