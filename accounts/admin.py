from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Document, RoleGrant, User
from accounts.roles import is_methodologist


def may_change_snils(user: Any) -> bool:
    """Only a superuser or a methodologist corrects a SNILS; the change is kept in the history."""
    return bool(getattr(user, "is_superuser", False) or is_methodologist(user))


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0


class DocumentInline(admin.TabularInline[Document, User]):
    model = Document
    extra = 0
    fields = ["kind", "accreditation_type", "is_record", "specialty", "number", "issued_on", "frmr_status"]
    readonly_fields = ["kind", "accreditation_type", "is_record", "specialty", "number", "issued_on"]
    show_change_link = True
    can_delete = False


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["snils"]
    list_display = ["snils", "email", "last_name", "first_name", "region", "is_active", "is_staff"]
    search_fields = ["snils", "email", "last_name"]
    list_filter = ["is_active", "is_staff", "education_level"]
    list_select_related = ["region"]
    inlines = [RoleGrantInline, DocumentInline]
    history_list_display = ["snils", "email", "phone", "region"]
    fieldsets = (
        (None, {"fields": ("snils", "email", "password")}),
        ("ФИО", {"fields": ("last_name", "first_name", "middle_name")}),
        (
            "Профиль",
            {"fields": ("citizenship", "region", "sex", "birth_date", "phone", "education_level")},
        ),
        ("Согласия", {"fields": ("consent_personal_data_at", "accept_terms_at")}),
        (
            "Уведомления",
            {"fields": ("notify_credits", "notify_codes", "notify_new_modules", "notify_deadlines")},
        ),
        ("Доступ", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("snils", "email", "password1", "password2")}),)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        readonly = ["consent_personal_data_at", "accept_terms_at"]
        if obj is not None and not may_change_snils(request.user):
            readonly.append("snils")
        if not getattr(request.user, "is_superuser", False):
            readonly += ["is_staff", "is_superuser", "groups"]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not getattr(request.user, "is_superuser", False):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["owner", "kind", "specialty", "number", "issued_on", "valid_until", "frmr_status", "used_for_cycle"]
    list_filter = ["kind", "frmr_status", "used_for_cycle"]
    list_select_related = ["owner", "specialty"]
    search_fields = ["number", "owner__snils", "owner__last_name"]
    raw_id_fields = ["owner"]
    readonly_fields = ["valid_until", "used_for_cycle", "created_at"]
