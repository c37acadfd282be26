"""Cases A1: values over time per reporter, and a `latest` indicator across reporters."""

from datetime import date
from decimal import Decimal as D

import pytest

from nap1325.measurement import (
    NoData,
    Period,
    PeriodValue,
    Ratio,
    TimeAggregation,
    achievement,
    describe,
    national_to_date,
    reporters_in_period,
    to_date,
    value_for_period,
)

Y2023 = Period("2023", date(2023, 1, 1), date(2023, 12, 31))
Y2024 = Period("2024", date(2024, 1, 1), date(2024, 12, 31))
Y2025 = Period("2025", date(2025, 1, 1), date(2025, 12, 31))


def quarter(year: int, number: int) -> Period:
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return Period(f"{year}-Q{number}", start, date.fromordinal(end.toordinal() - 1))


def series(*reports):
    return [PeriodValue(period, value) for period, value in reports]


MEDIATORS = series((Y2023, D(40)), (Y2024, D(95)))
SESSIONS = series((Y2023, D(12)), (Y2024, D(18)))
POLICE = series((Y2023, Ratio(D(85), D(1000))), (Y2024, Ratio(D(91), D(1000))))
QUARTERLY_YTD = series(*((quarter(2024, n), D(v)) for n, v in zip((1, 2, 3, 4), (10, 25, 30, 42))))


@pytest.mark.parametrize(
    ("label", "aggregation", "reports", "expected", "shown"),
    [
        ("mediators trained since the plan began", TimeAggregation.LATEST, MEDIATORS, D(95), "95"),
        (
            "mediators after 2023 is changed 40 -> 45",
            TimeAggregation.LATEST,
            series((Y2023, D(45)), (Y2024, D(95))),
            D(95),
            "95",
        ),
        ("awareness sessions held", TimeAggregation.SUM, SESSIONS, D(30), "30"),
        (
            "share of women among police officers",
            TimeAggregation.LATEST,
            POLICE,
            Ratio(D(91), D(1000)),
            "9.1 % (91/1000)",
        ),
        (
            "year-to-date reported quarterly",
            TimeAggregation.YEAR_TO_DATE,
            QUARTERLY_YTD,
            D(42),
            "42",
        ),
        (
            "year-to-date over two years: 42 in 2024 + 7 in 2025 Q1",
            TimeAggregation.YEAR_TO_DATE,
            [*QUARTERLY_YTD, PeriodValue(quarter(2025, 1), D(7))],
            D(49),
            "49",
        ),
        (
            "no data is skipped, never a 0 and never a newer latest",
            TimeAggregation.LATEST,
            [*MEDIATORS, PeriodValue(Y2025, NoData("survey not run"))],
            D(95),
            "95",
        ),
        (
            "no data does not count in a sum",
            TimeAggregation.SUM,
            [*SESSIONS, PeriodValue(Y2025, NoData("office closed"))],
            D(30),
            "30",
        ),
    ],
)
def test_value_to_date(label, aggregation, reports, expected, shown):
    value = to_date(aggregation, reports)
    assert value == expected, label
    assert describe(value) == shown


def test_mediators_are_95_not_135_and_2025_is_not_reported():
    assert to_date(TimeAggregation.LATEST, MEDIATORS) != D(135)
    assert value_for_period(MEDIATORS, Y2025) is None
    assert describe(value_for_period(MEDIATORS, Y2025)) == "not reported"
    result = achievement(TimeAggregation.LATEST, current=D(95), target=D(150), baseline=D(0))
    assert result.display() == "63.3 %"


def test_changing_2023_leaves_2024_and_to_date_at_95():
    changed = series((Y2023, D(45)), (Y2024, D(95)))
    assert value_for_period(changed, Y2023) == D(45)
    assert value_for_period(changed, Y2024) == D(95)
    assert to_date(TimeAggregation.LATEST, changed) == D(95)


def test_police_share_is_9_1_not_17_6_nor_8_8():
    value = to_date(TimeAggregation.LATEST, POLICE)
    assert isinstance(value, Ratio)
    assert value.display() == "9.1 % (91/1000)"
    assert value.display() not in ("17.6 % (176/1000)", "8.8 % (176/2000)")


def test_year_to_date_is_42_not_107():
    assert to_date(TimeAggregation.YEAR_TO_DATE, QUARTERLY_YTD) == D(42)
    assert to_date(TimeAggregation.SUM, QUARTERLY_YTD) == D(107)  # what it must not be


def test_to_date_as_of_a_past_date():
    assert to_date(TimeAggregation.SUM, SESSIONS, as_of=date(2023, 12, 31)) == D(12)
    assert to_date(TimeAggregation.LATEST, MEDIATORS, as_of=date(2022, 12, 31)) is None


def test_no_data_is_shown_with_its_reason():
    reports = [*MEDIATORS, PeriodValue(Y2025, NoData("survey not run"))]
    assert describe(value_for_period(reports, Y2025)) == "no data (survey not run)"


def test_latest_indicator_with_two_reporters_gives_65_in_q2():
    q1, q2 = quarter(2024, 1), quarter(2024, 2)
    reports = {
        "Agency A": series((q1, D(30)), (q2, D(45))),
        "Agency B": series((q2, D(20))),
    }
    in_q2 = reporters_in_period(reports, q2)
    assert (in_q2.value, in_q2.coverage("agencies")) == (D(65), "2 of 2 agencies reporting")
    national = national_to_date(TimeAggregation.LATEST, reports)
    assert national.value == D(65)
    in_q1 = reporters_in_period(reports, q1)
    assert (in_q1.value, in_q1.coverage("agencies")) == (D(30), "1 of 2 agencies reporting")


def test_two_reports_for_one_period_are_refused():
    with pytest.raises(ValueError, match="more than one report for period 2023"):
        to_date(TimeAggregation.SUM, series((Y2023, D(1)), (Y2023, D(2))))


def test_period_ending_before_it_starts_is_a_field_error():
    with pytest.raises(ValueError) as caught:
        Period("bad", date(2024, 2, 1), date(2024, 1, 1))
    assert caught.value.field == "end"
