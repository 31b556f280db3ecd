"""allauth adapter: registration goes through our own page (SNILS and the profile fields), and an
address another account holds is never confirmed for a second one."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # allauth's own sign-up form knows nothing of SNILS; /register/ is the way in.
        return False

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        # Whoever clicks the link controls the mailbox, so saying "taken" here reveals nothing new.
        if User.objects.with_email(email_address.email).exclude(pk=email_address.user_id).exists():
            messages.error(
                request, _("Адрес %(email)s уже используется другой учётной записью.") % {"email": email_address.email}
            )
            return False
        return bool(super().confirm_email(request, email_address))
