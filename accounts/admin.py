from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["snils"]
    list_display = ["snils", "email", "last_name", "first_name", "is_active", "is_staff"]
    search_fields = ["snils", "email", "last_name"]
    list_filter = ["is_active", "is_staff"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("snils", "email", "password")}),
        ("ФИО", {"fields": ("last_name", "first_name", "middle_name")}),
        ("Доступ", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("snils", "email", "password1", "password2")}),)
