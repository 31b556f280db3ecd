"""The main menu by role, as data. Each app adds its entries here as its pages land; an entry is
shown when the user holds one of its roles (``None``: everybody, ``"auth"``: anyone signed in)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


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
    from accounts.roles import user_roles

    if not getattr(user, "is_authenticated", False):
        return set()
    return {"auth", *user_roles(user)}


@lru_cache(maxsize=16)
def _menu(urlconf: str, script_prefix: str) -> tuple[tuple[NavItem, str], ...]:
    """Every entry with its URL, reversed once per URL configuration and script prefix, not on every
    page (the menu is drawn on each)."""
    menu = []
    for item in NAVIGATION:
        try:
            menu.append((item, reverse(item.url_name, urlconf=urlconf)))
        except NoReverseMatch:
            continue
    return tuple(menu)


def navigation_for(user: Any, path: str) -> list[dict[str, Any]]:
    roles = _user_roles(user)
    items = []
    for item, url in _menu(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()):
        if item.roles is not None and not (item.roles & roles):
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
