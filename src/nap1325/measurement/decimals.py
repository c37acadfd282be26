"""Decimal arithmetic that does not depend on the calling thread's decimal context.

Every quantity in the measurement package is a :class:`decimal.Decimal` (DESIGN.md §5:
"All quantities are Decimal, stored at full precision"). Python's ``+`` and ``/`` on
Decimals use the *thread's* context (28 significant digits by default, changeable by any
caller), so this module does the arithmetic with two fixed contexts instead:

* sums, differences and products use a 1000-digit context, which is exact for any value a
  person can type or a plan can hold;
* quotients (percentages, shares, means) carry 34 significant digits (IEEE decimal128) —
  the only place where a stored value is not exact, and far below display precision.

Rounding for display lives in :mod:`nap1325.measurement.rounding`, never here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal

from .errors import FieldError, MeasurementError

__all__ = [
    "EXACT",
    "QUOTIENT",
    "decimal_sum",
    "difference",
    "product",
    "quotient",
    "require_decimal",
]

#: Context for ``+``, ``-`` and ``*``: wide enough to be exact for realistic inputs.
EXACT = Context(prec=1000, rounding=ROUND_HALF_EVEN)
#: Context for ``/``: 34 significant digits (decimal128), rounded half-even internally.
QUOTIENT = Context(prec=34, rounding=ROUND_HALF_EVEN)

_ZERO = Decimal(0)


def require_decimal(value: object, field: str = "value") -> Decimal:
    """Return ``value`` if it is a finite :class:`Decimal`; otherwise refuse it.

    Raises :class:`TypeError` for anything that is not a Decimal (a ``float`` or ``int``
    slipping in is a programming error, DESIGN.md §5 "never float"), and
    :class:`MeasurementError` on ``field`` for NaN or infinity.
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"{field} must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise MeasurementError(FieldError(field, "Enter a finite number", "not_finite"))
    return value


def decimal_sum(values: Iterable[Decimal]) -> Decimal:
    """Exact sum of Decimals (``Decimal(0)`` for none). Cases A7: 0.10 + 0.20 == 0.30.

    Raises :class:`TypeError` if an item is not a Decimal (e.g. a float).
    """
    total = _ZERO
    for value in values:
        total = EXACT.add(total, require_decimal(value))
    return total


def difference(minuend: Decimal, subtrahend: Decimal) -> Decimal:
    """Exact ``minuend - subtrahend``."""
    return EXACT.subtract(minuend, subtrahend)


def product(left: Decimal, right: Decimal) -> Decimal:
    """Exact ``left * right``."""
    return EXACT.multiply(left, right)


def quotient(dividend: Decimal, divisor: Decimal) -> Decimal:
    """``dividend / divisor`` to 34 significant digits.

    Raises :class:`ZeroDivisionError` (``decimal.DivisionByZero``) if ``divisor`` is 0;
    callers check for 0 first and report it as "n/a" or a field error instead.
    """
    if divisor == 0:
        raise ZeroDivisionError("division by zero")
    return QUOTIENT.divide(dividend, divisor)
