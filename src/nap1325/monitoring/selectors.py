"""Reads for monitoring pages (DESIGN.md §7): report scope, periods, queues. Bounded queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from nap1325.core.models import Organisation
from nap1325.measurement import NoData, PeriodValue, Ratio, StageReached, YesNo
from nap1325.measurement import Period as MeasurementPeriod
from nap1325.measurement.values import Entry
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportingPeriod
from nap1325.plans.models import Action, Breakdown, Dimension, Indicator, Plan


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
    """Organisations that have something to report on in ``plan`` (one query)."""
    return (
        Organisation.objects.filter(
            Q(responsible_indicators__plan=plan, responsible_indicators__is_archived=False)
            | Q(
                led_actions__plan=plan,
                led_actions__is_archived=False,
            )
        )
        .distinct()
        .order_by("name")
    )


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
