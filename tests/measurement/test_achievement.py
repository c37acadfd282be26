"""Cases A3: achievement in both directions, n/a reasons, target to date and status."""

from datetime import date
from decimal import Decimal as D

import pytest

from nap1325.measurement import (
    NotApplicable,
    Period,
    Ratio,
    Status,
    TimeAggregation,
    achievement,
    numeric_status,
    plan_share_elapsed,
    quotient,
    target_to_date,
)

LATEST = TimeAggregation.LATEST
SUM = TimeAggregation.SUM


@pytest.mark.parametrize(
    ("label", "baseline", "target", "current", "percent", "shown"),
    [
        ("decrease 200 -> 120, current 150", D(200), D(120), D(150), D("62.5"), "62.5 %"),
        ("decrease, worse than baseline", D(200), D(120), D(230), D("-37.5"), "-37.5 %"),
        ("decrease, over-achieved", D(200), D(120), D(100), D(125), "125 %"),
        ("increase 0 -> 120, current 150", D(0), D(120), D(150), D(125), "125 %"),
        ("decrease 40 -> 0 (a target of 0 is valid)", D(40), D(0), D(10), D(75), "75 %"),
        ("target equals baseline", D(50), D(50), D(60), None, "n/a (target equals baseline)"),
        ("no baseline on a latest indicator", None, D(120), D(60), None, "n/a (no baseline)"),
        ("no target", D(0), None, D(60), None, "n/a (no target)"),
        ("not reported", D(0), D(120), None, None, "not reported"),
    ],
)
def test_latest_achievement(label, baseline, target, current, percent, shown):
    result = achievement(LATEST, current=current, target=target, baseline=baseline)
    assert result.percent == percent, label
    assert result.display() == shown


def test_worse_than_baseline_is_not_clamped():
    result = achievement(LATEST, current=D(230), target=D(120), baseline=D(200))
    assert result.worse_than_baseline
    assert result.percent == D("-37.5")


def test_one_na_indicator_does_not_stop_the_page():
    page = [
        achievement(LATEST, current=D(150), target=D(120), baseline=D(200)),
        achievement(LATEST, current=D(60), target=D(50), baseline=D(50)),
        achievement(LATEST, current=D(10), target=D(0), baseline=D(40)),
    ]
    assert [item.display() for item in page] == ["62.5 %", "n/a (target equals baseline)", "75 %"]
    assert page[1].reason is NotApplicable.TARGET_EQUALS_BASELINE


@pytest.mark.parametrize(
    ("label", "current", "target", "baseline", "shown"),
    [
        ("sum: to-date / target, baseline informative", D(30), D(40), D(100), "75 %"),
        ("sum without baseline", D(30), D(40), None, "75 %"),
        ("sum over-achieved", D(50), D(40), None, "125 %"),
        ("sum with a target of 0", D(5), D(0), None, "n/a (target is 0)"),
    ],
)
def test_sum_achievement(label, current, target, baseline, shown):
    assert achievement(SUM, current=current, target=target, baseline=baseline).display() == shown


def test_percentage_indicator_uses_the_ratio_in_percent_units():
    # 9.1 % now, baseline 8.5 %, target 15 % -> (9.1 - 8.5) / (15 - 8.5) = 9.2 %
    result = achievement(LATEST, current=Ratio(D(91), D(1000)), target=D(15), baseline=D("8.5"))
    assert result.display() == "9.2 %"


PLAN_START, PLAN_END = date(2023, 1, 1), date(2025, 12, 31)  # 1096 days


@pytest.mark.parametrize(
    ("as_of", "share"),
    [
        (date(2022, 12, 31), D(0)),
        (date(2023, 1, 1), quotient(D(1), D(1096))),
        (date(2023, 12, 31), quotient(D(365), D(1096))),
        (date(2025, 12, 31), D(1)),
        (date(2026, 6, 30), D(1)),
    ],
)
def test_plan_share_elapsed_counts_inclusive_days(as_of, share):
    assert plan_share_elapsed(PLAN_START, PLAN_END, as_of) == share


Y = {year: Period(str(year), date(year, 1, 1), date(year, 12, 31)) for year in (2023, 2024, 2025)}
PERIOD_TARGETS = {Y[2023]: D(10), Y[2024]: D(20), Y[2025]: D(30)}


@pytest.mark.parametrize(
    ("label", "aggregation", "as_of", "period_targets", "baseline", "expected"),
    [
        (
            "sum, period targets: sum of elapsed",
            SUM,
            date(2024, 12, 31),
            PERIOD_TARGETS,
            None,
            D(30),
        ),
        (
            "latest, period targets: latest elapsed",
            LATEST,
            date(2024, 12, 31),
            PERIOD_TARGETS,
            D(0),
            D(20),
        ),
        ("sum, none elapsed yet", SUM, date(2023, 6, 30), PERIOD_TARGETS, None, D(0)),
        (
            "latest, none elapsed yet: baseline",
            LATEST,
            date(2023, 6, 30),
            PERIOD_TARGETS,
            D(5),
            D(5),
        ),
        ("sum, linear share of 1096", SUM, date(2023, 12, 31), None, None, D(365)),
        ("latest, linear from baseline 96", LATEST, date(2023, 12, 31), None, D(96), D(461)),
        ("latest, linear without baseline", LATEST, date(2023, 12, 31), None, None, None),
    ],
)
def test_target_to_date(label, aggregation, as_of, period_targets, baseline, expected):
    result = target_to_date(
        aggregation,
        target=D(1096) if aggregation is SUM else D(1192),
        as_of=as_of,
        plan_start=PLAN_START,
        plan_end=PLAN_END,
        baseline=baseline,
        period_targets=period_targets,
    )
    assert result == expected, label


@pytest.mark.parametrize(
    ("label", "aggregation", "current", "baseline", "target", "due", "status"),
    [
        ("reached the final target", SUM, D(100), None, D(100), D(50), Status.ACHIEVED),
        ("90 % of target to date", SUM, D(45), None, D(100), D(50), Status.ON_TRACK),
        ("88 % of target to date", SUM, D(44), None, D(100), D(50), Status.AT_RISK),
        ("60 % of target to date", SUM, D(30), None, D(100), D(50), Status.AT_RISK),
        ("58 % of target to date", SUM, D(29), None, D(100), D(50), Status.OFF_TRACK),
        ("nothing due yet", SUM, D(0), None, D(100), D(0), Status.ON_TRACK),
        ("not reported", SUM, None, None, D(100), D(50), Status.NOT_REPORTED),
        (
            "decrease, ahead of target to date",
            LATEST,
            D(150),
            D(200),
            D(120),
            D(160),
            Status.ON_TRACK,
        ),
        ("decrease, worse than baseline", LATEST, D(230), D(200), D(120), D(160), Status.OFF_TRACK),
        ("decrease, reached", LATEST, D(100), D(200), D(120), D(160), Status.ACHIEVED),
        ("no baseline", LATEST, D(60), None, D(120), None, Status.NOT_APPLICABLE),
        ("target equals baseline", LATEST, D(60), D(50), D(50), D(50), Status.NOT_APPLICABLE),
    ],
)
def test_numeric_status(label, aggregation, current, baseline, target, due, status):
    result = numeric_status(
        aggregation, current=current, target=target, target_to_date=due, baseline=baseline
    )
    assert result is status, label


def test_status_labels():
    assert [status.label for status in Status] == [
        "achieved",
        "on track",
        "at risk",
        "off track",
        "in progress",
        "done",
        "not done",
        "not reported",
        "n/a",
    ]
