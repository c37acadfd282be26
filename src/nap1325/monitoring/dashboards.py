"""Dashboard data from approved values only (issue 3 point 5; DESIGN.md §5, §6, §8).

Three reads, each a fixed number of queries whatever the size of the plan:

* :func:`plan_dashboard` — per top-tier result (the plan's pillars): indicators by status,
  achievement of numeric indicators, stage and yes-no indicators apart, action status
  counts, roll-up of action progress, budget planned vs spent, data completeness;
* :func:`plan_dashboard` with ``organisation`` — the same for one agency's scope
  (:func:`~nap1325.monitoring.selectors.scope_indicators` / ``scope_actions`` rules), plus
  its reports per period (:func:`agency_reports`);
* :func:`indicator_page` — one indicator's time series, target to date, reporters per
  period and breakdown tables with the share of women.

Only *official* rows are read (``IndicatorValue.is_official`` / ``ActionUpdate.is_official``):
values of submitted, returned or draft reports never appear, and a reopened report keeps
its last approved values (DESIGN.md §6, cases W1 step 7).

Every number is computed by :mod:`nap1325.measurement`; this module only gathers plain
data (``values()`` rows, no ORM objects where none are needed; the plan dashboard reads
only the cells of sex breakdowns, for "of which women") and hands it over. Sums of money
are added in Python with :func:`~nap1325.measurement.decimal_sum` from the stored Decimals,
because SQLite's SUM works in binary floating point; only counts and row selection happen
in SQL.

Choices where the issue is silent (also in docs/decisions.md terms):

* **Sections** are the plan's top-tier results (each carries its canonical pillar), in
  matrix order, so two objectives of the same pillar stay apart as the plan wrote them.
* **Stage and yes-no indicators with several reporters** show the least advanced report
  (a law is adopted only when every reporter says so); one reporter is the usual case.
* **Spent** = Σ of official ``ActionUpdate.expenditure``: the expenditure an update
  reports is what was spent *during its period* (a flow), so the amount to date is the sum
  over periods, one update per action per period (if two reports of one period cover the
  same action, the later-approved one counts). It is in the plan's currency. Spending has
  no funding source of its own, so it is shown per funding source only for actions whose
  budget lines all have that one source; the rest is shown as "several sources" or
  "no budget lines". Planned = Σ of the live budget lines of live actions, per currency.
* **Roll-up**: nested as in :mod:`nap1325.measurement.rollup` (actions → their result →
  its parent, weights where set); the "k of n actions reporting" shown with it counts
  every live action below the result.
* **Data completeness**: per period, approved reports (reports with official values,
  including reopened ones) of the organisations that have something to report, and the
  reports waiting for review.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, groupby
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from nap1325.core.audit import plan_change_count
from nap1325.core.content import content, platform_languages
from nap1325.core.models import Organisation, PlanChanges
from nap1325.measurement import (
    MEN,
    SEX,
    WOMEN,
    Achievement,
    Aggregate,
    Breakdown,
    BreakdownTable,
    CombinedBreakdown,
    Dimension,
    Entry,
    IndicatorAssessment,
    Measure,
    NoData,
    NotApplicable,
    Period,
    PeriodValue,
    Progress,
    ProgressSums,
    Ratio,
    Rollup,
    StageReached,
    Status,
    StatusSummary,
    TimeAggregation,
    YesNo,
    achievement,
    across_reporters,
    combine_tables,
    decimal_sum,
    latest_reported,
    national_to_date,
    numeric_status,
    percent_of,
    pool_ratios,
    quotient,
    reported_history,
    roll_up,
    roll_up_sums,
    stage_status,
    summarise,
    target_to_date,
    value_for_period,
    women_share,
    women_share_by_category,
    yes_no_status,
)
from nap1325.measurement import MeasurementError as _MeasurementError
from nap1325.monitoring.models import (
    ActionProgress,
    ActionUpdate,
    AgencyReport,
    DashboardAggregate,
    IndicatorValue,
    ReportingPeriod,
    ValueCell,
)
from nap1325.monitoring.models import IndicatorAssessment as StoredAssessment
from nap1325.monitoring.selectors import reporting_organisations
from nap1325.plans.models import (
    Action,
    BudgetLine,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    Result,
)
from nap1325.plans.models import Breakdown as BreakdownModel
from nap1325.plans.models import Dimension as DimensionModel
from nap1325.plans.visibility import PublicScope

#: Key of the action status bucket for actions without an official update.
NO_UPDATE = "no_update"
#: Funding-source buckets for spending that cannot be attributed to one source.
SEVERAL_SOURCES = "several"
NO_BUDGET = "none"
KEY_SEPARATOR = "|"

# --------------------------------------------------------------------------- plain rows


@dataclass(frozen=True)
class IndicatorInfo:
    """An indicator's definition as plain data (no ORM object)."""

    pk: int
    code: str
    title: str  # a LocalisedText (nap1325.core.content)
    measure: Measure
    aggregation: TimeAggregation
    direction: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    stages: tuple[str, ...]
    result_id: int | None
    action_id: int | None
    #: the organisation whose report carries it (responsible organisation, else lead agency)
    reporter_id: int | None

    @property
    def is_numeric(self) -> bool:
        return self.measure.is_numeric


@dataclass
class IndicatorSummary:
    """One indicator on a dashboard: its value to date, achievement, target to date, status.

    ``current``: numeric indicators' value to date across reporters (Σ or pooled, with
    ``included`` of ``expected`` reporters); ``reached``: stage/yes-no indicators' latest
    report (least advanced over reporters); ``history``: periods with data (all reporters).
    """

    info: IndicatorInfo
    status: Status
    current: Aggregate | None = None
    reached: StageReached | YesNo | None = None
    achievement: Achievement | None = None
    target_to_date: Decimal | None = None
    history: int = 0
    #: True for a number indicator that declares a breakdown with the sex dimension
    has_sex: bool = False
    #: Σ women / Σ (women + men) over the approved values the value to date uses (its
    #: numerator is the number of women); ``None`` when those values have no sex cells
    women: Ratio | None = None

    @property
    def assessment(self) -> IndicatorAssessment:
        return IndicatorAssessment(self.info.measure, self.status, self.achievement)

    @property
    def stage_name(self) -> str | None:
        """The reached stage's name (stage indicators only)."""
        if isinstance(self.reached, StageReached) and self.reached.index < len(self.info.stages):
            return self.info.stages[self.reached.index]
        return None


@dataclass
class ResultProgress:
    """A result's roll-up of action progress and the live actions below it."""

    pk: int
    code: str
    title: str  # a LocalisedText (nap1325.core.content)
    depth: int
    rollup: Rollup
    actions_reporting: int
    actions_total: int


@dataclass
class BudgetRow:
    """Planned (Σ budget lines) and spent (Σ official expenditure) for one bucket."""

    key: str
    planned: Decimal | None
    spent: Decimal


@dataclass
class BudgetSummary:
    """Planned vs spent in the plan's currency, by funding source; other currencies apart."""

    currency: str
    rows: list[BudgetRow]
    planned: Decimal
    spent: Decimal
    #: planned amounts of lines in other currencies (spending is reported in the plan's)
    other_currencies: dict[str, Decimal]
    #: False when no approved update reports an expenditure (0 spent is then unknown)
    spent_reported: bool = True

    @property
    def spent_share(self) -> Decimal | None:
        """Spent as a percent of planned (``None`` when nothing is planned); may pass 100."""
        return percent_of(self.spent, self.planned) if self.planned else None


@dataclass
class Section:
    """One top-tier result (pillar) of the dashboard."""

    pk: int
    code: str
    title: str  # a LocalisedText (nap1325.core.content)
    pillar: str
    #: how many numeric and stage/yes-no indicators the section has (all of them)
    numeric_count: int
    qualitative_count: int
    summary: StatusSummary
    action_status: dict[str, int]
    progress: ResultProgress
    results: list[ResultProgress]
    planned: dict[str, Decimal]
    spent: Decimal
    #: what the page lists: everything when short or expanded, else those needing attention
    numeric_shown: list[IndicatorSummary] = field(default_factory=list)
    qualitative_shown: list[IndicatorSummary] = field(default_factory=list)
    expanded: bool = False

    @property
    def shows_women(self) -> bool:
        """True when a listed number indicator has a sex breakdown (the "Women" column)."""
        return any(item.has_sex for item in self.numeric_shown)

    @property
    def is_cut(self) -> bool:
        """True when the lists show only part of the section's indicators."""
        return (
            len(self.numeric_shown) < self.numeric_count
            or len(self.qualitative_shown) < self.qualitative_count
        )


#: Indicators listed per section (and kind) unless the section is expanded: a page lists
#: a bounded number of rows whatever the plan's size (DESIGN.md §8).
ROW_LIMIT = 15
#: Order in which indicators need attention: off track first, achieved last.
ATTENTION = {
    status: rank
    for rank, status in enumerate(
        [
            Status.OFF_TRACK,
            Status.NOT_DONE,
            Status.AT_RISK,
            Status.NOT_REPORTED,
            Status.NOT_APPLICABLE,
            Status.IN_PROGRESS,
            Status.ON_TRACK,
            Status.DONE,
            Status.ACHIEVED,
        ]
    )
}


def _shown(items: list[IndicatorSummary], expanded: bool) -> list[IndicatorSummary]:
    """All of ``items`` if short or expanded; else the :data:`ROW_LIMIT` needing most attention
    (by status, then lowest achievement), kept in matrix order."""
    if expanded or len(items) <= ROW_LIMIT:
        return items
    position = {id(item): index for index, item in enumerate(items)}

    def urgency(item: IndicatorSummary) -> tuple[int, Decimal, int]:
        percent = item.achievement.percent if item.achievement else None
        return (
            ATTENTION[item.status],
            percent if percent is not None else Decimal(0),
            position[id(item)],
        )

    chosen = sorted(items, key=urgency)[:ROW_LIMIT]
    return sorted(chosen, key=lambda item: position[id(item)])


@dataclass
class PeriodCompleteness:
    """Reports of one period: approved (official values) and waiting for review."""

    pk: int
    label: str
    start: dt.date
    end: dt.date
    due: dt.date
    state: str
    approved: int
    submitted: int
    expected: int


@dataclass
class Dashboard:
    """What the plan (or agency) dashboard shows."""

    plan: Plan
    as_of: dt.date
    sections: list[Section]
    summary: StatusSummary
    action_status: dict[str, int]
    progress: Rollup
    actions_reporting: int
    actions_total: int
    budget: BudgetSummary
    completeness: list[PeriodCompleteness]
    indicator_count: int
    organisation: Organisation | None = None
    reports: list[AgencyReportRow] = field(default_factory=list)

    @property
    def latest_completeness(self) -> PeriodCompleteness | None:
        """The latest period that has started (the current or last reporting round)."""
        started = [item for item in self.completeness if item.start <= self.as_of]
        return started[-1] if started else None


@dataclass
class AgencyReportRow:
    """One period of an agency: its report's state (``None``: no report yet)."""

    period_pk: int
    label: str
    due: dt.date
    period_state: str
    state: str | None
    has_official_values: bool
    approved_at: dt.datetime | None


# --------------------------------------------------------------------------- conversions


def _entry(measure: Measure, row: Mapping[str, Any]) -> Entry | None:
    """A stored value as an :data:`Entry` of the indicator's measure (``None``: unusable).

    A value of another kind than the measure (a plain number on a percentage indicator) is
    left out rather than mixed into sums, which would raise.
    """
    if row["no_data"]:
        return NoData(row["no_data_reason"] or "no data")
    if measure is Measure.PERCENTAGE:
        numerator, denominator = row["numerator"], row["denominator"]
        if numerator is None or denominator is None or denominator <= 0:
            return None
        try:
            return Ratio(numerator, denominator)
        except _MeasurementError:
            return None
    if measure is Measure.NUMBER:
        return row["value"]
    if measure is Measure.YES_NO:
        return None if row["yes_no"] is None else YesNo(row["yes_no"])
    return None if row["stage"] is None else StageReached(row["stage"])


def _period(row: Mapping[str, Any]) -> Period:
    return Period(key=str(row["pk"]), start=row["start"], end=row["end"])


def _target_period(due: dt.date) -> Period:
    return Period(key=due.isoformat(), start=due, end=due)


_VALUE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "yes_no",
    "stage",
    "no_data",
    "no_data_reason",
)

_INDICATOR_FIELDS = (
    "pk",
    "code",
    "title",
    "measure",
    "time_aggregation",
    "direction",
    "unit",
    "baseline_value",
    "target_value",
    "stages",
    "result_id",
    "action_id",
    "responsible_organisation_id",
    "action__lead_agency_id",
    # the title in each language, for the plan's fallback chain (nap1325.core.content)
    *(f"title_{code}" for code in platform_languages()),
    # the unit in each language, likewise
    *(f"unit_{code}" for code in platform_languages()),
)
#: Per-language title columns of results and actions (``title_en``, ``title_ru``, …).
_TITLES = tuple(f"title_{code}" for code in platform_languages())


def _info(row: Mapping[str, Any], plan: Plan | None = None) -> IndicatorInfo:
    """The indicator of ``row``; its title in the reader's language, by ``plan``'s chain."""
    stages = row["stages"] if isinstance(row["stages"], list) else []
    return IndicatorInfo(
        pk=row["pk"],
        code=row["code"],
        title=content(row, "title", plan),
        measure=Measure(row["measure"]),
        aggregation=TimeAggregation(row["time_aggregation"]),
        direction=row["direction"],
        unit=content(row, "unit", plan),
        baseline=row["baseline_value"],
        target=row["target_value"],
        stages=tuple(str(stage) for stage in stages),
        result_id=row["result_id"],
        action_id=row["action_id"],
        reporter_id=row["responsible_organisation_id"] or row["action__lead_agency_id"],
    )


# --------------------------------------------------------------------------- assessment


def assess(
    info: IndicatorInfo,
    series: Mapping[int, Sequence[PeriodValue]],
    *,
    plan: Plan,
    as_of: dt.date,
    period_targets: Mapping[Period, Decimal] | None = None,
) -> IndicatorSummary:
    """Status, value to date, achievement and target to date of one indicator.

    ``series``: each reporter's official period values (expected reporters with no value
    may be present with an empty list). Never raises for missing or odd data: an n/a
    achievement or a "not reported" status is the answer (DESIGN.md §5, cases A3).
    """
    if not info.is_numeric:
        history = len(
            {pv.period.key for values in series.values() for pv in reported_history(values)}
        )
        latest: list[StageReached | YesNo | None] = []
        for values in series.values():
            value = latest_reported(values)
            if isinstance(value, StageReached | YesNo):
                latest.append(value)
        reached = _least_advanced(latest)
        if info.measure is Measure.STAGE:
            try:
                status = stage_status(
                    reached if isinstance(reached, StageReached) else None, info.stages
                )
            except _MeasurementError:
                status = Status.NOT_APPLICABLE
        else:
            status = yes_no_status(reached if isinstance(reached, YesNo) else None)
        return IndicatorSummary(info, status, reached=reached, history=history)
    current = national_to_date(info.aggregation, series)
    due = target_to_date(
        info.aggregation,
        target=info.target,
        baseline=info.baseline,
        as_of=as_of,
        plan_start=plan.period_start,
        plan_end=plan.period_end,
        period_targets=period_targets or None,
    )
    result = achievement(
        info.aggregation, current=current.value, target=info.target, baseline=info.baseline
    )
    status = numeric_status(
        info.aggregation,
        current=current.value,
        target=info.target,
        target_to_date=due,
        baseline=info.baseline,
    )
    return IndicatorSummary(
        info,
        status,
        current=current,
        achievement=result,
        target_to_date=due,
    )


def _least_advanced(values: list[StageReached | YesNo | None]) -> StageReached | YesNo | None:
    stages = [value for value in values if isinstance(value, StageReached)]
    if stages:
        return min(stages, key=lambda stage: stage.index)
    answers = [value for value in values if isinstance(value, YesNo)]
    if answers:
        return YesNo(all(answer.done for answer in answers))
    return None


# --------------------------------------------------------------------------- women to date


#: A value's share of women by its reporter and period key: ``{(reporter, period key): Ratio}``.
WomenOfValues = Mapping[tuple[int, str], Ratio]


def _headline_keys(aggregation: TimeAggregation, series: Sequence[PeriodValue]) -> set[str]:
    """Period keys of the reports one reporter's value to date draws on (DESIGN.md §5).

    The same selection as :func:`~nap1325.measurement.to_date`: every report with data
    (``sum``), the latest (``latest``), each year's latest (``year_to_date``).
    """
    history = reported_history(series)
    if aggregation is TimeAggregation.SUM:
        return {item.period.key for item in history}
    if aggregation is TimeAggregation.LATEST:
        return {history[-1].period.key} if history else set()
    by_year = {item.period.year: item.period.key for item in history}
    return set(by_year.values())


def women_to_date(
    info: IndicatorInfo,
    series: Mapping[int, Sequence[PeriodValue]],
    shares: WomenOfValues,
    *,
    every: bool = False,
) -> Ratio | None:
    """Women among the value to date: the values' shares of women pooled (cases A4).

    ``series``: the reporters' official values as :func:`assess` gets them; ``shares``: the
    women share of each of those values that has sex cells. ``every`` takes every value in
    ``shares`` (a ``sum`` indicator whose series the database already added up). ``None``
    when none of the values the headline uses has women or men cells.
    """
    if every:
        chosen = list(shares.values())
    else:
        chosen = [
            shares[(reporter, key)]
            for reporter, values in series.items()
            for key in _headline_keys(info.aggregation, values)
            if (reporter, key) in shares
        ]
    return pool_ratios(chosen)


def _value_share(
    breakdowns: Sequence[tuple[int, Breakdown]],
    total: Decimal,
    cells: Mapping[int, Mapping[tuple[str, ...], Decimal]],
) -> Ratio | None:
    """The women share of one value: its first declared sex breakdown with women or men cells.

    ``breakdowns``: ``(breakdown id, breakdown)`` of the indicator's sex breakdowns in
    declared order; ``cells``: the value's cells by breakdown id. Cells of unknown
    categories are left out, as on the indicator page.
    """
    for breakdown_id, breakdown in breakdowns:
        own = _valid_cells(breakdown, cells.get(breakdown_id, {}))
        if not own:
            continue
        share = women_share(BreakdownTable(breakdown, total, own)).ratio
        if share is not None:
            return share
    return None


def _valid_cells(
    breakdown: Breakdown, cells: Mapping[tuple[str, ...], Decimal]
) -> dict[tuple[str, ...], Decimal]:
    """The cells whose key names a category of each of ``breakdown``'s dimensions."""
    return {
        key: amount
        for key, amount in cells.items()
        if len(key) == len(breakdown.dimensions)
        and all(
            part in dimension.categories
            for part, dimension in zip(key, breakdown.dimensions, strict=True)
        )
    }


def _official_women_shares(
    plan: Plan,
    indicators: Sequence[IndicatorInfo],
    *,
    period_of: Mapping[int, Period],
    until: dt.date | None = None,
) -> dict[int, dict[tuple[int, str], Ratio]]:
    """Per indicator of ``indicators`` (number indicators with a sex breakdown): the women
    share of the official values its value to date uses (those :class:`_KeptValues` keeps).

    Keys: ``(reporter id, period key)``, the period key as in :func:`_period`; for a
    ``sum`` indicator one key per reporter, ``(reporter id, WHOLE_PLAN)``, holding the
    shares of all its values pooled (take them all: ``women_to_date(every=True)``). Only
    values that enter a value to date (a number, not "no data") and cells of breakdowns
    with the sex dimension count. A value's share is that of its first declared sex
    breakdown (by breakdown order) whose cells give one (:func:`_value_share`); a
    breakdown's dimensions are in :meth:`~nap1325.plans.models.Breakdown.sorted_dimensions`
    order (the order of the cells' keys) and a value's categories are those its cells
    name (the services accept no other).

    Streamed, so that memory does not grow with the number of periods (issue 7 point 5):
    the values are read first (one row each, to know the latest value of each reporter
    — of each year, ``year_to_date`` — whether or not it has cells), then the cells of
    each indicator's first sex breakdown, ordered by value, each value's share computed
    as soon as its cells are in and the cells dropped; only the values the value to date
    uses count (every value of a ``sum`` indicator; of the others, earlier values are
    skipped as their cells stream past — filtering them in SQL made SQLite give up the
    indicator index). Then, only for indicators with such a value that got no share that
    way, the cells of all their sex breakdowns again (a province × sex table of 52 cells
    is not read when the indicator's plain sex breakdown already gives the share). Three
    or four queries, whatever the number of indicators and periods.
    """
    info_of = {info.pk: info for info in indicators}
    if not info_of:
        return {}
    ids = sorted(info_of)
    value_filter = Q(
        report__plan=plan,
        indicator_id__in=ids,
        is_official=True,
        no_data=False,
        value__isnull=False,
    )
    if until is not None:
        value_filter &= Q(report__period__end__lte=until)
    # which values the value to date uses: all of a sum indicator's, else the latest
    needed: Counter[int] = Counter()
    chosen: dict[tuple[int, int, int], tuple[dt.date, dt.date, int]] = {}
    for pk, indicator_id, reporter_id, period_id in (
        IndicatorValue.objects.filter(value_filter)
        .order_by()
        .values_list("pk", "indicator_id", "report__organisation_id", "report__period_id")
        .iterator(_STREAM_ROWS)
    ):
        aggregation = info_of[indicator_id].aggregation
        if aggregation is TimeAggregation.SUM:
            needed[indicator_id] += 1
            continue
        period = period_of[period_id]
        slot = period.year if aggregation is TimeAggregation.YEAR_TO_DATE else 0
        rank = (period.end, period.start, pk)
        if chosen.get((indicator_id, reporter_id, slot), rank) <= rank:
            chosen[(indicator_id, reporter_id, slot)] = rank
    chosen_values = {pk for _end, _start, pk in chosen.values()}
    for indicator_id, _reporter_id, _slot in chosen:
        needed[indicator_id] += 1
    del chosen
    if not needed:
        return {}
    # the indicators' sex breakdowns: dimensions in cell-key order, declared order
    dimensions: dict[int, dict[int, tuple[bool, int, int, str]]] = defaultdict(dict)
    owner: dict[int, tuple[int, int]] = {}
    breakdowns_of: dict[int, list[int]] = defaultdict(list)
    for breakdown_id, indicator_id, breakdown_order, pk, key, kind, order in (
        BreakdownModel.dimensions.through.objects.filter(
            breakdown__indicator_id__in=ids,
            breakdown_id__in=BreakdownModel.objects.filter(dimensions__key=SEX).values("pk"),
        )
        .order_by()
        .values_list(
            "breakdown_id",
            "breakdown__indicator_id",
            "breakdown__order",
            "dimension_id",
            "dimension__key",
            "dimension__kind",
            "dimension__order",
        )
    ):
        dimensions[breakdown_id][pk] = (kind == DimensionModel.Kind.SEX, order, pk, key)
        if breakdown_id not in owner:
            owner[breakdown_id] = (breakdown_order, breakdown_id)
            breakdowns_of[indicator_id].append(breakdown_id)
    for found in breakdowns_of.values():
        found.sort(key=lambda pk: owner[pk])
    names = {
        breakdown_id: [name for *_rank, name in sorted(dims.values())]
        for breakdown_id, dims in dimensions.items()
    }
    sums = {pk for pk in ids if info_of[pk].aggregation is TimeAggregation.SUM}

    shares: dict[int, dict[tuple[int, str], Ratio]] = defaultdict(dict)
    got: Counter[int] = Counter()
    declared = _Declared(names)

    def read(breakdown_ids: list[int], of_indicators: set[int]) -> None:
        """Stream the cells of ``breakdown_ids`` of the needed values of ``of_indicators``,
        one value at a time, into ``shares``."""
        cell_filter = Q(
            value__report__plan=plan,
            value__indicator_id__in=sorted(of_indicators),
            value__is_official=True,
            value__no_data=False,
            value__value__isnull=False,
            breakdown_id__in=breakdown_ids,
        )
        if until is not None:
            cell_filter &= Q(value__report__period__end__lte=until)
        rows = (
            ValueCell.objects.filter(cell_filter)
            .order_by("value_id")
            .values_list(
                "value_id",
                "value__indicator_id",
                "value__report__organisation_id",
                "value__report__period_id",
                "value__value",
                "breakdown_id",
                "key",
                "amount",
            )
            .iterator(_STREAM_ROWS)
        )
        for value_id, value_rows in groupby(rows, key=itemgetter(0)):
            first = next(value_rows)
            _value_id, indicator_id, reporter_id, period_id, total = first[:5]
            if value_id not in chosen_values and indicator_id not in sums:
                continue  # an earlier value of a latest or year-to-date indicator
            cells: dict[int, dict[tuple[str, ...], Decimal]] = defaultdict(dict)
            for row in chain((first,), value_rows):
                cells[row[5]][tuple(row[6].split(KEY_SEPARATOR))] = row[7]
            share = _share_of_cells(breakdowns_of[indicator_id], declared, total, cells)
            if share is None:
                continue
            got[indicator_id] += 1
            by_reporter = shares[indicator_id]
            if info_of[indicator_id].aggregation is TimeAggregation.SUM:
                before = by_reporter.get((reporter_id, WHOLE_PLAN))
                by_reporter[(reporter_id, WHOLE_PLAN)] = (
                    share if before is None else _pooled(before, share)
                )
            else:
                by_reporter[(reporter_id, str(period_id))] = share

    firsts = {indicator_id: found[0] for indicator_id, found in breakdowns_of.items()}
    read(sorted(firsts.values()), set(firsts))
    lacking = {
        indicator_id
        for indicator_id, count in needed.items()
        if got[indicator_id] < count and len(breakdowns_of.get(indicator_id, ())) > 1
    }
    if lacking:  # their first sex breakdown gave no share to some value: read them all
        for indicator_id in lacking:
            shares.pop(indicator_id, None)
        read(sorted(pk for i in lacking for pk in breakdowns_of[i]), lacking)
    return shares


class _Declared:
    """Each sex breakdown as the arithmetic declares it, its categories those its cells
    have named so far (at each position of the key, in cell-key order).

    A cell whose key names a category at each position is valid (:func:`_valid_cells`);
    as the categories are those the cells name, every key of the breakdown's width is,
    however many values were seen — so a breakdown can be declared as the cells stream in,
    and declared again only when a cell names a new category.
    """

    def __init__(self, names: Mapping[int, Sequence[str]]) -> None:
        self._names = names
        self._seen: dict[int, list[dict[str, None]]] = {}
        self._declared: dict[int, Breakdown] = {}

    def of(self, breakdown_id: int, keys: Iterable[tuple[str, ...]]) -> Breakdown | None:
        """The breakdown, knowing the categories of ``keys`` too (``None``: no key of its
        width has been seen)."""
        names = self._names[breakdown_id]
        width = len(names)
        seen = self._seen.setdefault(breakdown_id, [{} for _n in range(width)])
        new = False
        for key in keys:
            if len(key) == width:
                for position, part in enumerate(key):
                    if part not in seen[position]:
                        seen[position][part] = None
                        new = True
        if new and all(seen):
            self._declared[breakdown_id] = Breakdown(
                tuple(
                    Dimension(name, tuple(parts)) for name, parts in zip(names, seen, strict=True)
                )
            )
        return self._declared.get(breakdown_id)


def _share_of_cells(
    breakdown_ids: Sequence[int],
    declared: _Declared,
    total: Decimal,
    cells: Mapping[int, Mapping[tuple[str, ...], Decimal]],
) -> Ratio | None:
    """The women share of one value from its cells by breakdown (:func:`_value_share`)."""
    found: list[tuple[int, Breakdown]] = []
    for breakdown_id in breakdown_ids:
        keyed = cells.get(breakdown_id)
        if keyed and (breakdown := declared.of(breakdown_id, keyed)) is not None:
            found.append((breakdown_id, breakdown))
    return _value_share(found, total, cells) if found else None


# --------------------------------------------------------------------------- plan dashboard


def plan_dashboard(
    plan: Plan,
    *,
    as_of: dt.date,
    organisation: Organisation | None = None,
    expand: int | None = None,
    scope: PublicScope | None = None,
) -> Dashboard:
    """The plan dashboard, or one organisation's (its indicators and the actions it leads).

    Each section lists at most :data:`ROW_LIMIT` numeric and as many stage/yes-no
    indicators (those needing attention first) unless it is the section ``expand`` (a
    top-tier result id); counts and summaries always cover every indicator.

    What is added up over the whole plan (:class:`_Figures`: counts per status, the rows
    each section lists, the actions per result) is stored per plan, scope and day in
    :class:`~nap1325.monitoring.models.DashboardAggregate` and added up again only after
    the plan has changed (an audited write) or on a new day. Queries on a stored
    aggregate: the aggregate, results, periods, the listed rows, reporting organisations,
    reports — six whatever the plan's size (plus one for an organisation's reports, one
    for a section listed in full); adding up again takes about ten more (:func:`_added_up`).

    ``scope`` (the public portal): only the results, actions and indicators of this
    :class:`~nap1325.plans.visibility.PublicScope` enter the sections, counts and roll-ups.
    """
    result_rows = Result.objects.filter(plan=plan, is_archived=False)
    if scope is not None:
        result_rows = result_rows.filter(pk__in=scope.result_ids)
    results = list(
        result_rows.order_by("depth", "order", "id").values(
            "pk", "parent_id", "depth", "code", *_TITLES, "weight", "pillar__name"
        )
    )
    for row in results:  # titles in the reader's language, the plan's chain
        row["title"] = content(row, "title", plan)
    periods = {
        row["pk"]: row
        for row in ReportingPeriod.objects.filter(plan=plan)
        .order_by("start")
        .values("pk", "label", "start", "end", "due", "state")
    }
    tree = _Tree(results)
    root_of_result = {
        row["pk"]: root["pk"] for root in tree.roots for row in tree.results_below(root["pk"])
    }
    figures = _figures(
        plan, as_of=as_of, organisation=organisation, scope=scope, root_of_result=root_of_result
    )
    counts, actions = figures.counts, figures.actions
    listed = _listed_rows(plan, figures.listed, as_of=as_of)
    if expand in root_of_result.values():
        assessed, result_key = _assessed(plan, organisation, scope)
        listed[expand] = _section_rows(
            plan, assessed, result_key, tree.results_below(expand), as_of=as_of
        )
    progress = tree.progress({pk: group.sums for pk, group in actions.items()})
    sections: list[Section] = []
    for root in tree.roots:
        below = tree.results_below(root["pk"])
        section_actions = [actions[row["pk"]] for row in below if row["pk"] in actions]
        section_counts = counts.get(root["pk"], [])
        if organisation is not None and not section_actions and not section_counts:
            continue
        planned, spent = _section_budget(plan, section_actions)
        shown = listed.get(root["pk"], [])
        sections.append(
            Section(
                pk=root["pk"],
                code=root["code"],
                title=root["title"],
                pillar=root["pillar__name"] or "",
                numeric_count=sum(n for is_numeric, _s, n, *_r in section_counts if is_numeric),
                qualitative_count=sum(
                    n for is_numeric, _s, n, *_r in section_counts if not is_numeric
                ),
                numeric_shown=[item for item in shown if item.info.is_numeric],
                qualitative_shown=[item for item in shown if not item.info.is_numeric],
                expanded=expand == root["pk"],
                summary=_counted(section_counts),
                action_status=_status_counts(section_actions),
                progress=progress[root["pk"]],
                results=[progress[row["pk"]] for row in below if row["pk"] != root["pk"]],
                planned=planned,
                spent=spent,
            )
        )

    all_counts = [item for items in counts.values() for item in items]
    every = sum((group.sums for group in actions.values()), ProgressSums())
    overall = roll_up([progress[root["pk"]].rollup.as_child(_weight(root)) for root in tree.roots])
    return Dashboard(
        plan=plan,
        as_of=as_of,
        sections=sections,
        summary=_counted(all_counts),
        action_status=_status_counts(actions.values()),
        progress=overall,
        actions_reporting=every.reporting,
        actions_total=every.total,
        budget=_budget(plan, actions.values()),
        completeness=_completeness(plan, periods, organisation),
        indicator_count=sum(n for _numeric, _status, n, *_rest in all_counts),
        organisation=organisation,
        reports=agency_reports(plan, organisation, periods) if organisation else [],
    )


#: ``(numeric, status, count, Σ achievement, how many have an achievement)``: one group of
#: the stored assessments (:func:`_counted`)
StatusCount = tuple[bool, Status, int, Decimal | None, int]


@dataclass
class _Figures:
    """What a dashboard adds up over the whole plan (its scope), as of a day.

    ``counts``: per section (top-tier result id; ``None`` for indicators outside every
    live section) the :data:`StatusCount` groups; ``listed``: per section, the ids of the
    indicators it lists (:data:`ROW_LIMIT` per kind, those needing attention first), in
    matrix order; ``actions``: per result, its live actions added up.
    """

    counts: dict[int | None, list[StatusCount]]
    listed: dict[int, list[int]]
    actions: dict[int, ResultActions]


def _scope_key(organisation: Organisation | None, scope: PublicScope | None) -> str:
    """The ``DashboardAggregate.scope`` of a dashboard: the plan's, an agency's, the public's."""
    if organisation is not None:
        return f"organisation:{organisation.pk}"
    return "public" if scope is not None else "plan"


def _figures(
    plan: Plan,
    *,
    as_of: dt.date,
    organisation: Organisation | None,
    scope: PublicScope | None,
    root_of_result: Mapping[int, int],
) -> _Figures:
    """The stored :class:`_Figures` of this plan, scope and day if the plan has not changed
    since they were added up (one query), else :func:`_added_up` and stored."""
    key = _scope_key(organisation, scope)
    current = Coalesce(
        Subquery(PlanChanges.objects.filter(plan_id=plan.pk).values("count")[:1]), Value(0)
    )
    stored = (
        DashboardAggregate.objects.filter(plan=plan, scope=key, as_of=as_of)
        .filter(plan_changes=current)
        .values_list("data", flat=True)
        .first()
    )
    if stored is not None:
        return _figures_loaded(stored)
    # read the count first: a change committed while adding up moves it past this value,
    # so the row stored below is never taken for current after such a change
    changes = plan_change_count(plan.pk)
    figures = _added_up(
        plan, as_of=as_of, organisation=organisation, scope=scope, root_of_result=root_of_result
    )
    DashboardAggregate.objects.bulk_create(
        [
            DashboardAggregate(
                plan=plan,
                scope=key,
                as_of=as_of,
                plan_changes=changes,
                data=_figures_dumped(figures),
            )
        ],
        update_conflicts=True,
        unique_fields=["plan", "scope"],
        update_fields=["as_of", "plan_changes", "data", "updated_at"],
    )
    return figures


def _assessed(
    plan: Plan, organisation: Organisation | None, scope: PublicScope | None
) -> tuple[QuerySet[StoredAssessment], Any]:
    """The stored assessments of the live indicators a dashboard covers, and the expression
    of an assessment's result (its action's, only for an action the agency leads, else its
    own)."""
    # live indicators: archiving a result or an action archives the indicators below it
    # (plans.services), so the indicator's own flag is enough here
    assessed = StoredAssessment.objects.filter(plan=plan, indicator__is_archived=False)
    result_key: Any = F("result_key")
    if organisation is not None:
        assessed = assessed.filter(reporter=organisation.pk)
        result_key = Case(
            When(action_lead__isnull=True, then=F("result_key")),
            When(action_lead=organisation.pk, then=F("result_key")),
            default=Value(None),
            output_field=IntegerField(),
        )
    if scope is not None:
        assessed = assessed.filter(indicator_id__in=scope.indicator_ids)
    return assessed, result_key


def _added_up(
    plan: Plan,
    *,
    as_of: dt.date,
    organisation: Organisation | None,
    scope: PublicScope | None,
    root_of_result: Mapping[int, int],
) -> _Figures:
    """Add up the whole plan (its scope) for :func:`plan_dashboard`.

    Queries: indicators whose stored assessment is not of ``as_of`` (refreshed), the
    counts of the stored assessments per result × kind × status, the ranking of the rows
    to list, the check that action progress is stored (:func:`_ensure_action_progress`),
    the live actions and the live budget lines added up per result (:func:`_action_groups`).
    On PostgreSQL the rows read back depend on the number of results, not on the number
    of actions, budget lines or updates.
    """
    indicator_filter = _indicator_filter(plan, organisation)
    if scope is not None:
        indicator_filter &= Q(pk__in=scope.indicator_ids)
    stale = set(
        Indicator.objects.filter(indicator_filter)
        .exclude(assessment__as_of=as_of, assessment__result_key__isnull=False)
        .values_list("pk", flat=True)
    )
    if stale:
        indicator_assessments_refresh(stale, as_of=as_of)
    assessed, result_key = _assessed(plan, organisation, scope)
    _ensure_action_progress(plan)
    actions = _action_groups(plan, organisation, scope)
    counts: dict[int | None, list[StatusCount]] = defaultdict(list)
    for key, numeric, status, number, total, with_percent in (
        assessed.annotate(section_key=result_key)
        .values("section_key", "numeric", "status")
        .annotate(n=Count("pk"), total=Sum("achievement"), with_percent=Count("achievement"))
        .order_by()
        .values_list("section_key", "numeric", "status", "n", "total", "with_percent")
    ):
        counts[root_of_result.get(key)].append(
            (numeric, Status(status), number, total, with_percent)
        )
    listed = _ranked(assessed, result_key, root_of_result)
    return _Figures(counts=dict(counts), listed=listed, actions=actions)


def _ranked(
    assessed: QuerySet[StoredAssessment], result_key: Any, root_of_result: Mapping[int, int]
) -> dict[int, list[int]]:
    """Per section: the ids of the indicators it lists, in matrix order (one query).

    At most :data:`ROW_LIMIT` numeric and as many stage/yes-no indicators per section,
    those needing attention first (status, then lowest achievement, then matrix order:
    the order of :func:`_shown`).
    """
    below: dict[int, list[int]] = defaultdict(list)
    for result_pk, root_pk in root_of_result.items():
        below[root_pk].append(result_pk)
    if not below:
        return {}
    section = Case(
        *[When(section_key__in=results, then=Value(root)) for root, results in below.items()],
        default=Value(None),
        output_field=IntegerField(),
    )
    # rank narrow rows (ids and sort keys: the sort fits in memory); the wide rows (data,
    # indicator fields) of the listed ones are read by id (:func:`_listed_rows`)
    ranked = (
        assessed.annotate(section_key=result_key)
        .annotate(section=section)
        .filter(section__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section"), F("numeric")],
                order_by=[
                    F("attention").asc(),
                    Coalesce("achievement", Value(Decimal(0)), output_field=DecimalField()).asc(),
                    F("indicator__order").asc(),
                    F("indicator_id").asc(),
                ],
            )
        )
        .filter(rank__lte=ROW_LIMIT)
        .values_list("section", "indicator_id", "indicator__order")
    )
    listed: dict[int, list[int]] = defaultdict(list)
    for section_pk, indicator_pk, _order in sorted(ranked, key=lambda row: (row[2], row[1])):
        listed[section_pk].append(indicator_pk)
    return dict(listed)


def _section_rows(
    plan: Plan,
    assessed: QuerySet[StoredAssessment],
    result_key: Any,
    below: Sequence[Mapping[str, Any]],
    *,
    as_of: dt.date,
) -> list[IndicatorSummary]:
    """Every indicator of one section (the results ``below`` its top), in matrix order."""
    ids = list(
        assessed.annotate(section_key=result_key)
        .filter(section_key__in=[row["pk"] for row in below])
        .order_by("indicator__order", "indicator_id")
        .values_list("indicator_id", flat=True)
    )
    return _listed_rows(plan, {0: ids}, as_of=as_of).get(0, [])


def _listed_rows(
    plan: Plan, listed: Mapping[int, list[int]], *, as_of: dt.date
) -> dict[int, list[IndicatorSummary]]:
    """The stored assessments of the ``listed`` ids per section, in the same order (one
    query; rows of another day are assessed again first, :func:`stored_summaries`)."""
    found = stored_summaries(plan, [pk for ids in listed.values() for pk in ids], as_of=as_of)
    return {section: [found[pk] for pk in ids if pk in found] for section, ids in listed.items()}


def _figures_dumped(figures: _Figures) -> dict[str, Any]:
    """:class:`_Figures` as JSON (Decimals as strings: exact)."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "counts": [
            [section, numeric, status.value, number, text(total), with_percent]
            for section, groups in figures.counts.items()
            for numeric, status, number, total, with_percent in groups
        ],
        "listed": [[section, ids] for section, ids in figures.listed.items()],
        "actions": [
            {
                "result": pk,
                "sums": [
                    group.sums.total,
                    group.sums.reporting,
                    str(group.sums.progress),
                    group.sums.weighted,
                    str(group.sums.weight),
                    str(group.sums.weighted_progress),
                ],
                "status": dict(group.status),
                "planned": [
                    [source, currency, str(amount)]
                    for (source, currency), amount in group.planned.items()
                ],
                "spent": [[key, str(amount), n] for key, (amount, n) in group.spent.items()],
            }
            for pk, group in figures.actions.items()
        ],
    }


def _figures_loaded(data: Mapping[str, Any]) -> _Figures:
    """The :class:`_Figures` that :func:`_figures_dumped` wrote."""
    counts: dict[int | None, list[StatusCount]] = defaultdict(list)
    for section, numeric, status, number, total, with_percent in data["counts"]:
        counts[section].append(
            (
                numeric,
                Status(status),
                number,
                None if total is None else Decimal(total),
                with_percent,
            )
        )
    actions: dict[int, ResultActions] = {}
    for row in data["actions"]:
        total, reporting, progress, weighted, weight, weighted_progress = row["sums"]
        actions[row["result"]] = ResultActions(
            sums=ProgressSums(
                total=total,
                reporting=reporting,
                progress=Decimal(progress),
                weighted=weighted,
                weight=Decimal(weight),
                weighted_progress=Decimal(weighted_progress),
            ),
            status=Counter(row["status"]),
            planned={
                (source, currency): Decimal(amount) for source, currency, amount in row["planned"]
            },
            spent={key: (Decimal(amount), n) for key, amount, n in row["spent"]},
        )
    return _Figures(
        counts=dict(counts),
        listed={section: list(ids) for section, ids in data["listed"]},
        actions=actions,
    )


@dataclass
class Snapshot:
    """The plan as of a day, every indicator listed: what a national progress report shows.

    ``dashboard``: as :func:`plan_dashboard` gives it, but from the values and action
    updates of periods that end on or before ``until`` only, and with every section
    listing all its indicators (``expanded``); ``result_of_indicator``: each listed
    indicator's result (its own, or its action's), to group indicators under results.
    """

    dashboard: Dashboard
    until: dt.date
    result_of_indicator: dict[int, int]


#: Indicators assessed per batch by :func:`plan_snapshot` (bounded memory per batch).
SNAPSHOT_CHUNK = 500


def plan_snapshot(plan: Plan, *, until: dt.date, as_of: dt.date | None = None) -> Snapshot:
    """The whole plan as of ``until`` (the end of a reporting period or a year), for reports.

    Only official (approved) values and action updates of periods ending on or before
    ``until`` count; the target to date is that of ``as_of`` (default ``until``). Nothing
    is stored: the stored assessments are today's, a report may be of any earlier period.
    Every number comes from the same functions as :func:`plan_dashboard` (:func:`assess`,
    :mod:`nap1325.measurement`). Queries: results, actions, periods, indicators, budget
    lines, action updates, reporting organisations, reports, then per
    :data:`SNAPSHOT_CHUNK` indicators their targets, periods, values and sex cells.
    """
    as_of = as_of or until
    results = list(
        Result.objects.filter(plan=plan, is_archived=False)
        .order_by("depth", "order", "id")
        .values("pk", "parent_id", "depth", "code", *_TITLES, "weight", "pillar__name")
    )
    for row in results:  # titles in the reader's language, the plan's chain
        row["title"] = content(row, "title", plan)
    periods = {
        row["pk"]: row
        for row in ReportingPeriod.objects.filter(plan=plan, end__lte=until)
        .order_by("start")
        .values("pk", "label", "start", "end", "due", "state")
    }
    indicator_rows = list(
        Indicator.objects.filter(_indicator_filter(plan, None))
        .annotate(
            has_sex=Exists(
                BreakdownModel.objects.filter(indicator=OuterRef("pk"), dimensions__key=SEX)
            )
        )
        .order_by("order", "id")
        .values(*_INDICATOR_FIELDS, "has_sex", "action__result_id")
    )
    summaries = [
        summary
        for start in range(0, len(indicator_rows), SNAPSHOT_CHUNK)
        for summary in _summaries(
            plan,
            indicator_rows[start : start + SNAPSHOT_CHUNK],
            as_of=as_of,
            subset=True,
            until=until,
        )
    ]
    # a past period's report cannot use the stored (today's) action progress: each
    # action's latest official update as of ``until``, added up as the dashboard does
    updates = _latest_updates(plan=plan, until=until)
    actions = _grouped(
        (
            (pk, result_id, weight, *_update_fields(updates.get(pk)))
            for pk, result_id, weight in Action.objects.filter(_action_filter(plan, None))
            .order_by()
            .values_list("pk", "result_id", "weight")
        ),
        _live_lines(plan, None).values_list(
            "action_id", "action__result_id", "funding_source", "currency", "amount"
        ),
    )
    tree = _Tree(results)
    progress = tree.progress({pk: group.sums for pk, group in actions.items()})
    root_of_result = {
        row["pk"]: root["pk"] for root in tree.roots for row in tree.results_below(root["pk"])
    }
    result_of_indicator = {
        row["pk"]: row["action__result_id"] if row["action_id"] else row["result_id"]
        for row in indicator_rows
    }
    by_section: dict[int, list[IndicatorSummary]] = defaultdict(list)
    for summary in summaries:
        root = root_of_result.get(result_of_indicator[summary.info.pk])
        if root is not None:
            by_section[root].append(summary)
    sections = []
    for root in tree.roots:
        below = tree.results_below(root["pk"])
        section_actions = [actions[row["pk"]] for row in below if row["pk"] in actions]
        items = by_section.get(root["pk"], [])
        planned, spent = _section_budget(plan, section_actions)
        sections.append(
            Section(
                pk=root["pk"],
                code=root["code"],
                title=root["title"],
                pillar=root["pillar__name"] or "",
                numeric_count=sum(1 for item in items if item.info.is_numeric),
                qualitative_count=sum(1 for item in items if not item.info.is_numeric),
                numeric_shown=[item for item in items if item.info.is_numeric],
                qualitative_shown=[item for item in items if not item.info.is_numeric],
                expanded=True,
                summary=summarise(item.assessment for item in items),
                action_status=_status_counts(section_actions),
                progress=progress[root["pk"]],
                results=[progress[row["pk"]] for row in below if row["pk"] != root["pk"]],
                planned=planned,
                spent=spent,
            )
        )
    listed = [item for items in by_section.values() for item in items]
    every = sum((group.sums for group in actions.values()), ProgressSums())
    overall = roll_up([progress[root["pk"]].rollup.as_child(_weight(root)) for root in tree.roots])
    dashboard = Dashboard(
        plan=plan,
        as_of=as_of,
        sections=sections,
        summary=summarise(item.assessment for item in listed),
        action_status=_status_counts(actions.values()),
        progress=overall,
        actions_reporting=every.reporting,
        actions_total=every.total,
        budget=_budget(plan, actions.values()),
        completeness=_completeness(plan, periods, None),
        indicator_count=len(listed),
    )
    return Snapshot(dashboard=dashboard, until=until, result_of_indicator=result_of_indicator)


def stored_summaries(
    plan: Plan, indicator_ids: Iterable[int], *, as_of: dt.date
) -> dict[int, IndicatorSummary]:
    """The stored assessments (value to date, achievement, status) of ``indicator_ids``.

    Rows of another day are refreshed first (as :func:`plan_dashboard` does). One query
    when every row is of ``as_of``; a refresh adds its own. Indicators of other plans are
    left out.
    """
    ids = set(indicator_ids)
    if not ids:
        return {}
    fields = ("as_of", "status", "data", *(f"indicator__{name}" for name in _INDICATOR_FIELDS))

    def read() -> list[tuple[Any, ...]]:
        return list(
            StoredAssessment.objects.filter(plan=plan, indicator_id__in=ids).values_list(*fields)
        )

    rows = read()
    if {row[3] for row in rows if row[0] == as_of} != ids:
        indicator_assessments_refresh(ids, as_of=as_of)
        rows = read()
    found: dict[int, IndicatorSummary] = {}
    for _as_of, status, data, *indicator in rows:
        info = _info(dict(zip(_INDICATOR_FIELDS, indicator, strict=True)), plan)
        found[info.pk] = _loaded(info, Status(status), data)
    return found


def _indicator_filter(plan: Plan, organisation: Organisation | None) -> Q:
    """Live indicators of ``plan`` (of ``organisation``'s scope) under live results/actions."""
    found = Q(plan=plan, is_archived=False) & (
        Q(action__isnull=True, result__is_archived=False)
        | Q(action__is_archived=False, action__result__is_archived=False)
    )
    if organisation is not None:
        found &= Q(responsible_organisation=organisation) | Q(
            responsible_organisation__isnull=True, action__lead_agency=organisation
        )
    return found


def _counted(counts: Iterable[tuple[bool, Status, int, Decimal | None, int]]) -> StatusSummary:
    """A :class:`StatusSummary` from ``(numeric, status, count, Σ achievement, n with one)``
    groups (the ``GROUP BY`` of the assessment table); the same as :func:`summarise`."""
    numeric: Counter[Status] = Counter()
    qualitative: Counter[Status] = Counter()
    total = Decimal(0)
    with_percent = 0
    for is_numeric, status, number, achieved, percents in counts:
        (numeric if is_numeric else qualitative)[status] += number
        if is_numeric and percents:
            total += Decimal(achieved or 0)
            with_percent += percents
    return StatusSummary(
        numeric=numeric,
        qualitative=qualitative,
        mean_achievement=quotient(total, Decimal(with_percent)) if with_percent else None,
        achievement_count=with_percent,
    )


# --------------------------------------------------------------------------- assess on write


def _plan_today(plan: Plan) -> dt.date:
    """Today in the plan's time zone (as ``dashboard_views.plan_today``)."""
    try:
        zone = zoneinfo.ZoneInfo(plan.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def _summaries(
    plan: Plan,
    indicator_rows: Sequence[Mapping[str, Any]],
    *,
    as_of: dt.date,
    subset: bool,
    until: dt.date | None = None,
) -> list[IndicatorSummary]:
    """Assess ``indicator_rows`` (``values()`` of :data:`_INDICATOR_FIELDS` and ``has_sex``)
    of ``plan`` from their official values, as the dashboards always did (:func:`assess`).

    ``subset``: restrict the queries to these indicators (else the whole plan is read);
    ``until``: read only the values of periods that end on or before that day (a progress
    report as of a period's end, :func:`plan_snapshot`).
    """
    infos = [_info(row, plan) for row in indicator_rows]
    ids = [info.pk for info in infos]
    with_sex = {
        row["pk"] for row in indicator_rows if row["has_sex"] and row["measure"] == Measure.NUMBER
    }
    target_rows = IndicatorPeriodTarget.objects.filter(
        indicator__plan=plan, indicator__is_archived=False
    )
    value_rows = IndicatorValue.objects.filter(report__plan=plan, is_official=True)
    if subset:
        target_rows = target_rows.filter(indicator_id__in=ids)
        value_rows = value_rows.filter(indicator_id__in=ids)
    if until is not None:
        value_rows = value_rows.filter(report__period__end__lte=until)
    targets: dict[int, dict[Period, Decimal]] = defaultdict(dict)
    for indicator_id, due, value in target_rows.values_list("indicator_id", "due", "value"):
        targets[indicator_id][_target_period(due)] = value
    periods = {
        row["pk"]: row
        for row in ReportingPeriod.objects.filter(plan=plan)
        .order_by("start")
        .values("pk", "label", "start", "end", "due", "state")
    }
    series = _official_to_date(plan, infos, value_rows, periods)
    women_shares = _official_women_shares(
        plan,
        [info for info in infos if info.pk in with_sex],
        period_of={pk: _period(row) for pk, row in periods.items()},
        until=until,
    )
    summaries: list[IndicatorSummary] = []
    for info in infos:
        by_reporter: dict[int, list[PeriodValue]] = dict(series.get(info.pk, {}))
        if info.reporter_id is not None:
            by_reporter.setdefault(info.reporter_id, [])
        summary = assess(
            info, by_reporter, plan=plan, as_of=as_of, period_targets=targets.get(info.pk)
        )
        if info.pk in with_sex:
            summary.has_sex = True
            summary.women = women_to_date(
                info,
                by_reporter,
                women_shares.get(info.pk, {}),
                every=info.aggregation is TimeAggregation.SUM,
            )
        summaries.append(summary)
    return summaries


#: Indicators assessed together: a rebuild reads the values and cells of this many at a
#: time (bounded memory, and the women shares' loop stays small).
_CHUNK = 500
#: Largest achievement stored for ordering (the field's range); the row's data keeps it exact.
_ORDER_LIMIT = Decimal("1e19")


def indicator_assessments_refresh(
    indicator_ids: Iterable[int], *, as_of: dt.date | None = None
) -> None:
    """Store the assessment of each indicator of ``indicator_ids`` (``IndicatorAssessment``).

    The one writer of the table: every service that changes official values or what an
    assessment depends on calls it in its own transaction. ``as_of``: the day of the
    target to date (default: today in each plan's time zone). Reuses :func:`assess` and
    the reads of the dashboards, so the table holds what they computed on every request.
    """
    ids = set(indicator_ids)
    if not ids:
        return
    rows = list(
        Indicator.objects.filter(pk__in=ids)
        .annotate(
            has_sex=Exists(
                BreakdownModel.objects.filter(indicator=OuterRef("pk"), dimensions__key=SEX)
            )
        )
        .order_by("plan_id", "order", "id")
        .values(*_INDICATOR_FIELDS, "has_sex", "plan_id", "action__result_id")
    )
    by_plan: dict[int, list[dict[str, Any]]] = defaultdict(list)
    owners = {row["pk"]: row for row in rows}
    for row in rows:
        by_plan[row["plan_id"]].append(row)
    with transaction.atomic():
        for plan in Plan.objects.filter(pk__in=list(by_plan)):
            day = as_of or _plan_today(plan)
            plan_rows = by_plan[plan.pk]
            summaries = [
                summary
                for start in range(0, len(plan_rows), _CHUNK)
                for summary in _summaries(
                    plan, plan_rows[start : start + _CHUNK], as_of=day, subset=True
                )
            ]
            StoredAssessment.objects.bulk_create(
                [_stored(plan, summary, day, owners[summary.info.pk]) for summary in summaries],
                update_conflicts=True,
                unique_fields=["indicator"],
                update_fields=[
                    "plan",
                    "numeric",
                    "status",
                    "attention",
                    "achievement",
                    "data",
                    "as_of",
                    "result_key",
                    "action_lead",
                    "reporter",
                ],
                batch_size=1000,
            )


def _stored(
    plan: Plan, summary: IndicatorSummary, as_of: dt.date, owner: Mapping[str, Any]
) -> StoredAssessment:
    percent = summary.achievement.percent if summary.achievement else None
    if percent is not None:
        percent = max(-_ORDER_LIMIT, min(_ORDER_LIMIT, percent)).quantize(Decimal("1e-20"))
    return StoredAssessment(
        indicator_id=summary.info.pk,
        plan=plan,
        numeric=summary.info.is_numeric,
        status=summary.status.value,
        attention=ATTENTION[summary.status],
        achievement=percent,
        data=_dumped(summary),
        as_of=as_of,
        result_key=owner["action__result_id"] or owner["result_id"],
        action_lead=owner["action__lead_agency_id"],
        reporter=owner["responsible_organisation_id"] or owner["action__lead_agency_id"],
    )


def _number(value: Decimal | Ratio | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Ratio):
        return [str(value.numerator), str(value.denominator)]
    return str(value)


def _parsed(value: Any) -> Decimal | Ratio | None:
    if value is None:
        return None
    if isinstance(value, list):
        return Ratio(Decimal(value[0]), Decimal(value[1]))
    return Decimal(value)


def _dumped(summary: IndicatorSummary) -> dict[str, Any]:
    """What a dashboard row shows of ``summary``, as JSON (Decimals as exact strings)."""
    reached: Any = None
    if isinstance(summary.reached, StageReached):
        reached = {"stage": summary.reached.index}
    elif isinstance(summary.reached, YesNo):
        reached = {"yes": summary.reached.done}
    achieved = summary.achievement
    return {
        "current": None
        if summary.current is None
        else [
            _number(summary.current.value),
            summary.current.included,
            summary.current.expected,
        ],
        "reached": reached,
        "achievement": None
        if achieved is None
        else [
            _number(achieved.percent),
            achieved.reason.value if achieved.reason else None,
        ],
        "target_to_date": _number(summary.target_to_date),
        "history": summary.history,
        "has_sex": summary.has_sex,
        "women": _number(summary.women),
    }


def _loaded(info: IndicatorInfo, status: Status, data: Mapping[str, Any]) -> IndicatorSummary:
    """The :class:`IndicatorSummary` :func:`_dumped` stored."""
    current = data.get("current")
    reached = data.get("reached")
    achieved = data.get("achievement")
    women = _parsed(data.get("women"))
    target = _parsed(data.get("target_to_date"))
    percent = _parsed(achieved[0]) if achieved else None
    return IndicatorSummary(
        info,
        status,
        current=None if current is None else Aggregate(_parsed(current[0]), current[1], current[2]),
        reached=None
        if reached is None
        else (StageReached(reached["stage"]) if "stage" in reached else YesNo(reached["yes"])),
        achievement=None
        if achieved is None
        else Achievement(
            percent if isinstance(percent, Decimal) else None,
            NotApplicable(achieved[1]) if achieved[1] else None,
        ),
        target_to_date=target if isinstance(target, Decimal) else None,
        history=data.get("history", 0),
        has_sex=bool(data.get("has_sex")),
        women=women if isinstance(women, Ratio) else None,
    )


def dashboard_aggregates_clear(plan: Plan | None = None) -> int:
    """Throw away the stored dashboard aggregates (of ``plan``): the next request of each
    dashboard adds the plan up again. For data changed outside the services (no audit
    event, so no count of a change). Returns how many rows were removed."""
    rows = DashboardAggregate.objects.all()
    if plan is not None:
        rows = rows.filter(plan=plan)
    return rows.delete()[0]


def indicator_assessments_rebuild(plan: Plan | None = None) -> int:
    """Recompute the assessment of every indicator (of ``plan``); returns how many."""
    indicators = Indicator.objects.all() if plan is None else Indicator.objects.filter(plan=plan)
    ids = list(indicators.values_list("pk", flat=True))
    indicator_assessments_refresh(ids)
    return len(ids)


#: Stored values that are usable data of their indicator's measure (mirrors :func:`_entry`).
_USABLE = Q(no_data=False) & (
    Q(indicator__measure=Measure.NUMBER, value__isnull=False)
    | Q(
        indicator__measure=Measure.PERCENTAGE,
        numerator__isnull=False,
        denominator__gt=0,
        numerator__lte=F("denominator"),
    )
    | Q(indicator__measure=Measure.YES_NO, yes_no__isnull=False)
    | Q(indicator__measure=Measure.STAGE, stage__isnull=False)
)


#: The key of the one period a reporter's ``sum`` values are added up over (the plan's).
WHOLE_PLAN = "plan"


class _KeptValues:
    """Per indicator and reporter, only the official values a value to date uses.

    Rows come in any order, streamed; what is kept does not grow with the number of
    periods (issue 7 point 5) except one value per year for ``year_to_date``:

    * ``sum`` numbers and percentages: one running total (exact Decimals; shares pooled),
      given to the arithmetic as one value over the whole plan (:data:`WHOLE_PLAN`), as
      PostgreSQL's ``SUM`` already did;
    * ``latest``: the value of the latest period with data;
    * ``year_to_date``: each year's latest value with data;
    * stage and yes-no indicators: every value (their "updates" count them).

    A reporter whose values are all "no data" keeps one of them, so it still counts as
    expected but not included (:func:`~nap1325.measurement.national_to_date`).
    :func:`~nap1325.measurement.to_date` gives the same answer from what is kept as from
    every value (``tests/monitoring/test_dashboards_women.py`` compares both).
    """

    def __init__(
        self,
        infos: Sequence[IndicatorInfo],
        period_of: Mapping[int, Period],
        whole_plan: Period,
    ) -> None:
        self._info = {info.pk: info for info in infos}
        self._period_of = period_of
        self._whole_plan = whole_plan
        self._all: dict[int, dict[int, list[PeriodValue]]] = defaultdict(lambda: defaultdict(list))
        #: (indicator, reporter) → {slot: PeriodValue}; slot: the year, 0 for one value
        self._kept: dict[tuple[int, int], dict[int, PeriodValue]] = defaultdict(dict)
        self._no_data: dict[tuple[int, int], PeriodValue] = {}

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of ``(indicator_id, organisation_id, period_id, *_VALUE_FIELDS)``."""
        for indicator_id, organisation_id, period_id, *stored in rows:
            info = self._info.get(indicator_id)
            if info is None:
                continue  # archived, or under an archived result or action
            entry = _entry(info.measure, dict(zip(_VALUE_FIELDS, stored, strict=True)))
            if entry is None:
                continue
            self.keep(info, organisation_id, PeriodValue(self._period_of[period_id], entry))

    def keep(self, info: IndicatorInfo, reporter: int, item: PeriodValue) -> None:
        if not info.is_numeric:
            self._all[info.pk][reporter].append(item)
            return
        key = (info.pk, reporter)
        if isinstance(item.value, NoData):
            self._no_data.setdefault(key, item)
            return
        kept = self._kept[key]
        if info.aggregation is TimeAggregation.SUM:
            before = kept.get(0)
            value = item.value if before is None else _added(before.value, item.value)
            kept[0] = PeriodValue(self._whole_plan, value)
            return
        slot = item.period.year if info.aggregation is TimeAggregation.YEAR_TO_DATE else 0
        before = kept.get(slot)
        if before is None or (item.period.end, item.period.start) > (
            before.period.end,
            before.period.start,
        ):
            kept[slot] = item

    def series(self) -> dict[int, dict[int, list[PeriodValue]]]:
        """Per indicator and reporter, the kept values (in period order)."""
        series = self._all
        for (indicator_id, reporter), kept in self._kept.items():
            series[indicator_id][reporter] = [kept[slot] for slot in sorted(kept)]
        for (indicator_id, reporter), item in self._no_data.items():
            if not series[indicator_id][reporter]:
                series[indicator_id][reporter] = [item]
        return series


def _pooled(before: Ratio, value: Ratio) -> Ratio:
    """Two shares pooled: Σ numerators / Σ denominators (as :func:`pool_ratios`)."""
    return Ratio(
        decimal_sum((before.numerator, value.numerator)),
        decimal_sum((before.denominator, value.denominator)),
    )


def _added(before: Entry, value: Entry) -> Entry:
    """Two values of one ``sum`` indicator added up (numbers) or pooled (shares)."""
    if isinstance(before, Ratio) and isinstance(value, Ratio):
        return _pooled(before, value)
    assert isinstance(before, Decimal) and isinstance(value, Decimal), (before, value)
    return decimal_sum((before, value))


def _official_to_date(
    plan: Plan,
    infos: Sequence[IndicatorInfo],
    value_rows: QuerySet[IndicatorValue],
    periods: Mapping[int, Mapping[str, Any]],
) -> dict[int, dict[int, list[PeriodValue]]]:
    """Per indicator and reporter, the official period values its value to date needs
    (only those: :class:`_KeptValues`).

    On PostgreSQL the database does the exact part (DESIGN.md §8, issue 3 point 7):
    ``sum`` indicators come as one row per reporter with Σ value, Σ numerator and
    Σ denominator (``numeric`` sums are exact); ``latest`` numbers and percentages as the
    reporter's latest period with data (``DISTINCT ON``, a selection, no arithmetic).
    Other databases (SQLite sums in binary floating point), ``year_to_date`` indicators
    and stage and yes-no indicators (whose count of updates needs every period) stream
    every period's row and keep what the value to date
    uses, adding up ``sum`` values exactly in Python. Either way
    :func:`~nap1325.measurement.to_date` gets what it needs for the same answer.
    Queries: one (SQLite) or three (PostgreSQL).
    """
    measures = {info.pk: info.measure for info in infos}
    period_of = {pk: _period(row) for pk, row in periods.items()}
    whole_plan = Period(key=WHOLE_PLAN, start=plan.period_start, end=plan.period_end)
    kept = _KeptValues(infos, period_of, whole_plan)
    in_sql = connection.vendor == "postgresql"
    rest = value_rows
    if in_sql:
        series: dict[int, dict[int, list[PeriodValue]]] = defaultdict(lambda: defaultdict(list))
        sums = (
            value_rows.filter(_USABLE, indicator__time_aggregation=TimeAggregation.SUM)
            .filter(indicator__measure__in=[Measure.NUMBER, Measure.PERCENTAGE])
            .values("indicator_id", "report__organisation_id")
            .annotate(total=Sum("value"), parts=Sum("numerator"), whole=Sum("denominator"))
            .order_by()
            .values_list("indicator_id", "report__organisation_id", "total", "parts", "whole")
        )
        for indicator_id, organisation_id, total, parts, whole in sums:
            measure = measures.get(indicator_id)
            if measure is None:
                continue
            entry: Entry = Ratio(parts, whole) if measure is Measure.PERCENTAGE else total
            series[indicator_id][organisation_id].append(PeriodValue(whole_plan, entry))
        latest = (
            value_rows.filter(_USABLE)
            .filter(
                indicator__time_aggregation=TimeAggregation.LATEST,
                indicator__measure__in=[Measure.NUMBER, Measure.PERCENTAGE],
            )
            .order_by("indicator_id", "report__organisation_id", "-report__period__end")
            .distinct("indicator_id", "report__organisation_id")
            .values_list(
                "indicator_id", "report__organisation_id", "report__period_id", *_VALUE_FIELDS
            )
        )
        _add_rows(series, latest, measures, period_of)
        # stage and yes-no indicators too: their "updates" count every period with data
        rest = value_rows.filter(
            Q(
                indicator__time_aggregation=TimeAggregation.YEAR_TO_DATE,
                indicator__measure__in=[Measure.NUMBER, Measure.PERCENTAGE],
            )
            | Q(indicator__measure__in=[Measure.YES_NO, Measure.STAGE])
        )
        kept.add(
            rest.values_list(
                "indicator_id", "report__organisation_id", "report__period_id", *_VALUE_FIELDS
            ).iterator(_STREAM_ROWS)
        )
        series.update(kept.series())
        return series
    kept.add(
        rest.values_list(
            "indicator_id", "report__organisation_id", "report__period_id", *_VALUE_FIELDS
        ).iterator(_STREAM_ROWS)
    )
    return kept.series()


def _add_rows(
    series: dict[int, dict[int, list[PeriodValue]]],
    rows: Iterable[tuple[Any, ...]],
    measures: Mapping[int, Measure],
    period_of: Mapping[int, Period],
) -> None:
    for indicator_id, organisation_id, period_id, *stored in rows:
        measure = measures.get(indicator_id)
        if measure is None:
            continue  # archived, or under an archived result or action
        entry = _entry(measure, dict(zip(_VALUE_FIELDS, stored, strict=True)))
        if entry is not None:
            series[indicator_id][organisation_id].append(PeriodValue(period_of[period_id], entry))


def _weight(row: Mapping[str, Any]) -> Decimal | None:
    weight: Decimal | None = row.get("weight")
    return weight


class _Tree:
    """The result tree of plain rows."""

    def __init__(self, results: list[dict[str, Any]]) -> None:
        self.by_pk = {row["pk"]: row for row in results}
        self.children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
        for row in results:  # ordered by depth, order: children keep matrix order
            parent = row["parent_id"]
            if parent is not None and parent not in self.by_pk:
                continue  # below an archived result
            self.children[parent].append(row)
        self.roots = self.children[None]

    def results_below(self, pk: int) -> list[dict[str, Any]]:
        """``pk`` and every result under it, depth-first in matrix order."""
        found = [self.by_pk[pk]]
        for child in self.children[pk]:
            found.extend(self.results_below(child["pk"]))
        return found

    def progress(self, own: Mapping[int, ProgressSums]) -> dict[int, ResultProgress]:
        """Nested roll-up for every result, bottom-up (:func:`roll_up_sums`).

        ``own``: per result, the :class:`ProgressSums` of the live actions directly under
        it; each child result enters as one item (its roll-up and weight), as in
        :func:`~nap1325.measurement.roll_up`.
        """
        done: dict[int, ResultProgress] = {}

        def visit(row: dict[str, Any]) -> ResultProgress:
            children = [visit(child) for child in self.children[row["pk"]]]
            mine = own.get(row["pk"], ProgressSums())
            items = mine + ProgressSums.of(
                child.rollup.as_child(_weight(self.by_pk[child.pk])) for child in children
            )
            item = ResultProgress(
                pk=row["pk"],
                code=row["code"],
                title=row["title"],
                depth=row["depth"],
                rollup=roll_up_sums(items),
                actions_reporting=mine.reporting
                + sum(child.actions_reporting for child in children),
                actions_total=mine.total + sum(child.actions_total for child in children),
            )
            done[row["pk"]] = item
            return item

        for root in self.roots:
            visit(root)
        return done


# --------------------------------------------------------------------------- actions


@dataclass
class ResultActions:
    """The live actions directly under one result, added up (one group per result).

    ``sums``: what the roll-up of progress needs (:class:`ProgressSums`; an action reports
    when its latest official update has a progress); ``status``: actions per status of
    their latest official update (:data:`NO_UPDATE` without one); ``planned``: Σ amount of
    the live budget lines per (funding source, currency); ``spent``: per funding bucket
    (the action's one source, :data:`SEVERAL_SOURCES` or :data:`NO_BUDGET`), Σ spent to
    date and how many actions report an expenditure.
    """

    sums: ProgressSums = field(default_factory=ProgressSums)
    status: Counter[str] = field(default_factory=Counter)
    planned: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    spent: dict[str, tuple[Decimal, int]] = field(default_factory=dict)


def _action_filter(
    plan: Plan,
    organisation: Organisation | None,
    prefix: str = "",
    scope: PublicScope | None = None,
) -> Q:
    """Live actions of ``plan`` under live results (led by ``organisation``, of ``scope``),
    seen from a model whose path to the action is ``prefix`` (``"action__"`` for budget
    lines)."""
    found = Q(
        **{
            f"{prefix}plan": plan,
            f"{prefix}is_archived": False,
            f"{prefix}result__is_archived": False,
        }
    )
    if organisation is not None:
        found &= Q(**{f"{prefix}lead_agency": organisation})
    if scope is not None:
        found &= Q(**{f"{prefix}pk__in": scope.action_ids})
    return found


def _action_groups(
    plan: Plan, organisation: Organisation | None, scope: PublicScope | None = None
) -> dict[int, ResultActions]:
    """Per result: its live actions (of ``organisation``, of ``scope``) added up. Two queries.

    On PostgreSQL the database adds up (``GROUP BY`` result, status and funding bucket;
    ``numeric`` sums are exact), so the rows read depend on the plan's structure (results
    × statuses × sources), not on its number of actions. Elsewhere (SQLite sums in binary
    floating point) the actions and budget lines are read and added up here with the same
    exact Decimal arithmetic (:func:`_grouped`); ``tests/monitoring/test_action_progress.py``
    holds the two to the same answer.
    """
    if connection.vendor == "postgresql":
        return _action_groups_in_sql(plan, organisation, scope)
    return _action_groups_in_python(plan, organisation, scope)


def _live_lines(
    plan: Plan, organisation: Organisation | None, scope: PublicScope | None = None
) -> QuerySet[BudgetLine]:
    """The live budget lines of the live actions (of ``organisation``, of ``scope``)."""
    return BudgetLine.objects.filter(
        _action_filter(plan, organisation, "action__", scope), is_archived=False
    )


def _update_fields(update: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
    """``(status, progress, spent)`` of a :func:`_latest_updates` row (``None`` s without)."""
    if update is None:
        return None, None, None
    return update["status"], update["progress"], update["spent"]


def _grouped(
    actions: Iterable[tuple[int, int, Decimal | None, str | None, Decimal | None, Any]],
    lines: Iterable[tuple[int, int, str, str, Decimal]],
) -> dict[int, ResultActions]:
    """Add actions and budget lines up per result, in Python (exact Decimal sums).

    ``actions``: ``(pk, result_id, weight, status, progress, spent)`` of each action, the
    last three of its latest official update (``None`` without one); ``lines``:
    ``(action_id, result_id, funding source, currency, amount)`` of each live budget line
    of those actions. The one Python form of the rule :func:`_action_groups_in_sql` applies
    in the database (the live dashboard elsewhere than PostgreSQL, and
    :func:`plan_snapshot` as of a past day everywhere).
    """
    sources: dict[int, set[str]] = defaultdict(set)
    groups: dict[int, ResultActions] = defaultdict(ResultActions)
    planned: dict[int, dict[tuple[str, str], list[Decimal]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for action_id, result_id, source, currency, amount in lines:
        sources[action_id].add(source)
        planned[result_id][(source, currency)].append(amount)
    items: dict[int, list[Progress]] = defaultdict(list)
    spent: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for pk, result_id, weight, status, value, amount in actions:
        items[result_id].append(Progress(value, weight))
        groups[result_id].status[status or NO_UPDATE] += 1
        if amount is not None:
            found = sources.get(pk, set())
            key = (
                next(iter(found)) if len(found) == 1 else (SEVERAL_SOURCES if found else NO_BUDGET)
            )
            spent[result_id][key].append(amount)
    for result_id, progress in items.items():
        groups[result_id].sums = ProgressSums.of(progress)
    for result_id, by_key in spent.items():
        groups[result_id].spent = {
            key: (decimal_sum(amounts), len(amounts)) for key, amounts in by_key.items()
        }
    for result_id, by_source in planned.items():
        groups[result_id].planned = {
            key: decimal_sum(amounts) for key, amounts in by_source.items()
        }
    return dict(groups)


def _action_groups_in_python(
    plan: Plan, organisation: Organisation | None, scope: PublicScope | None = None
) -> dict[int, ResultActions]:
    """:func:`_action_groups` from the stored progress, added up by :func:`_grouped`."""
    return _grouped(
        Action.objects.filter(_action_filter(plan, organisation, scope=scope))
        .order_by()
        .values_list(
            "pk",
            "result_id",
            "weight",
            "official_progress__status",
            "official_progress__progress",
            "official_progress__spent",
        ),
        _live_lines(plan, organisation, scope).values_list(
            "action_id", "action__result_id", "funding_source", "currency", "amount"
        ),
    )


_ACTION_GROUPS_SQL = """
WITH sources AS (
    SELECT b.action_id, COUNT(DISTINCT b.funding_source) AS n, MIN(b.funding_source) AS one
    FROM {budgetline} b JOIN {action} a ON a.id = b.action_id
    WHERE a.plan_id = %(plan)s AND NOT b.is_archived
    GROUP BY b.action_id
), live AS (
    SELECT a.id, a.result_id, a.weight, p.status, p.progress, p.spent,
           CASE WHEN s.n IS NULL THEN %(none)s WHEN s.n = 1 THEN s.one ELSE %(several)s END
               AS bucket,
           (p.progress IS NOT NULL AND a.weight IS NOT NULL) AS weighted
    FROM {action} a
    JOIN {result} r ON r.id = a.result_id AND NOT r.is_archived
    LEFT JOIN {progress} p ON p.action_id = a.id
    LEFT JOIN sources s ON s.action_id = a.id
    WHERE a.plan_id = %(plan)s AND NOT a.is_archived {organisation} {scope}
)
SELECT result_id, status, bucket, COUNT(*), COUNT(progress), SUM(progress),
       COUNT(*) FILTER (WHERE weighted), SUM(weight) FILTER (WHERE weighted),
       SUM(weight * progress) FILTER (WHERE weighted), SUM(spent), COUNT(spent)
FROM live
GROUP BY result_id, status, bucket
"""


def _action_groups_in_sql(
    plan: Plan, organisation: Organisation | None, scope: PublicScope | None = None
) -> dict[int, ResultActions]:
    """:func:`_action_groups` on PostgreSQL: one row per result × status × funding bucket.

    One statement for the actions (their funding bucket from one pass over the plan's
    budget lines, not a subquery per action) and one for the planned amounts.
    ``numeric`` sums are exact. ``scope``: the action ids are passed as one array.
    """
    sql = _ACTION_GROUPS_SQL.format(
        budgetline=BudgetLine._meta.db_table,
        action=Action._meta.db_table,
        result=Result._meta.db_table,
        progress=ActionProgress._meta.db_table,
        organisation="AND a.lead_agency_id = %(organisation)s" if organisation else "",
        scope="AND a.id = ANY(%(actions)s)" if scope is not None else "",
    )
    parameters = {
        "plan": plan.pk,
        "none": NO_BUDGET,
        "several": SEVERAL_SOURCES,
        "organisation": organisation.pk if organisation else None,
        "actions": sorted(scope.action_ids) if scope is not None else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    groups: dict[int, ResultActions] = defaultdict(ResultActions)
    for (
        result_id,
        status,
        bucket,
        n,
        count,
        total,
        w_count,
        w_total,
        w_progress,
        amount,
        spending,
    ) in rows:
        group = groups[result_id]
        group.sums = group.sums + ProgressSums(
            total=n,
            reporting=count,
            progress=total if total is not None else Decimal(0),
            weighted=w_count,
            weight=w_total if w_total is not None else Decimal(0),
            weighted_progress=w_progress if w_progress is not None else Decimal(0),
        )
        group.status[status or NO_UPDATE] += n
        if spending:
            before, counted = group.spent.get(bucket, (Decimal(0), 0))
            group.spent[bucket] = (decimal_sum([before, amount]), counted + spending)
    for result_id, source, currency, amount in (
        _live_lines(plan, organisation, scope)
        .values("action__result_id", "funding_source", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("action__result_id", "funding_source", "currency", "total")
    ):
        groups[result_id].planned[(source, currency)] = amount
    return dict(groups)


def _ensure_action_progress(plan: Plan) -> None:
    """Store the plan's action progress if it has official updates but no stored rows.

    Right after the migration that added :class:`ActionProgress`, or after rows were
    loaded outside the services (the benchmark's generator), the table is empty; the
    services keep it current after that. One query (two ``EXISTS``, a constant cost).
    """
    empty = (
        Plan.objects.filter(pk=plan.pk)
        .filter(
            Exists(ActionUpdate.objects.filter(report__plan=plan, is_official=True)),
            ~Exists(ActionProgress.objects.filter(plan=plan)),
        )
        .exists()
    )
    if empty:
        action_progress_rebuild(plan)


def _latest_updates(
    *,
    plan: Plan | None = None,
    action_ids: Sequence[int] | None = None,
    until: dt.date | None = None,
) -> dict[int, dict[str, Any]]:
    """Per action (of ``plan``, or of ``action_ids``): its latest official update
    (``status``, ``progress``), ``spent`` and the action's ``plan_id``; actions without an
    official update are absent.

    ``spent`` = Σ of the expenditure of one update per period (the later-approved one if
    two reports of a period cover the action), ``None`` if no update reports one; the
    latest update is that of the period ending last (ties: the one starting first).
    ``until``: only updates of periods that end on or before that day (a progress report
    of a past period, :func:`plan_snapshot`); without it, what
    :func:`action_progress_refresh` stores. One query. On PostgreSQL the database picks
    and sums (``numeric``, exact; one row per action); elsewhere it picks one update per
    action and period (a window function) and the Decimals are added here as the rows
    stream in (SQLite sums in binary floating point; one update per action is kept, so
    memory does not grow with the number of periods).
    ``tests/monitoring/test_action_progress.py`` holds the two to the same answer.
    """
    if connection.vendor == "postgresql":
        return _latest_updates_in_sql(plan=plan, action_ids=action_ids, until=until)
    return _latest_updates_in_python(plan=plan, action_ids=action_ids, until=until)


#: Rows fetched at a time where a read is streamed (``QuerySet.iterator``) rather than
#: held whole: values, cells and updates of every period of a plan.
_STREAM_ROWS = 2000


def _latest_updates_in_python(
    *,
    plan: Plan | None = None,
    action_ids: Sequence[int] | None = None,
    until: dt.date | None = None,
) -> dict[int, dict[str, Any]]:
    """:func:`_latest_updates` elsewhere than PostgreSQL (exact Decimal sums here)."""
    found = Q(is_official=True)
    if plan is not None:
        found &= Q(report__plan=plan)
    if action_ids is not None:
        found &= Q(action_id__in=action_ids)
    if until is not None:
        found &= Q(report__period__end__lte=until)
    rows = (
        ActionUpdate.objects.filter(found)
        .annotate(
            in_period=Window(
                RowNumber(),
                partition_by=[F("action_id"), F("report__period_id")],
                order_by=[F("report__approved_at").desc(), F("id").desc()],
            )
        )
        .filter(in_period=1)
        .order_by()
        .values_list(
            "action_id",
            "action__plan_id",
            "report__period__start",
            "report__period__end",
            "status",
            "progress",
            "expenditure",
        )
    )
    # streamed, one update per action kept: memory does not grow with the periods
    latest: dict[int, dict[str, Any]] = {}
    order: dict[int, tuple[dt.date, int]] = {}
    for action_id, plan_id, start, end, status, progress, spent in rows.iterator(_STREAM_ROWS):
        found = latest.get(action_id)
        if found is None:
            found = latest[action_id] = {"plan_id": plan_id, "spent": None}
        rank = (end, -start.toordinal())
        if action_id not in order or rank > order[action_id]:
            order[action_id] = rank
            found["status"], found["progress"] = status, progress
        if spent is not None:
            found["spent"] = (
                spent if found["spent"] is None else decimal_sum((found["spent"], spent))
            )
    return latest


_LATEST_UPDATES_SQL = """
WITH chosen AS (
    SELECT u.action_id, a.plan_id, u.status, u.progress, u.expenditure,
           p."end" AS period_end, p.start AS period_start,
           ROW_NUMBER() OVER (
               PARTITION BY u.action_id, r.period_id ORDER BY r.approved_at DESC, u.id DESC
           ) AS in_period
    FROM {update} u
    JOIN {action} a ON a.id = u.action_id
    JOIN {report} r ON r.id = u.report_id
    JOIN {period} p ON p.id = r.period_id
    WHERE u.is_official {where}
), latest AS (
    SELECT action_id, plan_id, status, progress,
           ROW_NUMBER() OVER (
               PARTITION BY action_id ORDER BY period_end DESC, period_start ASC
           ) AS n
    FROM chosen WHERE in_period = 1
), spent AS (
    SELECT action_id, SUM(expenditure) AS spent FROM chosen WHERE in_period = 1
    GROUP BY action_id
)
SELECT latest.action_id, latest.plan_id, latest.status, latest.progress, spent.spent
FROM latest JOIN spent ON spent.action_id = latest.action_id
WHERE latest.n = 1
"""


def _latest_updates_in_sql(
    *,
    plan: Plan | None = None,
    action_ids: Sequence[int] | None = None,
    until: dt.date | None = None,
) -> dict[int, dict[str, Any]]:
    """:func:`_latest_updates` on PostgreSQL: one row per action (exact ``numeric`` sums)."""
    where = []
    if plan is not None:
        where.append("AND r.plan_id = %(plan)s")
    if action_ids is not None:
        where.append("AND u.action_id = ANY(%(actions)s)")
    if until is not None:
        where.append('AND p."end" <= %(until)s')
    sql = _LATEST_UPDATES_SQL.format(
        update=ActionUpdate._meta.db_table,
        action=Action._meta.db_table,
        report=AgencyReport._meta.db_table,
        period=ReportingPeriod._meta.db_table,
        where=" ".join(where),
    )
    parameters = {
        "plan": plan.pk if plan is not None else None,
        "actions": list(action_ids) if action_ids is not None else None,
        "until": until,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return {
            action_id: {"plan_id": plan_id, "status": status, "progress": progress, "spent": spent}
            for action_id, plan_id, status, progress, spent in cursor.fetchall()
        }


def action_progress_refresh(action_ids: Iterable[int]) -> None:
    """Store the latest official update and spending to date of each action (``ActionProgress``).

    The one writer of the table: every service that changes official action updates, or
    the dates of a period (which decide which update is the latest), calls it in its own
    transaction with the actions concerned. Actions without an official update lose their
    row. :data:`_CHUNK` actions per query.
    """
    ids = sorted(set(action_ids))
    if not ids:
        return
    with transaction.atomic():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            latest = _latest_updates(action_ids=chunk)
            ActionProgress.objects.filter(action_id__in=chunk).exclude(
                action_id__in=list(latest)
            ).delete()
            ActionProgress.objects.bulk_create(
                [
                    ActionProgress(
                        action_id=action_id,
                        plan_id=row["plan_id"],
                        status=row["status"],
                        progress=row["progress"],
                        spent=row["spent"],
                    )
                    for action_id, row in latest.items()
                ],
                update_conflicts=True,
                unique_fields=["action"],
                update_fields=["plan", "status", "progress", "spent"],
                batch_size=1000,
            )


def action_progress_rebuild(plan: Plan | None = None) -> int:
    """Recompute the stored progress of every action (of ``plan``); returns how many actions."""
    actions = Action.objects.all() if plan is None else Action.objects.filter(plan=plan)
    ids = list(actions.values_list("pk", flat=True))
    action_progress_refresh(ids)
    return len(ids)


def _status_counts(groups: Iterable[ResultActions]) -> dict[str, int]:
    """Actions per status of their latest official update; ``no_update`` for the rest."""
    counts: Counter[str] = Counter()
    for group in groups:
        counts.update(group.status)
    order = [*Action.Status.values, NO_UPDATE]
    return {key: counts[key] for key in order if counts[key]}


def _section_budget(
    plan: Plan, groups: Sequence[ResultActions]
) -> tuple[dict[str, Decimal], Decimal]:
    """A section's planned amount per currency (the plan's first), Σ over the groups'
    budget lines, and its spending to date (Σ over the groups, in the plan's currency)."""
    planned: dict[str, list[Decimal]] = defaultdict(list)
    for group in groups:
        for (_source, currency), amount in group.planned.items():
            planned[currency].append(amount)
    ordered = sorted(planned, key=lambda currency: (currency != plan.currency, currency))
    spent = decimal_sum(amount for group in groups for amount, _n in group.spent.values())
    return {currency: decimal_sum(planned[currency]) for currency in ordered}, spent


def _budget(plan: Plan, groups: Iterable[ResultActions]) -> BudgetSummary:
    """Planned vs spent of the groups' actions, by funding source (module docstring)."""
    planned: dict[str, list[Decimal]] = defaultdict(list)
    other: dict[str, list[Decimal]] = defaultdict(list)
    spent: dict[str, list[Decimal]] = defaultdict(list)
    for group in groups:
        for (source, currency), amount in group.planned.items():
            (planned[source] if currency == plan.currency else other[currency]).append(amount)
        for key, (amount, reporting) in group.spent.items():
            if reporting:
                spent[key].append(amount)
    table = [
        BudgetRow(key, decimal_sum(planned[key]), decimal_sum(spent[key]))
        for key in BudgetLine.FundingSource.values
        if planned.get(key) or spent.get(key)
    ]
    for key in (SEVERAL_SOURCES, NO_BUDGET):
        if spent.get(key):
            table.append(BudgetRow(key, None, decimal_sum(spent[key])))
    return BudgetSummary(
        currency=plan.currency,
        rows=table,
        planned=decimal_sum(amount for amounts in planned.values() for amount in amounts),
        spent=decimal_sum(amount for amounts in spent.values() for amount in amounts),
        other_currencies={key: decimal_sum(values) for key, values in sorted(other.items())},
        spent_reported=any(spent.values()),
    )


def _completeness(
    plan: Plan, periods: Mapping[int, Mapping[str, Any]], organisation: Organisation | None
) -> list[PeriodCompleteness]:
    """Per period: approved and submitted reports of the expected organisations (2 queries)."""
    if organisation is not None:
        expected_ids = {organisation.pk}
    else:
        expected_ids = set(reporting_organisations(plan).values_list("pk", flat=True))
    approved: Counter[int] = Counter()
    submitted: Counter[int] = Counter()
    reports = AgencyReport.objects.filter(plan=plan)
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
    for period_id, organisation_id, state, approved_version in reports.values_list(
        "period_id", "organisation_id", "state", "approved_version"
    ):
        if organisation_id not in expected_ids:
            continue
        if approved_version is not None:
            approved[period_id] += 1
        if state == AgencyReport.State.SUBMITTED:
            submitted[period_id] += 1
    return [
        PeriodCompleteness(
            pk=pk,
            label=row["label"],
            start=row["start"],
            end=row["end"],
            due=row["due"],
            state=row["state"],
            approved=approved[pk],
            submitted=submitted[pk],
            expected=len(expected_ids),
        )
        for pk, row in periods.items()
    ]


def agency_reports(
    plan: Plan, organisation: Organisation | None, periods: Mapping[int, Mapping[str, Any]]
) -> list[AgencyReportRow]:
    """The organisation's report per period, with its state (one query)."""
    if organisation is None:
        return []
    reports = {
        row["period_id"]: row
        for row in AgencyReport.objects.filter(plan=plan, organisation=organisation).values(
            "period_id", "state", "approved_version", "approved_at"
        )
    }
    return [
        AgencyReportRow(
            period_pk=pk,
            label=row["label"],
            due=row["due"],
            period_state=row["state"],
            state=reports[pk]["state"] if pk in reports else None,
            has_official_values=pk in reports and reports[pk]["approved_version"] is not None,
            approved_at=reports[pk]["approved_at"] if pk in reports else None,
        )
        for pk, row in periods.items()
    ]


def dashboard_organisation(plan: Plan, organisation_pk: int) -> Organisation:
    """An organisation that reports on ``plan`` (raises ``Organisation.DoesNotExist``)."""
    return reporting_organisations(plan).get(pk=organisation_pk)


def dashboard_agencies(plan: Plan) -> list[Organisation]:
    """Organisations with something to report on ``plan``, by name (one query)."""
    return list(reporting_organisations(plan))


# --------------------------------------------------------------------------- indicator page


@dataclass
class PeriodRow:
    """One reporting period of an indicator's time series.

    ``period``: what the reporters reported for this period itself (no carry-forward);
    ``to_date``: the value to date at the period's end, shown only when the period has
    data; ``target``: the target to date at the period's end.
    """

    pk: int
    label: str
    end: dt.date
    period: Aggregate
    to_date: Aggregate | None
    target: Decimal | None
    entries: list[tuple[str, Entry | None]]


@dataclass
class CategoryRow:
    """One category of the other dimensions of a sex breakdown (or of a plain breakdown)."""

    label: str
    women: Decimal | None
    men: Decimal | None
    total: Decimal
    share: Ratio | None


@dataclass
class TableFlag:
    """A reporter's breakdown that does not add up to its total.

    ``empty``: the value has no cell of this breakdown at all — it was simply not
    disaggregated this way (shown as a neutral note, not as an incomplete breakdown).
    """

    reporter: str
    covered: Decimal
    total: Decimal
    empty: bool = False


@dataclass
class BreakdownPeriod:
    """One breakdown in one year: category rows, pooled share, gaps and flags.

    ``period_label`` is the year, followed by the periods it draws on when they are not
    simply the year ("2019 (2019 H1, 2019 H2)").
    """

    period_label: str
    rows: list[CategoryRow]
    combined: CombinedBreakdown
    pooled_share: Ratio | None
    flags: list[TableFlag]
    #: Σ women and Σ men of the year (the "Total" row of a cross-tab); ``None``: no cell
    women: Decimal | None = None
    men: Decimal | None = None

    @property
    def incomplete(self) -> list[TableFlag]:
        """Flags of tables that are partly filled (or exceed their total)."""
        return [flag for flag in self.flags if not flag.empty]

    @property
    def not_disaggregated_by(self) -> list[TableFlag]:
        """Reporters' values with no cell of this breakdown."""
        return [flag for flag in self.flags if flag.empty]


@dataclass
class BreakdownView:
    """One declared breakdown (``"Rank × Sex"``) over the years with data."""

    label: str
    has_sex: bool
    other_label: str
    periods: list[BreakdownPeriod]

    @property
    def is_empty(self) -> bool:
        """True when no value has a cell of this breakdown (never disaggregated this way)."""
        return not any(block.combined.cells for block in self.periods)


@dataclass
class IndicatorPage:
    """What the indicator page shows."""

    indicator: Indicator
    info: IndicatorSummary
    periods: list[PeriodRow]
    breakdowns: list[BreakdownView]
    reporters: list[Organisation]
    period_targets: list[tuple[dt.date, Decimal]]
    as_of: dt.date

    @property
    def has_targets(self) -> bool:
        """True when some period has a target to date (else the column is left out)."""
        return any(row.target is not None for row in self.periods)

    @property
    def shows_to_date(self) -> bool:
        """True for ``sum`` and ``year_to_date`` indicators, whose value to date differs
        from the period's own value (for ``latest`` indicators they are the same)."""
        info = self.info.info
        return info.is_numeric and info.aggregation is not TimeAggregation.LATEST


def indicator_for_dashboard(plan: Plan, pk: int) -> Indicator:
    """A live indicator of ``plan`` with its owner, organisation and breakdowns prefetched.

    Raises ``Indicator.DoesNotExist``. Queries: the indicator, breakdowns, their dimensions,
    their categories (four).
    """
    return (
        Indicator.objects.select_related(
            "result", "action", "action__lead_agency", "responsible_organisation"
        )
        .prefetch_related(
            "period_targets",
            _breakdown_prefetch(),
        )
        .get(plan=plan, pk=pk, is_archived=False)
    )


def _breakdown_prefetch() -> Any:
    from django.db.models import Prefetch

    return Prefetch(
        "breakdowns",
        queryset=BreakdownModel.objects.prefetch_related(
            Prefetch("dimensions", queryset=DimensionModel.objects.prefetch_related("categories"))
        ),
    )


def indicator_page(plan: Plan, indicator: Indicator, *, as_of: dt.date) -> IndicatorPage:
    """Time series, target to date, reporters and breakdowns of one indicator.

    Queries after :func:`indicator_for_dashboard`: periods, official values, their cells,
    the reporting organisations (four).
    """
    info = _info(
        {
            **{name: getattr(indicator, name) for name in _INDICATOR_FIELDS[1:12]},
            **{name: getattr(indicator, name) for name in _TITLES},
            "pk": indicator.pk,
            "responsible_organisation_id": indicator.responsible_organisation_id,
            "action__lead_agency_id": indicator.action.lead_agency_id if indicator.action else None,
        },
        plan,
    )
    periods = {
        row["pk"]: row
        for row in ReportingPeriod.objects.filter(plan=plan)
        .order_by("start")
        .values("pk", "label", "start", "end", "due", "state")
    }
    rows = list(
        IndicatorValue.objects.filter(indicator=indicator, is_official=True, report__plan=plan)
        .order_by("report__period__start", "report__organisation_id")
        .values(
            "pk",
            "report__organisation_id",
            "report__period_id",
            "value",
            "numerator",
            "denominator",
            "yes_no",
            "stage",
            "no_data",
            "no_data_reason",
        )
    )
    series: dict[int, list[PeriodValue]] = defaultdict(list)
    if info.reporter_id is not None:
        series[info.reporter_id] = []
    for row in rows:
        entry = _entry(info.measure, row)
        if entry is not None:
            series[row["report__organisation_id"]].append(
                PeriodValue(_period(periods[row["report__period_id"]]), entry)
            )
    reporters = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(pk__in=list(series))
    }
    names = {pk: reporters[pk].short_name for pk in series if pk in reporters}
    targets = {
        _target_period(target.due): target.value for target in indicator.period_targets.all()
    }
    summary = assess(info, series, plan=plan, as_of=as_of, period_targets=targets)

    period_rows: list[PeriodRow] = []
    for pk, period_row in periods.items():
        period = _period(period_row)
        entries = {
            reporter: value_for_period(values, period) for reporter, values in series.items()
        }
        in_period = (
            across_reporters(entries)
            if info.is_numeric
            else Aggregate(None, _count_reported(entries), len(entries))
        )
        to_date = None
        if info.is_numeric and in_period.included:
            to_date = national_to_date(info.aggregation, series, as_of=period.end)
        target = None
        if info.is_numeric:
            target = target_to_date(
                info.aggregation,
                target=info.target,
                baseline=info.baseline,
                as_of=period.end,
                plan_start=plan.period_start,
                plan_end=plan.period_end,
                period_targets=targets or None,
            )
        period_rows.append(
            PeriodRow(
                pk=pk,
                label=period_row["label"],
                end=period_row["end"],
                period=in_period,
                to_date=to_date,
                target=target,
                entries=[(names.get(reporter, "?"), value) for reporter, value in entries.items()],
            )
        )

    breakdowns: list[BreakdownView] = []
    if info.measure is Measure.NUMBER and indicator.breakdowns.all():
        cells = _value_cells(rows)
        breakdowns = _breakdown_views(indicator, rows, periods, names, cells)
        sex = [
            (model.pk, _measurement_breakdown(model))
            for model in indicator.breakdowns.all()
            if any(dimension.key == SEX for dimension in model.dimensions.all())
        ]
        if sex:
            summary.has_sex = True
            shares: dict[tuple[int, str], Ratio] = {}
            for row in rows:
                if row["no_data"] or row["value"] is None:
                    continue
                share = _value_share(
                    sex,
                    row["value"],
                    {model_pk: cells.get((row["pk"], model_pk), {}) for model_pk, _b in sex},
                )
                if share is not None:
                    shares[(row["report__organisation_id"], str(row["report__period_id"]))] = share
            summary.women = women_to_date(info, series, shares)
    return IndicatorPage(
        indicator=indicator,
        info=summary,
        periods=period_rows,
        breakdowns=breakdowns,
        reporters=sorted(reporters.values(), key=lambda o: o.name),
        period_targets=sorted((t.due, t.value) for t in indicator.period_targets.all()),
        as_of=as_of,
    )


def _count_reported(entries: Mapping[int, Entry | None]) -> int:
    return sum(
        1 for value in entries.values() if value is not None and not isinstance(value, NoData)
    )


def _value_cells(
    rows: Sequence[Mapping[str, Any]],
) -> dict[tuple[int, int], dict[tuple[str, ...], Decimal]]:
    """The cells of the official values ``rows`` (not "no data") by (value id, breakdown id).

    One query; keys split into category tuples.
    """
    value_ids = [row["pk"] for row in rows if not row["no_data"]]
    cells: dict[tuple[int, int], dict[tuple[str, ...], Decimal]] = defaultdict(dict)
    for value_id, breakdown_id, key, amount in ValueCell.objects.filter(
        value_id__in=value_ids
    ).values_list("value_id", "breakdown_id", "key", "amount"):
        cells[(value_id, breakdown_id)][tuple(key.split(KEY_SEPARATOR))] = amount
    return cells


def _measurement_breakdown(model: BreakdownModel) -> Breakdown:
    """A declared breakdown (prefetched dimensions and categories) for the arithmetic."""
    return Breakdown(
        tuple(
            Dimension(
                dimension.key,
                tuple(category.key for category in dimension.categories.all()),
            )
            for dimension in model.sorted_dimensions()
        )
    )


def _breakdown_views(
    indicator: Indicator,
    rows: list[dict[str, Any]],
    periods: Mapping[int, Mapping[str, Any]],
    names: Mapping[int, str],
    cells: Mapping[tuple[int, int], Mapping[tuple[str, ...], Decimal]],
) -> list[BreakdownView]:
    """Per year and declared breakdown: combined tables, share of women per category.

    A year's table follows the indicator's time aggregation (DESIGN.md §5): for ``sum``
    indicators the tables of every period of the year and every reporter are added up
    (flows); for ``latest`` and ``year_to_date`` indicators each reporter's latest period
    of the year with data counts, and those are added across reporters. With annual
    periods a year is simply its period. ``cells``: :func:`_value_cells`. A
    value reported only as cells (no total) takes the sum of that breakdown's cells as its
    total; a "no data" value has no table.
    """
    is_flow = indicator.time_aggregation == Indicator.TimeAggregation.SUM
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: periods[row["report__period_id"]]["end"]):
        if not row["no_data"]:
            by_year[periods[row["report__period_id"]]["end"].year].append(row)
    chosen: dict[int, list[dict[str, Any]]] = {}
    for year, year_rows in sorted(by_year.items()):
        if is_flow:
            chosen[year] = year_rows
        else:
            latest: dict[int, dict[str, Any]] = {}
            for row in year_rows:  # in period order: the year's latest wins
                latest[row["report__organisation_id"]] = row
            chosen[year] = list(latest.values())
    views: list[BreakdownView] = []
    for model in indicator.breakdowns.all():
        dimensions = model.sorted_dimensions()
        breakdown = _measurement_breakdown(model)
        blocks: list[BreakdownPeriod] = []
        for year, year_rows in chosen.items():
            tables: list[tuple[str, BreakdownTable]] = []
            labels: list[str] = []
            for row in year_rows:
                own = _valid_cells(breakdown, cells.get((row["pk"], model.pk), {}))
                total = row["value"]
                if total is None:
                    if not own:
                        continue
                    total = decimal_sum(own.values())
                label = periods[row["report__period_id"]]["label"]
                if label not in labels:
                    labels.append(label)
                tables.append(
                    (
                        f"{names.get(row['report__organisation_id'], '?')}, {label}",
                        BreakdownTable(breakdown, total, own),
                    )
                )
            if tables:
                combined = combine_tables(breakdown, [table for _name, table in tables])
                heading = str(year) if labels == [str(year)] else f"{year} ({', '.join(labels)})"
                blocks.append(_breakdown_period(heading, dimensions, breakdown, combined, tables))
        if blocks:
            others = [d.label for d in dimensions if d.key != SEX]
            views.append(
                BreakdownView(
                    label=" × ".join(d.label for d in dimensions),
                    has_sex=any(d.key == SEX for d in dimensions),
                    other_label=" × ".join(others),
                    periods=blocks,
                )
            )
    return views


def _breakdown_period(
    period_label: str,
    dimensions: list[DimensionModel],
    breakdown: Breakdown,
    combined: CombinedBreakdown,
    tables: list[tuple[str, BreakdownTable]],
) -> BreakdownPeriod:
    names = {
        (dimension.key, category.key): category.label
        for dimension in dimensions
        for category in dimension.categories.all()
    }
    sex_keys = [d.key for d in dimensions if d.key == SEX]
    flags = [
        TableFlag(reporter, table.covered, table.total, empty=not table.cells)
        for reporter, table in tables
        if not table.complete
    ]
    rows: list[CategoryRow] = []
    pooled: Ratio | None = None
    by_sex: dict[str, Decimal] = {}
    if sex_keys:
        by_sex = combined.marginal(SEX)
        index = breakdown.position(SEX)
        others = [d for d in breakdown.dimensions if d.name != SEX]
        shares = women_share_by_category(combined)
        pooled = women_share(combined).ratio
        order = _category_order(others)
        totals: dict[tuple[str, ...], list[Decimal]] = defaultdict(list)
        women: dict[tuple[str, ...], list[Decimal]] = defaultdict(list)
        men: dict[tuple[str, ...], list[Decimal]] = defaultdict(list)
        for key, amount in combined.cells.items():
            other = key[:index] + key[index + 1 :]
            totals[other].append(amount)
            if key[index] == WOMEN:
                women[other].append(amount)
            elif key[index] == MEN:
                men[other].append(amount)
        for other in sorted(totals, key=lambda key: order.get(key, (len(order),))):
            rows.append(
                CategoryRow(
                    label=" · ".join(
                        names.get((dim.name, part), part)
                        for dim, part in zip(others, other, strict=True)
                    ),
                    women=decimal_sum(women[other]) if women.get(other) else None,
                    men=decimal_sum(men[other]) if men.get(other) else None,
                    total=decimal_sum(totals[other]),
                    share=shares.get(other),
                )
            )
    else:
        order = _category_order(list(breakdown.dimensions))
        for key in sorted(combined.cells, key=lambda key: order.get(key, (len(order),))):
            rows.append(
                CategoryRow(
                    label=" · ".join(
                        names.get((dim.name, part), part)
                        for dim, part in zip(breakdown.dimensions, key, strict=True)
                    ),
                    women=None,
                    men=None,
                    total=combined.cells[key],
                    share=None,
                )
            )
    return BreakdownPeriod(
        period_label=period_label,
        rows=rows,
        combined=combined,
        pooled_share=pooled,
        flags=flags,
        women=by_sex.get(WOMEN),
        men=by_sex.get(MEN),
    )


def _category_order(dimensions: Sequence[Dimension]) -> dict[tuple[str, ...], tuple[int, ...]]:
    """Declared order of category tuples (so tables follow the plan's category order)."""
    keys: list[tuple[tuple[str, ...], tuple[int, ...]]] = [((), ())]
    for dimension in dimensions:
        keys = [
            ((*key, category), (*rank, position))
            for key, rank in keys
            for position, category in enumerate(dimension.categories)
        ]
    return dict(keys)
