"""Cases A7: rounding half-up for display only; exact Decimal sums."""

from decimal import Decimal as D

import pytest

from nap1325.measurement import Ratio, decimal_sum, display, percent_display

PARTS = [D(1), D(1), D(1)]  # three equal shares of a whole of 3
WHOLE = decimal_sum(PARTS)
THIRD = Ratio(PARTS[0], WHOLE)


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        ("5/8 half-up, as Excel's ROUND", percent_display(Ratio(D(5), D(8)).percent, 0), "63 %"),
        ("0.605 at 2 places", display(D("0.605"), 2), "0.61"),
        ("each of three equal shares", percent_display(THIRD.percent), "33.3 %"),
        (
            "total of three equal shares from raw values",
            percent_display(Ratio(decimal_sum(PARTS), WHOLE).percent),
            "100 %",
        ),
        (
            "total of the three stored percentages",
            percent_display(decimal_sum([THIRD.percent] * 3)),
            "100 %",
        ),
        ("budget 0.10 + 0.20", display(decimal_sum([D("0.10"), D("0.20")]), 2), "0.30"),
        ("half-up, not half-even", display(D("2.5"), 0), "3"),
        ("negative ties away from zero", display(D("-0.605"), 2), "-0.61"),
        ("no negative zero", display(D("-0.001"), 2), "0.00"),
        ("trailing zeros of a percentage dropped", percent_display(D("62.50"), 2), "62.5 %"),
    ],
)
def test_display(label, text, expected):
    assert text == expected, label


def test_budget_lines_add_up_exactly():
    assert decimal_sum([D("0.10"), D("0.20")]) == D("0.30")


def test_display_refuses_float():
    with pytest.raises(TypeError):
        display(0.605, 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        decimal_sum([0.1, 0.2])  # type: ignore[list-item]
