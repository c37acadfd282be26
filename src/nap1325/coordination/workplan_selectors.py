"""Reads for the work plan: rows of the list and the timeline, owners for the filter.

Every function runs a fixed number of queries whatever the number of items (the pages pin
their query budgets). "Overdue" is relative to today in the plan's time zone
(:func:`nap1325.coordination.services.today_in`): an open item (to do, doing) whose due
date has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from nap1325.coordination.models import WorkPlanItem
from nap1325.core.content import organisation_label
from nap1325.core.models import Organisation, User
from nap1325.core.params import parse_id
from nap1325.plans.models import Plan

#: Values of the state filter besides the four states.
STATE_FILTERS = ("open", "overdue")


@dataclass(frozen=True)
class ItemRow:
    """One item of the work plan as the list and the timeline show it."""

    item: WorkPlanItem
    is_overdue: bool
    #: Days until the due date (negative when past), relative to the plan's today.
    days_left: int
    dependencies: list[WorkPlanItem] = field(default_factory=list)

    @property
    def days_overdue(self) -> int:
        """Days past the due date (0 when not past)."""
        return max(-self.days_left, 0)

    @property
    def owner(self) -> str:
        """The owning person and/or organisation, "" when nobody owns the item."""
        parts = []
        if self.item.owner_user_id:
            parts.append(str(self.item.owner_user))
        if self.item.owner_organisation_id:
            parts.append(str(self.item.owner_organisation))
        return " · ".join(parts)


@dataclass(frozen=True)
class WorkPlan:
    """The (filtered) work plan of a plan: its rows in due-date order and summary counts."""

    rows: list[ItemRow]
    today: dt.date
    total: int
    overdue: int


def _base(plan: Plan) -> QuerySet[WorkPlanItem]:
    return (
        WorkPlanItem.objects.filter(plan=plan)
        .select_related(
            "owner_organisation",
            "owner_user",
            "decided_at__agenda_item__event",
        )
        .prefetch_related(
            Prefetch("depends_on", queryset=WorkPlanItem.objects.only("id", "title", "due"))
        )
        .order_by("due", "id")
    )


def parse_owner(value: str | None) -> tuple[str, int] | None:
    """``"o12"`` → ("organisation", 12), ``"u7"`` → ("user", 7); anything else → None
    (including an id no database key can hold, :func:`nap1325.core.params.parse_id`)."""
    if not value or value[0] not in "ou" or (pk := parse_id(value[1:])) is None:
        return None
    return ("organisation" if value[0] == "o" else "user", pk)


def work_plan(plan: Plan, *, today: dt.date, state: str = "", owner: str = "") -> WorkPlan:
    """The work plan's rows, filtered by ``state`` (a state, "open" or "overdue") and
    ``owner`` ("o<organisation id>" or "u<user id>"); unknown filter values are ignored.

    Queries: 2 (items with owners and the meeting that decided them; dependencies).
    """
    items = _base(plan)
    if state in WorkPlanItem.State.values:
        items = items.filter(state=state)
    elif state in STATE_FILTERS:
        items = items.filter(state__in=[WorkPlanItem.State.TODO, WorkPlanItem.State.DOING])
        if state == "overdue":
            items = items.filter(due__lt=today)
    parsed = parse_owner(owner)
    if parsed and parsed[0] == "organisation":
        items = items.filter(owner_organisation_id=parsed[1])
    elif parsed:
        items = items.filter(owner_user_id=parsed[1])
    rows = [
        ItemRow(
            item=item,
            is_overdue=item.is_overdue(today),
            days_left=(item.due - today).days,
            dependencies=list(item.depends_on.all()),
        )
        for item in items
    ]
    return WorkPlan(
        rows=rows,
        today=today,
        total=len(rows),
        overdue=sum(1 for row in rows if row.is_overdue),
    )


def owner_choices(plan: Plan) -> list[tuple[str, str]]:
    """Owners of the plan's items for the owner filter: ("o<id>"|"u<id>", name). 2 queries.

    Organisations are named in the reader's language (a ``LocalisedText``: the template
    marks a fallback with ``lang``), in the order of their names.
    """
    organisations = Organisation.objects.filter(work_plan_items__plan=plan).distinct()
    users = User.objects.filter(work_plan_items__plan=plan).distinct()
    labelled = [(f"o{org.pk}", organisation_label(org, plan)) for org in organisations]
    choices: list[tuple[str, str]] = sorted(labelled, key=lambda choice: choice[1].casefold())
    choices += [(f"u{user.pk}", str(user)) for user in users.order_by("display_name", "username")]
    return choices


def plan_members(plan: Plan) -> QuerySet[User]:
    """People who may own an item: active members of the plan."""
    return (
        User.objects.filter(memberships__plan=plan, memberships__is_active=True, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


def plan_items(plan: Plan, *, exclude: int | None = None) -> QuerySet[WorkPlanItem]:
    """The plan's items (choices for dependencies), without ``exclude``."""
    items = WorkPlanItem.objects.filter(plan=plan).order_by("due", "id")
    if exclude is not None:
        items = items.exclude(Q(pk=exclude))
    return items
