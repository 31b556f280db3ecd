"""Commissions are set up here by the methodologist; applications, snapshots and protocols are
read-only (they change only through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accreditation.models import (
    AccreditationApplication,
    ApplicationTransition,
    Commission,
    CommissionMember,
    PortfolioSnapshot,
    Protocol,
)


class CommissionMemberInline(admin.TabularInline[CommissionMember, Commission]):
    model = CommissionMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin[Commission]):
    list_display = ["name", "region", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["specialties"]
    inlines = [CommissionMemberInline]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionInline(admin.TabularInline[ApplicationTransition, AccreditationApplication]):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at", "notified_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccreditationApplication)
class AccreditationApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "journal_number", "journal_year", "applicant", "specialty", "commission", "status", "due_on"]
    list_filter = ["status", "commission"]
    list_select_related = ["applicant", "specialty", "commission"]
    inlines = [TransitionInline]


@admin.register(PortfolioSnapshot)
class PortfolioSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["application", "version", "sha256", "created_at"]


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyAdmin):
    list_display = ["number", "year", "commission", "protocol_date", "signed_at", "published_at", "pdf_status"]
