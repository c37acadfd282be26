"""Builders shared by the work-plan, calendar and reminder tests."""

from __future__ import annotations

import datetime as dt

from nap1325.coordination import services
from nap1325.coordination.models import Event, WorkPlanItem
from nap1325.core.models import Organisation
from nap1325.plans.models import Plan


def seminar_with_task(
    plan: Plan, owner: Organisation, *, due: dt.date
) -> tuple[Event, WorkPlanItem]:
    """The 24–25 July 2012 seminar whose agenda decided a task owned by ``owner``."""
    event = services.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.SEMINAR,
        title="Two-day seminar for members of the inter-agency working group",
        start_date=dt.date(2012, 7, 24),
        end_date=dt.date(2012, 7, 25),
        place="Bishkek",
    )
    agenda = services.agenda_item_add(actor=None, event=event, title="Work plan of the group")
    outcome = services.outcome_record(
        actor=None,
        agenda_item=agenda,
        kind="task",
        text="Prepare the first draft of the NAP",
        task={"due": due, "owner_organisation": owner},
    )
    return event, outcome.task


def many_items(
    plan: Plan, owner: Organisation, count: int, *, first_due: dt.date
) -> list[WorkPlanItem]:
    """``count`` tasks due a day apart, each (after the first) depending on the one before,
    every third a milestone, every fifth with a start date."""
    items = WorkPlanItem.objects.bulk_create(
        WorkPlanItem(
            plan=plan,
            kind="milestone" if index % 3 == 0 else "task",
            title=f"Item {index}",
            owner_organisation=owner,
            start=first_due - dt.timedelta(days=20) if index % 5 == 0 else None,
            due=first_due + dt.timedelta(days=index),
        )
        for index in range(count)
    )
    through = WorkPlanItem.depends_on.through
    through.objects.bulk_create(
        through(from_workplanitem_id=later.pk, to_workplanitem_id=earlier.pk)
        for earlier, later in zip(items, items[1:], strict=False)
    )
    return items
