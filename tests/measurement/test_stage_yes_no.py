"""Cases A6: stage and yes-no indicators, text in number fields, "no data"."""

from datetime import date
from decimal import Decimal as D

import pytest

from nap1325.measurement import (
    Achievement,
    IndicatorAssessment,
    Measure,
    MeasurementError,
    NoData,
    Period,
    PeriodValue,
    StageReached,
    Status,
    TimeAggregation,
    YesNo,
    across_reporters,
    count_text,
    describe,
    latest_reported,
    parse_decimal,
    reported_history,
    stage_status,
    summarise,
    to_date,
    yes_no_status,
)

STAGES = ("not started", "drafted", "adopted")
Y2024 = Period("2024", date(2024, 1, 1), date(2024, 12, 31))
Y2025 = Period("2025", date(2025, 1, 1), date(2025, 12, 31))
LAW = [PeriodValue(Y2024, StageReached(1)), PeriodValue(Y2025, StageReached(2))]


def test_law_amended_shows_adopted_with_two_updates_and_is_achieved():
    current = latest_reported(LAW)
    assert isinstance(current, StageReached)
    assert describe(current, stages=STAGES) == "adopted"
    assert [describe(item.value, stages=STAGES) for item in reported_history(LAW)] == [
        "drafted",
        "adopted",
    ]
    assert stage_status(current, STAGES) is Status.ACHIEVED


@pytest.mark.parametrize(
    ("reached", "status"),
    [
        (StageReached(0), Status.IN_PROGRESS),
        (StageReached(1), Status.IN_PROGRESS),
        (StageReached(2), Status.ACHIEVED),
        (None, Status.NOT_REPORTED),
    ],
)
def test_stage_status(reached, status):
    assert stage_status(reached, STAGES) is status


@pytest.mark.parametrize(
    ("value", "status", "label"),
    [
        (YesNo(True), Status.DONE, "done"),
        (YesNo(False), Status.NOT_DONE, "not done"),
        (None, Status.NOT_REPORTED, "not reported"),
    ],
)
def test_yes_no_status(value, status, label):
    assert yes_no_status(value) is status
    assert status.label == label


def test_stage_is_in_no_sum_average_or_pillar_achievement():
    with pytest.raises(TypeError, match="never enter sums"):
        to_date(TimeAggregation.SUM, LAW)
    with pytest.raises(TypeError):
        across_reporters({"Ministry of Justice": StageReached(2)})
    pillar = summarise(
        [
            IndicatorAssessment(Measure.NUMBER, Status.ON_TRACK, Achievement(D(80))),
            IndicatorAssessment(Measure.STAGE, Status.ACHIEVED),
        ]
    )
    assert pillar.mean_achievement == D(80)
    assert pillar.achievement_count == 1
    assert count_text(pillar.qualitative) == "1 achieved"
    assert pillar.text() == "1 on track; 1 achieved"
    with pytest.raises(ValueError):
        IndicatorAssessment(Measure.STAGE, Status.ACHIEVED, Achievement(D(100)))


def test_summary_lists_stage_indicators_apart():
    summary = summarise(
        [
            IndicatorAssessment(Measure.STAGE, Status.ACHIEVED),
            IndicatorAssessment(Measure.STAGE, Status.IN_PROGRESS),
            IndicatorAssessment(Measure.YES_NO, Status.DONE),
        ]
    )
    assert count_text(summary.qualitative) == "1 achieved, 1 in progress, 1 done"
    assert summary.mean_achievement is None


@pytest.mark.parametrize("text", ["Yes", "N/A", "see report"])
def test_text_in_a_number_indicator_is_refused_on_the_field(text):
    with pytest.raises(MeasurementError) as caught:
        parse_decimal(text, "total")
    assert (caught.value.field, caught.value.message) == ("total", "Enter a number")


def test_no_data_is_a_flag_with_a_reason_never_0():
    reports = [PeriodValue(Y2024, D(12)), PeriodValue(Y2025, NoData("survey not run"))]
    assert to_date(TimeAggregation.SUM, reports) == D(12)
    assert to_date(TimeAggregation.LATEST, reports) == D(12)
    national = across_reporters({"A": D(12), "B": NoData("survey not run")})
    assert (national.value, national.coverage()) == (D(12), "1 of 2 reporters reporting")
    with pytest.raises(MeasurementError) as caught:
        NoData("  ")
    assert caught.value.field == "reason"
