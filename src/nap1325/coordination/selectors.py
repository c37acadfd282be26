"""Reads of the working-group, event and media pages, each with a fixed number of queries.

Shares of women are ``women / (women + men)`` as a :class:`~nap1325.measurement.Ratio`
(DESIGN.md §5: pooled, parts shown); people whose sex is not stated are counted and shown
beside the share, never silently dropped. Dates of events are the plan's local dates
(``Event`` docstring); "today" is today in the plan's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from nap1325.coordination.models import (
    AgendaItem,
    Attendance,
    Event,
    EventDocument,
    GroupMember,
    MediaItem,
    Outcome,
    WorkingGroup,
)
from nap1325.core.models import User
from nap1325.measurement import Ratio
from nap1325.plans.models import Plan

ROLE_ORDER = {role: index for index, role in enumerate(GroupMember.Role.values)}


@dataclass(frozen=True)
class SexCounts:
    """People counted by sex; ``share`` = women / (women + men), ``None`` if both are 0."""

    women: int = 0
    men: int = 0
    unspecified: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified

    @property
    def share(self) -> Ratio | None:
        known = self.women + self.men
        return Ratio(Decimal(self.women), Decimal(known)) if known else None

    def __add__(self, other: SexCounts) -> SexCounts:
        return SexCounts(
            self.women + other.women, self.men + other.men, self.unspecified + other.unspecified
        )


def sex_counts(rows: Iterable[Attendance]) -> SexCounts:
    total = SexCounts()
    for row in rows:
        total = total + SexCounts(row.women, row.men, row.unspecified)
    return total


def participants_flag(declared: int | None, listed: SexCounts, rows: int) -> str:
    """A warning when the declared number of participants differs from the attendance list.

    Empty when nothing was declared, when they agree, or when no list was recorded (the
    declared number is then all there is). Issue 4: "an attendance count that does not match
    the listed attendees (flagged)" — flagged, never refused.
    """
    if declared is None or rows == 0 or declared == listed.total:
        return ""
    return _(
        "The organisers declared %(declared)s participants; the attendance list counts %(listed)s."
    ) % {"declared": declared, "listed": listed.total}


# --------------------------------------------------------------------------- working group


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the group's history: ``kind`` is ``"joined"`` or ``"left"``."""

    day: dt.date
    kind: str
    member: GroupMember


@dataclass(frozen=True)
class GroupPage:
    group: WorkingGroup | None
    current: list[GroupMember] = field(default_factory=list)
    former: list[GroupMember] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    counts: SexCounts = SexCounts()
    seats: int = 0  # current members that are an organisation's seat without a named person
    chairs: list[GroupMember] = field(default_factory=list)


def _member_sort_key(member: GroupMember) -> tuple[int, str, str]:
    return (
        ROLE_ORDER.get(member.role, 99),
        member.organisation.name.lower() if member.organisation else "",
        member.person_name.lower(),
    )


def group_page(plan: Plan, today: dt.date) -> GroupPage:
    """The working group with current and former members, counts and history (2 queries).

    Current: not left, or leaving today or later (a member joining later is listed with the
    date). Counts and the share of women are of current members with a named person; an
    organisation's seat without a person counts as a seat, not as a woman or a man.
    """
    group = (
        WorkingGroup.objects.select_related("lead_organisation", "secretariat")
        .filter(plan=plan)
        .first()
    )
    if group is None:
        return GroupPage(group=None)
    members = list(GroupMember.objects.filter(group=group).select_related("organisation", "user"))
    current = sorted(
        (m for m in members if m.left_on is None or m.left_on >= today), key=_member_sort_key
    )
    former = sorted(
        (m for m in members if m.left_on is not None and m.left_on < today),
        key=lambda m: (m.left_on, m.person_name),
        reverse=True,
    )
    history: list[HistoryEntry] = []
    for member in members:
        history.append(HistoryEntry(member.joined_on, "joined", member))
        if member.left_on is not None:
            history.append(HistoryEntry(member.left_on, "left", member))
    history.sort(key=lambda entry: (entry.day, entry.kind != "joined", entry.member.pk))
    counts = SexCounts()
    seats = 0
    for member in current:
        if not member.person_name:
            seats += 1
            continue
        counts = counts + SexCounts(
            int(member.sex == "woman"), int(member.sex == "man"), int(member.sex == "unspecified")
        )
    return GroupPage(
        group=group,
        current=current,
        former=former,
        history=history,
        counts=counts,
        seats=seats,
        chairs=[m for m in current if m.role == GroupMember.Role.CHAIR],
    )


def group_of(plan: Plan) -> WorkingGroup | None:
    return WorkingGroup.objects.select_related("plan").filter(plan=plan).first()


def member_of(plan: Plan, pk: int) -> GroupMember:
    """A member of the plan's group (``GroupMember.DoesNotExist`` otherwise)."""
    return GroupMember.objects.select_related("group__plan").get(pk=pk, group__plan=plan)


def plan_users(plan: Plan) -> QuerySet[User]:
    """Users holding an active role on ``plan`` (choices for recorder, owner, user account)."""
    return (
        User.objects.filter(memberships__plan=plan, memberships__is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class EventRow:
    event: Event
    counts: SexCounts
    rows: int  # attendance rows recorded
    flag: str


@dataclass(frozen=True)
class YearSummary:
    year: int
    events: int
    with_list: int  # events with an attendance list
    counts: SexCounts  # participants on the attendance lists


@dataclass(frozen=True)
class EventsPage:
    upcoming: list[EventRow]
    past: list[EventRow]
    years: list[YearSummary]


def events_page(plan: Plan, today: dt.date, kind: str = "") -> EventsPage:
    """Events of ``plan`` (of ``kind`` if given): upcoming soonest first, past latest first,
    and per year (of the start date) the events, participants and share of women. 1 query.
    """
    queryset = Event.objects.filter(plan=plan)
    if kind:
        queryset = queryset.filter(kind=kind)
    queryset = queryset.annotate(
        n_women=Sum("attendance__women"),
        n_men=Sum("attendance__men"),
        n_unspecified=Sum("attendance__unspecified"),
        n_rows=Count("attendance"),
    ).order_by("start_date", "start_time", "id")
    upcoming: list[EventRow] = []
    past: list[EventRow] = []
    years: dict[int, YearSummary] = {}
    for event in queryset:
        counts = SexCounts(event.n_women or 0, event.n_men or 0, event.n_unspecified or 0)
        row = EventRow(
            event=event,
            counts=counts,
            rows=event.n_rows,
            flag=participants_flag(event.declared_participants, counts, event.n_rows),
        )
        (upcoming if event.end_date >= today else past).append(row)
        year = years.get(event.start_date.year) or YearSummary(
            event.start_date.year, 0, 0, SexCounts()
        )
        years[event.start_date.year] = YearSummary(
            year.year,
            year.events + 1,
            year.with_list + (1 if event.n_rows else 0),
            year.counts + counts,
        )
    past.reverse()
    return EventsPage(
        upcoming=upcoming, past=past, years=[years[key] for key in sorted(years, reverse=True)]
    )


def event_of(plan: Plan, pk: int) -> Event:
    """An event of ``plan`` with its recorder (``Event.DoesNotExist`` otherwise). 1 query."""
    return Event.objects.select_related("plan", "minutes_recorder").get(pk=pk, plan=plan)


@dataclass(frozen=True)
class EventPage:
    event: Event
    organisers: list
    agenda: list[AgendaItem]
    attendance: list[Attendance]
    counts: SexCounts
    flag: str
    documents: list[EventDocument]
    media: list[MediaItem]


def event_page(event: Event) -> EventPage:
    """Everything the event page shows (6 queries whatever the number of rows)."""
    agenda = list(
        AgendaItem.objects.filter(event=event).prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related(
                    "task__owner_organisation", "task__owner_user"
                ),
            )
        )
    )
    attendance = list(Attendance.objects.filter(event=event).select_related("organisation"))
    counts = sex_counts(attendance)
    return EventPage(
        event=event,
        organisers=list(event.organisers.order_by("name")),
        agenda=agenda,
        attendance=attendance,
        counts=counts,
        flag=participants_flag(event.declared_participants, counts, len(attendance)),
        documents=list(EventDocument.objects.filter(event=event)),
        media=list(MediaItem.objects.filter(event=event)),
    )


def agenda_item_of(event: Event, pk: int) -> AgendaItem:
    return AgendaItem.objects.get(pk=pk, event=event)


def attendance_of(event: Event, pk: int) -> Attendance:
    return Attendance.objects.select_related("organisation").get(pk=pk, event=event)


def document_of(event: Event, pk: int) -> EventDocument:
    return EventDocument.objects.get(pk=pk, event=event)


# --------------------------------------------------------------------------- media


def media_of_plan(plan: Plan) -> list[MediaItem]:
    """The plan's media coverage, newest first, with the event each item covers. 1 query."""
    return list(MediaItem.objects.filter(plan=plan).select_related("event"))


def media_item_of(plan: Plan, pk: int) -> MediaItem:
    return MediaItem.objects.select_related("plan").get(pk=pk, plan=plan)


def plan_events(plan: Plan) -> QuerySet[Event]:
    """Choices for a media item's event: the plan's events, latest first."""
    return Event.objects.filter(plan=plan).order_by("-start_date", "-id")
