"""Rounding for display only: half-up, on a copy, never on the stored value.

DESIGN.md §5: values are stored at full precision and "rounded only for display with
ROUND_HALF_UP (62.5 % shows as 63 %; 0.605 with 2 places shows 0.61). Never float, never
Python's round() for display." ROUND_HALF_UP rounds ties away from zero, as Excel's ROUND
does (−0.605 shows −0.61). Decimals are immutable, so no function here can change the
value it is given (a property test checks it anyway).

Conventions chosen here (the spec is silent):

* the percent sign follows the number after one ordinary space (U+0020): ``"63 %"``;
* negative numbers use the ASCII hyphen-minus ``"-37.5 %"``; a value that rounds to zero
  shows without a sign (``-0.001`` at 2 places is ``"0.00"``);
* :func:`display` keeps exactly ``places`` decimals (``0.30`` stays ``"0.30"``);
  :func:`percent_display` drops trailing zero decimals after rounding (``100.0`` → ``"100 %"``,
  ``64.0`` → ``"64 %"``, ``62.50`` → ``"62.5 %"``), as in cases A3, A5 and A7;
* no thousands separators (the UI layer may localise the digits).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from .decimals import require_decimal

__all__ = ["PERCENT_SIGN", "display", "percent_display", "plain"]

#: What follows a percentage: one ordinary space and the percent sign.
PERCENT_SIGN = " %"


def _rounded(value: Decimal, places: int) -> Decimal:
    require_decimal(value)
    if places < 0:
        raise ValueError("places must be 0 or more")
    # Room for every integer digit plus the decimals, whatever the value's magnitude.
    context = Context(prec=max(value.adjusted(), 0) + places + 2, rounding=ROUND_HALF_UP)
    result = value.quantize(Decimal(1).scaleb(-places), context=context)
    if result.is_zero():
        return result.copy_abs()
    return result


def display(value: Decimal, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as fixed-point text.

    ``display(Decimal("0.605"), 2) == "0.61"``; ``display(Decimal("0.30"), 2) == "0.30"``
    (cases A7). Raises :class:`TypeError` for a non-Decimal and :class:`ValueError` for
    negative ``places``. The argument is not changed.
    """
    return format(_rounded(value, places), "f")


def percent_display(value: Decimal, places: int = 1) -> str:
    """A percentage (``value`` already in percent units) rounded half-up, with ``" %"``.

    Trailing zero decimals are dropped after rounding: ``Decimal("62.5")`` at 0 places is
    ``"63 %"``, ``Decimal("99.99999")`` at 1 place is ``"100 %"`` (cases A7),
    ``Decimal("-37.5")`` is ``"-37.5 %"`` (cases A3). Source: DESIGN.md §5.
    """
    text = format(_rounded(value, places), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + PERCENT_SIGN


def plain(value: Decimal) -> str:
    """``value`` at full precision, fixed-point (no exponent): ``Decimal("1E+3")`` → ``"1000"``.

    Used for counts, numerators and denominators, which are shown as entered.
    """
    return format(require_decimal(value), "f")
