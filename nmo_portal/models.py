"""Project-wide records that belong to no single app: the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.models import PortalModel


class AuditEvent(PortalModel):
    """Who did what to which object, and when. Written by ``nmo_portal.lib.audit.audit_record``
    inside the transaction of the action itself, so an action and its record stand or fall
    together. Never edited; the actor's identity is kept in ``actor_label`` even if the account
    is later deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("кто (на момент действия)"), max_length=300, blank=True)
    action = models.CharField(_("действие"), max_length=100)
    target_type = models.CharField(_("тип объекта"), max_length=100, blank=True)
    target_id = models.CharField(_("идентификатор объекта"), max_length=64, blank=True)
    summary = models.CharField(_("описание"), max_length=500, blank=True)
    details = models.JSONField(_("подробности"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("запись журнала аудита")
        verbose_name_plural = _("журнал аудита")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_created"),
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target_created"),
            models.Index(fields=["action", "-created_at"], name="audit_action_created"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.actor_label or '—'}: {self.action}"

    @property
    def target_label(self) -> str:
        return f"{self.target_type}:{self.target_id}" if self.target_type else ""
