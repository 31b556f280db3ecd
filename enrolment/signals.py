"""A renamed applicant keeps his place in the staff lists (``Application.applicant_name``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

NAME_FIELDS = {"last_name", "first_name", "middle_name"}


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="enrolment.applicant_renamed")
def applicant_renamed(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return  # a login stamp and the like: no name changed
    from enrolment.models import Application
    from enrolment.names import applicant_name_of

    name = applicant_name_of(instance)
    Application.objects.filter(applicant=instance).exclude(applicant_name=name).update(applicant_name=name)
