"""Values over time (per reporter) and across reporters (DESIGN.md §5, cases A1 and A2).

Over time, for one reporter's reports (a sequence of :class:`PeriodValue`):

* ``sum``: to-date = Σ of the period values (shares pool Σnum/Σden);
* ``latest``: to-date = the value of the latest period with data;
* ``year_to_date``: a year's value = its latest period with data; to-date = Σ over years.

"No data" reports and unreported periods are skipped, never counted as 0, and no value is
carried into a period that was not reported (:func:`value_for_period` answers ``None``).

Across reporters in one period: numbers add up and shares pool, and the result says how
many reporters are included (:class:`Aggregate`). Two views exist and neither carries a
value forward into a period silently:

* :func:`reporters_in_period`: what each reporter reported for that very period;
* :func:`national_to_date`: each reporter's own to-date value, combined — for ``latest``
  indicators this is "the sum of each reporter's latest value".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .decimals import decimal_sum
from .percentages import Ratio, pool_ratios
from .rounding import plain
from .values import (
    NOT_REPORTED,
    Entry,
    NoData,
    Numeric,
    Period,
    PeriodValue,
    Reported,
    TimeAggregation,
)

__all__ = [
    "Aggregate",
    "across_reporters",
    "combine",
    "latest_reported",
    "national_to_date",
    "reported_history",
    "reporters_in_period",
    "to_date",
    "value_for_period",
]


def _in_order(series: Iterable[PeriodValue]) -> list[PeriodValue]:
    ordered = sorted(series, key=lambda item: (item.period.end, item.period.start))
    counts = Counter(item.period.key for item in ordered)
    duplicates = sorted(key for key, count in counts.items() if count > 1)
    if duplicates:
        raise ValueError(f"more than one report for period {', '.join(duplicates)}")
    return ordered


def value_for_period(series: Iterable[PeriodValue], period: Period) -> Entry | None:
    """The report for ``period``, or ``None`` if the reporter did not report ("not reported").

    Nothing is carried forward: in cases A1, 2025 answers ``None`` although 2024 was 95.
    """
    for item in series:
        if item.period == period:
            return item.value
    return None


def reported_history(series: Iterable[PeriodValue]) -> list[PeriodValue]:
    """The reports with data, oldest first (cases A6: "a history of 2 updates")."""
    return [item for item in _in_order(series) if item.has_data]


def latest_reported(series: Iterable[PeriodValue]) -> Reported | None:
    """The value of the latest period with data, or ``None`` if there is none."""
    history = reported_history(series)
    if not history:
        return None
    value = history[-1].value
    assert not isinstance(value, NoData)
    return value


def combine(values: Iterable[Reported]) -> Numeric | None:
    """Add numbers, or pool shares (Σnum/Σden); ``None`` if there are no values.

    Raises :class:`TypeError` when numbers and shares are mixed, and for stage and yes-no
    values, which never enter sums (DESIGN.md §5).
    """
    items = list(values)
    numbers = [item for item in items if isinstance(item, Decimal)]
    shares = [item for item in items if isinstance(item, Ratio)]
    if len(numbers) == len(items):
        return decimal_sum(numbers) if numbers else None
    if len(shares) == len(items):
        return pool_ratios(shares)
    kinds = " and ".join(sorted({type(item).__name__ for item in items}))
    raise TypeError(f"cannot add {kinds} values: stage and yes-no values never enter sums")


def to_date(
    aggregation: TimeAggregation,
    series: Iterable[PeriodValue],
    *,
    as_of: date | None = None,
) -> Reported | None:
    """One reporter's value to date under ``aggregation``; ``None`` if nothing reported.

    ``as_of`` limits the reports to periods ending on or before that date (default: all).
    Cases A1: mediators (``latest``) 40, 95 → 95 (not 135); sessions (``sum``) 12, 18 →
    30; police share (``latest``) 85/1000, 91/1000 → 91/1000 = 9.1 %; ``year_to_date``
    quarters 10, 25, 30, 42 → 42. Stage and yes-no values are allowed only with
    ``latest`` (:class:`TypeError` otherwise).
    """
    reports = [
        item
        for item in _in_order(series)
        if item.has_data and (as_of is None or item.period.end <= as_of)
    ]
    if aggregation is TimeAggregation.LATEST:
        return latest_reported(reports)
    if aggregation is TimeAggregation.SUM:
        return combine(item.value for item in reports if not isinstance(item.value, NoData))
    by_year: dict[int, Reported] = {}
    for item in reports:
        assert not isinstance(item.value, NoData)
        by_year[item.period.year] = item.value  # ordered: the year's latest wins
    return combine(by_year.values())


@dataclass(frozen=True)
class Aggregate:
    """A value combined across reporters, with how many of them it includes.

    ``value`` is a Decimal sum, a pooled :class:`Ratio`, or ``None`` if no one reported;
    ``included`` reporters had a value, out of ``expected``. Source: DESIGN.md §5
    ("show … how many reporters are included"), cases A2.
    """

    value: Numeric | None
    included: int
    expected: int

    def coverage(self, noun: str = "reporters") -> str:
        """``"2 of 3 regions reporting"`` (``noun`` is the plural of what reports)."""
        return f"{self.included} of {self.expected} {noun} reporting"

    def display(self, places: int = 1) -> str:
        """``"18.2 % (40/220)"`` for shares, exact digits for numbers, or ``"not reported"``."""
        if self.value is None:
            return NOT_REPORTED
        if isinstance(self.value, Ratio):
            return self.value.display(places)
        return plain(self.value)


def across_reporters(values: Mapping[str, Entry | None]) -> Aggregate:
    """Combine one value per expected reporter (``None``: not reported; :class:`NoData`: no data).

    Numbers add, shares pool; reporters without a value enter neither numerator nor
    denominator and are not ``included``. Cases A2: {r1: 10/20, r2: 30/200, r3: None} →
    40/220 = 18.2 %, 2 of 3. Raises :class:`TypeError` for stage or yes-no values.
    """
    reported = [
        value for value in values.values() if value is not None and not isinstance(value, NoData)
    ]
    return Aggregate(combine(reported), len(reported), len(values))


def reporters_in_period(
    series_by_reporter: Mapping[str, Sequence[PeriodValue]], period: Period
) -> Aggregate:
    """What the reporters reported for ``period`` itself, combined (no carry-forward).

    Cases A1: a ``latest`` indicator where A reports 45 and B 20 for Q2 → 65, 2 of 2.
    """
    return across_reporters(
        {
            reporter: value_for_period(series, period)
            for reporter, series in series_by_reporter.items()
        }
    )


def national_to_date(
    aggregation: TimeAggregation,
    series_by_reporter: Mapping[str, Sequence[PeriodValue]],
    *,
    as_of: date | None = None,
) -> Aggregate:
    """Each reporter's :func:`to_date` value, combined across reporters.

    For ``latest`` indicators this is the sum of each reporter's latest value
    (DESIGN.md §5; cases A1: A 30 then 45, B 20 → 65).
    """
    return across_reporters(
        {
            reporter: to_date(aggregation, series, as_of=as_of)
            for reporter, series in series_by_reporter.items()
        }
    )
