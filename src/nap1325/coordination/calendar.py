"""The plan's iCalendar feed (RFC 5545): events and work-plan due dates, per member.

**Secret address.** Calendar programs cannot sign in, so the feed's URL carries a secret
token per user and plan. The token is *derived*, not stored: it is
``django.core.signing`` over ``"<user id>.<plan id>.<generation>"`` (salt
``nap1325.calendar-feed``), where the generation is the id of the user's latest
``calendar_feed.reset`` audit event on the plan (0 before any reset). Resetting the address
(:func:`calendar_feed_reset`) records such an event, so the old URL stops working and the
reset is in the plan's history; no table holds secrets. Changing ``SECRET_KEY`` invalidates
every feed address (members copy the new address from the work-plan page).

**Who gets a feed.** Only people who may see the plan (members, platform admins); the
membership is checked again on every fetch, so a revoked member's feed answers 404. The
feed holds what that person may see on the work-plan and event pages (:func:`visible_events`
and :func:`visible_items`): every role that may view the plan sees the working group's
events and the whole work plan (issue 4, point 7: members see everything of the group,
partners read).

**Contents.** An event without times is all-day (``DTSTART;VALUE=DATE``, ``DTEND`` the day
after its last day); with times, local times with the plan's ``TZID`` and a ``VTIMEZONE``.
A work-plan item is an all-day entry on its due date ("Due: …", "Milestone: …"); dropped
items are ``STATUS:CANCELLED``. UIDs are stable: ``event-<id>@<plan slug>.nap1325`` and
``work-plan-item-<id>@<plan slug>.nap1325``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nap1325.coordination.models import Event, WorkPlanItem
from nap1325.core import audit
from nap1325.core.models import AuditEvent, User
from nap1325.core.permissions import PLAN_VIEW, plan_access
from nap1325.plans.models import Plan

SALT = "nap1325.calendar-feed"
RESET_EVENT = "calendar_feed.reset"
PRODID = "-//NAP 1325 Platform//Work plan and events//EN"


# --------------------------------------------------------------------------- secret address


def _generation(user_id: int, plan_id: int) -> int:
    latest = (
        AuditEvent.objects.filter(actor_id=user_id, plan_id=plan_id, event_type=RESET_EVENT)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return latest or 0


def feed_token(user: User, plan: Plan) -> str:
    """The secret token of ``user``'s feed of ``plan`` (URL-safe; 1 query)."""
    value = f"{user.pk}.{plan.pk}.{_generation(user.pk, plan.pk)}"
    return signing.Signer(salt=SALT).sign(value)


def feed_user(plan: Plan, token: str) -> User | None:
    """The user whose current token for ``plan`` is ``token``, if they may still see the
    plan; ``None`` for a forged, old (reset) or foreign token or a former member."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        user_id, plan_id, generation = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None
    if plan_id != plan.pk or generation != _generation(user_id, plan.pk):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not plan_access(user, plan).can(PLAN_VIEW):
        return None
    return user


@transaction.atomic
def calendar_feed_reset(*, actor: User, plan: Plan) -> str:
    """Give ``actor`` a new feed address for ``plan``; the old one stops working.

    Errors: ``PermissionDenied`` / ``Http404`` (via ``require``) if ``actor`` may not see
    the plan. Returns the new token.
    """
    plan_access(actor, plan).require(PLAN_VIEW)
    audit.record(actor=actor, event_type=RESET_EVENT, obj=plan, plan=plan, changes={})
    return feed_token(actor, plan)


# --------------------------------------------------------------------------- what is shown


def visible_events(user: User, plan: Plan) -> QuerySet[Event]:
    """Events of ``plan`` that ``user`` may see (all of them for anyone who sees the plan)."""
    if not plan_access(user, plan).can(PLAN_VIEW):
        return Event.objects.none()
    return Event.objects.filter(plan=plan).order_by("start_date", "start_time", "id")


def visible_items(user: User, plan: Plan) -> QuerySet[WorkPlanItem]:
    """Work-plan items of ``plan`` that ``user`` may see (all, for anyone who sees the plan)."""
    if not plan_access(user, plan).can(PLAN_VIEW):
        return WorkPlanItem.objects.none()
    return (
        WorkPlanItem.objects.filter(plan=plan)
        .select_related("owner_organisation", "owner_user")
        .order_by("due", "id")
    )


# --------------------------------------------------------------------------- the feed


def _uid(kind: str, pk: int, plan: Plan) -> str:
    return f"{kind}-{pk}@{plan.slug}.nap1325"


def _event_component(event: Event, plan: Plan, zone: ZoneInfo, url: str) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", _uid("event", event.pk, plan))
    component.add("summary", event.title)
    if event.start_time is None:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.end_date + dt.timedelta(days=1))
    else:
        component.add("dtstart", dt.datetime.combine(event.start_date, event.start_time, zone))
        if event.end_time is not None:
            component.add("dtend", dt.datetime.combine(event.end_date, event.end_time, zone))
        elif event.end_date > event.start_date:
            end = event.end_date + dt.timedelta(days=1)
            component.add("dtend", dt.datetime.combine(end, dt.time(0), zone))
    if event.place:
        component.add("location", event.place)
    lines = [str(event.get_kind_display())]
    if event.description:
        lines.append(event.description)
    if event.is_illustrative:
        lines.append(_("Illustrative data."))
    component.add("description", "\n\n".join(lines))
    component.add("categories", [str(event.get_kind_display())])
    if url:
        component.add("url", url)
    return component


def _item_component(item: WorkPlanItem, plan: Plan, url: str) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", _uid("work-plan-item", item.pk, plan))
    if item.kind == WorkPlanItem.Kind.MILESTONE:
        summary = _("Milestone: %(title)s") % {"title": item.title}
    else:
        summary = _("Due: %(title)s") % {"title": item.title}
    component.add("summary", summary)
    component.add("dtstart", item.due)
    component.add("dtend", item.due + dt.timedelta(days=1))
    component.add("transp", "TRANSPARENT")
    lines = [_("State: %(state)s") % {"state": item.get_state_display()}]
    owners = [str(owner) for owner in (item.owner_user, item.owner_organisation) if owner]
    if owners:
        lines.append(_("Owner: %(owner)s") % {"owner": " · ".join(owners)})
    if item.description:
        lines.append(item.description)
    component.add("description", "\n".join(lines))
    component.add("categories", [str(item.get_kind_display())])
    if item.state == WorkPlanItem.State.DROPPED:
        component.add("status", "CANCELLED")
    elif item.state == WorkPlanItem.State.DONE:
        component.add("status", "CONFIRMED")
    if url:
        component.add("url", url)
    return component


def build_feed(
    plan: Plan,
    *,
    events: Iterable[Event],
    items: Iterable[WorkPlanItem],
    event_url: Callable[[Event], str] = lambda event: "",
    item_url: Callable[[WorkPlanItem], str] = lambda item: "",
    now: dt.datetime | None = None,
) -> bytes:
    """The iCalendar document (``text/calendar`` bytes, CRLF lines) of ``events`` and
    ``items`` of ``plan``. ``event_url``/``item_url`` give absolute links ("" for none);
    ``now`` is the ``DTSTAMP`` of every entry (default: the current time, UTC)."""
    zone = ZoneInfo(plan.time_zone)
    stamp = (now or timezone.now()).astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("%(plan)s: work plan and events") % {"plan": plan.title})
    calendar.add("x-wr-timezone", plan.time_zone)
    for event in events:
        component = _event_component(event, plan, zone, event_url(event))
        component.add("dtstamp", stamp)
        calendar.add_component(component)
    for item in items:
        component = _item_component(item, plan, item_url(item))
        component.add("dtstamp", stamp)
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()
