"""Cases A4: breakdowns, completeness, combining reporters, share of women."""

from decimal import Decimal as D

import pytest

from nap1325.measurement import (
    Breakdown,
    BreakdownTable,
    Dimension,
    MeasurementError,
    Ratio,
    combine_tables,
    women_share,
    women_share_by_category,
)

SEX = Breakdown((Dimension("sex", ("women", "men")),))
AGE = Breakdown((Dimension("age group", ("18–29", "30+")),))
RANK_SEX = Breakdown(
    (Dimension("rank", ("generals", "senior officers")), Dimension("sex", ("women", "men")))
)


def sex(total, women=None, men=None):
    cells = {}
    if women is not None:
        cells[("women",)] = D(women)
    if men is not None:
        cells[("men",)] = D(men)
    return BreakdownTable(SEX, D(total), cells)


@pytest.mark.parametrize(
    ("label", "table", "flag", "not_disaggregated"),
    [
        ("sex complete", sex(120, 70, 50), None, D(0)),
        (
            "age complete",
            BreakdownTable(AGE, D(120), {("18–29",): D(45), ("30+",): D(75)}),
            None,
            D(0),
        ),
        ("sex incomplete", sex(120, 70, 45), "sex breakdown incomplete: 115 of 120", D(5)),
        ("no breakdown given", sex(714), "sex breakdown incomplete: 0 of 714", D(714)),
        (
            "cells exceed total",
            sex(120, 70, 60),
            "sex breakdown exceeds the total: 130 of 120",
            D(0),
        ),
    ],
)
def test_completeness(label, table, flag, not_disaggregated):
    assert table.flag == flag, label
    assert table.not_disaggregated == not_disaggregated


def test_total_is_120_never_240():
    by_sex = sex(120, 70, 50)
    by_age = BreakdownTable(AGE, D(120), {("18–29",): D(45), ("30+",): D(75)})
    assert (by_sex.total, by_age.total) == (D(120), D(120))
    assert by_sex.covered + by_age.covered == D(240)  # the sum of all cells, which is not the total
    assert by_sex.complete and by_age.complete


def test_incomplete_share_of_women_is_not_silently_70_of_115():
    share = women_share(sex(120, 70, 45))
    assert share.ratio == Ratio(D(70), D(115))
    assert share.not_disaggregated == D(5)
    assert share.display() == "60.9 % (70/115), 5 not disaggregated"


def test_two_agencies_one_without_breakdown():
    combined = combine_tables(SEX, [sex(42, 30, 12), sex(714)])
    assert combined.total == D(756)
    assert combined.marginal("sex") == {"women": D(30), "men": D(12)}
    assert combined.not_disaggregated == D(714)
    assert (combined.included, combined.expected) == (1, 2)
    assert women_share(combined).display() == "71.4 % (30/42), 714 not disaggregated"


def test_rank_by_sex_cross_tab():
    table = BreakdownTable(
        RANK_SEX,
        D(7288),
        {
            ("generals", "women"): D(8),
            ("generals", "men"): D(233),
            ("senior officers", "women"): D(164),
            ("senior officers", "men"): D(6883),
        },
    )
    shares = women_share_by_category(table)
    assert {key: ratio.display() for key, ratio in shares.items()} == {
        ("generals",): "3.3 % (8/241)",
        ("senior officers",): "2.3 % (164/7047)",
    }
    pooled = women_share(table)
    assert pooled.ratio == Ratio(D(172), D(7288))
    assert pooled.display() == "2.4 % (172/7288)"
    assert table.total == D(7288) and table.flag is None
    assert table.marginal("sex") == {"women": D(172), "men": D(7116)}


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({("girls",): D(3)}, "unknown_category"),
        ({("women", "men"): D(3)}, "unknown_category"),
        ({("women",): D(-1)}, "negative"),
    ],
)
def test_bad_cells_are_field_errors(cells, code):
    with pytest.raises(MeasurementError) as caught:
        BreakdownTable(SEX, D(10), cells)
    assert (caught.value.field, caught.value.code) == ("breakdown", code)


def test_table_keeps_its_own_copy_of_cells():
    cells = {("women",): D(1)}
    table = BreakdownTable(SEX, D(1), cells)
    cells[("men",)] = D(5)
    assert table.covered == D(1)
    with pytest.raises(TypeError):
        table.cells[("men",)] = D(5)


def test_share_of_women_needs_a_sex_dimension():
    with pytest.raises(ValueError, match="no sex dimension"):
        women_share(BreakdownTable(AGE, D(1), {("30+",): D(1)}))
