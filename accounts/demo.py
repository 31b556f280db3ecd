"""Demo accounts of api.md. Passwords are public on purpose; production refuses to start with them."""

from __future__ import annotations

from accounts.models import Role, User
from accounts.services import role_grant
from accounts.snils import snils_check_number
from nmo_portal.lib.demo import DemoContext, DemoLogin


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


def seed_demo(ctx: DemoContext) -> None:
    for email, password, roles, last, first, middle, seed, admin in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
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
        ctx.objects[email] = user
        role_names = ", ".join(r.value for r in roles) or "provider_staff (с организацией)"
        if admin:
            role_names += " (Django admin)"
        ctx.logins.append(DemoLogin(email, password, role_names))
