"""Cases A2: percentages pool their parts; bad parts are field errors, never crashes."""

from decimal import Decimal as D

import pytest

from nap1325.measurement import (
    FieldError,
    MeasurementError,
    Ratio,
    across_reporters,
    parse_decimal,
    parse_ratio,
    ratio_errors,
)


def test_national_q1_pools_to_18_2_percent_with_2_of_3_regions():
    national = across_reporters(
        {"Region 1": Ratio(D(10), D(20)), "Region 2": Ratio(D(30), D(200)), "Region 3": None}
    )
    assert national.value == Ratio(D(40), D(220))
    assert national.display() == "18.2 % (40/220)"
    assert national.coverage("regions") == "2 of 3 regions reporting"
    assert national.display() not in ("65 % (40/220)", "32.5 % (40/220)")


@pytest.mark.parametrize(
    ("numerator", "denominator", "field", "code", "message"),
    [
        ("1", "0", "denominator", "zero_denominator", "The denominator cannot be 0"),
        (
            "25",
            "20",
            "numerator",
            "numerator_exceeds_denominator",
            "The numerator (25) cannot be larger than the denominator (20)",
        ),
        ("-1", "20", "numerator", "negative", "Enter 0 or more"),
        ("Yes", "20", "numerator", "invalid_number", "Enter a number"),
        ("5", "see report", "denominator", "invalid_number", "Enter a number"),
    ],
)
def test_bad_parts_are_field_errors(numerator, denominator, field, code, message):
    with pytest.raises(MeasurementError) as caught:
        parse_ratio(numerator, denominator)
    assert (caught.value.field, caught.value.code, caught.value.message) == (field, code, message)
    assert isinstance(caught.value, ValueError)


def test_both_fields_are_reported_at_once():
    with pytest.raises(MeasurementError) as caught:
        parse_ratio("N/A", "")
    assert [error.field for error in caught.value.errors] == ["numerator", "denominator"]


def test_ratio_errors_returns_errors_without_raising():
    assert ratio_errors(D(25), D(20)) == [
        FieldError(
            "numerator",
            "The numerator (25) cannot be larger than the denominator (20)",
            "numerator_exceeds_denominator",
        )
    ]
    assert ratio_errors(D(10), D(20)) == []
    with pytest.raises(MeasurementError):
        Ratio(D(1), D(0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", D("12")),
        (" 0.605 ", D("0.605")),
        ("0,605", D("0.605")),
        ("1234,5", D("1234.5")),
        ("-3", D("-3")),
        ("+7.5", D("7.5")),
        ("0.10", D("0.10")),
    ],
)
def test_parse_decimal_accepts_plain_numbers(text, expected):
    value = parse_decimal(text)
    assert value == expected
    assert value.as_tuple() == expected.as_tuple()  # digits kept as typed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Yes", "Enter a number"),
        ("N/A", "Enter a number"),
        ("see report", "Enter a number"),
        ("", "Enter a number"),
        ("1e5", "Enter a number"),
        ("NaN", "Enter a number"),
        ("Infinity", "Enter a number"),
        ("1 234", "Enter the number without thousands separators, for example 1234.5"),
        ("1,234", "Enter the number without thousands separators, for example 1234.5"),
        ("1,234.5", "Enter the number without thousands separators, for example 1234.5"),
        ("1.234.567", "Enter the number without thousands separators, for example 1234.5"),
    ],
)
def test_parse_decimal_refuses_text_on_the_field(text, message):
    with pytest.raises(MeasurementError) as caught:
        parse_decimal(text, "value")
    assert (caught.value.field, caught.value.message) == ("value", message)
