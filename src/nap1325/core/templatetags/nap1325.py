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
from django.utils.translation import gettext_lazy

register = template.Library()


def plain_decimal(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (120.000000 → 120)."""
    normalized = value.normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return normalized


@register.filter
def number(value: Any, places: Any = None) -> str:
    """A stored Decimal as the reader expects it, grouped per locale; "—" for nothing.

    Without ``places``: no trailing zeros (``1234.50`` → en "1,234.5", ru/ky "1 234,5").
    With ``places``: rounded half-up first (DESIGN.md §5, ``measurement.display``), then
    exactly that many decimals (``0.605|number:2`` → en "0.61", ru "0,61").
    """
    if value is None or value == "":
        return "—"
    if places is None or places == "":
        return number_format(plain_decimal(Decimal(value)), force_grouping=True)
    from nap1325.measurement import display

    digits = int(places)
    return number_format(
        Decimal(display(Decimal(value), digits)), decimal_pos=digits, force_grouping=True
    )


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


# --------------------------------------------------------------------------- dashboards
# Texts for numbers from nap1325.measurement, translated here from the numbers (the
# measurement package's own English texts are never shown). Rounding is the measurement
# package's (half-up); only the digits are localised.


def _localised(text: str) -> str:
    """A plain decimal string (``"-37.5"``) with the active language's separators."""
    return number_format(Decimal(text), force_grouping=True)


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A value in percent units as ``"62.5 %"`` (half-up, trailing zeros dropped); "—" for None."""
    from nap1325.measurement import percent_display

    if value is None or value == "":
        return "—"
    text = percent_display(Decimal(value), int(places))
    return _localised(text.removesuffix(" %")) + "\N{NO-BREAK SPACE}%"


@register.filter
def ratio(value: Any, places: int = 1) -> str:
    """A share with its parts: ``"18.2 % (40/220)"`` (parts ungrouped, as in DESIGN.md §5)."""
    if value is None:
        return "—"
    parts = "/".join(
        number_format(plain_decimal(Decimal(part))) for part in (value.numerator, value.denominator)
    )
    return f"{percent(value.percent, places)} ({parts})"


@register.filter
def measured(value: Any, places: int = 1) -> str:
    """A number (its digits) or a share (with its parts); "not reported" for None."""
    from nap1325.measurement import Ratio

    if value is None:
        return _("not reported")
    if isinstance(value, Ratio):
        return ratio(value, places)
    return number(value)


_STATUS_LABELS = {
    "achieved": gettext_lazy("achieved"),
    "on_track": gettext_lazy("on track"),
    "at_risk": gettext_lazy("at risk"),
    "off_track": gettext_lazy("off track"),
    "in_progress": gettext_lazy("in progress"),
    "done": gettext_lazy("done"),
    "not_done": gettext_lazy("not done"),
    "not_reported": gettext_lazy("not reported"),
    "not_applicable": gettext_lazy("n/a"),
}


def status_label_text(status: Any) -> str:
    """Translated label of a :class:`nap1325.measurement.Status` (or its value)."""
    key = str(getattr(status, "value", status))
    label = _STATUS_LABELS.get(key)
    return str(label) if label is not None else key


@register.filter
def status_label(status: Any) -> str:
    """Translated status of an indicator ("on track", "n/a", …)."""
    return status_label_text(status)


@register.filter
def status_counts(counts: Any) -> str:
    """``"2 on track, 1 achieved"`` from a status → count mapping, in status order; "—" if empty."""
    from nap1325.measurement import Status

    parts = [
        _("%(count)s %(label)s") % {"count": counts[status], "label": status_label_text(status)}
        for status in Status
        if counts.get(status)
    ]
    return ", ".join(parts) if parts else "—"


def achievement_text(value: Any, places: int = 1) -> str:
    """An :class:`~nap1325.measurement.Achievement` as "62.5 %" or its translated n/a reason."""
    if value is None:
        return "—"
    if value.percent is not None:
        return percent(value.percent, places)
    reasons = {
        "not_reported": _("not reported"),
        "no_target": _("n/a (no target)"),
        "no_baseline": _("n/a (no baseline)"),
        "target_equals_baseline": _("n/a (target equals baseline)"),
        "zero_target": _("n/a (target is 0)"),
    }
    return reasons.get(str(value.reason.value), _("n/a"))


@register.filter(name="achievement")
def achievement_filter(value: Any, places: int = 1) -> str:
    """Achievement text (see :func:`achievement_text`)."""
    return achievement_text(value, places)


def entry_text(entry: Any, stages: Any = ()) -> str:
    """One period's report in words: a number, a share, yes/no, a stage, no data, not reported."""
    from nap1325.measurement import NoData, Ratio, StageReached, YesNo

    if entry is None:
        return _("not reported")
    if isinstance(entry, NoData):
        return _("no data (%(reason)s)") % {"reason": entry.reason}
    if isinstance(entry, Ratio):
        return ratio(entry)
    if isinstance(entry, YesNo):
        return _("yes") if entry.done else _("no")
    if isinstance(entry, StageReached):
        stages = list(stages or ())
        if entry.index < len(stages):
            return str(stages[entry.index])
        return _("stage %(number)s") % {"number": entry.index + 1}
    return number(entry)


@register.filter
def entry(value: Any, stages: Any = ()) -> str:
    """See :func:`entry_text`."""
    return entry_text(value, stages)


@register.simple_tag(takes_context=True)
def can_view_dashboards(context: Any) -> bool:
    """True if the user may open the plan's dashboards (uses the view's ``access``)."""
    from nap1325.core.permissions import PLAN_VIEW_DASHBOARDS, plan_access

    access = context.get("access")
    if access is None:
        request = context.get("request")
        plan = context.get("plan")
        if request is None or plan is None:
            return False
        access = plan_access(request.user, plan)
    return bool(access.can(PLAN_VIEW_DASHBOARDS))


@register.simple_tag(takes_context=True)
def can_shadow_assess(context: Any) -> bool:
    """True if the user may write civil society's shadow assessments on the plan."""
    from nap1325.core.permissions import SHADOW_ASSESS, plan_access

    access = context.get("access")
    if access is None:
        request = context.get("request")
        plan = context.get("plan")
        if request is None or plan is None:
            return False
        access = plan_access(request.user, plan)
    return bool(access.can(SHADOW_ASSESS))


@register.filter
def decimal_display(value: Any, places: int = 1) -> str:
    """A computed Decimal (a target to date, a mean) rounded half-up to ``places``, localised."""
    from nap1325.measurement import display

    if value is None or value == "":
        return "—"
    text = display(Decimal(value), int(places))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _localised(text)


@register.filter
def action_status_counts(counts: Any) -> str:
    """``"3 in progress, 1 completed, 2 no update"`` from an action status → count mapping."""
    from nap1325.plans.models import Action

    labels = dict(Action.Status.choices)
    parts = [
        _("%(count)s %(label)s")
        % {
            "count": count,
            "label": _("no update") if key == "no_update" else str(labels.get(key, key)).lower(),
        }
        for key, count in (counts or {}).items()
        if count
    ]
    return ", ".join(parts) if parts else "—"


@register.filter
def funding_source_label(key: Any) -> str:
    """Translated funding source, or the dashboards' buckets for mixed or no budget lines."""
    from nap1325.plans.models import BudgetLine

    if key == "several":
        return _("Actions with several funding sources")
    if key == "none":
        return _("Actions without budget lines")
    return str(dict(BudgetLine.FundingSource.choices).get(key, key))


@register.filter
def report_state_label(state: Any) -> str:
    """Translated state of an agency report."""
    from nap1325.monitoring.models import AgencyReport

    return str(dict(AgencyReport.State.choices).get(state, state))
