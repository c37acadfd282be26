"""ISO codes: countries (ISO 3166-1 alpha-2) and currencies (ISO 4217), from pycountry."""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def currency_code(value: str, field: str = "currency") -> str:
    """``value`` upper-cased if it is an ISO 4217 currency code, else ``ValidationError``."""
    code = (value or "").strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(
            {
                field: _("“%(code)s” is not an ISO 4217 currency code (e.g. KGS, USD, EUR).")
                % {"code": value}
            }
        )
    return code


def country_code(value: str, field: str = "country") -> str:
    """``value`` upper-cased if it is an ISO 3166-1 alpha-2 code, else ``ValidationError``."""
    code = (value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            {
                field: _("“%(code)s” is not a two-letter ISO 3166 country code (e.g. KG, GE, CD).")
                % {"code": value}
            }
        )
    return code
