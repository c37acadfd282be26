"""Percentages kept as numerator and denominator, and pooled as Σ numerators / Σ denominators.

DESIGN.md §5: "Percentages are stored as numerator and denominator, never as a
percentage. Any aggregate (over periods for sum, across reporters, across categories) =
Σ numerators / Σ denominators. Show the parts with the percentage ("18.2 % (40/220)")".
Cases A2: 10/20 and 30/200 pool to 40/220 = 18.2 % (not 65 %, not 32.5 %).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .decimals import decimal_sum, product, quotient
from .errors import FieldError, MeasurementError
from .parsing import parse_decimal
from .rounding import percent_display, plain

__all__ = ["Ratio", "parse_ratio", "percent_of", "pool_ratios", "ratio_errors"]

_HUNDRED = Decimal(100)


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole × 100`` in percent units, to 34 significant digits.

    ``percent_of(Decimal(5), Decimal(8)) == Decimal("62.5")``. Raises
    :class:`ZeroDivisionError` if ``whole`` is 0 (callers check first).
    """
    return quotient(product(part, _HUNDRED), whole)


def ratio_errors(numerator: Decimal, denominator: Decimal) -> list[FieldError]:
    """Field errors of a numerator/denominator pair; empty if it is a valid share.

    Checks (cases A2): denominator 0 (``"zero_denominator"``), a negative part
    (``"negative"``), numerator larger than denominator
    (``"numerator_exceeds_denominator"``), NaN/infinity (``"not_finite"``). Raises only
    :class:`TypeError` for a non-Decimal argument (a programming error).
    """
    errors: list[FieldError] = []
    for field, value in (("numerator", numerator), ("denominator", denominator)):
        if not isinstance(value, Decimal):
            raise TypeError(f"{field} must be a Decimal, not {type(value).__name__}")
        if not value.is_finite():
            errors.append(FieldError(field, "Enter a finite number", "not_finite"))
        elif value < 0:
            errors.append(FieldError(field, "Enter 0 or more", "negative"))
    if errors:
        return errors
    if denominator == 0:
        errors.append(FieldError("denominator", "The denominator cannot be 0", "zero_denominator"))
    elif numerator > denominator:
        errors.append(
            FieldError(
                "numerator",
                f"The numerator ({plain(numerator)}) cannot be larger than "
                f"the denominator ({plain(denominator)})",
                "numerator_exceeds_denominator",
            )
        )
    return errors


@dataclass(frozen=True)
class Ratio:
    """A share: numerator/denominator, Decimals with 0 ≤ numerator ≤ denominator, denominator > 0.

    The percentage is derived (:attr:`percent`), never stored. Construction with an invalid
    pair raises :class:`MeasurementError` listing every field error (see
    :func:`ratio_errors`). Source: DESIGN.md §5, cases A1 (91/1000 = 9.1 %) and A2.
    """

    numerator: Decimal
    denominator: Decimal

    def __post_init__(self) -> None:
        errors = ratio_errors(self.numerator, self.denominator)
        if errors:
            raise MeasurementError(*errors)

    @property
    def percent(self) -> Decimal:
        """The share in percent units (``Ratio(5, 8).percent == Decimal("62.5")``)."""
        return percent_of(self.numerator, self.denominator)

    def display(self, places: int = 1) -> str:
        """Percentage with its parts, rounded half-up: ``"18.2 % (40/220)"``."""
        return (
            f"{percent_display(self.percent, places)} "
            f"({plain(self.numerator)}/{plain(self.denominator)})"
        )


def parse_ratio(numerator: str, denominator: str) -> Ratio:
    """Read a typed numerator and denominator into a :class:`Ratio`.

    Raises :class:`MeasurementError` with every field error at once: text that is not a
    number (see :func:`~nap1325.measurement.parsing.parse_decimal`), then the checks of
    :func:`ratio_errors`. Cases A2: "25" of "20" and "1" of "0" are field errors.
    """
    parsed: dict[str, Decimal] = {}
    errors: list[FieldError] = []
    for field, text in (("numerator", numerator), ("denominator", denominator)):
        try:
            parsed[field] = parse_decimal(text, field)
        except MeasurementError as error:
            errors.extend(error.errors)
    if errors:
        raise MeasurementError(*errors)
    return Ratio(parsed["numerator"], parsed["denominator"])


def pool_ratios(ratios: Iterable[Ratio]) -> Ratio | None:
    """Pool shares: Σ numerators / Σ denominators; ``None`` if there are none.

    ``pool_ratios([Ratio(10, 20), Ratio(30, 200)]) == Ratio(40, 220)`` (18.2 %, cases A2).
    The pooled percentage always lies between the lowest and highest part.
    """
    parts = list(ratios)
    if not parts:
        return None
    for part in parts:
        if not isinstance(part, Ratio):
            raise TypeError(f"cannot pool {type(part).__name__} with percentages")
    return Ratio(
        decimal_sum(part.numerator for part in parts),
        decimal_sum(part.denominator for part in parts),
    )
