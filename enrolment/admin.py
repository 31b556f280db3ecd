from django.contrib import admin

from enrolment.models import Application, Dispute, ProgrammeResult, ReportingDebt, SeatCounter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the services (transition tables, seats, ledger): the admin only reads."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "applicant", "programme_cycle", "basis", "status", "created_at")
    list_filter = ("status", "basis", "source")
    search_fields = ("number", "applicant__snils", "applicant__last_name")


@admin.register(ProgrammeResult)
class ProgrammeResultAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "learner", "outcome", "completed_on", "version", "on_time", "credited_at")
    list_filter = ("outcome", "on_time")


@admin.register(ReportingDebt)
class ReportingDebtAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "organisation", "due_on", "missing_count", "resolved_on")


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("application", "status", "opened_on", "due_on")
    list_filter = ("status",)


@admin.register(SeatCounter)
class SeatCounterAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "basis", "taken", "capacity")
