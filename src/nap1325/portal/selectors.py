"""Reads of the public portal: published plans, their public items, approved values only.

Every read starts from the one publishing rule, :mod:`nap1325.plans.visibility` (a
:class:`~nap1325.plans.visibility.PublicScope` of result, action and indicator ids), and
from *official* values only (approved reports: ``IndicatorValue.is_official``,
``ActionUpdate.is_official`` and the stored ``IndicatorAssessment`` derived from them).
Coordination content is public when its own ``is_published`` flag is set and the plan is
published; media coverage of an internal event stays internal with it.

Each function runs a fixed number of queries whatever the size of the plan (pinned in
``tests/portal/test_pages.py``). Nothing is cached: publishing and unpublishing show at
the next request.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404

from nap1325.coordination.models import AgendaItem, Event, GroupMember, MediaItem, WorkingGroup
from nap1325.coordination.selectors import SexCounts
from nap1325.core.content import LocalisedText, content, platform_languages
from nap1325.core.models import AuditEvent
from nap1325.monitoring.dashboards import IndicatorSummary, stored_summaries
from nap1325.monitoring.models import ActionUpdate, IndicatorValue
from nap1325.plans.models import Action, BudgetLine, Indicator, Plan, Result
from nap1325.plans.visibility import PublicScope, public_plans, public_scopes

#: The per-language title columns (``title_en``, ``title_ru``, …) read by
#: :func:`nap1325.core.content.content`; ``only("title")`` would load the active one alone.
_TITLE_COLUMNS = tuple(f"title_{code}" for code in platform_languages())
#: The organisation columns a "latest changes" entry names the reporter by.
_ORGANISATION_COLUMNS = tuple(f"report__organisation__name_{code}" for code in platform_languages())

#: How many entries the overview's "latest changes" shows, and the changes page.
CHANGES_ON_OVERVIEW = 5
CHANGES_ON_PAGE = 50


# --------------------------------------------------------------------------- plan list


@dataclass(frozen=True)
class PlanCard:
    """A published plan on the portal's front page, with its public counts."""

    plan: Plan
    result_count: int
    action_count: int
    indicator_count: int


def plan_cards() -> list[PlanCard]:
    """Every published plan with the number of its public results, actions and indicators.

    Four queries whatever the number of plans (the plans, then :func:`public_scopes`).
    """
    plans = list(public_plans().select_related("coordinating_body"))
    scopes = public_scopes(plans)
    return [
        PlanCard(
            plan=plan,
            result_count=len(scopes[plan.pk].result_ids),
            action_count=len(scopes[plan.pk].action_ids),
            indicator_count=len(scopes[plan.pk].indicator_ids),
        )
        for plan in plans
    ]


def public_plan(slug: str) -> tuple[Plan, PublicScope]:
    """The published plan ``slug`` and its public scope; ``Http404`` otherwise (4 queries)."""
    plan = public_plans().select_related("coordinating_body").filter(slug=slug).first()
    if plan is None:
        raise Http404
    return plan, public_scopes([plan])[plan.pk]


# --------------------------------------------------------------------------- framework


@dataclass
class FrameworkAction:
    """A public action in the results framework, with its public indicators."""

    action: Action
    indicators: list[tuple[Indicator, IndicatorSummary | None]]


@dataclass
class FrameworkResult:
    """A public result with its public indicators, sub-results and actions."""

    result: Result
    tier_label: str
    indicators: list[tuple[Indicator, IndicatorSummary | None]]
    children: list[FrameworkResult] = field(default_factory=list)
    actions: list[FrameworkAction] = field(default_factory=list)


@dataclass
class Framework:
    """The public results framework of a plan, top-tier results first."""

    roots: list[FrameworkResult]
    action_count: int
    indicator_count: int


def framework(scope: PublicScope, *, as_of: dt.date) -> Framework:
    """The public results framework: results → actions → indicators with their status.

    Four queries: results, actions, indicators, stored assessments (plus a refresh when
    the stored rows are of another day).
    """
    plan = scope.plan
    results = list(
        scope.results().select_related("pillar").order_by("depth", "order", "id")
        if scope.result_ids
        else []
    )
    actions = list(
        scope.actions().select_related("lead_agency").order_by("order", "id")
        if scope.action_ids
        else []
    )
    indicators = list(scope.indicators().order_by("order", "id") if scope.indicator_ids else [])
    summaries = stored_summaries(plan, scope.indicator_ids, as_of=as_of)
    by_result: dict[int, list[tuple[Indicator, IndicatorSummary | None]]] = defaultdict(list)
    by_action: dict[int, list[tuple[Indicator, IndicatorSummary | None]]] = defaultdict(list)
    for indicator in indicators:
        pair = (indicator, summaries.get(indicator.pk))
        if indicator.action_id is not None:
            by_action[indicator.action_id].append(pair)
        else:
            assert indicator.result_id is not None
            by_result[indicator.result_id].append(pair)
    nodes: dict[int, FrameworkResult] = {}
    roots: list[FrameworkResult] = []
    for result in results:
        result.plan = plan
        node = FrameworkResult(result, plan.tier_label(result.depth), by_result[result.pk])
        nodes[result.pk] = node
        if result.parent_id is None:
            roots.append(node)
        elif result.parent_id in nodes:
            nodes[result.parent_id].children.append(node)
    for action in actions:
        nodes[action.result_id].actions.append(FrameworkAction(action, by_action[action.pk]))
    return Framework(roots, len(actions), len(indicators))


# --------------------------------------------------------------------------- action page


@dataclass
class ActionPage:
    """One public action: its place in the framework, indicators, latest approved update."""

    action: Action
    ancestors: list[Result]
    partners: list[Any]
    indicators: list[tuple[Indicator, IndicatorSummary | None]]
    update: ActionUpdate | None
    budget: dict[str, Decimal]
    budget_lines: list[BudgetLine]
    #: links of inputs of published consultations to this action (:func:`action_origins`)
    origins: list[Any] = field(default_factory=list)


def action_page(scope: PublicScope, pk: int, *, as_of: dt.date) -> ActionPage:
    """The public action ``pk`` of ``scope`` (``Http404`` if it is not public).

    Queries: the action, its ancestors, partners, public indicators, stored assessments,
    the latest official update, budget lines, inputs of published consultations — eight.
    """
    action = scope.action_or_404(pk)
    ancestors = _ancestors(scope, action.result_id)
    indicators = list(
        Indicator.objects.filter(action=action, pk__in=scope.indicator_ids).order_by("order", "id")
    )
    summaries = stored_summaries(scope.plan, [i.pk for i in indicators], as_of=as_of)
    update = (
        ActionUpdate.objects.filter(action=action, is_official=True)
        .select_related("report__period", "report__organisation")
        .order_by("-report__period__end", "-report__approved_at", "-id")
        .first()
    )
    lines = list(
        BudgetLine.objects.filter(action=action, is_archived=False)
        .select_related("funder")
        .order_by("order", "id")
    )
    budget: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        budget[line.currency] += line.amount
    return ActionPage(
        action=action,
        ancestors=ancestors,
        partners=list(action.partners.order_by("name")),
        indicators=[(indicator, summaries.get(indicator.pk)) for indicator in indicators],
        update=update,
        budget=dict(budget),
        budget_lines=lines,
        origins=action_origins(action),
    )


def _ancestors(scope: PublicScope, result_id: int | None) -> list[Result]:
    """The public results above (and including) ``result_id``, top first (one query)."""
    if result_id is None:
        return []
    rows = {
        result.pk: result
        for result in scope.results().only(
            "pk", "parent_id", "code", "depth", "plan_id", *_TITLE_COLUMNS
        )
    }
    chain: list[Result] = []
    current = rows.get(result_id)
    while current is not None:
        current.plan = scope.plan
        chain.append(current)
        current = rows.get(current.parent_id) if current.parent_id else None
    return list(reversed(chain))


def indicator_ancestors(scope: PublicScope, indicator: Indicator) -> list[Result | Action]:
    """The public results (and action) an indicator sits under, top first (two queries)."""
    chain: list[Result | Action] = []
    if indicator.action_id is not None:
        action = scope.actions().get(pk=indicator.action_id)
        chain = [*_ancestors(scope, action.result_id), action]
    else:
        chain = list(_ancestors(scope, indicator.result_id))
    return chain


# --------------------------------------------------------------------------- coordination


def public_group(plan: Plan) -> WorkingGroup | None:
    """The plan's working group when it is published (one query)."""
    return (
        WorkingGroup.objects.select_related("lead_organisation", "secretariat")
        .filter(plan=plan, is_published=True)
        .first()
    )


def public_events(plan: Plan) -> QuerySet[Event]:
    """The plan's published events (internal ones never appear), latest first."""
    return Event.objects.filter(plan=plan, is_published=True).order_by(
        "-start_date", "-start_time", "-id"
    )


def public_media(plan: Plan) -> QuerySet[MediaItem]:
    """Published media coverage of the plan, except coverage of an internal event."""
    return (
        MediaItem.objects.filter(plan=plan, is_published=True)
        .filter(Q(event__isnull=True) | Q(event__is_published=True))
        .select_related("event")
    )


@dataclass(frozen=True)
class PublicEventRow:
    """A published event with the participants counted on its attendance list."""

    event: Event
    counts: SexCounts


@dataclass
class GroupPage:
    """The public page of the working group: members, published events and coverage."""

    group: WorkingGroup | None
    members: list[GroupMember]
    events: list[PublicEventRow]
    media: list[MediaItem]


def group_page(plan: Plan, *, today: dt.date) -> GroupPage:
    """The published working group with its current members, published events and media.

    Four queries. Members are shown only when the group itself is published; events and
    media when each is published.
    """
    group = public_group(plan)
    members: list[GroupMember] = []
    if group is not None:
        members = sorted(
            GroupMember.objects.filter(group=group)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
            .select_related("organisation"),
            key=lambda m: (
                list(GroupMember.Role.values).index(m.role),
                m.organisation.name.lower() if m.organisation else "",
                m.person_name.lower(),
            ),
        )
    events = [
        PublicEventRow(
            event,
            SexCounts(event.n_women or 0, event.n_men or 0, event.n_unspecified or 0),
        )
        for event in public_events(plan).annotate(
            n_women=Sum("attendance__women"),
            n_men=Sum("attendance__men"),
            n_unspecified=Sum("attendance__unspecified"),
        )
    ]
    return GroupPage(group=group, members=members, events=events, media=list(public_media(plan)))


@dataclass
class EventPage:
    """A published event: organisers, agenda with decisions, participants by sex, coverage."""

    event: Event
    organisers: list[Any]
    agenda: list[AgendaItem]
    counts: SexCounts
    media: list[MediaItem]


def event_page(plan: Plan, pk: int) -> EventPage:
    """The published event ``pk`` of ``plan`` (``Http404`` if internal or unknown).

    Five queries. The agenda shows each item with its decisions and information outcomes
    (tasks belong to the internal work plan); attendance only as counts by sex.
    """
    event = public_events(plan).filter(pk=pk).first()
    if event is None:
        raise Http404
    from django.db.models import Prefetch

    from nap1325.coordination.models import Outcome

    agenda = list(
        AgendaItem.objects.filter(event=event).prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.exclude(kind=Outcome.Kind.TASK),
                to_attr="public_outcomes",
            )
        )
    )
    totals = event.attendance.aggregate(
        women=Sum("women"), men=Sum("men"), unspecified=Sum("unspecified")
    )
    return EventPage(
        event=event,
        organisers=list(event.organisers.order_by("name")),
        agenda=agenda,
        counts=SexCounts(totals["women"] or 0, totals["men"] or 0, totals["unspecified"] or 0),
        media=list(MediaItem.objects.filter(event=event, is_published=True)),
    )


# --------------------------------------------------------------------------- latest changes


@dataclass(frozen=True)
class Change:
    """One entry of "latest changes": ``kind`` is ``values``, ``event`` or ``status``.

    ``values``: an approved report added or changed the values of ``count`` public
    indicators for ``period`` (by ``organisation``); ``event``: a published event took
    place; ``status``: the plan's status changed from ``old`` to ``new``.
    """

    day: dt.date
    kind: str
    period: str = ""
    organisation: str | LocalisedText = ""
    count: int = 0
    event: Event | None = None
    old: str = ""
    new: str = ""


def latest_changes(scope: PublicScope, *, limit: int, today: dt.date) -> list[Change]:
    """The latest public changes of a published plan, newest first, at most ``limit``.

    Built from public things only, never from the raw audit trail of items: approved
    values of public indicators (grouped per approved report), published events that have
    started, and the plan's own status changes (audit events of the plan object, status
    field only). Three queries.
    """
    plan = scope.plan
    changes: list[Change] = []
    zone = _zone(plan)
    if scope.indicator_ids:
        for row in (
            IndicatorValue.objects.filter(
                report__plan=plan,
                is_official=True,
                indicator_id__in=scope.indicator_ids,
                report__approved_at__isnull=False,
            )
            .values("report__period__label", *_ORGANISATION_COLUMNS)
            .annotate(approved=Max("report__approved_at"), n=Count("indicator", distinct=True))
            .order_by("-approved")[:limit]
        ):
            period, approved_at, count = row["report__period__label"], row["approved"], row["n"]
            # the organisation's name by the global chain (organisations belong to no plan)
            organisation = content(
                {
                    f"name_{code}": row[f"report__organisation__name_{code}"]
                    for code in platform_languages()
                },
                "name",
            )
            changes.append(
                Change(
                    day=approved_at.astimezone(zone).date(),
                    kind="values",
                    period=period,
                    organisation=organisation,
                    count=count,
                )
            )
    for event in public_events(plan).filter(start_date__lte=today)[:limit]:
        changes.append(Change(day=event.start_date, kind="event", event=event))
    plan_type = ContentType.objects.get_for_model(Plan)
    statuses = dict(Plan.Status.choices)
    for occurred_at, values in (
        AuditEvent.objects.filter(
            plan=plan,
            content_type=plan_type,
            object_id=str(plan.pk),
            event_type="plan.updated",
            changes__has_key="status",
        )
        .order_by("-occurred_at", "-id")
        .values_list("occurred_at", "changes")[:limit]
    ):
        old, new = values["status"]
        changes.append(
            Change(
                day=occurred_at.astimezone(zone).date(),
                kind="status",
                old=str(statuses.get(old, old)),
                new=str(statuses.get(new, new)),
            )
        )
    order = {"status": 0, "values": 1, "event": 2}
    changes.sort(key=lambda change: (change.day, -order[change.kind]), reverse=True)
    return changes[:limit]


def _zone(plan: Plan) -> dt.tzinfo:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(plan.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


# --------------------------------------------------------------------------- consultations


@dataclass
class ConsultationsPage:
    """The published consultations of a plan and its comment rounds open to the public."""

    consultations: list[Any]
    open_rounds: list[Any]
    participants: SexCounts


def open_public_rounds(plan: Plan, *, now: dt.datetime | None = None) -> list[Any]:
    """Comment rounds of ``plan`` open to the public at ``now`` (default: now). One query.

    Such a round has its own public page (``rounds:public``, see
    :mod:`nap1325.participation.round_urls`); a round that is upcoming, closed or for
    members only is not listed.
    """
    from django.utils import timezone

    from nap1325.participation.models import CommentRound

    now = now or timezone.now()
    return list(
        CommentRound.objects.filter(
            plan=plan, is_public=True, opens_at__lte=now, closes_at__gt=now
        ).order_by("closes_at", "id")
    )


def consultations_page(scope: PublicScope) -> ConsultationsPage:
    """Published consultations (newest first) with inputs, dispositions and public links.

    Five queries at most whatever the number of consultations and inputs (see
    :func:`nap1325.participation.selectors.public_consultations`, plus the open rounds).
    Participants are summed over the published consultations only.
    """
    from nap1325.participation.selectors import public_consultations

    found = public_consultations(scope.plan, scope=scope)
    return ConsultationsPage(
        consultations=found,
        open_rounds=open_public_rounds(scope.plan),
        participants=SexCounts(
            sum(row.consultation.women for row in found),
            sum(row.consultation.men for row in found),
            sum(row.consultation.unspecified for row in found),
        ),
    )


def consultation_page(scope: PublicScope, pk: int) -> Any:
    """The published consultation ``pk`` with its inputs (``Http404`` if internal/unknown).

    Four queries (one when it is not published). Returns a
    :class:`nap1325.participation.selectors.PublicConsultation`.
    """
    from nap1325.participation.selectors import public_consultations

    found = public_consultations(scope.plan, scope=scope, pk=pk)
    if not found:
        raise Http404
    return found[0]


def action_origins(action: Action) -> list[Any]:
    """Where a public action came from: links of inputs of *published* consultations to it.

    One query; oldest consultation first. Each item is an
    :class:`~nap1325.participation.models.InputLink` with ``input`` and
    ``input.consultation`` loaded; the link's disposition and reason are those decided
    for this action. Inputs of internal consultations never appear.
    """
    from nap1325.participation.models import InputLink

    return list(
        InputLink.objects.filter(action=action, input__consultation__is_published=True)
        .select_related("input__consultation", "input__pillar")
        .order_by("input__consultation__date", "input__consultation_id", "input_id")
    )
