"""``seed_demo --scale N``: N specialists for the benchmarks, in bulk (COPY on PostgreSQL).

Scale specialist ``i`` (0-based) has the SNILS built from ``300 000 000 + i`` with its check number,
the e-mail ``s<i>@scale.nmo``, the password ``SCALE_PASSWORD`` (one hash shared by all) and the
``specialist`` role. The range is fixed, so a rerun adds only what is missing: the same N adds
nothing, a larger N adds the difference. Columns this module does not name are filled from the
model's fields (``bench.bulk``), so it keeps working while User grows.

Later seeders find these people with ``scale_user_ids(n)`` (or ``ctx.objects[SCALE_USER_IDS]``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role, RoleGrant, User
from accounts.snils import snils_check_number
from bench.bulk import bulk_insert, spread_date
from nmo_portal.lib.demo import DemoContext

SCALE_SNILS_BASE = 300_000_000
SCALE_EMAIL_DOMAIN = "scale.nmo"
SCALE_PASSWORD = "scale-specialist-2026"  # noqa: S105 - benchmark data only, never in production
SCALE_USER_IDS = "accounts.scale_user_ids"

_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков"]
_MALE = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил"]
_FEMALE = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Екатерина"]
_PATRONYMIC = ["Александров", "Сергеев", "Дмитриев", "Андреев", "Николаев", "Петров", "Викторов"]


def scale_snils(index: int) -> str:
    first_nine = f"{SCALE_SNILS_BASE + index:09d}"
    return first_nine + snils_check_number(first_nine)


def scale_email(index: int) -> str:
    return f"s{index:07d}@{SCALE_EMAIL_DOMAIN}"


def _scale_range(n: int) -> tuple[str, str]:
    return f"{SCALE_SNILS_BASE:09d}00", f"{SCALE_SNILS_BASE + n:09d}00"


def scale_users(n: int) -> Any:
    """The first n scale specialists (a queryset), in index order."""
    low, high = _scale_range(n)
    return User.objects.filter(snils__gte=low, snils__lt=high).order_by("snils")


def scale_user_ids(n: int) -> list[int]:
    return list(scale_users(n).values_list("id", flat=True))


def _profile(fields: set[str]) -> dict[str, Callable[[int], Any]]:
    """Realistic values for the profile columns that exist now (accounts is adding them)."""
    from reference.models import Region

    now = timezone.now()
    regions = list(Region.objects.order_by("code").values_list("pk", flat=True))
    candidates: dict[str, Callable[[int], Any]] = {
        "sex": lambda i: "female" if i % 3 else "male",
        "birth_date": lambda i: spread_date(i, date(1958, 1, 1), 365 * 42),
        "phone": lambda i: f"+79{i % 1_000_000_000:09d}",
        "education_level": lambda i: "secondary" if i % 4 == 0 else "higher",
        "citizenship": lambda i: "RU",
        "consent_personal_data_at": lambda i: now,
        "accept_terms_at": lambda i: now,
    }
    if regions:
        candidates["region_id"] = lambda i: regions[i % len(regions)]
    return {name: make for name, make in candidates.items() if name in fields}


def seed_scale(ctx: DemoContext, n: int) -> None:
    in_range = scale_users(n)
    missing: list[int] = []
    if in_range.count() < n:  # a rerun with the same n stops at this one count
        existing = set(in_range.values_list("snils", flat=True))
        missing = [i for i in range(n) if scale_snils(i) not in existing]
    if missing:
        password = make_password(SCALE_PASSWORD)
        joined = timezone.now()
        fields = {field.attname for field in User._meta.concrete_fields}
        profile = _profile(fields)

        def values(i: int) -> dict[str, Any]:
            female = i % 3 != 0
            surname = _SURNAMES[i % len(_SURNAMES)] + ("а" if female else "")
            given = (_FEMALE if female else _MALE)[(i // 7) % 9]
            patronymic = _PATRONYMIC[(i // 11) % len(_PATRONYMIC)] + ("на" if female else "ич")
            row: dict[str, Any] = {
                "snils": scale_snils(i),
                "email": scale_email(i),
                "password": password,
                "last_name": surname,
                "first_name": given,
                "middle_name": patronymic,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": joined,
            }
            row.update({name: make(i) for name, make in profile.items()})
            return row

        bulk_insert(User, missing, values)
    ids = scale_user_ids(n)
    without_role = list(scale_users(n).exclude(role_grants__role=Role.SPECIALIST).values_list("id", flat=True))
    granted = timezone.now()
    bulk_insert(
        RoleGrant, without_role, lambda uid: {"user_id": uid, "role": Role.SPECIALIST.value, "granted_at": granted}
    )
    ctx.objects[SCALE_USER_IDS] = ids
    ctx.counts["accounts: scale specialists"] = len(ids)
    ctx.counts["accounts: specialists added now"] = len(missing)
