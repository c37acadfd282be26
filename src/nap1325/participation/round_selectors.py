"""Reads of comment rounds with bounded queries (issue 5, point 4).

Counters count exactly what the page shows: only *shown* comments (not hidden, not
awaiting moderation) enter the per-element summary and the round's totals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from nap1325.participation.models import Comment, CommentRound
from nap1325.plans.models import Plan
from nap1325.plans.versions import readable_snapshot


def rounds_of(plan: Plan) -> QuerySet[CommentRound]:
    """The plan's rounds, newest first, with the version and counts (one query).

    ``shown_count``: shown comments; ``pending_count``: public comments awaiting
    moderation; ``open_count``: shown comments not yet resolved.
    """
    visible = Q(comments__moderation=Comment.Moderation.VISIBLE)
    return (
        CommentRound.objects.filter(plan=plan)
        .select_related("version")
        .defer("version__snapshot")
        .annotate(
            shown_count=Count("comments", filter=visible),
            pending_count=Count(
                "comments", filter=Q(comments__moderation=Comment.Moderation.PENDING)
            ),
            open_count=Count("comments", filter=visible & Q(comments__resolution="")),
        )
        .order_by("-opens_at", "-id")
    )


def round_of(plan: Plan, pk: int) -> CommentRound:
    """The round ``pk`` of ``plan`` with its version (raises ``CommentRound.DoesNotExist``)."""
    return CommentRound.objects.select_related("version", "plan").get(plan=plan, pk=pk)


@dataclass
class ElementComments:
    """One result, action or indicator of the version with its shown comments."""

    kind: str
    pk: int
    name: str
    depth: int
    #: what the plan calls it: its tier ("Objective", "Measure") or "Indicator"
    label: str = ""
    comments: list[Comment] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def counts(self) -> dict[str, int]:
        """Counts by resolution (``""`` = not yet resolved) of the shown comments."""
        found = Counter(comment.resolution for comment in self.comments)
        return {
            "accepted": found["accepted"],
            "partly_accepted": found["partly_accepted"],
            "rejected": found["rejected"],
            "open": found[""],
        }


@dataclass
class RoundPage:
    """A round's elements in matrix order with their shown comments, and the totals."""

    round: CommentRound
    elements: list[ElementComments]
    totals: dict[str, int]
    pending: int
    hidden: int

    @property
    def commented(self) -> list[ElementComments]:
        return [element for element in self.elements if element.comments]


def round_page(round_: CommentRound) -> RoundPage:
    """Elements of the round's version (pure, from the snapshot) with their comments.

    Queries: 2 (shown comments with authors; hidden and pending counts).
    """
    readable = readable_snapshot(round_.version.snapshot)
    indicator_label = str(_("Indicator"))
    depths: dict[tuple[str, int], int] = {}
    elements: list[ElementComments] = []

    def add(kind: str, pk: int, name: str, depth: int, label: str) -> None:
        element = ElementComments(kind, pk, name, depth, label)
        elements.append(element)
        depths[(kind, pk)] = len(elements) - 1

    def walk(rows: list[Any]) -> None:
        for row in rows:
            add("result", row.pk, f"{row.code} {row.title}", row.depth, row.tier_label)
            for indicator in row.indicators:
                name = f"{indicator.code} {indicator.title}"
                add("indicator", indicator.pk, name, row.depth + 1, indicator_label)
            walk(row.children)
            for action in row.actions:
                name = f"{action.code} {action.title}"
                add("action", action.pk, name, row.depth + 1, readable.action_label)
                for indicator in action.indicators:
                    name = f"{indicator.code} {indicator.title}"
                    add("indicator", indicator.pk, name, row.depth + 2, indicator_label)

    walk(readable.roots)
    comments = (
        Comment.objects.filter(round=round_, moderation=Comment.Moderation.VISIBLE)
        .select_related("author")
        .order_by("created_at", "id")
    )
    for comment in comments:
        index = depths.get((comment.anchor_kind, comment.anchor_pk))
        if index is not None:
            elements[index].comments.append(comment)
    totals: Counter[str] = Counter()
    for element in elements:
        totals.update(element.counts)
    totals["shown"] = sum(len(element.comments) for element in elements)
    others = dict(
        Comment.objects.filter(round=round_)
        .exclude(moderation=Comment.Moderation.VISIBLE)
        .values_list("moderation")
        .annotate(n=Count("id"))
        .values_list("moderation", "n")
    )
    return RoundPage(
        round=round_,
        elements=elements,
        totals=dict(totals),
        pending=others.get(Comment.Moderation.PENDING, 0),
        hidden=others.get(Comment.Moderation.HIDDEN, 0),
    )


def moderation_queue(round_: CommentRound) -> dict[str, list[Comment]]:
    """All comments of a round for the coordinator, by visibility (one query)."""
    found: dict[str, list[Comment]] = {state: [] for state in Comment.Moderation.values}
    for comment in (
        Comment.objects.filter(round=round_)
        .select_related("author", "resolved_by", "moderated_by")
        .order_by("anchor_kind", "anchor_code", "created_at", "id")
    ):
        found[comment.moderation].append(comment)
    return found


def new_rounds_for(
    user_ids: list[int], since: dict[int, dt.datetime], now: dt.datetime
) -> dict[int, list[CommentRound]]:
    """Rounds each user may comment on that opened after ``since[user]`` and before ``now``.

    For the reminder digest (issue 5, point 7). Queries: 2.
    """
    from nap1325.core.models import Membership
    from nap1325.core.permissions import PLAN_COMMENT, ROLE_PERMISSIONS

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if PLAN_COMMENT in perms]
    plans_of: dict[int, set[int]] = {}
    for user_id, plan_id in Membership.objects.filter(
        user_id__in=user_ids, is_active=True, role__in=roles
    ).values_list("user_id", "plan_id"):
        plans_of.setdefault(user_id, set()).add(plan_id)
    if not plans_of:
        return {}
    earliest = min(since.get(user_id, now - dt.timedelta(days=7)) for user_id in plans_of)
    rounds = list(
        CommentRound.objects.filter(
            plan_id__in=set().union(*plans_of.values()), opens_at__gt=earliest, opens_at__lte=now
        )
        .select_related("plan")
        .defer("plan__description", "plan__source_note")
        .order_by("opens_at", "id")
    )
    found: dict[int, list[CommentRound]] = {}
    for user_id, plan_ids in plans_of.items():
        start = since.get(user_id, now - dt.timedelta(days=7))
        mine = [
            r for r in rounds if r.plan_id in plan_ids and r.opens_at > start and r.is_open(now)
        ]
        if mine:
            found[user_id] = mine
    return found


def resolutions_for(
    user_ids: list[int], since: dict[int, dt.datetime], now: dt.datetime
) -> dict[int, list[Comment]]:
    """Each user's own comments resolved after ``since[user]`` (one query)."""
    if not user_ids:
        return {}
    earliest = min(since.get(u, now - dt.timedelta(days=7)) for u in user_ids)
    found: dict[int, list[Comment]] = {}
    for comment in (
        Comment.objects.filter(
            author_id__in=user_ids,
            moderation=Comment.Moderation.VISIBLE,
            resolved_at__gt=earliest,
            resolved_at__lte=now,
        )
        .exclude(resolution="")
        .select_related("round__plan")
        .defer("round__plan__description", "round__plan__source_note")
        .order_by("resolved_at", "id")
    ):
        if comment.resolved_at > since.get(comment.author_id, now - dt.timedelta(days=7)):  # type: ignore[operator,arg-type]
            found.setdefault(comment.author_id, []).append(comment)  # type: ignore[arg-type]
    return found
