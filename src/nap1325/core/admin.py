"""Django admin for every model. Admin writes are audited like service writes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from nap1325.core import audit
from nap1325.core.models import AuditEvent, Membership, Organisation, User


def _plan_of(obj: Model) -> Any:
    """The plan an object belongs to, if any (for the audit trail)."""
    from nap1325.plans.models import Plan

    if isinstance(obj, Plan):
        return obj
    for path in ("plan", "action.plan", "indicator.plan", "dimension.plan", "result.plan"):
        current: Any = obj
        for part in path.split("."):
            current = getattr(current, part, None)
            if current is None:
                break
        if current is not None:
            return current
    return None


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records an audit event for every add, change and delete made in the admin."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        before = {name: form.initial.get(name) for name in form.changed_data}
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        left = _plan_of(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in form.changed_data}
        plan = _plan_of(obj)
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            event_type=f"admin.{'changed' if change else 'added'}",
            obj=obj,
            plan=plan,
            changes={
                name: [audit.json_safe(before[name]), audit.json_safe(after[name])]
                for name in form.changed_data
                if not hasattr(after[name], "all")
            },
        )
        if left is not None and (plan is None or left.pk != plan.pk):
            # moved to another plan (a budget line to another plan's action): the plan it
            # left changed too, and its dashboards must add up again
            audit.plan_changed(left.pk)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            event_type="admin.deleted",
            obj=obj,
            plan=_plan_of(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The "delete selected" action: an audit event per object, as :meth:`delete_model`,
        in the delete's transaction, so that the plan's count of changes moves with it and
        its dashboards add up again (docs/decisions.md, "Dashboards: added up once per
        change"); without it a bulk delete left them showing the deleted items."""
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                audit.record(
                    actor=request.user,  # type: ignore[arg-type]
                    event_type="admin.deleted",
                    obj=obj,
                    plan=_plan_of(obj),
                )
            super().delete_queryset(request, queryset)


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("NAP 1325", {"fields": ("display_name", "sex", "preferred_language")}),
    )  # type: ignore[misc]
    list_display = ("username", "display_name", "email", "is_superuser", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "acronym", "kind", "country", "parent", "is_illustrative")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "plan", "organisation", "role", "is_active")
    list_filter = ("role", "plan", "is_active")
    autocomplete_fields = ("user", "organisation")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit trail is never edited."""

    list_display = ("occurred_at", "actor", "event_type", "object_repr", "plan")
    list_filter = ("event_type",)
    search_fields = ("object_repr", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
