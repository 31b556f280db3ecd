"""The main menu by role, as data. Each app adds its entries here as its pages land; an entry is
shown when the user holds one of its roles (``None``: everybody, ``"auth"``: anyone signed in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


NAVIGATION: list[NavItem] = [
    NavItem("Главная", "home", None),
    NavItem("Пятилетние циклы и документы", "accounts:documents", _roles("specialist")),
    NavItem("Мой профиль", "accounts:profile", _roles("auth")),
    NavItem("Журнал аудита", "audit-search", _roles("methodologist")),
    NavItem("Каталог", "providers:catalog-programs", None),
    NavItem("Моя организация", "providers:cabinet", _roles("provider_staff")),
    NavItem("Проверка", "providers:review", _roles("methodologist")),
    NavItem("Мой план", "trajectory:plan-home", _roles("specialist")),
    NavItem("Портфолио", "portfolio:home", _roles("specialist")),
    NavItem("Ввести код", "portfolio:code-activate", _roles("specialist")),
    NavItem("Мои заявки", "enrolment:my-applications", _roles("specialist")),
    NavItem("Аккредитация", "accreditation:home", _roles("specialist")),
    NavItem("Заявления", "accreditation:queue", _roles("secretary")),
    NavItem("Комиссия", "accreditation:commission", _roles("commission")),
]


def _user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = getattr(user, "_role_cache", None)
    if roles is None:
        roles = set(user.role_grants.values_list("role", flat=True))
        user._role_cache = roles
    return {"auth", *roles}


def navigation_for(user: Any, path: str) -> list[dict[str, Any]]:
    roles = _user_roles(user)
    items = []
    for item in NAVIGATION:
        if item.roles is not None and not (item.roles & roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
