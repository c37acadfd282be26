"""What an API caller may read, and the bounded queries that read it (DESIGN.md §2, §7).

The API asks the same two rules as the pages, never its own copy:

* **anonymous callers, and members without a role that shows the thing** see the public
  part of a published plan — :func:`nap1325.plans.visibility.public_scope` — and only
  approved (official) values;
* **members** (token or session) see what their role shows them on the pages —
  :func:`nap1325.core.permissions.plan_access`: ``PLAN_VIEW`` the whole live framework and
  the plan's events, ``PLAN_VIEW_DASHBOARDS`` the official values of every live indicator,
  ``REPORT_REVIEW`` every agency report with its pending (working) values, ``REPORT_EDIT``
  the reports of the organisations they report for.

Anything a caller may not see answers 404, as on the pages; a member who may see the plan
but not the thing asked for gets 403 (``PlanAccess.require``).

Query budget of a list: plan 1, role 1 (signed-in callers), public scope 3 (public
callers), count 1, page 1, plus one per prefetched relation — whatever the plan's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from nap1325.coordination.models import Event
from nap1325.core.models import Membership
from nap1325.core.params import MAX_ID
from nap1325.core.permissions import (
    PLAN_VIEW,
    PLAN_VIEW_DASHBOARDS,
    REPORT_EDIT,
    REPORT_REVIEW,
    PlanAccess,
    plan_access,
    reporting_organisations,
    visible_plans,
)
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportingPeriod, ValueCell
from nap1325.participation.models import Consultation, Input, InputLink
from nap1325.plans.models import (
    Action,
    Breakdown,
    Dimension,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    Result,
)
from nap1325.plans.visibility import PublicScope, public_plans, public_scope


def checked_id(value: object) -> int:
    """A path id as an int; ``Http404`` for one no database row can have (> 2^63 − 1)."""
    number = int(str(value))
    if not 1 <= number <= MAX_ID:
        raise Http404
    return number


def plans_for(user: object) -> QuerySet[Plan]:
    """Plans the caller may read: published plans and the plans they hold a role on."""
    visible = public_plans()
    members = visible_plans(user)
    if members.query.is_empty():
        plans = visible
    else:
        plans = Plan.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=members.values("pk")))
    return plans.select_related("coordinating_body").order_by("country", "generation", "pk")


@dataclass
class PlanView:
    """One plan as one caller may read it (build it with :func:`plan_view`)."""

    plan: Plan
    access: PlanAccess

    @property
    def internal(self) -> bool:
        """True when the caller sees the plan's internal (unpublished) content."""
        return self.access.can(PLAN_VIEW)

    @cached_property
    def scope(self) -> PublicScope:
        """The public part of the plan (3 queries; empty when the plan is unpublished)."""
        return public_scope(self.plan)

    # ---------------------------------------------------------------- framework

    def results(self) -> QuerySet[Result]:
        """Live results (members) or public results, top tier first, in plan order."""
        rows = Result.objects.filter(plan=self.plan, is_archived=False)
        if not self.internal:
            rows = rows.filter(pk__in=self.scope.result_ids)
        return rows.select_related("pillar").order_by("depth", "order", "code", "pk")

    def actions(self) -> QuerySet[Action]:
        """Live or public actions with lead agency and partners (1 extra query)."""
        rows = Action.objects.filter(plan=self.plan, is_archived=False)
        if not self.internal:
            rows = rows.filter(pk__in=self.scope.action_ids)
        return (
            rows.select_related("lead_agency", "result")
            .prefetch_related("partners")
            .order_by("result__order", "order", "code", "pk")
        )

    def indicator_ids(self) -> QuerySet[Indicator] | frozenset[int]:
        if self.internal:
            return Indicator.objects.filter(plan=self.plan, is_archived=False).values("pk")
        return self.scope.indicator_ids

    def indicators(self) -> QuerySet[Indicator]:
        """Live or public indicators with their breakdowns and period targets (4 extra)."""
        rows = Indicator.objects.filter(plan=self.plan, is_archived=False)
        if not self.internal:
            rows = rows.filter(pk__in=self.scope.indicator_ids)
        return (
            rows.select_related("result", "action", "responsible_organisation")
            .prefetch_related(
                Prefetch(
                    "breakdowns",
                    queryset=Breakdown.objects.prefetch_related(
                        Prefetch(
                            "dimensions",
                            queryset=Dimension.objects.prefetch_related("categories"),
                        )
                    ),
                ),
                Prefetch("period_targets", queryset=IndicatorPeriodTarget.objects.order_by("due")),
            )
            .order_by("order", "code", "pk")
        )

    # ---------------------------------------------------------------- monitoring

    def periods(self) -> QuerySet[ReportingPeriod]:
        """The plan's reporting periods, earliest first (public with a published plan)."""
        return ReportingPeriod.objects.filter(plan=self.plan).order_by("start", "pk")

    def value_indicator_ids(self) -> QuerySet[Indicator] | frozenset[int]:
        """Indicators whose approved values the caller may read.

        ``PLAN_VIEW_DASHBOARDS``: every live indicator (the internal dashboards). Otherwise
        the public indicators of a published plan (the portal). A member of an unpublished
        plan without dashboards (a civil-society monitor) gets 403, as on the dashboards.
        """
        if self.access.can(PLAN_VIEW_DASHBOARDS):
            return Indicator.objects.filter(plan=self.plan, is_archived=False).values("pk")
        if not self.plan.is_published:
            self.access.require(PLAN_VIEW_DASHBOARDS)
        return self.scope.indicator_ids

    def official_values(self) -> QuerySet[IndicatorValue]:
        """Approved values only (``is_official``), by period then indicator (2 queries + 1)."""
        return (
            IndicatorValue.objects.filter(
                report__plan=self.plan,
                is_official=True,
                indicator_id__in=self.value_indicator_ids(),
            )
            .select_related("indicator", "report__period", "report__organisation")
            .prefetch_related(Prefetch("cells", queryset=ValueCell.objects.order_by("pk")))
            .order_by("report__period__start", "indicator__order", "indicator__code", "pk")
        )

    # ---------------------------------------------------------------- reports

    def require_reports(self) -> None:
        """Reports are for those who fill them in or review them: 403 other members, 404
        everyone else (``monitoring.views._require_reports``)."""
        self.access.require(PLAN_VIEW)
        if not (self.access.can(REPORT_EDIT) or self.access.can(REPORT_REVIEW)):
            self.access.require(REPORT_REVIEW)

    def reports(self) -> QuerySet[AgencyReport]:
        """Agency reports the caller may see: reviewers all, focal points their own."""
        self.require_reports()
        rows = AgencyReport.objects.filter(plan=self.plan)
        if not self.access.can(REPORT_REVIEW):
            rows = rows.filter(organisation_id__in=reporting_organisations(self.access))
        return rows.select_related(
            "plan", "period", "organisation", "submitted_by", "approved_by"
        ).order_by("period__start", "organisation__name", "pk")

    def report(self, pk: int) -> AgencyReport:
        """One report the caller may see, else ``Http404`` (another agency's report too)."""
        report = self.reports().filter(pk=pk).first()
        if report is None or not (
            self.access.can(REPORT_REVIEW) or self.access.can(REPORT_EDIT, report)
        ):
            raise Http404
        report.plan = self.plan
        return report

    # ---------------------------------------------------------------- coordination

    def events(self) -> QuerySet[Event]:
        """Events: members all of them; the public the published events of a public plan."""
        rows = Event.objects.filter(plan=self.plan)
        if not self.internal:
            rows = rows.filter(is_published=True)
        return rows.prefetch_related("organisers").order_by(
            "start_date", "start_time", "title", "pk"
        )

    # ---------------------------------------------------------------- participation

    def consultations(self) -> QuerySet[Consultation]:
        """Consultations with group counts, inputs and their links to actions (3 extra).

        Members (``PLAN_VIEW``): every consultation and every link, as the internal pages
        show them. The public: published consultations of a published plan, and only the
        links to public actions (:mod:`nap1325.plans.visibility`; 3 queries for the
        scope) — a hidden action and the reason given for it never appear; the input keeps
        its own disposition (``participation.selectors.public_consultations``).
        """
        rows = Consultation.objects.filter(plan=self.plan)
        links = InputLink.objects.select_related("action").order_by("action__order", "action_id")
        if not self.internal:
            rows = rows.filter(is_published=True)
            links = links.filter(action_id__in=self.scope.action_ids)
        return (
            rows.select_related("organiser")
            .prefetch_related(
                "group_counts",
                Prefetch(
                    "inputs",
                    queryset=Input.objects.select_related("pillar")
                    .prefetch_related(Prefetch("links", queryset=links))
                    .order_by("id"),
                ),
            )
            .order_by("-date", "pk")
        )


def plan_view(user: object, slug: str) -> PlanView:
    """The plan ``slug`` as ``user`` may read it; ``Http404`` if they may not see it at all.

    Two queries (plan, the caller's roles); none more for the public.
    """
    plan = Plan.objects.select_related("coordinating_body").filter(slug=slug).first()
    if plan is None:
        raise Http404
    view = PlanView(plan=plan, access=plan_access(user, plan))
    if not (view.internal or plan.is_published):
        raise Http404
    return view


def memberships_of(user: object) -> QuerySet[Membership]:
    """The caller's active roles with plan and organisation (1 query)."""
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("plan", "organisation")
        .order_by("plan__country", "plan__generation", "role", "organisation__name")
    )
