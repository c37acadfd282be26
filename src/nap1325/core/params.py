"""Reading ids and numbers out of GET and POST parameters, where bad input is ignored.

A filter or an id in a query string (``?owner=o12``, ``?event=3``, ``?section=7``) is typed
by whoever edits the address bar. Python's ``int`` reads any length of digits, but a
database key is a signed 64-bit integer: a larger number reaches the database as an
``OverflowError`` (SQLite) or a ``DataError`` (PostgreSQL), i.e. a 500. The readers here
return ``None`` for anything that cannot be such a key, so views treat it like any other
unknown value (ignored as a filter, 404 as an object).
"""

from __future__ import annotations

from typing import Any

#: The largest value of a database key (signed 64-bit ``bigint``), 2^63 − 1.
MAX_ID = 2**63 - 1


def parse_int(value: Any, *, minimum: int = -MAX_ID - 1, maximum: int = MAX_ID) -> int | None:
    """``value`` (a parameter's text) as an ``int`` in ``minimum``…``maximum``, else ``None``.

    Accepts ASCII digits with an optional leading ``-`` or ``+`` and surrounding spaces;
    refuses ``None``, blanks, other digits (``"²"``, ``"٣"``), decimals and out-of-range
    numbers. The length is checked before ``int`` reads the text, so a megabyte of digits
    costs nothing.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    digits = text[1:] if text[:1] in {"-", "+"} else text
    if not digits or not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value: Any) -> int | None:
    """A database id (1 … 2^63 − 1) from a parameter's text, else ``None``."""
    return parse_int(value, minimum=1)
