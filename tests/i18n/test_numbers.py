"""Numbers per locale: en "1,234.5", ru/ky "1 234,5" (non-breaking space), half-up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from nap1325.core.templatetags.nap1325 import decimal_display, money, number, percent
from nap1325.measurement import MeasurementError, parse_localised_decimal

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "value", "places", "expected"),
    [
        ("en", "1234.5", None, "1,234.5"),
        ("ru", "1234.5", None, f"1{NBSP}234,5"),
        ("ky", "1234.5", None, f"1{NBSP}234,5"),
        ("en", "-1234567.25", None, "-1,234,567.25"),
        ("ru", "-1234567.25", None, f"-1{NBSP}234{NBSP}567,25"),
        ("en", "120.000000", None, "120"),
        ("en", "0.605", 2, "0.61"),
        ("ru", "0.605", 2, "0,61"),
        ("ky", "0.605", 2, "0,61"),
        ("ky", "-0.605", 2, "-0,61"),
        ("ru", "0.30", 2, "0,30"),
        ("en", "999.995", 2, "1,000.00"),
    ],
)
def test_number_per_locale(language, value, places, expected):
    with translation.override(language):
        assert number(Decimal(value), places) == expected


@pytest.mark.parametrize(
    ("language", "expected_money", "expected_percent", "expected_mean"),
    [
        ("en", "350,000.00", f"62.5{NBSP}%", "0.61"),
        ("ru", f"350{NBSP}000,00", f"62,5{NBSP}%", "0,61"),
        ("ky", f"350{NBSP}000,00", f"62,5{NBSP}%", "0,61"),
    ],
)
def test_other_displays_follow_the_locale(
    language, expected_money, expected_percent, expected_mean
):
    with translation.override(language):
        assert money(Decimal("350000")) == expected_money
        assert percent(Decimal("62.5")) == expected_percent
        assert decimal_display(Decimal("0.605"), 2) == expected_mean


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "1 234,5", "1234.5"),
        ("ru", f"1{NBSP}234,5", "1234.5"),
        ("ky", "1\u202f234", "1234"),
        ("ky", "1234,5", "1234.5"),
        ("en", "1,234.5", "1234.5"),
        ("en", "12,345,678", "12345678"),
        ("en", "1234.5", "1234.5"),
        ("en", "0.10", "0.10"),
    ],
)
def test_forms_accept_the_readers_grouping(language, text, expected):
    from django.utils.formats import get_format

    with translation.override(language):
        parsed = parse_localised_decimal(
            text,
            thousands=get_format("THOUSAND_SEPARATOR"),
            decimal=get_format("DECIMAL_SEPARATOR"),
        )
    assert parsed == Decimal(expected) and str(parsed) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "1,234"), ("ru", "1,234.5"), ("en", "1 234,5"), ("ru", "1.234.567"), ("en", "abc")],
)
def test_other_groupings_are_refused(language, text):
    from django.utils.formats import get_format

    with translation.override(language), pytest.raises(MeasurementError):
        parse_localised_decimal(
            text,
            thousands=get_format("THOUSAND_SEPARATOR"),
            decimal=get_format("DECIMAL_SEPARATOR"),
        )


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("ru", "1 234,5", Decimal("1234.5")), ("en", "1,234.5", Decimal("1234.5"))],
)
def test_report_form_number_field_stores_exactly(language, text, expected):
    from nap1325.monitoring.forms import DecimalTextField

    with translation.override(language):
        assert DecimalTextField().clean(text) == expected


def test_report_form_number_field_names_the_problem():
    from django.core.exceptions import ValidationError

    from nap1325.monitoring.forms import DecimalTextField

    with translation.override("en"), pytest.raises(ValidationError) as error:
        DecimalTextField().clean("1 234,5")
    assert error.value.code == "thousands_separator"


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "27 Jun 2012"), ("ru", "27 июня 2012"), ("ky", "27.06.2012")],
)
def test_dates_in_pages_follow_the_language(lang, expected):
    """The month in Russian is in the genitive and lower case ("27 июня", not "27 Июнь")."""
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    with translation.override(lang):
        shown = Template('{{ day|date:"DATE_FORMAT" }}').render(
            Context({"day": dt.date(2012, 6, 27)})
        )
    assert shown == expected
