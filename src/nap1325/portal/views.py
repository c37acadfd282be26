"""The public portal: thin views over :mod:`nap1325.portal.selectors` (no login).

Anyone may read published plans, their public items (:mod:`nap1325.plans.visibility`) and
approved values; everything else answers 404, never 403 (DESIGN.md §2). Pages are never
cached (``never_cache``), so publishing and withdrawing show at the next request. "Today"
is the plan's local date.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nap1325.core.content import content
from nap1325.core.templatetags.nap1325 import achievement_text, status_label_text
from nap1325.monitoring import dashboards
from nap1325.monitoring.dashboard_views import indicator_chart, plan_today, progress_chart
from nap1325.portal import selectors
from nap1325.reports.charts import Bar, progress_bars


@require_safe
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    """Every published plan with its public counts."""
    return render(request, "portal/index.html", {"cards": selectors.plan_cards()})


@require_safe
@never_cache
def plan_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Status, period, legal act, pillars with counts, progress from approved values."""
    plan, scope = selectors.public_plan(slug)
    today = plan_today(plan)
    data = dashboards.plan_dashboard(plan, as_of=today, scope=scope)
    return render(
        request,
        "portal/plan.html",
        {
            "plan": plan,
            "dashboard": data,
            "progress_chart": progress_chart(data),
            "group": selectors.public_group(plan),
            "changes": selectors.latest_changes(
                scope, limit=selectors.CHANGES_ON_OVERVIEW, today=today
            ),
            "section": "overview",
        },
    )


@require_safe
@never_cache
def framework(request: HttpRequest, slug: str) -> HttpResponse:
    """The results framework: public results, actions and indicators with their status."""
    plan, scope = selectors.public_plan(slug)
    return render(
        request,
        "portal/framework.html",
        {
            "plan": plan,
            "framework": selectors.framework(scope, as_of=plan_today(plan)),
            "section": "framework",
        },
    )


@require_safe
@never_cache
def action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A public action: lead, partners, timeframe, latest approved update, indicators."""
    plan, scope = selectors.public_plan(slug)
    page = selectors.action_page(scope, pk, as_of=plan_today(plan))
    return render(
        request,
        "portal/action.html",
        {
            "plan": plan,
            "page": page,
            "chart": achievement_chart(page, plan),
            "section": "framework",
        },
    )


@require_safe
@never_cache
def indicator(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A public indicator: approved values per period with chart and table, breakdowns."""
    plan, scope = selectors.public_plan(slug)
    scope.indicator_or_404(pk)
    item = dashboards.indicator_for_dashboard(plan, pk)
    page = dashboards.indicator_page(plan, item, as_of=plan_today(plan))
    return render(
        request,
        "portal/indicator.html",
        {
            "plan": plan,
            "page": page,
            "chart": indicator_chart(page),
            "ancestors": selectors.indicator_ancestors(scope, item),
            "section": "framework",
        },
    )


@require_safe
@never_cache
def working_group(request: HttpRequest, slug: str) -> HttpResponse:
    """The published working group, its published events and media coverage."""
    plan, _scope = selectors.public_plan(slug)
    return render(
        request,
        "portal/group.html",
        {
            "plan": plan,
            "page": selectors.group_page(plan, today=plan_today(plan)),
            "section": "group",
        },
    )


@require_safe
@never_cache
def event(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published event (internal events answer 404)."""
    plan, _scope = selectors.public_plan(slug)
    return render(
        request,
        "portal/event.html",
        {"plan": plan, "page": selectors.event_page(plan, pk), "section": "group"},
    )


@require_safe
@never_cache
def changes(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest public changes: approved values, published events, status changes."""
    plan, scope = selectors.public_plan(slug)
    return render(
        request,
        "portal/changes.html",
        {
            "plan": plan,
            "changes": selectors.latest_changes(
                scope, limit=selectors.CHANGES_ON_PAGE, today=plan_today(plan)
            ),
            "section": "changes",
        },
    )


@require_safe
@never_cache
def consultations(request: HttpRequest, slug: str) -> HttpResponse:
    """Published consultations with their inputs, dispositions and public actions."""
    plan, scope = selectors.public_plan(slug)
    return render(
        request,
        "portal/consultations.html",
        {
            "plan": plan,
            "page": selectors.consultations_page(scope),
            "section": "consultations",
        },
    )


@require_safe
@never_cache
def consultation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published consultation (internal ones answer 404)."""
    plan, scope = selectors.public_plan(slug)
    return render(
        request,
        "portal/consultation.html",
        {
            "plan": plan,
            "item": selectors.consultation_page(scope, pk),
            "section": "consultations",
        },
    )


def achievement_chart(page: selectors.ActionPage, plan: Any = None) -> SafeString | None:
    """Bars of the achievement of the action's numeric indicators; ``None`` without any.

    A bar per numeric indicator with an achievement (0–100 %, over 100 % capped and
    marked); the page lists the same numbers in the table beside it. Indicator titles
    are in the reader's language by ``plan``'s fallback chain.
    """
    bars = []
    for indicator, summary in page.indicators:
        if summary is None or not summary.info.is_numeric:
            continue
        percent = summary.achievement.percent if summary.achievement else None
        bars.append(
            Bar(
                f"{indicator.code} {content(indicator, 'title', plan)}",
                percent,
                achievement_text(summary.achievement)
                if summary.achievement
                else status_label_text(summary.status),
            )
        )
    if not bars:
        return None
    svg = progress_bars(
        chart_id=f"chart-action-{page.action.pk}",
        title=_("Achievement of the indicators of %(code)s") % {"code": page.action.code},
        description=_(
            "One bar per numeric indicator: how far it has come from its baseline to its "
            "target, from approved values. The table next to the chart gives the same numbers."
        ),
        bars=bars,
    )
    return mark_safe(svg)  # noqa: S308 - built by reports.charts, which escapes every text
