"""Work-plan pages (list, timeline, item forms), the plan's calendar feed and the reminder
settings. Thin: access check, form, service or selector, template.

Who: anyone who may view the plan reads the work plan and gets a calendar feed; the
secretariat (``PLAN_EDIT``) adds and changes items. 404 for those who may not see the plan,
403 for those who may see but not act.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nap1325.coordination import calendar, reminders, services
from nap1325.coordination import workplan_selectors as selectors
from nap1325.coordination.models import Event, WorkPlanItem
from nap1325.coordination.workplan_forms import ReminderForm, StateForm, WorkPlanItemForm
from nap1325.core.forms import add_errors
from nap1325.core.permissions import PLAN_EDIT
from nap1325.core.permissions import plan_for_request as _plan_for
from nap1325.plans.models import Plan
from nap1325.plans.selectors import plan_by_slug
from nap1325.reports.timeline import TimelineItem, timeline_svg


def _list_url(plan: Plan, item: WorkPlanItem | None = None) -> str:
    url = reverse("workplan:list", args=[plan.slug])
    return f"{url}#item-{item.pk}" if item else url


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "state": request.GET.get("state", "")[:20],
        "owner": request.GET.get("owner", "")[:20],
    }


def _state_filter_choices() -> list[tuple[str, str]]:
    return [
        ("open", _("Open (to do or doing)")),
        ("overdue", _("Overdue")),
        *WorkPlanItem.State.choices,
    ]


@login_required
def work_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The list of milestones and tasks, filterable by state and owner (GET parameters)."""
    plan, access = _plan_for(request, slug)
    filters = _filters(request)
    today = services.today_in(plan)
    data = selectors.work_plan(plan, today=today, **filters)
    return render(
        request,
        "coordination/workplan_list.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "owned_ids": {
                row.item.pk for row in data.rows if services.owns(request.user, row.item, access)
            },
            "work_plan": data,
            "filters": filters,
            "is_filtered": bool(filters["state"] or filters["owner"]),
            "state_choices": _state_filter_choices(),
            "owner_choices": selectors.owner_choices(plan),
            "state_form_choices": WorkPlanItem.State.choices,
        },
    )


def _timeline_item(row: selectors.ItemRow) -> TimelineItem:
    item = row.item
    parts = [_("due %(date)s") % {"date": date_format(item.due, "DATE_FORMAT")}]
    parts.append(str(item.get_state_display()))
    if row.is_overdue:
        parts.append(_("overdue"))
    return TimelineItem(
        key=f"item-{item.pk}",
        label=item.title,
        due=item.due,
        start=item.start,
        is_milestone=item.kind == WorkPlanItem.Kind.MILESTONE,
        state=item.state,
        is_overdue=row.is_overdue,
        text=" · ".join(parts),
    )


@login_required
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    """The work plan on a date axis (server-rendered SVG) with the same items as a table."""
    plan, access = _plan_for(request, slug)
    filters = _filters(request)
    today = services.today_in(plan)
    data = selectors.work_plan(plan, today=today, **filters)
    today_text = _("Today, %(date)s") % {"date": date_format(today, "DATE_FORMAT")}
    drawing = {
        "today": today,
        "title": _("Work plan timeline: %(plan)s") % {"plan": plan.title},
        "description": _(
            "%(count)s items on a date axis; tasks are bars or dots, milestones diamonds; "
            "overdue items are hatched red and marked with “!”. The table below lists the "
            "same items."
        )
        % {"count": data.total},
        "today_text": today_text,
        "month_label": lambda day: date_format(day, "M Y"),
    }
    shown = [_timeline_item(row) for row in data.rows]
    # Two drawings, one for wide screens and one for phones; CSS shows one of them.
    svg = timeline_svg(shown, svg_id="timeline-wide", **drawing)
    svg_compact = timeline_svg(shown, svg_id="timeline-compact", compact=True, **drawing)
    return render(
        request,
        "coordination/workplan_timeline.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "owned_ids": {
                row.item.pk for row in data.rows if services.owns(request.user, row.item, access)
            },
            "work_plan": data,
            # Every text is escaped in reports.timeline.
            "svg": mark_safe(svg),  # noqa: S308
            "svg_compact": mark_safe(svg_compact),  # noqa: S308
            "filters": filters,
            "is_filtered": bool(filters["state"] or filters["owner"]),
            "state_choices": _state_filter_choices(),
            "owner_choices": selectors.owner_choices(plan),
        },
    )


def _form_page(
    request: HttpRequest,
    plan: Plan,
    form: WorkPlanItemForm,
    save: Any,
    *,
    heading: str,
    item: WorkPlanItem | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            saved = save(values)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved: %(item)s") % {"item": saved})
            for warning in services.planning_warnings(saved):
                messages.warning(request, warning)
            return HttpResponseRedirect(_list_url(plan, saved))
    warnings = services.planning_warnings(item) if item is not None else []
    return render(
        request,
        "coordination/workplan_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": heading,
            "item": item,
            "warnings": warnings,
            "cancel_url": _list_url(plan, item),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def item_create(request: HttpRequest, slug: str) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    initial = {"kind": request.GET.get("kind")} if request.method == "GET" else None
    form = WorkPlanItemForm(_data(request), instance=WorkPlanItem(plan=plan), initial=initial)

    def save(values: dict[str, Any]) -> WorkPlanItem:
        return services.work_plan_item_create(actor=request.user, plan=plan, **values)

    return _form_page(request, plan, form, save, heading=_("Add to the work plan"))


@login_required
def item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    item = get_object_or_404(WorkPlanItem, pk=pk, plan=plan)
    form = WorkPlanItemForm(_data(request), instance=copy.copy(item))

    def save(values: dict[str, Any]) -> WorkPlanItem:
        return services.work_plan_item_update(actor=request.user, item=item, **values)

    return _form_page(
        request, plan, form, save, heading=_("Edit: %(item)s") % {"item": item}, item=item
    )


@login_required
def item_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an item's state (the list posts here; a missing reason comes back here)."""
    plan, access = _plan_for(request, slug)
    item = get_object_or_404(WorkPlanItem, pk=pk, plan=plan)
    if not (access.can(PLAN_EDIT) or services.owns(request.user, item, access)):
        raise PermissionDenied
    form = StateForm(_data(request), initial={"state": item.state, "drop_reason": item.drop_reason})
    if request.method == "POST" and form.is_valid():
        state = form.cleaned_data["state"]
        reason = form.cleaned_data["drop_reason"] if state == WorkPlanItem.State.DROPPED else ""
        try:
            services.work_plan_item_set_state(
                actor=request.user, item=item, state=state, drop_reason=reason
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(item)s: %(state)s") % {"item": item, "state": item.get_state_display()},
            )
            return HttpResponseRedirect(_list_url(plan, item))
    return render(
        request,
        "coordination/workplan_state.html",
        {"plan": plan, "form": form, "item": item, "cancel_url": _list_url(plan, item)},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- calendar feed


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


@login_required
def calendar_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's secret feed address, with a button to reset it."""
    plan, access = _plan_for(request, slug)
    token = calendar.feed_token(request.user, plan)
    feed_url = _absolute(request, reverse("workplan:feed", args=[plan.slug, token]))
    return render(
        request,
        "coordination/workplan_calendar.html",
        {"plan": plan, "access": access, "feed_url": feed_url},
    )


@login_required
@require_POST
def calendar_reset(request: HttpRequest, slug: str) -> HttpResponse:
    plan, _access = _plan_for(request, slug)
    calendar.calendar_feed_reset(actor=request.user, plan=plan)
    messages.success(
        request, _("Your calendar address was reset. The old address no longer works.")
    )
    return HttpResponseRedirect(reverse("workplan:calendar", args=[plan.slug]))


def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The iCalendar feed (no sign-in: the token in the URL is the key). 404 when the token
    is wrong, reset, or its owner may no longer see the plan."""
    try:
        plan = plan_by_slug(slug)
    except Plan.DoesNotExist:
        raise Http404 from None
    user = calendar.feed_user(plan, token)
    if user is None:
        raise Http404

    def event_url(event: Event) -> str:
        try:
            return _absolute(request, reverse("coordination:event", args=[plan.slug, event.pk]))
        except NoReverseMatch:
            return ""

    list_url = _absolute(request, reverse("workplan:list", args=[plan.slug]))
    body = calendar.build_feed(
        plan,
        events=calendar.visible_events(user, plan),
        items=calendar.visible_items(user, plan),
        event_url=event_url,
        item_url=lambda item: f"{list_url}#item-{item.pk}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{plan.slug}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --------------------------------------------------------------------------- reminders


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """The person's choice of reminder digests (none / daily / weekly on Mondays)."""
    form = ReminderForm(_data(request), initial={"reminders": request.user.reminders})
    if request.method == "POST" and form.is_valid():
        try:
            reminders.reminder_preference_set(
                actor=request.user, reminders=form.cleaned_data["reminders"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your reminder settings were saved."))
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "coordination/workplan_reminders.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if request.method == "POST" else 200,
    )
