"""Reads for monitoring pages (DESIGN.md §7): report scope, periods, queues. Bounded queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from nap1325.core.models import AuditEvent, Membership, Organisation, Role
from nap1325.measurement import NoData, PeriodValue, Ratio, StageReached, YesNo
from nap1325.measurement import Period as MeasurementPeriod
from nap1325.measurement.values import Entry
from nap1325.monitoring.models import (
    AgencyReport,
    Evidence,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
)
from nap1325.plans.models import Action, Breakdown, Dimension, Indicator, Plan

if TYPE_CHECKING:
    from nap1325.monitoring.services import UpdateInput, ValueInput


def scope_indicators(plan: Plan, organisation: Organisation) -> QuerySet[Indicator]:
    """Live indicators ``organisation`` reports on, with breakdowns and categories prefetched.

    The responsible organisation when set; otherwise the lead agency of the indicator's
    action. Indicators on results with no responsible organisation are reported by the
    coordinating body through its own report (set ``responsible_organisation``).
    """
    return (
        Indicator.objects.filter(plan=plan, is_archived=False)
        .filter(
            Q(responsible_organisation=organisation)
            | Q(
                responsible_organisation__isnull=True,
                action__lead_agency=organisation,
                action__is_archived=False,
            )
        )
        .select_related("result", "action")
        .prefetch_related(
            Prefetch(
                "breakdowns",
                queryset=Breakdown.objects.prefetch_related(
                    Prefetch(
                        "dimensions",
                        queryset=Dimension.objects.prefetch_related("categories"),
                    )
                ),
            )
        )
        .order_by("order", "id")
    )


def scope_actions(plan: Plan, organisation: Organisation) -> QuerySet[Action]:
    """Live actions ``organisation`` leads, in matrix order."""
    return (
        Action.objects.filter(plan=plan, is_archived=False, lead_agency=organisation)
        .select_related("result")
        .order_by("result__order", "order", "id")
    )


def reporting_organisations(plan: Plan) -> QuerySet[Organisation]:
    """Organisations that have something to report on in ``plan`` (one query).

    Two ``pk IN (subquery)`` conditions: joining indicators and actions in one query would
    multiply them before ``DISTINCT`` (30× slower on a national plan, docs/performance.md).
    """
    responsible = Indicator.objects.filter(
        plan=plan, is_archived=False, responsible_organisation__isnull=False
    ).values("responsible_organisation")
    leading = Action.objects.filter(plan=plan, is_archived=False).values("lead_agency")
    return Organisation.objects.filter(Q(pk__in=responsible) | Q(pk__in=leading)).order_by("name")


def periods_of(plan: Plan) -> QuerySet[ReportingPeriod]:
    """The plan's reporting periods, earliest first."""
    return ReportingPeriod.objects.filter(plan=plan).order_by("start")


def reports_of_period(period: ReportingPeriod) -> QuerySet[AgencyReport]:
    """All agency reports of ``period`` with their organisations."""
    return AgencyReport.objects.filter(period=period).select_related(
        "organisation", "submitted_by", "approved_by"
    )


def measurement_period(period: ReportingPeriod) -> MeasurementPeriod:
    """The pure :class:`nap1325.measurement.Period` of a reporting period (key = its id)."""
    return MeasurementPeriod(key=str(period.pk), start=period.start, end=period.end)


def entry_of(row: IndicatorValue) -> Entry:
    """A stored value as the arithmetic's :data:`~nap1325.measurement.Entry` (DESIGN.md §5).

    No data → ``NoData``; a percentage → ``Ratio``; yes-no → ``YesNo``; stage →
    ``StageReached``; a number → its Decimal. A number given only as breakdown cells has no
    total here (``NoData`` is never invented): callers use the cells.
    """
    if row.no_data:
        return NoData(row.no_data_reason or "no data")
    if row.numerator is not None and row.denominator is not None and row.denominator > 0:
        return Ratio(row.numerator, row.denominator)
    if row.yes_no is not None:
        return YesNo(row.yes_no)
    if row.stage is not None:
        return StageReached(row.stage)
    if row.value is not None:
        return row.value
    return NoData("no total")


def official_series(
    indicator_ids: list[int],
) -> dict[int, dict[int, list[PeriodValue]]]:
    """Approved values only: ``{indicator_id: {organisation_id: [PeriodValue, …]}}``.

    One query. Reports that are reopened keep their last approved (official) rows, so a
    correction in progress never shows (DESIGN.md §6, cases W1 step 7).
    """
    series: dict[int, dict[int, list[PeriodValue]]] = {}
    rows = (
        IndicatorValue.objects.filter(indicator_id__in=indicator_ids, is_official=True)
        .select_related("report__period")
        .order_by("report__period__start")
    )
    for row in rows:
        period = measurement_period(row.report.period)
        series.setdefault(row.indicator_id, {}).setdefault(row.report.organisation_id, []).append(
            PeriodValue(period=period, value=entry_of(row))
        )
    return series


def pending_values(indicator_ids: list[int]) -> QuerySet[IndicatorValue]:
    """Working values of submitted reports: the internal, clearly labelled "pending" view."""
    return IndicatorValue.objects.filter(
        indicator_id__in=indicator_ids,
        is_official=False,
        report__state=AgencyReport.State.SUBMITTED,
    ).select_related("report__period", "report__organisation")


# --------------------------------------------------------------------------- report pages


def report_of_plan(plan: Plan, pk: int) -> AgencyReport:
    """One report of ``plan`` with period, organisation and reviewers (1 query).

    Raises ``AgencyReport.DoesNotExist`` for a report of another plan.
    """
    report = AgencyReport.objects.select_related(
        "period", "organisation", "submitted_by", "approved_by"
    ).get(plan=plan, pk=pk)
    report.plan = plan
    return report


def report_transitions(report: AgencyReport) -> list[ReportTransition]:
    """The report's state changes, oldest first, with who made them (1 query)."""
    return list(report.transitions.select_related("actor").order_by("occurred_at", "id"))


def report_events(report: AgencyReport, limit: int = 200) -> list[AuditEvent]:
    """Audit events ``agency_report.*`` of this report, newest first (1 query).

    The value history: every save records old → new per indicator and action.
    """
    content_type = ContentType.objects.get_for_model(AgencyReport)
    return list(
        AuditEvent.objects.filter(
            content_type=content_type,
            object_id=str(report.pk),
            event_type__startswith="agency_report.",
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )


def report_evidence(report: AgencyReport) -> list[Evidence]:
    """The report's evidence files with their indicator and uploader (1 query)."""
    return list(
        Evidence.objects.filter(report=report)
        .select_related("indicator", "uploaded_by")
        .order_by("uploaded_at", "id")
    )


def evidence_of_report(report: AgencyReport, pk: int) -> Evidence:
    """One evidence file of ``report``; ``Evidence.DoesNotExist`` otherwise (1 query)."""
    return Evidence.objects.get(report=report, pk=pk)


@dataclass(frozen=True)
class PeriodSummary:
    """A period on the coordinator's index: reports per state and who has not reported."""

    period: ReportingPeriod
    counts: dict[str, int]
    expected: int
    not_reported: list[Organisation]


def coordinator_overview(plan: Plan) -> tuple[list[PeriodSummary], list[AgencyReport]]:
    """Periods with counts of reports per state and the organisations without a submitted
    or approved report, and the review queue (submitted reports, oldest submission first).

    "Has reported" means a report that is submitted or approved (a draft, returned or
    reopened report is still owed). 4 queries, whatever the number of periods and reports.
    """
    periods = list(periods_of(plan))
    organisations = list(reporting_organisations(plan))
    counts: dict[int, dict[str, int]] = {}
    reported: dict[int, set[int]] = {}
    for period_id, organisation_id, state in AgencyReport.objects.filter(plan=plan).values_list(
        "period_id", "organisation_id", "state"
    ):
        by_state = counts.setdefault(period_id, {})
        by_state[state] = by_state.get(state, 0) + 1
        if state in (AgencyReport.State.SUBMITTED, AgencyReport.State.APPROVED):
            reported.setdefault(period_id, set()).add(organisation_id)
    summaries = [
        PeriodSummary(
            period=period,
            counts={state: counts.get(period.pk, {}).get(state, 0) for state in AgencyReport.State},
            expected=len(organisations),
            not_reported=[o for o in organisations if o.pk not in reported.get(period.pk, set())],
        )
        for period in periods
    ]
    queue = list(
        AgencyReport.objects.filter(plan=plan, state=AgencyReport.State.SUBMITTED)
        .select_related("period", "organisation", "submitted_by")
        .order_by("submitted_at", "id")
    )
    return summaries, queue


def organisation_reports(
    plan: Plan, organisation_ids: frozenset[int] | set[int]
) -> tuple[list[ReportingPeriod], list[Organisation], dict[tuple[int, int], AgencyReport]]:
    """For a focal point: the periods, their organisations, and the existing reports keyed
    by ``(period_id, organisation_id)`` (3 queries)."""
    periods = list(periods_of(plan))
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids).order_by("name"))
    reports = {
        (r.period_id, r.organisation_id): r
        for r in AgencyReport.objects.filter(plan=plan, organisation_id__in=organisation_ids)
    }
    return periods, organisations, reports


def period_reports(
    period: ReportingPeriod,
) -> list[tuple[Organisation, AgencyReport | None]]:
    """Every reporting organisation of the period's plan with its report or ``None``, plus
    organisations that reported although no longer in scope (2 queries)."""
    reports = {r.organisation_id: r for r in reports_of_period(period)}
    rows: list[tuple[Organisation, AgencyReport | None]] = [
        (organisation, reports.pop(organisation.pk, None))
        for organisation in reporting_organisations(period.plan)
    ]
    rows.extend((report.organisation, report) for report in reports.values())
    return rows


def working_copy_matches(
    report: AgencyReport,
    *,
    narrative: str | None = None,
    values: Mapping[int, ValueInput],
    updates: Mapping[int, UpdateInput],
    narratives: Mapping[str, str | None] | None = None,
) -> bool:
    """True if saving these entries would change nothing in the working copy (3 queries).

    Used to answer a repeated request (a double click on Save or Submit) as what it is —
    a no-op — instead of a conflict: nothing the user typed would be lost. Narratives are
    compared in the languages given (``services.narrative_texts``); the others are kept.
    """
    from nap1325.monitoring.services import narrative_texts, read_entries

    stored_values, stored_updates = read_entries(report, official=False)
    for code, text in narrative_texts(narrative, narratives).items():
        if (text or None) != getattr(report, f"narrative_{code}", None):
            return False
    for pk, entry in values.items():
        if _normal_value(entry) != _normal_value(stored_values.get(pk)):
            return False
    for pk, update in updates.items():
        stored = stored_updates.get(pk)
        wanted = None if update.is_empty() else update.with_kept_texts(stored)
        if _normal_update(wanted) != _normal_update(stored):
            return False
    return True


def _normal_value(entry: ValueInput | None) -> ValueInput | None:
    from nap1325.monitoring.services import ValueInput

    if entry is None or entry.is_empty():
        return None
    if entry.no_data:
        return ValueInput(
            no_data=True,
            no_data_reason=entry.no_data_reason.strip(),
            comment=entry.comment.strip(),
        )
    return ValueInput(
        value=entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
        yes_no=entry.yes_no,
        stage=entry.stage,
        comment=entry.comment.strip(),
        cells={b: dict(cells) for b, cells in entry.cells.items() if cells},
    )


def _normal_update(update: UpdateInput | None) -> UpdateInput | None:
    from nap1325.monitoring.services import UpdateInput

    if update is None or update.is_empty():
        return None
    return UpdateInput(
        status=update.status,
        progress=update.progress,
        expenditure=update.expenditure,
        narratives=update.texts(),
    )


@dataclass(frozen=True)
class Todo:
    """Something waiting for the user on the home page: a report to fill in or to review."""

    plan: Plan
    kind: str  # "fill" (focal point) or "review" (coordinator)
    period: ReportingPeriod | None = None
    organisation: Organisation | None = None
    report: AgencyReport | None = None
    count: int = 0


def waiting_for(user: Any) -> list[Todo]:
    """Reports waiting for ``user`` in open periods (4 queries, whatever the number of plans).

    Focal points: their organisation's report in each open period that is not started, a
    draft, returned or reopened. Coordinators: the number of submitted reports per plan.
    """
    if user is None or not user.is_authenticated:
        return []
    memberships = list(
        Membership.objects.filter(
            user=user,
            is_active=True,
            role__in=[Role.FOCAL_POINT, Role.COORDINATOR],
        ).select_related("plan", "organisation")
    )
    focal = [(m.plan, m.organisation) for m in memberships if m.role == Role.FOCAL_POINT]
    coordinating = {m.plan_id: m.plan for m in memberships if m.role == Role.COORDINATOR}
    todos: list[Todo] = []
    if focal:
        plan_ids = {plan.pk for plan, _org in focal}
        periods = list(
            ReportingPeriod.objects.filter(
                plan_id__in=plan_ids, state=ReportingPeriod.State.OPEN
            ).order_by("due")
        )
        reports = {
            (r.period_id, r.organisation_id): r
            for r in AgencyReport.objects.filter(
                period__in=periods, organisation_id__in={org.pk for _plan, org in focal}
            )
        }
        for period in periods:
            for plan, organisation in focal:
                if plan.pk != period.plan_id:
                    continue
                report = reports.get((period.pk, organisation.pk))
                if report is None or report.is_editable:
                    todos.append(Todo(plan, "fill", period, organisation, report))
    if coordinating:
        counts = dict(
            AgencyReport.objects.filter(
                plan_id__in=list(coordinating), state=AgencyReport.State.SUBMITTED
            )
            .values("plan")
            .annotate(n=Count("pk"))
            .values_list("plan", "n")
        )
        todos.extend(
            Todo(plan, "review", count=counts[plan_id])
            for plan_id, plan in coordinating.items()
            if counts.get(plan_id)
        )
    return todos
