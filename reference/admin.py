from django.contrib import admin

from reference.models import Region, RuleSet, Specialty, WorkingCalendarDay


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin[Specialty]):
    list_display = ["code", "name", "education_level", "valid_from", "valid_to"]
    list_filter = ["education_level"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "iso_3166_2"]
    search_fields = ["name", "code"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin[RuleSet]):
    list_display = ["name", "effective_from", "cycle_target_zet", "event_max_zet_per_day", "event_max_zet_per_event"]
    ordering = ["-effective_from"]


@admin.register(WorkingCalendarDay)
class WorkingCalendarDayAdmin(admin.ModelAdmin[WorkingCalendarDay]):
    list_display = ["day", "is_working", "basis"]
    ordering = ["-day"]
