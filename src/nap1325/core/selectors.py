"""Reads for the core app."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from nap1325.core.models import AuditEvent
from nap1325.core.permissions import visible_plans


def _live_count(model: Any) -> Subquery:
    """``COUNT(*)`` of a plan's live rows of ``model``, as a correlated subquery."""
    return Subquery(
        model.objects.filter(plan=OuterRef("pk"), is_archived=False)
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def plans_for_home(user: Any) -> list[Any]:
    """Plans ``user`` may open, with counts of their live actions and indicators (1 query).

    Counted with one subquery each: joining actions and indicators in one query would
    multiply them (a national plan: 600 × 1,500 rows per plan, seconds; docs/performance.md).
    """
    from nap1325.plans.models import Action, Indicator

    return list(
        visible_plans(user)
        .select_related("coordinating_body")
        .annotate(
            action_count=Coalesce(_live_count(Action), 0),
            indicator_count=Coalesce(_live_count(Indicator), 0),
        )
        .order_by("country", "generation")
    )


def audit_page(plan: Any, page_number: str | int | None, per_page: int = 50) -> Page[AuditEvent]:
    """One page of the plan's audit trail, newest first (2 queries)."""
    events = (
        AuditEvent.objects.filter(plan=plan).select_related("actor").order_by("-occurred_at", "-id")
    )
    return Paginator(events, per_page).get_page(page_number)
