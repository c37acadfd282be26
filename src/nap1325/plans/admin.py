from django.contrib import admin

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
    Result,
)


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("title", "country", "generation", "period_start", "period_end", "status")
    list_filter = ("status", "country")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Result)
class ResultAdmin(AuditedAdmin):
    list_display = ("code", "title", "plan", "depth", "pillar", "is_archived")
    list_filter = ("plan", "depth", "is_archived")
    search_fields = ("code", "title")


class BudgetLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BudgetLine
    extra = 0


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = ("code", "title", "plan", "lead_agency", "status", "is_archived")
    list_filter = ("plan", "status", "geographic_level", "is_archived")
    search_fields = ("code", "title")
    filter_horizontal = ("partners",)
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedAdmin):
    list_display = ("action", "amount", "currency", "funding_source", "funder", "year", "secured")
    list_filter = ("funding_source", "secured", "currency")


class PeriodTargetInline(admin.TabularInline):  # type: ignore[type-arg]
    model = IndicatorPeriodTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
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
class BreakdownAdmin(AuditedAdmin):
    list_display = ("indicator", "order")
    filter_horizontal = ("dimensions",)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "key", "dimension")


@admin.register(IndicatorPeriodTarget)
class IndicatorPeriodTargetAdmin(AuditedAdmin):
    list_display = ("indicator", "due", "value")
