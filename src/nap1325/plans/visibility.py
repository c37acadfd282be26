"""What the public may see of a plan: the one place for the publishing rule (DESIGN.md §2, §8).

A plan is public when ``Plan.is_published``. Inside a public plan, a result, action or
indicator is public when it is published (``is_published``, true by default: new items
follow their plan), not archived, and everything above it is public too: an unpublished
objective hides its outputs, their actions and all their indicators. Every public page,
list, count, sitemap, export and anonymous API answer asks this module, so one rule
decides (issue 6, point 2). Values are a separate rule: only approved (official) values
are ever public (``monitoring.selectors.official_series``).

:func:`public_scope` costs three queries per plan, whatever its size; :func:`public_scopes`
three for any number of plans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from nap1325.plans.models import Action, Indicator, Plan, Result


def public_plans() -> QuerySet[Plan]:
    """Published plans, in their usual order (country, generation)."""
    return Plan.objects.filter(is_published=True)


def public_plan_or_404(slug: str) -> Plan:
    """The published plan with ``slug``; ``Http404`` when it does not exist or is not published."""
    plan = public_plans().filter(slug=slug).first()
    if plan is None:
        raise Http404
    return plan


@dataclass(frozen=True)
class PublicScope:
    """Ids of the public results, actions and indicators of one published plan."""

    plan: Plan
    result_ids: frozenset[int]
    action_ids: frozenset[int]
    indicator_ids: frozenset[int]

    def results(self) -> QuerySet[Result]:
        return Result.objects.filter(pk__in=self.result_ids)

    def actions(self) -> QuerySet[Action]:
        return Action.objects.filter(pk__in=self.action_ids)

    def indicators(self) -> QuerySet[Indicator]:
        return Indicator.objects.filter(pk__in=self.indicator_ids)

    def result_or_404(self, pk: int) -> Result:
        if pk not in self.result_ids:
            raise Http404
        return Result.objects.select_related("plan").get(pk=pk)

    def action_or_404(self, pk: int) -> Action:
        if pk not in self.action_ids:
            raise Http404
        return Action.objects.select_related("plan", "result", "lead_agency").get(pk=pk)

    def indicator_or_404(self, pk: int) -> Indicator:
        if pk not in self.indicator_ids:
            raise Http404
        return Indicator.objects.select_related("plan", "result", "action").get(pk=pk)


def public_scope(plan: Plan) -> PublicScope:
    """The public part of ``plan`` (empty when the plan itself is not published).

    Three queries: results (id, parent, flags), actions, indicators. Results are walked top
    down so that a hidden ancestor hides its whole subtree.
    """
    return public_scopes([plan])[plan.pk]


def public_scopes(plans: Iterable[Plan]) -> dict[int, PublicScope]:
    """:func:`public_scope` of each of ``plans``, by plan id, in three queries for all."""
    plans = list(plans)
    published = {plan.pk: plan for plan in plans if plan.is_published}
    results: dict[int, set[int]] = {pk: set() for pk in published}
    actions: dict[int, set[int]] = {pk: set() for pk in published}
    indicators: dict[int, set[int]] = {pk: set() for pk in published}
    if published:
        rows = sorted(
            Result.objects.filter(plan_id__in=list(published)).values_list(
                "plan_id", "pk", "parent_id", "depth", "is_published", "is_archived"
            ),
            key=lambda row: row[3],
        )
        for plan_id, pk, parent_id, _depth, shown, archived in rows:
            if shown and not archived and (parent_id is None or parent_id in results[plan_id]):
                results[plan_id].add(pk)
        for plan_id, pk, result_id, shown, archived in Action.objects.filter(
            plan_id__in=list(published)
        ).values_list("plan_id", "pk", "result_id", "is_published", "is_archived"):
            if shown and not archived and result_id in results[plan_id]:
                actions[plan_id].add(pk)
        for plan_id, pk, result_id, action_id, shown, archived in Indicator.objects.filter(
            plan_id__in=list(published)
        ).values_list("plan_id", "pk", "result_id", "action_id", "is_published", "is_archived"):
            if (
                shown
                and not archived
                and (
                    (result_id is not None and result_id in results[plan_id])
                    or action_id in actions[plan_id]
                )
            ):
                indicators[plan_id].add(pk)
    scopes = {plan.pk: PublicScope(plan, frozenset(), frozenset(), frozenset()) for plan in plans}
    for pk, plan in published.items():
        scopes[pk] = PublicScope(
            plan, frozenset(results[pk]), frozenset(actions[pk]), frozenset(indicators[pk])
        )
    return scopes
