"""The ledger in the admin: read-only. Corrections are made by ``credit_reverse`` (a new entry)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portfolio.models import CodeActivation, CreditEntry, PortfolioPdf


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "cycle", "element_type", "title", "zet", "completed_on", "cycle_year", "source_kind"]
    list_filter = ["source_kind", "element_type", "cycle_year"]
    search_fields = ["title", "source_key", "cycle__owner__snils"]
    list_select_related = ["cycle__specialty"]
    raw_id_fields = ["cycle", "programme", "event", "module", "reverses", "credited_by"]


@admin.register(CodeActivation)
class CodeActivationAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "code_masked", "status", "reason", "created_at", "decided_at", "attempts"]
    list_filter = ["status", "reason"]
    search_fields = ["user__snils", "code_masked"]
    exclude = ["code_hash"]
    raw_id_fields = ["user", "code", "event", "plan_item"]


@admin.register(PortfolioPdf)
class PortfolioPdfAdmin(ReadOnlyAdmin):
    list_display = ["id", "owner", "cycle", "status", "entry_count", "total_zet", "created_at", "rendered_at"]
    list_filter = ["status"]
    raw_id_fields = ["owner", "cycle"]
