from django.contrib import admin

from reference.models import Region, Specialty


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin[Specialty]):
    list_display = ["code", "name", "education_level", "valid_from", "valid_to"]
    list_filter = ["education_level"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "iso_3166_2"]
    search_fields = ["name", "code"]
