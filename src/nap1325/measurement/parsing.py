"""Reading numbers typed by people (forms, spreadsheet cells) into Decimals.

DESIGN.md §5: "text in a number field [is a] validation error on the field, never a
crash"; cases A6: "Yes", "N/A", "see report" typed into a number indicator is refused
with a field message.

Accepted (deliberately conservative, since a misread number is worse than a refusal):

* optional sign, ASCII digits, and at most one decimal separator, either ``.`` or ``,``
  (``"12"``, ``"-3"``, ``"0.605"``, ``"0,605"``, ``"+7.5"``); surrounding spaces are ignored;
* digits are kept as typed: ``"0.10"`` gives ``Decimal("0.10")``.

Refused with :class:`MeasurementError`:

* empty text, words, exponents (``"1e5"``), ``"NaN"``, ``"Infinity"``: "Enter a number";
* anything with thousands separators (``"1 234"``, ``"1,234.5"``, ``"1.234.567"``) and the
  ambiguous ``"1,234"`` (one to three digits not starting with 0, a comma, exactly three
  digits — thousands in English, a decimal in Russian): "Enter the number without
  thousands separators, for example 1234.5".
"""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import FieldError, MeasurementError

__all__ = ["parse_decimal", "parse_localised_decimal"]

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_AMBIGUOUS = re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:[ ,.'\u00a0\u202f][0-9]{3})+(?:[.,][0-9]+)?")


def parse_decimal(text: str, field: str = "value") -> Decimal:
    """Parse a person's number into a :class:`Decimal`, or refuse it on ``field``.

    ``parse_decimal("1234,5") == Decimal("1234.5")``. Raises :class:`MeasurementError`
    with code ``"invalid_number"`` ("Enter a number") or ``"thousands_separator"``; see the
    module docstring for exactly what is accepted. Source: DESIGN.md §5, cases A2 and A6.
    """
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped) and not _AMBIGUOUS.fullmatch(stripped):
        return Decimal(stripped.replace(",", "."))
    if _GROUPED.fullmatch(stripped):
        raise MeasurementError(
            FieldError(
                field,
                "Enter the number without thousands separators, for example 1234.5",
                "thousands_separator",
            )
        )
    raise MeasurementError(FieldError(field, "Enter a number", "invalid_number"))


_SPACES = "\u0020\u00a0\u202f"


def parse_localised_decimal(
    text: str, *, thousands: str, decimal: str, field: str = "value"
) -> Decimal:
    """:func:`parse_decimal`, also accepting a number grouped in the reader's own style.

    ``thousands`` and ``decimal`` are the reader's separators (ru/ky ``"\u00a0"`` and
    ``","``, en ``","`` and ``"."``). A space-like separator also accepts the other spaces.
    Accepted: ``"1 234,5"`` (ru), ``"1,234.5"`` and ``"12,345,678"`` (en). A lone comma
    group without decimals (``"1,234"``) stays refused as ambiguous, whatever the
    language: a misread number is worse than a refusal. Everything else is decided by
    :func:`parse_decimal`.
    """
    stripped = text.strip()
    if thousands and decimal and thousands != decimal:
        group = f"[{re.escape(_SPACES)}]" if thousands in _SPACES else re.escape(thousands)
        grouped = re.compile(
            rf"(?P<sign>[+-]?)(?P<int>[0-9]{{1,3}}(?:{group}[0-9]{{3}})+)"
            rf"(?:{re.escape(decimal)}(?P<frac>[0-9]+))?"
        )
        match = grouped.fullmatch(stripped)
        if match and (
            thousands in _SPACES or match.group("frac") or len(re.findall(group, stripped)) > 1
        ):
            digits = re.sub(group, "", match.group("int"))
            frac = match.group("frac")
            return Decimal(f"{match.group('sign')}{digits}" + (f".{frac}" if frac else ""))
    return parse_decimal(stripped, field)
