"""Reads for the core app."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from nap1325.core.models import AuditEvent
from nap1325.core.permissions import visible_plans


def plans_for_home(user: Any) -> list[Any]:
    """Plans ``user`` may open, with counts of their live actions and indicators (1 query)."""
    return list(
        visible_plans(user)
        .select_related("coordinating_body")
        .annotate(
            action_count=Count("action", filter=Q(action__is_archived=False), distinct=True),
            indicator_count=Count(
                "indicators", filter=Q(indicators__is_archived=False), distinct=True
            ),
        )
        .order_by("country", "generation")
    )


def audit_page(plan: Any, page_number: str | int | None, per_page: int = 50) -> Page[AuditEvent]:
    """One page of the plan's audit trail, newest first (2 queries)."""
    events = (
        AuditEvent.objects.filter(plan=plan).select_related("actor").order_by("-occurred_at", "-id")
    )
    return Paginator(events, per_page).get_page(page_number)
