"""How far an indicator is towards its target, its target to date, and its status.

Source: DESIGN.md §5 ("Achievement", "Target to date", "Status") and cases A1, A3, A6.

Achievement (percent units, never clamped: 125 % and −37.5 % are shown as such):

* ``sum`` indicators: to-date / target (the baseline is informative only);
* ``latest`` and ``year_to_date``: (current − baseline) / (target − baseline), which works
  for both directions (decrease 200 → 120 with current 150 is 62.5 %).

When it cannot be computed the result is "n/a" with a reason, checked in this order:
not reported, no target, no baseline (``latest``/``year_to_date`` only), target equals
baseline, target is 0 (``sum`` only). None of these raises, so one indicator never stops a
page or report.

Status thresholds: achieved ≥ 100 % of the final target; otherwise, measured against the
target to date with the same formula, on track ≥ 90 %, at risk ≥ 60 %, off track below.
Convention (spec silent): when nothing is due yet (target to date equals the baseline, or
is 0 for ``sum``) a reported indicator is on track.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .decimals import decimal_sum, difference, product, quotient, require_decimal
from .errors import FieldError, MeasurementError
from .percentages import Ratio, percent_of
from .rounding import percent_display
from .values import Measure, Numeric, Period, StageReached, TimeAggregation, YesNo

__all__ = [
    "Achievement",
    "IndicatorAssessment",
    "NotApplicable",
    "Status",
    "StatusSummary",
    "achievement",
    "count_text",
    "numeric_status",
    "plan_share_elapsed",
    "stage_status",
    "summarise",
    "target_to_date",
    "yes_no_status",
]

_HUNDRED = Decimal(100)
_ON_TRACK = Decimal(90)
_AT_RISK = Decimal(60)


class NotApplicable(StrEnum):
    """Why an achievement cannot be computed; :attr:`text` is what the page shows."""

    NOT_REPORTED = "not_reported"
    NO_TARGET = "no_target"
    NO_BASELINE = "no_baseline"
    TARGET_EQUALS_BASELINE = "target_equals_baseline"
    ZERO_TARGET = "zero_target"

    @property
    def text(self) -> str:
        """English text, e.g. ``"n/a (target equals baseline)"`` (cases A3)."""
        return {
            NotApplicable.NOT_REPORTED: "not reported",
            NotApplicable.NO_TARGET: "n/a (no target)",
            NotApplicable.NO_BASELINE: "n/a (no baseline)",
            NotApplicable.TARGET_EQUALS_BASELINE: "n/a (target equals baseline)",
            NotApplicable.ZERO_TARGET: "n/a (target is 0)",
        }[self]


@dataclass(frozen=True)
class Achievement:
    """An achievement in percent units, or the reason it is not available.

    Exactly one of ``percent`` and ``reason`` is set. ``percent`` is unrounded and
    unclamped (125 %, −37.5 %); a negative value means worse than the baseline.
    """

    percent: Decimal | None
    reason: NotApplicable | None = None

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.reason is None):
            raise ValueError("an achievement has either a percent or a reason")

    @property
    def worse_than_baseline(self) -> bool:
        """True when below 0 % (shown in red, cases A3)."""
        return self.percent is not None and self.percent < 0

    def display(self, places: int = 1) -> str:
        """``"62.5 %"``, ``"-37.5 %"``, ``"125 %"`` or the reason's text."""
        if self.percent is None:
            assert self.reason is not None
            return self.reason.text
        return percent_display(self.percent, places)


def _current(value: Numeric) -> Decimal:
    return value.percent if isinstance(value, Ratio) else require_decimal(value, "current")


def achievement(
    aggregation: TimeAggregation,
    *,
    current: Numeric | None,
    target: Decimal | None,
    baseline: Decimal | None = None,
) -> Achievement:
    """Achievement of ``current`` (the value to date) against ``target``.

    For percentage indicators ``current`` may be a :class:`Ratio`; ``target`` and
    ``baseline`` are then in percent units. Cases A1: latest, baseline 0, target 150,
    current 95 → 63.3 %. Cases A3: decrease 200 → 120: 150 → 62.5 %, 230 → −37.5 %,
    100 → 125 %; 40 → 0 with 10 → 75 %; baseline = target → "n/a (target equals baseline)".
    Never raises for missing data; see the module docstring for the n/a order.
    """
    if current is None:
        return Achievement(None, NotApplicable.NOT_REPORTED)
    value = _current(current)
    if target is None:
        return Achievement(None, NotApplicable.NO_TARGET)
    if aggregation is TimeAggregation.SUM:
        if target == 0:
            return Achievement(None, NotApplicable.ZERO_TARGET)
        return Achievement(percent_of(value, target))
    if baseline is None:
        return Achievement(None, NotApplicable.NO_BASELINE)
    span = difference(target, baseline)
    if span == 0:
        return Achievement(None, NotApplicable.TARGET_EQUALS_BASELINE)
    return Achievement(percent_of(difference(value, baseline), span))


def _elapsed_days(start: date, end: date, as_of: date) -> tuple[Decimal, Decimal]:
    if end < start:
        raise MeasurementError(
            FieldError("end", "The plan must end on or after its start", "end_before_start")
        )
    total = (end - start).days + 1
    elapsed = min(max((as_of - start).days + 1, 0), total)
    return Decimal(elapsed), Decimal(total)


def plan_share_elapsed(start: date, end: date, as_of: date) -> Decimal:
    """Share (0 to 1) of the plan period elapsed on ``as_of``, counted in whole days.

    Dates are inclusive: on ``start`` one day has elapsed, on ``end`` all of them
    (share 1); before ``start`` the share is 0, after ``end`` it stays 1. Example: plan
    2023-01-01..2025-12-31 (1096 days), as of 2023-12-31 → 365/1096. Raises
    :class:`MeasurementError` on ``"end"`` if the plan ends before it starts.
    """
    elapsed, total = _elapsed_days(start, end, as_of)
    return quotient(elapsed, total)


def target_to_date(
    aggregation: TimeAggregation,
    *,
    target: Decimal | None,
    as_of: date,
    plan_start: date,
    plan_end: date,
    baseline: Decimal | None = None,
    period_targets: Mapping[Period, Decimal] | None = None,
) -> Decimal | None:
    """What should have been reached by ``as_of`` (DESIGN.md §5 "Target to date").

    With ``period_targets``: the targets of elapsed periods (those ending on or before
    ``as_of``) — their sum for ``sum`` indicators, the latest one otherwise; before any has
    elapsed, 0 for ``sum`` and the baseline otherwise. Without: the linear share of the
    plan period elapsed (inclusive days, see :func:`plan_share_elapsed`) — ``target ×
    share`` for ``sum``, ``baseline + (target − baseline) × share`` otherwise, computed
    with one division (× elapsed days / plan days) so 1096 × 365/1096 is exactly 365.
    ``None`` when it cannot be known (no target, or no baseline for a non-``sum``
    indicator).
    """
    if period_targets:
        elapsed = sorted(
            (item for item in period_targets.items() if item[0].end <= as_of),
            key=lambda item: item[0].end,
        )
        if aggregation is TimeAggregation.SUM:
            return decimal_sum(value for _, value in elapsed)
        return elapsed[-1][1] if elapsed else baseline
    if target is None:
        return None
    days, plan_days = _elapsed_days(plan_start, plan_end, as_of)
    if aggregation is TimeAggregation.SUM:
        return quotient(product(target, days), plan_days)
    if baseline is None:
        return None
    return decimal_sum([baseline, quotient(product(difference(target, baseline), days), plan_days)])


class Status(StrEnum):
    """Status of an indicator (DESIGN.md §5); :attr:`label` is the English text."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DONE = "not_done"
    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """``"on track"``, ``"n/a"``, …"""
        return "n/a" if self is Status.NOT_APPLICABLE else self.value.replace("_", " ")


def numeric_status(
    aggregation: TimeAggregation,
    *,
    current: Numeric | None,
    target: Decimal | None,
    target_to_date: Decimal | None,
    baseline: Decimal | None = None,
) -> Status:
    """Status of a number or percentage indicator from its value to date.

    Not reported if ``current`` is ``None``; n/a if the final achievement is n/a (or the
    target to date is unknown); achieved at ≥ 100 % of ``target``; otherwise the
    achievement against ``target_to_date``: on track ≥ 90 %, at risk ≥ 60 %, else off
    track (on track when nothing is due yet). Source: DESIGN.md §5.
    """
    final = achievement(aggregation, current=current, target=target, baseline=baseline)
    if final.reason is NotApplicable.NOT_REPORTED:
        return Status.NOT_REPORTED
    if final.percent is None:
        return Status.NOT_APPLICABLE
    if final.percent >= _HUNDRED:
        return Status.ACHIEVED
    if target_to_date is None:
        return Status.NOT_APPLICABLE
    due = achievement(aggregation, current=current, target=target_to_date, baseline=baseline)
    if due.percent is None or due.percent >= _ON_TRACK:
        return Status.ON_TRACK
    return Status.AT_RISK if due.percent >= _AT_RISK else Status.OFF_TRACK


def stage_status(reached: StageReached | None, stages: Sequence[str]) -> Status:
    """Achieved when the final stage of ``stages`` is reached, else in progress (cases A6).

    ``None`` (no report) → not reported. Raises :class:`MeasurementError` on ``"stage"``
    if the index is not one of ``stages``.
    """
    if reached is None:
        return Status.NOT_REPORTED
    if reached.index >= len(stages):
        raise MeasurementError(FieldError("stage", "Choose one of the stages", "invalid_stage"))
    return Status.ACHIEVED if reached.index == len(stages) - 1 else Status.IN_PROGRESS


def yes_no_status(value: YesNo | None) -> Status:
    """Done / not done for a yes-no indicator; ``None`` → not reported (DESIGN.md §5)."""
    if value is None:
        return Status.NOT_REPORTED
    return Status.DONE if value.done else Status.NOT_DONE


@dataclass(frozen=True)
class IndicatorAssessment:
    """One indicator's measure, status and (numeric indicators only) achievement.

    Raises :class:`ValueError` if a stage or yes-no indicator is given an achievement:
    they never enter sums or averages (DESIGN.md §5, cases A6).
    """

    measure: Measure
    status: Status
    achievement: Achievement | None = None

    def __post_init__(self) -> None:
        if self.achievement is not None and not self.measure.is_numeric:
            raise ValueError("stage and yes-no indicators have no numeric achievement")


def count_text(counts: Mapping[Status, int]) -> str:
    """``"1 achieved, 1 in progress"``: non-zero counts in :class:`Status` order."""
    return ", ".join(f"{counts[status]} {status.label}" for status in Status if counts.get(status))


@dataclass(frozen=True)
class StatusSummary:
    """A group's indicators (e.g. a pillar's), numeric and stage/yes-no listed apart.

    ``numeric``/``qualitative``: counts per status; ``mean_achievement``: unweighted mean
    of the numeric indicators' achievements that have a number (``None`` if none),
    ``achievement_count`` of them. Stage and yes-no never enter the mean (cases A6).
    """

    numeric: Mapping[Status, int]
    qualitative: Mapping[Status, int]
    mean_achievement: Decimal | None
    achievement_count: int

    def text(self) -> str:
        """``"2 on track; 1 achieved, 1 in progress"`` (numeric; stage and yes-no)."""
        return "; ".join(
            part for part in (count_text(self.numeric), count_text(self.qualitative)) if part
        )


def summarise(assessments: Iterable[IndicatorAssessment]) -> StatusSummary:
    """Count statuses and average numeric achievement, keeping stage/yes-no apart.

    Source: DESIGN.md §5 ("summaries list them separately"), cases A6 ("1 achieved").
    """
    items = list(assessments)
    numeric = [item for item in items if item.measure.is_numeric]
    percents = [
        item.achievement.percent
        for item in numeric
        if item.achievement is not None and item.achievement.percent is not None
    ]
    mean = quotient(decimal_sum(percents), Decimal(len(percents))) if percents else None
    return StatusSummary(
        numeric=Counter(item.status for item in numeric),
        qualitative=Counter(item.status for item in items if not item.measure.is_numeric),
        mean_achievement=mean,
        achievement_count=len(percents),
    )
