"""Template helpers of the coordination pages (display only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from nap1325.measurement import percent_display

register = template.Library()


@register.filter
def women_share(counts: Any, places: int = 1) -> str:
    """The share of women of a ``SexCounts`` as ``"62.5 % (5/8)"`` (half-up, DESIGN.md §5).

    The parts are women / (women + men); "—" when nobody's sex is known.
    """
    ratio = counts.share if counts is not None else None
    if ratio is None:
        return "—"
    text = percent_display(ratio.percent, int(places)).removesuffix(" %")
    percent = number_format(Decimal(text), force_grouping=True)
    women = number_format(ratio.numerator, force_grouping=True)
    known = number_format(ratio.denominator, force_grouping=True)
    return f"{percent}\N{NO-BREAK SPACE}% ({women}/{known})"


@register.filter
def country_name(code: str) -> str:
    """A two-letter country code as "Georgia (GE)" (the ISO short name), else the code."""
    code = (code or "").upper()
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        return code
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return f"{country.name} ({code})" if country is not None else code
