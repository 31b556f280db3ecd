"""Log in by SNILS in any usual spelling or by e-mail, with the password; find a session's user
together with his roles."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from accounts.models import Role, RoleGrant, User
from accounts.snils import looks_like_snils, normalize_snils


def user_by_login(login: str) -> User | None:
    """The active user a login (SNILS or e-mail) names, or None."""
    login = (login or "").strip()
    if not login:
        return None
    if looks_like_snils(login):
        try:
            snils = normalize_snils(login)
        except ValidationError:
            return None
        return User.objects.filter(snils=snils).first()
    return User.objects.with_email(login).first()


class SnilsOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        login = kwargs.get("login") or kwargs.get("email") or username or kwargs.get("snils")
        if not login or password is None:
            return None
        user = user_by_login(str(login))
        if user is None:
            User().set_password(password)  # same work either way: timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The user of a session, with his roles read in the same query: every signed-in page asks
        for them (the menu, the permission checks), so this is one query fewer on each. They are
        read on every request, so a role taken away applies to the very next one."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        sql, params, at = _user_with_roles_sql(connection.vendor)
        found = list(User.objects.raw(sql, [*params[:at], pk, *params[at + 1 :]]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        cast(Any, user)._role_cache = {role for role in Role.values if user.__dict__.pop(_flag(role))}
        return user


_ANY_PK = -48_151_623  # stands for the user's id while the query is compiled


def _flag(role: str) -> str:
    return f"holds_role_{role}"


@cache
def _user_with_roles_sql(vendor: str) -> tuple[str, tuple[Any, ...], int]:
    """``SELECT user.*, EXISTS(role 1), ... WHERE id = %s`` compiled once per database vendor (the
    ORM's compiler costs more than the query): the SQL, its parameters and where the id goes."""
    flags = {_flag(role): Exists(RoleGrant.objects.filter(user=OuterRef("pk"), role=role)) for role in Role.values}
    sql, params = User.objects.annotate(**flags).filter(pk=_ANY_PK).query.sql_with_params()
    return sql, tuple(params), list(params).index(_ANY_PK)
