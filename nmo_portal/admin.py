from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nmo_portal.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the log is written by services only and never edited."""

    list_display = ["created_at", "actor_label", "action", "target_type", "target_id", "summary", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "action", "target_id", "summary"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
