"""Demo data of periodic accreditation: a commission for therapy with the demo secretary and
commission member, and generated specialists whose applications sit in each state of the queue.
The demo specialist (specialist@demo.nmo) is left free to file their own application. The
generated specialists have no password (they only populate the queue) and addresses under
queue.demo.nmo, apart from the demo logins of api.md. Their ledgers are left empty: the credit
engine's demo test counts every ledger row, so the snapshots here show the readiness warnings.

Idempotent: the commission is found by name, each generated specialist by e-mail, and a specialist
who already has an application is left as they are. Skips (with a note in the log) when the demo
accounts or the specialty are missing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from nmo_portal.lib.demo import DemoContext

COMMISSION_NAME = "Аккредитационная подкомиссия по специальности «Терапия» (демо)"

# (e-mail, surname, name, patronymic, SNILS seed, the state to bring the application to, overdue)
APPLICANTS = [
    ("accr-submitted@queue.demo.nmo", "Орлова", "Татьяна", "Игоревна", 61, "submitted", True),
    ("accr-registered@queue.demo.nmo", "Смирнов", "Алексей", "Викторович", 62, "registered", False),
    ("accr-returned@queue.demo.nmo", "Кузнецова", "Ольга", "Петровна", 63, "returned", False),
    ("accr-review@queue.demo.nmo", "Попов", "Дмитрий", "Сергеевич", 64, "under_review", False),
    ("accr-decided@queue.demo.nmo", "Васильева", "Наталья", "Андреевна", 65, "decided", False),
    ("accr-published@queue.demo.nmo", "Новиков", "Игорь", "Олегович", 66, "published", False),
]


def _commission(ctx: DemoContext, specialty: Any) -> Any:
    from accreditation.models import Commission, CommissionMember

    commission = Commission.objects.filter(name=COMMISSION_NAME).first()
    if commission is None:
        commission = Commission.objects.create(name=COMMISSION_NAME)
    commission.specialties.add(specialty)
    for email, role in (("secretary@demo.nmo", "secretary"), ("commission@demo.nmo", "member")):
        user = ctx.objects.get(email)
        if user is not None:
            CommissionMember.objects.get_or_create(commission=commission, user=user, defaults={"role": role})
    return commission


def _applicant(email: str, last: str, first: str, middle: str, seed: int, specialty: Any) -> tuple[Any, Any] | None:
    from accounts.demo import demo_snils
    from accounts.models import Document, Role, User
    from accounts.services import role_grant
    from trajectory.models import Cycle
    from trajectory.services import cycle_open

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            demo_snils(seed), email, None, last_name=last, first_name=first, middle_name=middle
        )  # no password: these accounts only populate the queue
        user.education_level = "higher"
        user.save(update_fields=["education_level"])
        role_grant(user=user, role=Role.SPECIALIST)
    if user.accreditation_applications.exists():
        return None
    cycle = Cycle.objects.filter(owner=user, specialty=specialty, status="active").first()
    if cycle is None:
        today = timezone.localdate()
        issued_on = date(today.year - 5, today.month, 1) + timedelta(days=95)  # expires in about three months
        document = Document.objects.create(
            owner=user,
            kind="accreditation",
            accreditation_type="primary_specialised",
            specialty=specialty,
            number=f"ДЕМО-{seed}",
            issued_on=issued_on,
            frmr_status="confirmed",
        )
        cycle = cycle_open(document=document, by=user)
    return user, cycle


@transaction.atomic
def _bring(user: Any, cycle: Any, state: str, overdue: bool, secretary: Any, member: Any) -> None:
    from accreditation import services

    today = timezone.localdate()
    filed_on = today - timedelta(days=20) if overdue else today
    application = services.application_create(
        applicant=user,
        cycle=cycle,
        phone="+79160000066",
        email=user.email,
        report_agreed_with_employer=state != "returned",
        report_disagreement_reason="" if state != "returned" else "reasoned_refusal",
        today=filed_on,
    )
    services.application_report_fill(
        application=application,
        by=user,
        position_and_workplace="Врач-терапевт участковый, городская поликлиника № 1",
        work_done="Амбулаторный приём, диспансерное наблюдение, профилактические осмотры.",
        achievements="Две публикации в региональном журнале.",
        self_assessment="Квалификация соответствует занимаемой должности.",
    )
    services.application_submit(application=application, by=user, today=filed_on)
    if state == "submitted":
        return
    if state == "returned":
        services.application_return(
            application=application, by=secretary, reason="Приложите удостоверение о повышении квалификации."
        )
        return
    services.application_register(application=application, by=secretary)
    if state == "registered":
        return
    services.application_to_commission(application=application, by=secretary)
    if state == "under_review":
        return
    services.application_decide(application=application, by=member, result="passed", comment="Портфолио полное.")
    if state == "published":
        services.application_publish(application=application, by=secretary)


def seed_demo(ctx: DemoContext) -> None:
    from reference.models import Specialty

    secretary = ctx.objects.get("secretary@demo.nmo")
    member = ctx.objects.get("commission@demo.nmo")
    specialty = Specialty.objects.filter(education_level="higher", name="Терапия").first()
    if secretary is None or member is None or specialty is None:
        ctx.log("accreditation: demo accounts or the specialty «Терапия» are missing; skipped")
        return
    _commission(ctx, specialty)
    # Decisions of "decided" must not land in the protocol that "published" signs: publish first.
    order = sorted(APPLICANTS, key=lambda row: row[5] != "published")
    for email, last, first, middle, seed, state, overdue in order:
        found = _applicant(email, last, first, middle, seed, specialty)
        if found is None:
            continue
        user, cycle = found
        _bring(user, cycle, state, overdue, secretary, member)
    ctx.log("accreditation: commission and demo applications ready")
