"""Validation errors of the measurement package, reported per field, never as crashes.

DESIGN.md §5: "Denominator 0, numerator > denominator, or text in a number field are
validation errors on the field, never a crash." Functions that validate either return a
list of :class:`FieldError` or raise :class:`MeasurementError` (a :class:`ValueError`)
carrying them, so a form or import can attach each message to its field or column.

Messages are English; each error also has a stable ``code`` that the (Django) caller can
map to a translated message.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FieldError", "MeasurementError"]


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    ``field``: the field name ("numerator", "denominator", "value", "progress", …);
    ``message``: an English sentence for the user; ``code``: a stable identifier
    ("invalid_number", "zero_denominator", …).
    """

    field: str
    message: str
    code: str


class MeasurementError(ValueError):
    """Bad input to indicator arithmetic, naming the field(s) at fault.

    Raised with one or more :class:`FieldError`; ``field``, ``message`` and ``code`` are
    those of the first, ``errors`` holds all of them. Being a :class:`ValueError`, it is
    caught wherever input is validated and turned into field messages (cases A2, A6).
    """

    errors: tuple[FieldError, ...]

    def __init__(self, first: FieldError, *more: FieldError) -> None:
        self.errors = (first, *more)
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in self.errors))

    @property
    def field(self) -> str:
        """Name of the first field at fault."""
        return self.errors[0].field

    @property
    def message(self) -> str:
        """English message of the first error."""
        return self.errors[0].message

    @property
    def code(self) -> str:
        """Stable code of the first error."""
        return self.errors[0].code
