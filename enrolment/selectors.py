"""Every read the pages and the API need, with permissions applied.

A specialist sees only their own applications and disputes; provider staff only the cycles of an
approved organisation they are a member of; a methodologist the escalated disputes, the debts and
the scorecards. Anything else is ``NotFound`` (404), never 403: existence is not leaked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.roles import has_role
from accounts.snils import snils_search_digits
from enrolment.models import (
    ENROLLED_STATUSES,
    Application,
    ApplicationStatus,
    Dispute,
    DisputeStatus,
    ProgrammeResult,
    ReportingDebt,
)
from nmo_portal.lib.exceptions import NotFound
from nmo_portal.lib.prepared import Listing, Prepared
from nmo_portal.lib.sql import Inline
from providers.models import Membership, Organisation, OrganisationStatus, ProgrammeCycle
from reference.rules import ruleset_in_force


def not_found() -> NotFound:
    return NotFound(_("Не найдено."))


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise not_found() from None


# --- dates ---------------------------------------------------------------------------------------
def results_due_on(cycle: ProgrammeCycle) -> date:
    """The last day the organisation may enter the cycle's results (rule set at the cycle's end)."""
    return cycle.results_due_on


def waiting_for(application: Application, *, today: date | None = None) -> str:
    """What the specialist's application is waiting for, in words (shown on their pages)."""
    today = today or timezone.localdate()
    cycle = application.programme_cycle
    if application.status == ApplicationStatus.FORMED:
        return _("ожидает решения организации о зачислении")
    if application.status == ApplicationStatus.ENROLLED:
        if cycle.ends_on >= today:
            return _("обучение до %(date)s") % {"date": f"{cycle.ends_on:%d.%m.%Y}"}
        return _("ожидает внесения результатов организацией до %(date)s") % {
            "date": f"{results_due_on(cycle):%d.%m.%Y}"
        }
    return ""


# --- specialists ---------------------------------------------------------------------------------
def _application_related(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related(
        "programme_cycle__programme__organisation", "programme_cycle__programme__specialty", "specialty"
    )


def applications_of(*, user: Any) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return _application_related(Application.objects.filter(applicant=user)).order_by("-created_at", "-id")


def application_get(*, user: Any, application_id: Any) -> Application:
    try:
        return applications_of(user=user).select_related("result").get(pk=_pk(application_id))
    except Application.DoesNotExist:
        raise not_found() from None


def disputes_of(*, user: Any) -> QuerySet[Dispute]:
    if not getattr(user, "is_authenticated", False):
        return Dispute.objects.none()
    return Dispute.objects.filter(application__applicant=user).select_related(
        "application__programme_cycle__programme__organisation"
    )


def dispute_get(*, user: Any, dispute_id: Any) -> Dispute:
    try:
        return disputes_of(user=user).get(pk=_pk(dispute_id))
    except Dispute.DoesNotExist:
        raise not_found() from None


# --- provider staff ------------------------------------------------------------------------------
def staff_organisations(*, user: Any) -> QuerySet[Organisation]:
    """The approved organisations ``user`` works for (empty unless they hold the staff role)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.PROVIDER_STAFF):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        status=OrganisationStatus.APPROVED,
        pk__in=Membership.objects.filter(user=user).values("organisation_id"),
    )


def staff_cycles(*, user: Any) -> QuerySet[ProgrammeCycle]:
    """The cycles of the approved organisations ``user`` works for (``staff_organisations``)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.PROVIDER_STAFF):
        return ProgrammeCycle.objects.none()
    return _staff_cycles_of(user_id=user.pk)


def _staff_cycles_of(*, user_id: int) -> QuerySet[ProgrammeCycle]:
    """The membership joined (one row at most: it is unique per organisation and user) rather than
    nested in two subqueries, which the ORM built and compiled on every staff page of a cycle
    (bench machine: 3.6 ms for the check, then 2.2)."""
    return ProgrammeCycle.objects.filter(
        programme__organisation__status=OrganisationStatus.APPROVED,
        programme__organisation__memberships__user=user_id,
    ).select_related("programme__organisation")


# Every staff page of a cycle starts here: built and compiled once per process (``Prepared``).
_STAFF_CYCLE = Prepared(
    "staff cycle", lambda *, user_id, cycle_id: _staff_cycles_of(user_id=user_id).filter(pk=cycle_id)
)


def staff_cycle_get(*, user: Any, cycle_id: Any) -> ProgrammeCycle:
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.PROVIDER_STAFF):
        raise not_found()
    cycle = _STAFF_CYCLE.one(user_id=user.pk, cycle_id=_pk(cycle_id))
    if cycle is None:
        raise not_found()
    return cycle


def staff_application_get(*, user: Any, application_id: Any) -> Application:
    try:
        return _application_related(
            Application.objects.filter(
                programme_cycle__programme__organisation__in=staff_organisations(user=user)
            ).select_related("applicant")
        ).get(pk=_pk(application_id))
    except Application.DoesNotExist:
        raise not_found() from None


# The staff lists of a cycle read the cycle's applications in the order of the index
# (programme_cycle, applicant_name, id): a page of 50 is 50 index entries, whatever the size of the
# cycle, and no sort (bench cycle of 2 000: 7 ms of sorting by looked-up names before). The page's
# applicants (and results) are joined by primary key under the LIMIT: 50 index probes, in the same
# query. The SNILS search still looks the applicant up (``_applicant``): it is selective.
def _applicant(value: str) -> Subquery:
    """``(SELECT <value> FROM accounts_user WHERE id = applicant_id)``."""
    return Subquery(User.objects.filter(pk=OuterRef("applicant_id")).values(value))


def _by_name(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """In the applicants' alphabetical order (surname, first name, patronymic), then by application."""
    return queryset.order_by("applicant_name", "pk")


def _applicant_search(q: str) -> Q:
    """What a staff search box matches among a cycle's applications: the beginning of the
    applicant's SNILS in any spelling (dashes, spaces or none) or the application number, or
    else every word (up to three) in the applicant's name or the number."""
    q = (q or "").strip()
    if not q:
        return Q()
    digits = snils_search_digits(q)
    if digits:
        return Q(StartsWith(_applicant("snils"), digits)) | Q(number__icontains=q)
    condition = Q()
    for word in q.split()[:3]:
        condition &= Q(applicant_name__icontains=word) | Q(number__icontains=word)
    return condition


# What the staff lists, the grid, their API rows and the exports show of an applicant: not his
# password hash, contacts or address (and less to read and to digest per row).
APPLICANT_ROW_FIELDS = ("id", "last_name", "first_name", "middle_name", "snils", "birth_date")


def _with_applicants(
    queryset: QuerySet[Application], *related: str, fields: Sequence[str] = ()
) -> QuerySet[Application]:
    """The rows with their applicant (only ``APPLICANT_ROW_FIELDS``) and ``related`` joined; with
    ``fields``, only those of the row and of the related rows (``result__outcome``)."""
    own = fields or [field.name for field in Application._meta.concrete_fields]
    return queryset.select_related("applicant", *related).only(
        *own, *(f"applicant__{name}" for name in APPLICANT_ROW_FIELDS), *(() if fields else related)
    )


# What the provider's pages show of a row (a page of 50 is drawn from these: fewer columns to read,
# to build into models and to digest); the API and the exports take whole rows. A field a page
# reads that is missing here is a query while it is drawn, which the tests' FRAGMENTS_STRICT fails.
APPLICATION_PAGE_FIELDS = ("id", "number", "applicant", "programme_cycle", "basis", "status", "reject_reason")
RESULT_PAGE_FIELDS = tuple(
    f"result__{name}" for name in ("id", "application", "outcome", "completed_on", "certificate_number", "credited_at")
)


def cycle_applications(
    *, cycle: ProgrammeCycle, status: str = "", basis: str = "", q: str = "", for_page: bool = False
) -> QuerySet[Application]:
    """The cycle's applications for its staff, filtered, with the applicant and (for the API and the
    exports) the specialty: one query."""
    return _cycle_applications(cycle_id=cycle.pk, status=status, basis=basis, q=q, for_page=for_page)


def _cycle_applications(*, cycle_id: int, status: str, basis: str, q: str, for_page: bool) -> QuerySet[Application]:
    queryset = Application.objects.filter(programme_cycle=Inline(cycle_id))
    if status:
        queryset = queryset.filter(status=status)
    if basis:
        queryset = queryset.filter(basis=basis)
    queryset = _by_name(queryset.filter(_applicant_search(q)))
    if for_page:
        return _with_applicants(queryset, fields=APPLICATION_PAGE_FIELDS)
    return _with_applicants(queryset, "specialty")


# The staff lists' pages, compiled once per filter shape (``Prepared``): their count, stamp and rows.
_CYCLE_APPLICATIONS = {
    for_page: Prepared(
        "cycle applications",
        lambda *, cycle_id, status, basis, _for_page=for_page: _cycle_applications(
            cycle_id=cycle_id, status=status, basis=basis, q="", for_page=_for_page
        ),
    )
    for for_page in (False, True)
}


def cycle_applications_listing(
    *, cycle: ProgrammeCycle, status: str = "", basis: str = "", q: str = "", for_page: bool = False
) -> Listing[Application] | QuerySet[Application]:
    """``cycle_applications`` for a ``Paginator``. A search is built anew (its statement depends on
    its words); the lists by status and basis are prepared."""
    if q.strip():
        return cycle_applications(cycle=cycle, status=status, basis=basis, q=q, for_page=for_page)
    return _CYCLE_APPLICATIONS[for_page].listing(cycle_id=cycle.pk, status=status, basis=basis)


class RosterResult(models.TextChoices):
    """The results grid's filter by whether a learner's result is in ("" is everyone)."""

    WITHOUT = "without", gettext_lazy("без результата")
    WITH = "with", gettext_lazy("с результатом")


def _roster_of(*, cycle_id: int) -> QuerySet[Application]:
    return Application.objects.filter(programme_cycle=Inline(cycle_id), status__in=ENROLLED_STATUSES)


def _has_result(cycle_id: int) -> Exists:
    # by the cycle's results (their index), not a join with every result in the country
    return Exists(ProgrammeResult.objects.filter(cycle=Inline(cycle_id), application=OuterRef("pk")))


def cycle_roster(
    *, cycle: ProgrammeCycle, result: str = "", q: str = "", for_page: bool = False
) -> QuerySet[Application]:
    """The learners taken in (enrolled, completed or failed) with their result: the results grid,
    filtered by whether the result is in (``RosterResult``) and by SNILS, name or number. One
    query, the applicants and results joined."""
    return _cycle_roster(cycle_id=cycle.pk, result=result, q=q, for_page=for_page)


def _cycle_roster(*, cycle_id: int, result: str, q: str, for_page: bool) -> QuerySet[Application]:
    queryset = _roster_of(cycle_id=cycle_id)
    if result == RosterResult.WITHOUT:
        queryset = queryset.filter(~_has_result(cycle_id))
    elif result == RosterResult.WITH:
        queryset = queryset.filter(_has_result(cycle_id))
    queryset = _by_name(queryset.filter(_applicant_search(q)))
    if for_page:
        return _with_applicants(queryset, "result", fields=(*APPLICATION_PAGE_FIELDS, *RESULT_PAGE_FIELDS))
    return _with_applicants(queryset, "result")


# The results grid's pages, compiled once per filter (``Prepared``): their count, stamp and rows.
_CYCLE_ROSTER = {
    for_page: Prepared(
        "cycle roster",
        lambda *, cycle_id, result, _for_page=for_page: _cycle_roster(
            cycle_id=cycle_id, result=result, q="", for_page=_for_page
        ),
        shape=("result",),  # it chooses the filter: not a value sent with the statement
    )
    for for_page in (False, True)
}


def cycle_roster_listing(
    *, cycle: ProgrammeCycle, result: str = "", q: str = "", for_page: bool = False
) -> Listing[Application] | QuerySet[Application]:
    """``cycle_roster`` for a ``Paginator``: a search built anew, the lists by result prepared."""
    if q.strip():
        return cycle_roster(cycle=cycle, result=result, q=q, for_page=for_page)
    result = result if result in RosterResult.values else ""
    return _CYCLE_ROSTER[for_page].listing(cycle_id=cycle.pk, result=result)


@dataclass(frozen=True)
class RosterTotals:
    enrolled: int
    with_result: int

    @property
    def without_result(self) -> int:
        return self.enrolled - self.with_result

    def of(self, result: str) -> int:
        """How many learners ``cycle_roster`` lists when filtered by ``result`` alone (a
        ``RosterResult`` or "" for everyone): the results grid's page count, without counting."""
        if result == RosterResult.WITH:
            return self.with_result
        if result == RosterResult.WITHOUT:
            return self.without_result
        return self.enrolled


def _roster_totals(*, cycle_id: int) -> QuerySet[Application, tuple[int, int]]:
    """How many learners the cycle took in and how many of them have a result: one aggregate query,
    joined to the cycle's results by hash (an EXISTS per learner probed the index 2 000 times).
    Grouped by the cycle, which every row shares: one row, or none for an empty roster."""
    in_cycle = FilteredRelation("result", condition=Q(result__cycle=Inline(cycle_id)))
    return (
        _roster_of(cycle_id=cycle_id)
        .annotate(cycle_result=in_cycle)
        .values("programme_cycle")
        .annotate(enrolled=Count("pk"), with_result=Count("cycle_result"))
        .values_list("enrolled", "with_result")
        .order_by()
    )


_ROSTER_TOTALS = Prepared("roster totals", _roster_totals)


def roster_totals(*, cycle: ProgrammeCycle) -> RosterTotals:
    found = _ROSTER_TOTALS.rows(cycle_id=cycle.pk).load()
    enrolled, with_result = found[0] if found else (0, 0)
    return RosterTotals(enrolled=enrolled, with_result=with_result)


def _cycle_results(*, cycle_id: int) -> QuerySet[ProgrammeResult]:
    return ProgrammeResult.objects.filter(cycle=cycle_id).select_related("learner").order_by("learner__last_name", "pk")


_CYCLE_RESULTS = Prepared("cycle results", _cycle_results)


def cycle_results_listing(*, cycle: ProgrammeCycle) -> Listing[ProgrammeResult]:
    """The results of the cycle, by learner, for a ``Paginator``, compiled once per process."""
    return _CYCLE_RESULTS.listing(cycle_id=cycle.pk)


def learner_is_valid(*, snils: str, last_name: str, birth_date: date) -> bool:
    """Pre-validation of a learner before reporting: true only if all three match one account."""
    normal = _name_key(last_name)
    candidates = User.objects.filter(snils=snils, birth_date=birth_date, is_active=True).values_list(
        "last_name", flat=True
    )
    return any(_name_key(name) == normal for name in candidates)


def _name_key(name: str) -> str:
    return " ".join((name or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


def staff_disputes(*, user: Any) -> QuerySet[Dispute]:
    return Dispute.objects.filter(
        application__programme_cycle__programme__organisation__in=staff_organisations(user=user)
    ).select_related("application__applicant", "application__programme_cycle__programme")


def staff_dispute_get(*, user: Any, dispute_id: Any) -> Dispute:
    try:
        return staff_disputes(user=user).get(pk=_pk(dispute_id))
    except Dispute.DoesNotExist:
        raise not_found() from None


# --- methodologists ------------------------------------------------------------------------------
def is_methodologist(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, Role.METHODOLOGIST)


def escalated_disputes(*, user: Any) -> QuerySet[Dispute]:
    if not is_methodologist(user):
        return Dispute.objects.none()
    return Dispute.objects.filter(status=DisputeStatus.ESCALATED).select_related(
        "application__applicant", "application__programme_cycle__programme__organisation"
    )


def methodologist_dispute_get(*, user: Any, dispute_id: Any) -> Dispute:
    if not is_methodologist(user):
        raise not_found()
    try:
        return Dispute.objects.select_related("application__programme_cycle__programme").get(pk=_pk(dispute_id))
    except Dispute.DoesNotExist:
        raise not_found() from None


def open_debts(*, user: Any) -> QuerySet[ReportingDebt]:
    """Open reporting debts: a methodologist sees all, staff their organisations' ones."""
    queryset = ReportingDebt.objects.filter(resolved_on__isnull=True).select_related("cycle__programme", "organisation")
    if is_methodologist(user):
        return queryset
    return queryset.filter(organisation__in=staff_organisations(user=user))


@dataclass(frozen=True)
class Scorecard:
    organisation: Organisation
    on_time: int
    late: int
    missing: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missing


def scorecards(*, organisations: QuerySet[Organisation], today: date | None = None) -> list[Scorecard]:
    """Results on time, late and missing per organisation: two queries whatever their number.

    "Missing": a learner still enrolled on a cycle whose results are overdue by today's rule set.
    """
    today = today or timezone.localdate()
    overdue_before = today - timedelta(days=int(ruleset_in_force(today).results_due_days))
    orgs = list(
        organisations.annotate(
            on_time=Count("programmes__cycles__results", filter=Q(programmes__cycles__results__on_time=True)),
            late=Count("programmes__cycles__results", filter=Q(programmes__cycles__results__on_time=False)),
        ).order_by("short_name", "pk")
    )
    missing = dict(
        Application.objects.filter(
            status=ApplicationStatus.ENROLLED,
            programme_cycle__ends_on__lt=overdue_before,
            programme_cycle__programme__organisation__in=[o.pk for o in orgs],
        )
        .values_list("programme_cycle__programme__organisation_id")
        .annotate(n=Count("pk"))
        .values_list("programme_cycle__programme__organisation_id", "n")
    )
    return [Scorecard(organisation=o, on_time=o.on_time, late=o.late, missing=missing.get(o.pk, 0)) for o in orgs]
