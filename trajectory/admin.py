from __future__ import annotations

from django.contrib import admin

from trajectory.models import Cycle, PlanItem, PlanItemTransition


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "specialty", "starts_on", "ends_on", "status", "target_zet"]
    list_filter = ["status"]
    search_fields = ["owner__snils", "owner__last_name"]
    raw_id_fields = ["owner", "document", "closed_by_document"]
    readonly_fields = ["starts_on", "ends_on", "cycle_years", "target_zet", "status", "closed_at", "closed_by_document"]


class PlanItemTransitionInline(admin.TabularInline):
    model = PlanItemTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["id", "cycle", "element_type", "status", "created_at"]
    list_filter = ["element_type", "status"]
    raw_id_fields = ["cycle", "programme", "event", "module"]
    readonly_fields = ["status"]
    inlines = [PlanItemTransitionInline]
