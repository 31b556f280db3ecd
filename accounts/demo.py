"""Demo accounts of api.md. Passwords are public on purpose; production refuses to start with them."""

from __future__ import annotations

from datetime import date

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import AccreditationType, Document, DocumentKind, FrmrStatus, Role, Sex, User
from accounts.services import role_grant
from accounts.snils import snils_check_number
from nmo_portal.lib.demo import DemoContext, DemoLogin
from reference.models import EducationLevel, Region, Specialty


def demo_snils(seed: int) -> str:
    first_nine = f"{100_000_000 + seed:09d}"
    return first_nine + snils_check_number(first_nine)


DEMO_ACCOUNTS = [
    # (e-mail, password, roles, surname, name, patronymic, seed of SNILS, Django admin)
    ("methodologist@demo.nmo", "demo-methodologist", [Role.METHODOLOGIST], "Методистова", "Мария", "Ивановна", 1, True),
    ("provider@demo.nmo", "demo-provider", [], "Учебнов", "Пётр", "Сергеевич", 2, False),
    ("secretary@demo.nmo", "demo-secretary", [Role.SECRETARY], "Секретарёва", "Анна", "Павловна", 3, False),
    ("commission@demo.nmo", "demo-commission", [Role.COMMISSION], "Комиссаров", "Олег", "Николаевич", 4, False),
    ("specialist@demo.nmo", "demo-specialist", [Role.SPECIALIST], "Иванова", "Елена", "Андреевна", 5, False),
]


def _demo_profile(user: User, seed: int, region: Region | None) -> None:
    """Fill the profile of a demo account once; later runs change nothing."""
    female = user.middle_name.endswith("вна")
    wanted = {
        "region": region,
        "sex": Sex.FEMALE if female else Sex.MALE,
        "birth_date": date(1975 + seed * 2, seed, 10 + seed),
        "phone": f"+7916000000{seed}",
        "education_level": EducationLevel.HIGHER,
    }
    changed = [field for field, value in wanted.items() if not getattr(user, field)]
    for field in changed:
        setattr(user, field, wanted[field])
    if user.consent_personal_data_at is None:
        user.consent_personal_data_at = user.accept_terms_at = timezone.now()
        changed += ["consent_personal_data_at", "accept_terms_at"]
    if changed:
        user.save(update_fields=changed)
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"primary": True, "verified": True})


def _demo_document(user: User) -> None:
    """The specialist's periodic accreditation in therapy, confirmed in FRMR: it opens the demo cycle."""
    therapy = Specialty.objects.filter(education_level=EducationLevel.HIGHER, name="Терапия").first()
    if therapy is None:
        return
    Document.objects.get_or_create(
        owner=user,
        kind=DocumentKind.ACCREDITATION,
        specialty=therapy,
        number="7722 031234567",
        defaults={
            "accreditation_type": AccreditationType.PERIODIC,
            "issued_on": date(2022, 3, 1),
            "frmr_status": FrmrStatus.CONFIRMED,
        },
    )


def seed_demo(ctx: DemoContext) -> None:
    region = Region.objects.filter(code="77").first()
    for email, password, roles, last, first, middle, seed, admin in DEMO_ACCOUNTS:
        user = User.objects.with_email(email).first()
        if user is None:
            user = User.objects.create_user(
                demo_snils(seed),
                email,
                password,
                last_name=last,
                first_name=first,
                middle_name=middle,
                is_staff=admin,
                is_superuser=admin,
            )
        for role in roles:
            role_grant(user=user, role=role)
        _demo_profile(user, seed, region)
        if Role.SPECIALIST in roles:
            _demo_document(user)
        ctx.objects[email] = user
        role_names = ", ".join(r.value for r in roles) or "provider_staff (с организацией)"
        if admin:
            role_names += " (Django admin)"
        ctx.logins.append(DemoLogin(email, password, role_names))
