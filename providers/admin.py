"""Read-mostly admin: statuses change only through the services (review queue and API), so the
status field is read-only here and codes show only their last four characters."""

from django.contrib import admin

from providers.models import (
    ConfirmationCode,
    Event,
    Membership,
    Module,
    Organisation,
    Programme,
    ProgrammeCycle,
)


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["short_name", "ogrn", "inn", "region", "status"]
    list_filter = ["status"]
    search_fields = ["short_name", "full_name", "ogrn", "inn"]
    readonly_fields = ["status"]
    inlines = [MembershipInline]


class CycleInline(admin.TabularInline[ProgrammeCycle, Programme]):
    model = ProgrammeCycle
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["title", "organisation", "hours", "form", "status"]
    list_filter = ["status", "form"]
    search_fields = ["title"]
    readonly_fields = ["status"]
    raw_id_fields = ["organisation"]
    inlines = [CycleInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["title", "organisation", "starts_on", "ends_on", "zet", "status"]
    list_filter = ["status", "format"]
    search_fields = ["title"]
    readonly_fields = ["status"]
    raw_id_fields = ["organisation"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin[Module]):
    list_display = ["title", "organisation", "module_type", "zet", "status"]
    list_filter = ["status", "module_type"]
    search_fields = ["title"]
    readonly_fields = ["status"]
    raw_id_fields = ["organisation"]


@admin.register(ConfirmationCode)
class ConfirmationCodeAdmin(admin.ModelAdmin[ConfirmationCode]):
    list_display = ["__str__", "event", "created_at", "used_at"]
    list_filter = ["used_at"]
    raw_id_fields = ["event", "created_by", "used_by"]
    readonly_fields = ["code_hash", "last4", "batch", "created_at", "used_at", "used_by"]
