"""Log in by SNILS in any usual spelling or by e-mail, with the password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.models import User
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
