from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from nap1325.core.admin import AuditedAdmin
from nap1325.plans.models import (
    Action,
    Breakdown,
    BudgetLine,
    Category,
    Dimension,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    PlanVersion,
    Result,
)

# Frozen plans: framework items of an adopted plan are read-only here.


def _plan_of_object(obj: Any) -> Plan | None:
    if isinstance(obj, Plan):
        return obj
    for path in ("plan", "action.plan", "indicator.plan"):
        current: Any = obj
        for part in path.split("."):
            current = getattr(current, part, None)
            if current is None:
                break
        if isinstance(current, Plan):
            return current
    return None


class FrozenPlanReadOnly:
    """Framework items of an adopted plan are read-only in the admin (DESIGN.md §6).

    After adoption every change needs a reason, which the admin cannot ask for; the plan's
    own pages ask for it and record it in the audit trail.
    """

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        plan = _plan_of_object(obj) if obj is not None else None
        if plan is not None and plan.is_frozen:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        plan = _plan_of_object(obj) if obj is not None else None
        if plan is not None and plan.is_frozen:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class _FrozenInlineMixin:
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        plan = _plan_of_object(obj) if obj is not None else None
        if plan is not None and plan.is_frozen:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission


class ReassessedAdmin(AuditedAdmin):
    """Admin writes store the dashboard assessments of the plan's indicators again.

    The services re-assess the indicators their writes touch (a target, an owner, a
    period); an admin edit can change any of these, so after each save (inlines included)
    and delete every indicator of the plan concerned is assessed again, in the same
    request. Rare and small enough: a national plan's 1,500 indicators take seconds.
    """

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:  # type: ignore[type-arg]
        super().save_related(request, form, formsets, change)
        _reassess_plan(_plan_of_object(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        plan = _plan_of_object(obj)
        super().delete_model(request, obj)
        _reassess_plan(plan)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        plans = {plan.pk: plan for obj in queryset if (plan := _plan_of_object(obj)) is not None}
        super().delete_queryset(request, queryset)
        for plan in plans.values():
            _reassess_plan(plan)


def _reassess_plan(plan: Plan | None) -> None:
    """Assess every indicator of ``plan`` again (:class:`ReassessedAdmin`)."""
    if plan is None:
        return
    from nap1325.monitoring.dashboards import indicator_assessments_refresh

    indicator_assessments_refresh(Indicator.objects.filter(plan=plan).values_list("pk", flat=True))


#: Archiving a result or an action archives everything below it: the matrix does that
#: (``plans.services``), the admin's checkbox could not, so it only shows the flag.
_ARCHIVED_BY_THE_MATRIX = ("is_archived",)


@admin.register(Plan)
class PlanAdmin(ReassessedAdmin):
    list_display = ("title", "country", "generation", "period_start", "period_end", "status")
    list_filter = ("status", "country")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Result)
class ResultAdmin(FrozenPlanReadOnly, ReassessedAdmin):
    list_display = ("code", "title", "plan", "depth", "pillar", "is_archived")
    readonly_fields = _ARCHIVED_BY_THE_MATRIX
    list_filter = ("plan", "depth", "is_archived")
    search_fields = ("code", "title")


class BudgetLineInline(_FrozenInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = BudgetLine
    extra = 0


@admin.register(Action)
class ActionAdmin(FrozenPlanReadOnly, ReassessedAdmin):
    list_display = ("code", "title", "plan", "lead_agency", "status", "is_archived")
    readonly_fields = _ARCHIVED_BY_THE_MATRIX
    list_filter = ("plan", "status", "geographic_level", "is_archived")
    search_fields = ("code", "title")
    filter_horizontal = ("partners",)
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(FrozenPlanReadOnly, AuditedAdmin):
    list_display = ("action", "amount", "currency", "funding_source", "funder", "year", "secured")
    list_filter = ("funding_source", "secured", "currency")


class PeriodTargetInline(_FrozenInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = IndicatorPeriodTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(FrozenPlanReadOnly, ReassessedAdmin):
    list_display = ("code", "title", "plan", "measure", "time_aggregation", "is_archived")
    list_filter = ("plan", "measure", "time_aggregation", "is_archived")
    search_fields = ("code", "title")
    filter_horizontal = ("framework_indicators",)
    inlines = [PeriodTargetInline]


class CategoryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Category
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(AuditedAdmin):
    list_display = ("name", "key", "kind", "plan")
    list_filter = ("plan", "kind")
    inlines = [CategoryInline]


@admin.register(Breakdown)
class BreakdownAdmin(FrozenPlanReadOnly, ReassessedAdmin):
    list_display = ("indicator", "order")
    filter_horizontal = ("dimensions",)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "key", "dimension")


@admin.register(IndicatorPeriodTarget)
class IndicatorPeriodTargetAdmin(FrozenPlanReadOnly, ReassessedAdmin):
    list_display = ("indicator", "due", "value")


@admin.register(PlanVersion)
class PlanVersionAdmin(AuditedAdmin):
    """Versions: the snapshot is never edited; the adopted version is read-only entirely."""

    list_display = ("__str__", "plan", "created_at", "created_by", "is_adopted")
    list_filter = ("plan", "is_adopted")
    readonly_fields = ("plan", "number", "created_by", "created_at", "is_adopted", "adopted_at")
    fields = (
        "plan",
        "number",
        "label",
        "changelog",
        "created_by",
        "created_at",
        "is_adopted",
        "adopted_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions are saved from the plan's Versions page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_adopted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.is_adopted or obj.comment_rounds.exists()):
            return False
        return super().has_delete_permission(request, obj)
