"""Plain data for indicator values: periods, measures and what a reporter reported.

A reporter (an agency, or a region for regional breakdowns) reports, per reporting
period, one of (DESIGN.md §4 IndicatorValue, §5):

* a number: a :class:`~decimal.Decimal` total;
* a share: a :class:`~nap1325.measurement.percentages.Ratio` (numerator/denominator);
* :class:`YesNo` or :class:`StageReached` (never summed or averaged);
* :class:`NoData`: an explicit "no data" flag with a reason — stored as no value, never 0
  (cases A6).

A period the reporter did not report for is simply absent ("not reported"); nothing is
carried forward (cases A1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

from .decimals import require_decimal
from .errors import FieldError, MeasurementError
from .percentages import Ratio
from .rounding import plain

__all__ = [
    "NOT_REPORTED",
    "Entry",
    "Measure",
    "NoData",
    "Numeric",
    "Period",
    "PeriodValue",
    "Reported",
    "StageReached",
    "TimeAggregation",
    "YesNo",
    "describe",
]

#: What a period without a report shows (cases A1).
NOT_REPORTED = "not reported"


class Measure(StrEnum):
    """What an indicator measures (DESIGN.md §4): number, percentage, yes-no or stage."""

    NUMBER = "number"
    PERCENTAGE = "percentage"
    YES_NO = "yes_no"
    STAGE = "stage"

    @property
    def is_numeric(self) -> bool:
        """True for number and percentage; stage and yes-no never enter sums or averages."""
        return self in (Measure.NUMBER, Measure.PERCENTAGE)


class TimeAggregation(StrEnum):
    """How an indicator's period values make its value to date (DESIGN.md §5).

    ``SUM``: flows, to-date = Σ period values. ``LATEST``: levels and running totals,
    to-date = latest period with data. ``YEAR_TO_DATE``: running totals that restart each
    year, a year's value = its latest period, to-date = Σ over years.
    """

    SUM = "sum"
    LATEST = "latest"
    YEAR_TO_DATE = "year_to_date"


@dataclass(frozen=True)
class Period:
    """A reporting period: ``key`` (e.g. ``"2024-Q2"``), inclusive ``start`` and ``end`` dates.

    Periods are ordered by end date (a plan's periods never overlap, DESIGN.md §4).
    :attr:`year` is the calendar year of the end date. Raises :class:`MeasurementError` on
    ``"end"`` if the period ends before it starts.
    """

    key: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise MeasurementError(
                FieldError("end", "The period must end on or after its start", "end_before_start")
            )

    @property
    def year(self) -> int:
        """The year the period belongs to: the calendar year of its end date."""
        return self.end.year


@dataclass(frozen=True)
class NoData:
    """An explicit "no data" report, with the reporter's reason (cases A6).

    It is not a value: it never counts as 0 and never counts as reporting. Raises
    :class:`MeasurementError` on ``"reason"`` if the reason is blank.
    """

    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise MeasurementError(
                FieldError("reason", "Give the reason why there is no data", "reason_required")
            )


@dataclass(frozen=True)
class YesNo:
    """A yes-no indicator's report: ``done`` is True for yes."""

    done: bool


@dataclass(frozen=True)
class StageReached:
    """A stage indicator's report: ``index`` into the indicator's ordered stages (0 = first)."""

    index: int

    def __post_init__(self) -> None:
        if self.index < 0:
            raise MeasurementError(FieldError("stage", "Choose a stage", "invalid_stage"))


#: A value that can be added (numbers) or pooled (shares).
Numeric: TypeAlias = Decimal | Ratio
#: Anything a reporter can report as a value.
Reported: TypeAlias = Decimal | Ratio | YesNo | StageReached
#: A report for one period: a value or an explicit "no data".
Entry: TypeAlias = Decimal | Ratio | YesNo | StageReached | NoData


@dataclass(frozen=True)
class PeriodValue:
    """What one reporter reported for one period: a value or :class:`NoData`.

    Numbers must be finite Decimals (:class:`TypeError` for a float).
    """

    period: Period
    value: Entry

    def __post_init__(self) -> None:
        if not isinstance(self.value, Ratio | YesNo | StageReached | NoData):
            require_decimal(self.value)

    @property
    def has_data(self) -> bool:
        """False for an explicit "no data" report."""
        return not isinstance(self.value, NoData)


def describe(entry: Entry | None, *, places: int = 1, stages: Sequence[str] = ()) -> str:
    """Short English text for one period's report.

    ``None`` → ``"not reported"``; a number → its exact digits; a share →
    ``"9.1 % (91/1000)"``; yes-no → ``"yes"``/``"no"``; a stage → its name from ``stages``
    (or ``"stage 2"``); no data → ``"no data (reason)"``. Source: DESIGN.md §5, cases A1, A6.
    """
    match entry:
        case None:
            return NOT_REPORTED
        case NoData(reason=reason):
            return f"no data ({reason})"
        case Ratio():
            return entry.display(places)
        case YesNo(done=done):
            return "yes" if done else "no"
        case StageReached(index=index):
            return stages[index] if index < len(stages) else f"stage {index + 1}"
        case Decimal():
            return plain(entry)
    raise TypeError(f"not a report: {entry!r}")
