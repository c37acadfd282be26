"""Roll-up of action progress to results (DESIGN.md §5 "Roll-up", cases A5).

A result's progress is the mean of its actions' progress (percent, 0–100), counting only
actions with an update, weighted when weights are set. Weights are normalised: the mean is
Σ(weight × progress) / Σ weight over the reporting actions, so 0.5/0.3/0.2 and 5/3/2 give
the same 64 %. The mean is computed with a single division, so a parent always lies
between its lowest and highest child.

Conventions (the spec is silent):

* weights are used only if *every* reporting item has one and they add up to more than 0;
  otherwise the plain mean is used and :attr:`Rollup.note` says why (a weight on some
  actions only is a gap in the plan, not a reason to drop or guess the others);
* nested roll-ups: a child result enters its parent as one item (its own roll-up value and
  its weight); a child with no reporting actions counts as not reporting. Counts
  (``reporting`` of ``total``) are of direct children.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .decimals import decimal_sum, product, quotient
from .errors import FieldError, MeasurementError
from .rounding import percent_display

__all__ = ["Progress", "ProgressSums", "Rollup", "roll_up", "roll_up_sums"]

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Progress:
    """One action's (or child result's) progress in percent, and its optional weight.

    ``value`` is ``None`` when there is no update. Raises :class:`MeasurementError` on
    ``"progress"`` outside 0–100 and on ``"weight"`` for a negative weight.
    """

    value: Decimal | None
    weight: Decimal | None = None

    def __post_init__(self) -> None:
        if self.value is not None and not (
            isinstance(self.value, Decimal)
            and self.value.is_finite()
            and 0 <= self.value <= _HUNDRED
        ):
            raise MeasurementError(
                FieldError("progress", "Enter a progress from 0 to 100", "out_of_range")
            )
        if self.weight is not None and not (
            isinstance(self.weight, Decimal) and self.weight.is_finite() and self.weight >= 0
        ):
            raise MeasurementError(FieldError("weight", "Enter a weight of 0 or more", "negative"))


@dataclass(frozen=True)
class Rollup:
    """A rolled-up progress: ``value`` (percent, unrounded; ``None`` if nobody reported),
    ``reporting`` of ``total`` items, whether weights were used, and a ``note`` when
    weights were ignored.
    """

    value: Decimal | None
    reporting: int
    total: int
    weighted: bool
    note: str | None = None

    def coverage(self, noun: str = "actions") -> str:
        """``"3 of 4 actions reporting"`` (cases A5)."""
        return f"{self.reporting} of {self.total} {noun} reporting"

    def display(self, places: int = 1) -> str:
        """``"66.7 %"``, or ``"not reported"`` if no item reported."""
        return "not reported" if self.value is None else percent_display(self.value, places)

    def as_child(self, weight: Decimal | None = None) -> Progress:
        """This roll-up as one item of its parent's roll-up."""
        return Progress(self.value, weight)


@dataclass(frozen=True)
class ProgressSums:
    """What :func:`roll_up` needs of a group of items, as counts and exact sums.

    Sums add up (``a + b`` is the sums of both groups), so a database can compute them
    per result with one ``GROUP BY`` (``COUNT``, ``SUM`` of ``numeric``, exact) and the
    roll-up stays this module's: ``roll_up_sums(ProgressSums.of(items)) == roll_up(items)``
    by construction (:func:`roll_up` is computed that way).

    * ``total``: items; ``reporting``: items with a value;
    * ``progress``: Σ value over the reporting items;
    * ``weighted``: reporting items with a weight; ``weight``: Σ of those weights;
      ``weighted_progress``: Σ weight × value over them.
    """

    total: int = 0
    reporting: int = 0
    progress: Decimal = Decimal(0)
    weighted: int = 0
    weight: Decimal = Decimal(0)
    weighted_progress: Decimal = Decimal(0)

    @classmethod
    def of(cls, items: Iterable[Progress]) -> ProgressSums:
        """The sums of ``items`` (exact Decimal arithmetic)."""
        everything = list(items)
        reporting = [item for item in everything if item.value is not None]
        weighted = [item for item in reporting if item.weight is not None]
        return cls(
            total=len(everything),
            reporting=len(reporting),
            progress=decimal_sum(item.value for item in reporting if item.value is not None),
            weighted=len(weighted),
            weight=decimal_sum(item.weight for item in weighted if item.weight is not None),
            weighted_progress=decimal_sum(
                product(item.weight, item.value)
                for item in weighted
                if item.weight is not None and item.value is not None
            ),
        )

    def __add__(self, other: ProgressSums) -> ProgressSums:
        return ProgressSums(
            total=self.total + other.total,
            reporting=self.reporting + other.reporting,
            progress=decimal_sum([self.progress, other.progress]),
            weighted=self.weighted + other.weighted,
            weight=decimal_sum([self.weight, other.weight]),
            weighted_progress=decimal_sum([self.weighted_progress, other.weighted_progress]),
        )


def roll_up(items: Iterable[Progress]) -> Rollup:
    """Mean progress of the items with an update, weighted when all of them have weights.

    Cases A5: 60, 60, 80 → 66.7 %; weights 0.5/0.3/0.2 or 5/3/2 → 64 %; no weights →
    66.7 %; a fourth action without update → 66.7 %, "3 of 4 actions reporting".
    """
    return roll_up_sums(ProgressSums.of(items))


def roll_up_sums(sums: ProgressSums) -> Rollup:
    """:func:`roll_up` of a group given by its :class:`ProgressSums`.

    Weighted (Σ weight × value / Σ weight) when every reporting item has a weight and the
    weights add up to more than 0; else the plain mean, with a note when weights were set
    on some items only or add up to 0. Raises :class:`MeasurementError` on ``"sums"`` for
    inconsistent counts (more reporting than total, or more weighted than reporting).
    """
    if not 0 <= sums.weighted <= sums.reporting <= sums.total:
        raise MeasurementError(
            FieldError("sums", "Inconsistent counts of a roll-up", "inconsistent")
        )
    if not sums.reporting:
        return Rollup(None, 0, sums.total, weighted=False)
    if sums.weighted == sums.reporting and sums.weight > 0:
        return Rollup(
            quotient(sums.weighted_progress, sums.weight), sums.reporting, sums.total, True
        )
    note = None
    if sums.weighted:
        note = (
            f"weights ignored: set on {sums.weighted} of {sums.reporting} reporting items"
            if sums.weighted < sums.reporting
            else "weights ignored: they add up to 0"
        )
    mean = quotient(sums.progress, Decimal(sums.reporting))
    return Rollup(mean, sums.reporting, sums.total, weighted=False, note=note)
