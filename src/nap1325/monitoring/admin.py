"""Read-only admin for monitoring: reports change only through the workflow (DESIGN.md §6).

"No edit of submitted or approved data by any path" includes the admin, so every model
here can be inspected but not added, changed or deleted.
"""

from django.contrib import admin
from django.http import HttpRequest

from nap1325.monitoring.models import (
    ActionUpdate,
    AgencyReport,
    Evidence,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("label", "plan", "start", "end", "due", "state")
    list_filter = ("plan", "state")


@admin.register(AgencyReport)
class AgencyReportAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "period", "plan", "state", "version", "approved_at")
    list_filter = ("plan", "state", "period")


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnlyAdmin):
    list_display = ("report", "from_state", "to_state", "actor", "occurred_at", "reason")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "report", "is_official", "value", "numerator", "denominator")
    list_filter = ("is_official",)


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReadOnlyAdmin):
    list_display = ("action", "report", "is_official", "status", "progress", "expenditure")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "report", "kind", "size", "uploaded_at")
