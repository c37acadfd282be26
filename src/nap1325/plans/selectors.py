"""Reads of plans and their results framework, with bounded queries (DESIGN.md §7, §8).

:func:`implementation_matrix` builds the implementation matrix in a fixed number of queries
whatever the size of the plan (pinned in ``tests/plans/test_matrix.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from nap1325.core.content import organisation_label
from nap1325.core.models import Organisation
from nap1325.library.models import Pillar
from nap1325.plans.models import Action, Breakdown, BudgetLine, Indicator, Plan, Result


@dataclass
class ActionRow:
    """An action with its indicators and budget lines, as shown in the matrix."""

    action: Action
    indicators: list[Indicator]
    budget_lines: list[BudgetLine]
    warnings: list[str]

    @property
    def budget_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.budget_lines:
            totals[line.currency] += line.amount
        return dict(totals)


@dataclass
class ResultRow:
    """A result, its indicators, and below it its sub-results and actions."""

    result: Result
    tier_label: str
    indicators: list[Indicator]
    #: label of the tier below (None on the deepest result tier)
    child_tier_label: str | None
    children: list[ResultRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)


@dataclass
class BudgetTotals:
    """Budget of the shown actions: per currency, by pillar and by funding source.

    ``gap`` is the amount of lines whose funding source is "unfunded"; ``unsecured`` the
    amount of funded lines not yet secured.
    """

    currency: str
    total: Decimal = Decimal(0)
    by_source: dict[str, Decimal] = field(default_factory=dict)
    by_pillar: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    gap: Decimal = Decimal(0)
    unsecured: Decimal = Decimal(0)


@dataclass
class Matrix:
    """The implementation matrix of a plan (DESIGN.md §1.3, issue "implementation matrix")."""

    plan: Plan
    roots: list[ResultRow]
    action_count: int
    indicator_count: int
    budgets: list[BudgetTotals]
    pillars: list[Pillar]
    agencies: list[Organisation]


def plan_by_slug(slug: str) -> Plan:
    """The plan with ``slug`` (raises ``Plan.DoesNotExist``)."""
    return Plan.objects.select_related("coordinating_body").get(slug=slug)


def _indicator_queryset() -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(is_archived=False)
        .select_related("responsible_organisation")
        .prefetch_related(
            Prefetch(
                "breakdowns",
                queryset=Breakdown.objects.prefetch_related("dimensions"),
            ),
            "framework_indicators",
        )
        .order_by("order", "id")
    )


def implementation_matrix(
    plan: Plan, *, pillar_key: str | None = None, agency_id: int | None = None
) -> Matrix:
    """The matrix of ``plan``, optionally only one pillar and/or one agency's actions.

    The agency filter keeps actions the agency leads or partners on, with the results
    above them. Totals cover what is shown. Queries: a fixed number (about ten).
    """
    results = list(
        Result.objects.filter(plan=plan, is_archived=False)
        .select_related("pillar")
        .order_by("depth", "order", "id")
    )
    actions = list(
        Action.objects.filter(plan=plan, is_archived=False)
        .select_related("lead_agency")
        .prefetch_related("partners")
        .order_by("order", "id")
    )
    indicators = list(_indicator_queryset().filter(plan=plan))
    budget_lines = list(
        BudgetLine.objects.filter(action__plan=plan, is_archived=False)
        .select_related("funder")
        .order_by("order", "id")
    )

    indicators_by_result: dict[int, list[Indicator]] = defaultdict(list)
    indicators_by_action: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.action_id:
            indicators_by_action[indicator.action_id].append(indicator)
        elif indicator.result_id:
            indicators_by_result[indicator.result_id].append(indicator)
    lines_by_action: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in budget_lines:
        lines_by_action[line.action_id].append(line)

    rows: dict[int, ResultRow] = {}
    roots: list[ResultRow] = []
    for result in results:
        result.plan = plan
        below = result.depth + 1
        row = ResultRow(
            result,
            plan.tier_label(result.depth),
            indicators_by_result[result.pk],
            plan.tier_label(below) if below < plan.result_tier_count else None,
        )
        rows[result.pk] = row
        parent = rows.get(result.parent_id) if result.parent_id else None
        if result.parent_id is None:
            roots.append(row)
        elif parent is not None:
            parent.children.append(row)

    agency_ids_in_plan: set[int] = set()
    for action in actions:
        action.plan = plan
        agency_ids_in_plan.add(action.lead_agency_id)
        agency_ids_in_plan.update(p.pk for p in action.partners.all())
        if agency_id is not None and not _involves(action, agency_id):
            continue
        holder = rows.get(action.result_id)
        if holder is None:
            continue
        holder.actions.append(
            ActionRow(
                action,
                indicators_by_action[action.pk],
                lines_by_action[action.pk],
                action.timeframe_warnings(),
            )
        )

    if pillar_key:
        roots = [row for row in roots if row.result.pillar and row.result.pillar.key == pillar_key]
    if agency_id is not None:
        roots = [row for row in roots if _prune(row)]

    shown_actions = [a for root in roots for a in _walk_actions(root)]
    shown_indicators = sum(len(r.indicators) for root in roots for r in _walk_results(root))
    shown_indicators += sum(len(a.indicators) for a in shown_actions)
    agencies = list(Organisation.objects.filter(pk__in=agency_ids_in_plan))
    return Matrix(
        plan=plan,
        roots=roots,
        action_count=len(shown_actions),
        indicator_count=shown_indicators,
        budgets=_budget_totals(plan, roots),
        pillars=list(Pillar.objects.all()),
        agencies=sorted(agencies, key=lambda o: organisation_label(o, plan, short=True).casefold()),
    )


def _involves(action: Action, agency_id: int) -> bool:
    return action.lead_agency_id == agency_id or any(
        p.pk == agency_id for p in action.partners.all()
    )


def _prune(row: ResultRow) -> bool:
    """Keep only results that have (below them) an action of the filtered agency."""
    row.children = [child for child in row.children if _prune(child)]
    return bool(row.actions or row.children)


def _walk_results(row: ResultRow) -> list[ResultRow]:
    found = [row]
    for child in row.children:
        found.extend(_walk_results(child))
    return found


def _walk_actions(row: ResultRow) -> list[ActionRow]:
    return [a for r in _walk_results(row) for a in r.actions]


def _budget_totals(plan: Plan, roots: list[ResultRow]) -> list[BudgetTotals]:
    by_currency: dict[str, BudgetTotals] = {}
    for root in roots:
        pillar = root.result.pillar.key if root.result.pillar else ""
        for action_row in _walk_actions(root):
            for line in action_row.budget_lines:
                totals = by_currency.setdefault(line.currency, BudgetTotals(line.currency))
                totals.total += line.amount
                source = line.funding_source
                totals.by_source[source] = totals.by_source.get(source, Decimal(0)) + line.amount
                per_pillar = totals.by_pillar.setdefault(pillar, {})
                per_pillar[source] = per_pillar.get(source, Decimal(0)) + line.amount
                per_pillar["total"] = per_pillar.get("total", Decimal(0)) + line.amount
                if source == BudgetLine.FundingSource.UNFUNDED:
                    totals.gap += line.amount
                elif not line.secured:
                    totals.unsecured += line.amount
    ordered = sorted(by_currency.values(), key=lambda t: (t.currency != plan.currency, t.currency))
    return ordered


@dataclass(frozen=True)
class ArchiveImpact:
    """What archiving an item takes with it: live items below it and their budget."""

    results: int = 0
    actions: int = 0
    indicators: int = 0
    budget_lines: int = 0
    #: currency → Σ amount of the budget lines that go with it
    budget: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.results or self.actions or self.indicators or self.budget_lines)


def archive_impact(obj: Result | Action | Indicator | BudgetLine) -> ArchiveImpact:
    """The live items archiving ``obj`` cascades to (DESIGN.md: archive, never delete).

    A result takes its sub-results, their actions, indicators and budget lines; an action
    its indicators and budget lines; an indicator or a budget line nothing else. At most
    one query per tier plus three.
    """
    if isinstance(obj, Indicator | BudgetLine):
        return ArchiveImpact()
    if isinstance(obj, Result):
        result_ids = [obj.pk]
        frontier = [obj.pk]
        while frontier:
            frontier = list(
                Result.objects.filter(parent_id__in=frontier, is_archived=False).values_list(
                    "id", flat=True
                )
            )
            result_ids.extend(frontier)
        action_ids = list(
            Action.objects.filter(result_id__in=result_ids, is_archived=False).values_list(
                "id", flat=True
            )
        )
        indicators = Indicator.objects.filter(
            Q(result_id__in=result_ids) | Q(action_id__in=action_ids), is_archived=False
        ).count()
        results = len(result_ids) - 1
    else:
        action_ids = [obj.pk]
        indicators = Indicator.objects.filter(action_id=obj.pk, is_archived=False).count()
        results = 0
    budget: dict[str, Decimal] = {}
    lines = 0
    for currency, amount in BudgetLine.objects.filter(
        action_id__in=action_ids, is_archived=False
    ).values_list("currency", "amount"):
        budget[currency] = budget.get(currency, Decimal(0)) + amount
        lines += 1
    return ArchiveImpact(
        results=results,
        actions=len(action_ids) - (0 if isinstance(obj, Result) else 1),
        indicators=indicators,
        budget_lines=lines,
        budget=budget,
    )


@dataclass
class ActionPage:
    """An action's own page: details, indicators, budget, the government's latest approved
    status, civil society's shadow assessments and the inputs it answers."""

    action: Action
    indicators: list[Indicator]
    budget_lines: list[BudgetLine]
    warnings: list[str]
    approved_update: object | None
    shadow: list[object]
    origins: list[object]
    #: the canonical pillar of the action's top-tier result (None if not mapped)
    pillar: Pillar | None = None

    @property
    def budget_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.budget_lines:
            totals[line.currency] += line.amount
        return dict(totals)


def action_of(plan: Plan, pk: int) -> Action:
    """The (not archived) action ``pk`` of ``plan`` (``Action.DoesNotExist`` otherwise)."""
    action = (
        Action.objects.select_related("lead_agency", "result", "result__pillar")
        .prefetch_related("partners")
        .get(plan=plan, pk=pk, is_archived=False)
    )
    action.plan = action.result.plan = plan
    return action


def action_page(action: Action) -> ActionPage:
    """Everything the action page shows, in a fixed number of queries (about twelve)."""
    from nap1325.monitoring.models import ActionUpdate
    from nap1325.participation import selectors as participation

    approved = (
        ActionUpdate.objects.filter(action=action, is_official=True)
        .select_related("report__period", "report__organisation")
        .order_by("-report__period__end", "-id")
        .first()
    )
    parents = dict(Result.objects.filter(plan_id=action.plan_id).values_list("pk", "parent_id"))
    root = action.result_id
    while parents.get(root) is not None:
        root = parents[root]
    return ActionPage(
        pillar=Pillar.objects.filter(result__pk=root).first(),
        action=action,
        indicators=list(_indicator_queryset().filter(action=action)),
        budget_lines=list(
            BudgetLine.objects.filter(action=action, is_archived=False)
            .select_related("funder")
            .order_by("order", "id")
        ),
        warnings=action.timeframe_warnings(),
        approved_update=approved,
        shadow=list(participation.shadow_for_action(action)),
        origins=list(participation.action_origins(action)),
    )
