"""Breakdowns of a number's total into cells, their completeness, and the share of women.

Source: DESIGN.md §5 ("Breakdowns") and cases A4. An indicator declares breakdowns, each
a tuple of dimensions — (sex), (age group), or a cross-tab such as (rank × sex). A value
carries one table of cells per breakdown, keyed by a category tuple in the breakdown's
dimension order: ``("generals", "women")``.

* Each table's cells should add up to the value's total. If they don't, the table is
  still accepted and :attr:`BreakdownTable.flag` says e.g.
  ``"sex breakdown incomplete: 115 of 120"``; the uncovered part is "not disaggregated".
* The total is the value's own total, never the sum of all cells of all breakdowns
  (sex and age tables of 120 are both 120, the total is 120, not 240).
* The share of women is women / (women + men) per category of the other dimensions, and
  pooled like a percentage over categories (:func:`women_share_by_category`,
  :func:`women_share`). Convention: the sex dimension is named ``"sex"`` with categories
  ``"women"`` and ``"men"``; other sex categories are counted in the total, not the share.

Breakdowns here apply to numbers (totals); shares are disaggregated by reporting one
:class:`~nap1325.measurement.percentages.Ratio` per category instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import TypeAlias

from .decimals import decimal_sum, difference
from .errors import FieldError, MeasurementError
from .percentages import Ratio, pool_ratios
from .rounding import plain

__all__ = [
    "MEN",
    "SEX",
    "WOMEN",
    "Breakdown",
    "BreakdownTable",
    "Category",
    "CombinedBreakdown",
    "Dimension",
    "WomenShare",
    "combine_tables",
    "women_share",
    "women_share_by_category",
]

SEX = "sex"
WOMEN = "women"
MEN = "men"

#: One category per dimension, in the breakdown's dimension order.
Category: TypeAlias = tuple[str, ...]

_ZERO = Decimal(0)


def _error(message: str, code: str, field_name: str = "breakdown") -> MeasurementError:
    return MeasurementError(FieldError(field_name, message, code))


@dataclass(frozen=True)
class Dimension:
    """A dimension of disaggregation: ``name`` ("sex") and its ``categories`` ("women", "men")."""

    name: str
    categories: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.categories or len(set(self.categories)) != len(self.categories):
            raise ValueError(f"dimension {self.name!r} needs distinct categories")


@dataclass(frozen=True)
class Breakdown:
    """A declared breakdown: one or more dimensions; :attr:`label` is ``"rank × sex"``."""

    dimensions: tuple[Dimension, ...]

    def __post_init__(self) -> None:
        names = [dimension.name for dimension in self.dimensions]
        if not names or len(set(names)) != len(names):
            raise ValueError("a breakdown needs one or more distinct dimensions")

    @property
    def label(self) -> str:
        """The dimension names joined by ``" × "``."""
        return " × ".join(dimension.name for dimension in self.dimensions)

    def position(self, name: str) -> int:
        """Index of dimension ``name`` in category tuples; :class:`ValueError` if absent."""
        for index, dimension in enumerate(self.dimensions):
            if dimension.name == name:
                return index
        raise ValueError(f"the {self.label} breakdown has no {name} dimension")


@dataclass(frozen=True)
class BreakdownTable:
    """One reporter's cells for one breakdown of a value whose total is ``total``.

    ``cells`` maps category tuples to non-negative Decimals; absent cells are unknown, not
    0. A reporter that gave no breakdown has no cells (everything is not disaggregated).
    Raises :class:`MeasurementError` (field ``"breakdown"`` or ``"total"``) for an unknown
    category, a key of the wrong length, or a negative or non-finite number. The table
    keeps its own copy of ``cells``.
    """

    breakdown: Breakdown
    total: Decimal
    cells: Mapping[Category, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.total, Decimal):
            raise TypeError("total must be a Decimal")
        if not self.total.is_finite() or self.total < 0:
            raise _error("Enter a total of 0 or more", "negative", "total")
        dimensions = self.breakdown.dimensions
        for key, value in self.cells.items():
            if (
                not isinstance(key, tuple)
                or len(key) != len(dimensions)
                or any(
                    category not in dimension.categories
                    for category, dimension in zip(key, dimensions, strict=True)
                )
            ):
                raise _error(
                    f"{' × '.join(key)} is not a category of the {self.breakdown.label} breakdown",
                    "unknown_category",
                )
            if not isinstance(value, Decimal):
                raise TypeError("cells must be Decimals")
            if not value.is_finite() or value < 0:
                raise _error(f"Enter 0 or more for {' × '.join(key)}", "negative")
        object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))

    @property
    def covered(self) -> Decimal:
        """Σ of the cells."""
        return decimal_sum(self.cells.values())

    @property
    def complete(self) -> bool:
        """True when the cells add up to the total exactly."""
        return self.covered == self.total

    @property
    def not_disaggregated(self) -> Decimal:
        """The part of the total no cell covers (0 when complete or over-covered)."""
        return max(difference(self.total, self.covered), _ZERO)

    @property
    def flag(self) -> str | None:
        """``None`` if complete, else ``"sex breakdown incomplete: 115 of 120"`` (cases A4).

        Cells adding up to more than the total give ``"… breakdown exceeds the total: 130
        of 120"``.
        """
        covered = self.covered
        if covered == self.total:
            return None
        problem = "incomplete" if covered < self.total else "exceeds the total"
        return (
            f"{self.breakdown.label} breakdown {problem}: {plain(covered)} of {plain(self.total)}"
        )

    def marginal(self, name: str) -> dict[str, Decimal]:
        """Cells added up per category of dimension ``name`` (rank × sex → by sex).

        Categories without any cell are omitted. :class:`ValueError` if ``name`` is not a
        dimension.
        """
        return _marginal(self.breakdown, self.cells, name)


def _marginal(
    breakdown: Breakdown, cells: Mapping[Category, Decimal], name: str
) -> dict[str, Decimal]:
    index = breakdown.position(name)
    parts: dict[str, list[Decimal]] = {}
    for key, value in cells.items():
        parts.setdefault(key[index], []).append(value)
    return {category: decimal_sum(values) for category, values in parts.items()}


@dataclass(frozen=True)
class CombinedBreakdown:
    """One breakdown combined across reporters (cases A4: 42 + 714 = 756; women 30, men 12).

    ``total``: Σ of the reporters' totals; ``cells``: Σ per category;
    ``not_disaggregated``: Σ of each reporter's uncovered part (one reporter's excess
    never hides another's gap); ``included`` of ``expected`` reporters gave any cell.
    """

    breakdown: Breakdown
    total: Decimal
    cells: Mapping[Category, Decimal]
    not_disaggregated: Decimal
    included: int
    expected: int

    def marginal(self, name: str) -> dict[str, Decimal]:
        """Cells added up per category of dimension ``name``."""
        return _marginal(self.breakdown, self.cells, name)


def combine_tables(breakdown: Breakdown, tables: Iterable[BreakdownTable]) -> CombinedBreakdown:
    """Add up one breakdown's tables from several reporters (DESIGN.md §5, cases A4).

    Raises :class:`ValueError` if a table belongs to another breakdown.
    """
    items = list(tables)
    if any(table.breakdown != breakdown for table in items):
        raise ValueError(f"all tables must be of the {breakdown.label} breakdown")
    parts: dict[Category, list[Decimal]] = {}
    for table in items:
        for key, value in table.cells.items():
            parts.setdefault(key, []).append(value)
    return CombinedBreakdown(
        breakdown=breakdown,
        total=decimal_sum(table.total for table in items),
        cells=MappingProxyType({key: decimal_sum(values) for key, values in parts.items()}),
        not_disaggregated=decimal_sum(table.not_disaggregated for table in items),
        included=sum(1 for table in items if table.cells),
        expected=len(items),
    )


def women_share_by_category(source: BreakdownTable | CombinedBreakdown) -> dict[Category, Ratio]:
    """women / (women + men) per category of the breakdown's other dimensions.

    Keys drop the sex position: rank × sex gives ``{("generals",): Ratio(8, 241), …}``;
    a sex-only breakdown gives ``{(): Ratio(70, 120)}``. Categories with neither women nor
    men are omitted. :class:`ValueError` if the breakdown has no sex dimension. Cases A4.
    """
    index = source.breakdown.position(SEX)
    women: dict[Category, list[Decimal]] = {}
    both: dict[Category, list[Decimal]] = {}
    for key, value in source.cells.items():
        if key[index] not in (WOMEN, MEN):
            continue
        other = key[:index] + key[index + 1 :]
        both.setdefault(other, []).append(value)
        women.setdefault(other, [])
        if key[index] == WOMEN:
            women[other].append(value)
    shares: dict[Category, Ratio] = {}
    for other, values in both.items():
        denominator = decimal_sum(values)
        if denominator > 0:
            shares[other] = Ratio(decimal_sum(women[other]), denominator)
    return shares


@dataclass(frozen=True)
class WomenShare:
    """The pooled share of women, and the part of the total with no sex split.

    ``ratio`` is ``None`` when no cell gives women or men. Cases A4: a sex breakdown of
    70 women + 45 men for a total of 120 gives 70/115 *and* 5 not disaggregated, so the
    share is never silently 70/115.
    """

    ratio: Ratio | None
    not_disaggregated: Decimal

    def display(self, places: int = 1) -> str:
        """``"2.4 % (172/7288)"``, or ``"60.9 % (70/115), 5 not disaggregated"``."""
        if self.ratio is None:
            return "n/a (no sex breakdown)"
        text = self.ratio.display(places)
        if self.not_disaggregated > 0:
            text += f", {plain(self.not_disaggregated)} not disaggregated"
        return text


def women_share(source: BreakdownTable | CombinedBreakdown) -> WomenShare:
    """The share of women pooled over all categories (Σ women / Σ (women + men)).

    Cases A4: generals 8/241 and senior officers 164/7047 pool to 172/7288 = 2.4 %.
    """
    return WomenShare(
        pool_ratios(women_share_by_category(source).values()),
        source.not_disaggregated,
    )
