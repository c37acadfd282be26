"""How numbers are stored: at most 15 significant digits, so that they stay exact everywhere.

SQLite keeps only 15 significant digits of a decimal column (it converts to a double);
PostgreSQL's ``numeric`` is exact. One limit for both databases keeps "stored at full
precision" (DESIGN.md §5) true on both, and a number that cannot be stored exactly is a
field error, never a silent rounding or a value that cannot be read back.

* quantities (indicator values, baselines, targets, breakdown cells): 15 digits, 4 decimals
  — up to 99 999 999 999.9999;
* money (budget lines, expenditure): 15 digits, 2 decimals — up to 9 999 999 999 999.99.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

MAX_DIGITS = 15
QUANTITY_PLACES = 4
MONEY_PLACES = 2


def quantity_field(verbose_name: Any, **options: Any) -> models.DecimalField[Any, Any]:
    """A DecimalField for an indicator quantity (15 digits, 4 decimals)."""
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=QUANTITY_PLACES, **options
    )


def money_field(verbose_name: Any, **options: Any) -> models.DecimalField[Any, Any]:
    """A DecimalField for an amount of money (15 digits, 2 decimals)."""
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=MONEY_PLACES, **options
    )


def storable_problem(value: Decimal, places: int = QUANTITY_PLACES) -> str | None:
    """Why ``value`` cannot be stored exactly with ``places`` decimals, or ``None``.

    Refuses non-finite numbers, more than ``places`` decimals and more than
    ``MAX_DIGITS - places`` digits before the decimal point. Messages are translated.
    """
    if not value.is_finite():
        return _("Enter a number.")
    sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    decimals = max(0, -exponent)
    whole_digits = max(0, len(digits) + exponent)
    if decimals > places:
        return _("Use at most %(places)d decimal places.") % {"places": places}
    if whole_digits > MAX_DIGITS - places:
        return _(
            "This number is too large (at most %(digits)d digits before the decimal point)."
        ) % {"digits": MAX_DIGITS - places}
    return None
