"""Start-up refusals that need the database: production never runs with the demo accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured


def demo_accounts_present() -> list[str]:
    domain = "@" + settings.DEMO_LOGIN_DOMAIN
    model = get_user_model()
    return list(model.objects.filter(email__iendswith=domain).values_list("email", flat=True)[:10])


def refuse_unsafe_production() -> None:
    if settings.ENVIRONMENT != "production":
        return
    present = demo_accounts_present()
    if present:
        raise ImproperlyConfigured(
            "Production refuses to start: demo accounts exist in the database "
            f"({', '.join(present)}). Delete them first."
        )
