"""allauth adapter: registration goes through our own page (SNILS and the profile fields)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # allauth's own sign-up form knows nothing of SNILS; /register/ is the way in.
        return False
