"""Template helpers for numbers and plan elements. Display only: values are never changed.

Rounding is ROUND_HALF_UP on ``Decimal`` (DESIGN.md §5); grouping and decimal separators
follow the active language (en "1,234.5", ru/ky "1 234,5").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def plain_decimal(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (120.000000 → 120)."""
    normalized = value.normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return normalized


@register.filter
def number(value: Any) -> str:
    """A stored Decimal as the reader expects it: no trailing zeros, grouped per locale."""
    if value is None or value == "":
        return "—"
    return number_format(plain_decimal(Decimal(value)), force_grouping=True)


@register.filter
def money(value: Any) -> str:
    """An amount with two decimals, half-up, grouped per locale; "—" for nothing."""
    if value is None or value == "":
        return "—"
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=2, force_grouping=True)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or None."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.simple_tag
def pillar_name(key: str, pillars: Any) -> str:
    """Display name of the pillar with ``key``, or "No pillar" for top results without one."""
    for pillar in pillars:
        if pillar.key == key:
            return str(pillar.display_name)
    return _("No pillar")


@register.simple_tag
def indicator_range(indicator: Any) -> str:
    """ "baseline → target unit" in the indicator's own terms (stages, yes/no, numbers)."""
    if indicator.measure == "stage":
        stages = indicator.stages or []
        return format_html("{} → {}", stages[0] if stages else "?", stages[-1] if stages else "?")
    if indicator.measure == "yes_no":
        baseline = indicator.baseline_value
        start = _("yes") if baseline else (_("no") if baseline is not None else "—")
        return format_html("{} → {}", start, _("yes"))
    unit = "%" if indicator.measure == "percentage" else indicator.unit
    return format_html(
        "{} → {} {}",
        number(indicator.baseline_value),
        number(indicator.target_value),
        unit,
    )


@register.inclusion_tag("includes/plan_nav.html", takes_context=True)
def plan_nav(context: Any, plan: Any) -> dict[str, Any]:
    """The plan's navigation, showing only the pages the user may open (DESIGN.md §2).

    Uses the view's ``access`` when it put one in the context (no extra query).
    """
    from nap1325.core.permissions import (
        PLAN_VIEW_AUDIT,
        PLAN_VIEW_DASHBOARDS,
        REPORT_EDIT,
        REPORT_REVIEW,
        plan_access,
    )

    access = context.get("access")
    if access is None:
        access = plan_access(context["request"].user, plan)
    return {
        "plan": plan,
        "current": context["request"].resolver_match.view_name
        if context["request"].resolver_match
        else "",
        "can_view_dashboards": access.can(PLAN_VIEW_DASHBOARDS),
        "can_report": access.can(REPORT_EDIT) or access.can(REPORT_REVIEW),
        "can_view_history": access.can(PLAN_VIEW_AUDIT),
    }
