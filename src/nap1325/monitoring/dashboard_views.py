"""Dashboard pages: thin views over :mod:`nap1325.monitoring.dashboards` (approved values only).

Access: :data:`~nap1325.core.permissions.PLAN_VIEW_DASHBOARDS` (coordinator, focal point,
working-group member, partner). Members without it (civil-society monitors) get 403,
everyone else 404 (DESIGN.md §2). "Today" is the plan's local date.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from nap1325.core.models import Organisation
from nap1325.core.params import parse_id
from nap1325.core.permissions import PLAN_VIEW_DASHBOARDS, SHADOW_ASSESS, PlanAccess, plan_access
from nap1325.core.templatetags.nap1325 import measured, number, percent
from nap1325.measurement import Ratio, TimeAggregation
from nap1325.monitoring import dashboards
from nap1325.participation import selectors as participation_selectors
from nap1325.plans import selectors as plan_selectors
from nap1325.plans.models import Indicator, Plan
from nap1325.reports.charts import Bar, Point, progress_bars, time_series_chart


def _plan_for(request: HttpRequest, slug: str) -> tuple[Plan, PlanAccess]:
    try:
        plan = plan_selectors.plan_by_slug(slug)
    except Plan.DoesNotExist:
        raise Http404 from None
    access = plan_access(request.user, plan)
    access.require(PLAN_VIEW_DASHBOARDS)
    return plan, access


def _section(value: str | None) -> int | None:
    """The section to list in full (``?section=<id>``); anything else is ignored."""
    return parse_id(value)


def plan_today(plan: Plan) -> dt.date:
    """Today's date in the plan's time zone (target to date, overdue reports)."""
    try:
        zone = zoneinfo.ZoneInfo(plan.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


@login_required
def plan_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan overview: per pillar statuses, achievement, actions, budget, completeness."""
    plan, access = _plan_for(request, slug)
    data = dashboards.plan_dashboard(
        plan, as_of=plan_today(plan), expand=_section(request.GET.get("section"))
    )
    return render(
        request,
        "monitoring/dashboard_plan.html",
        {
            "plan": plan,
            "access": access,
            "dashboard": data,
            "agencies": dashboards.dashboard_agencies(plan),
            "progress_chart": progress_chart(data),
            "civil_society": participation_selectors.civil_society_view(plan),
        },
    )


@login_required
def agency_dashboard(request: HttpRequest, slug: str, organisation_pk: int) -> HttpResponse:
    """One agency's indicators, actions and reports per period."""
    plan, access = _plan_for(request, slug)
    try:
        organisation = dashboards.dashboard_organisation(plan, organisation_pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
    data = dashboards.plan_dashboard(
        plan,
        as_of=plan_today(plan),
        organisation=organisation,
        expand=_section(request.GET.get("section")),
    )
    return render(
        request,
        "monitoring/dashboard_agency.html",
        {"plan": plan, "access": access, "dashboard": data, "organisation": organisation},
    )


@login_required
def indicator_dashboard(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One indicator: value to date, achievement, time series with target, breakdowns."""
    plan, access = _plan_for(request, slug)
    try:
        indicator = dashboards.indicator_for_dashboard(plan, pk)
    except (Indicator.DoesNotExist, ObjectDoesNotExist):
        raise Http404 from None
    page = dashboards.indicator_page(plan, indicator, as_of=plan_today(plan))
    return render(
        request,
        "monitoring/dashboard_indicator.html",
        {
            "plan": plan,
            "access": access,
            "page": page,
            "chart": indicator_chart(page),
            "shadow_rows": participation_selectors.shadow_for_indicator(indicator),
            "indicator_pk": indicator.pk,
            "can_assess": access.can(SHADOW_ASSESS),
        },
    )


def indicator_chart(page: dashboards.IndicatorPage) -> SafeString | None:
    """The SVG time series of a numeric indicator, with its target to date; ``None`` otherwise.

    Bars: for ``latest`` indicators the value of each period; for ``sum`` and
    ``year_to_date`` the value to date at the period's end. A period without data draws
    no bar and says "not reported". Texts are translated here; the SVG is built by
    :func:`nap1325.reports.charts.time_series_chart`, which escapes them.
    """
    info = page.info.info
    if not info.is_numeric or not page.periods:
        return None
    cumulative = info.aggregation is not TimeAggregation.LATEST
    points = []
    for row in page.periods:
        value = (row.to_date.value if row.to_date else None) if cumulative else row.period.value
        if value is None:
            points.append(Point(row.label, None, _("not reported")))
        elif isinstance(value, Ratio):
            points.append(Point(row.label, value.percent, percent(value.percent)))
        else:
            points.append(Point(row.label, value, measured(value)))
    value_label = _("Value to date") if cumulative else _("Value in the period")
    svg = time_series_chart(
        chart_id=f"chart-indicator-{info.pk}",
        title=_("%(code)s %(title)s: values per reporting period")
        % {"code": info.code, "title": info.title},
        description=_(
            "%(series)s for each reporting period, with the target to date as a dashed "
            "line. The table next to the chart gives the same numbers."
        )
        % {"series": value_label},
        points=points,
        target=[row.target for row in page.periods],
        value_label=value_label,
        target_label=_("Target to date"),
        tick_text=number,
    )
    return mark_safe(svg)  # noqa: S308 - built by reports.charts, which escapes every text


def progress_chart(data: dashboards.Dashboard) -> SafeString | None:
    """Horizontal bars of the action progress per section (pillar); ``None`` without actions.

    The numbers are the sections' roll-ups (:func:`nap1325.measurement.roll_up`); the page
    shows the same numbers in a table beside the chart.
    """
    if not data.actions_total:
        return None
    bars = [
        Bar(
            f"{section.code} {section.pillar and _(section.pillar) or section.title}",
            section.progress.rollup.value,
            _("not reported")
            if section.progress.rollup.value is None
            else percent(section.progress.rollup.value),
        )
        for section in data.sections
    ]
    svg = progress_bars(
        chart_id="chart-progress",
        title=_("Average progress of actions by pillar"),
        description=_(
            "One bar per pillar: the average progress of its actions with an approved "
            "update, from 0 to 100 %. The table next to the chart gives the same numbers."
        ),
        bars=bars,
    )
    return mark_safe(svg)  # noqa: S308 - built by reports.charts, which escapes every text
