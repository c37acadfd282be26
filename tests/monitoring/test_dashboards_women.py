"""Women among a number's value to date: the same values as the headline (DESIGN.md §5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nap1325.monitoring.services import ValueInput
from nap1325.plans.models import Indicator
from tests.monitoring.test_dashboards import (
    INDICATOR_BUDGET,
    PLAN_BUDGET,
    approve,
    dashboard_url,
    indicator_url,
    row_of,
    text,
)


@pytest.mark.parametrize(
    ("aggregation", "value_to_date", "women"),
    [
        # Q1: MoES 42 (30 women, 12 men), MoD 714 (no cells); Q2: MoES 20 (5 women, 15 men)
        ("sum", "776", "35 (56.5 %)"),  # every period: 35 / 62
        ("latest", "734", "5 (25 %)"),  # MoES's Q2 and MoD's Q1: 5 / 20
        ("year_to_date", "734", "5 (25 %)"),  # both in 2019: each reporter's latest of it
    ],
)
def test_women_follow_the_values_the_headline_uses(
    reporting, login, django_assert_max_num_queries, aggregation, value_to_date, women
):
    r = reporting
    Indicator.objects.filter(pk=r.trained.pk).update(time_aggregation=aggregation)
    sex = r.trained.breakdowns.get()

    def cells(w: int, m: int) -> dict:
        return {sex.pk: {"women": Decimal(w), "men": Decimal(m)}}

    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(42), cells=cells(30, 12))})
    approve(r, r.q1, r.other_ministry, {r.trained: ValueInput(value=Decimal(714))})
    approve(r, r.q2, r.ministry, {r.trained: ValueInput(value=Decimal(20), cells=cells(5, 15))})
    client = login(r.coordinator)
    with django_assert_max_num_queries(PLAN_BUDGET):
        dashboard = client.get(dashboard_url(r.plan)).content.decode()
    assert f"{value_to_date} {women}" in row_of(dashboard, "I1")
    with django_assert_max_num_queries(INDICATOR_BUDGET):
        detail = text(client.get(indicator_url(r.trained)).content.decode())
    assert f"Value to date {value_to_date} (2 of 2 reporters) of which women: {women}" in detail


def test_women_from_the_cross_tab_when_the_sex_table_is_missing(
    reporting, login, django_assert_max_num_queries
):
    """A value whose plain sex table is empty takes its women from the rank × sex table.

    The dashboards read each indicator's first sex breakdown first and the others only for
    values that got no share from it (bench: 2 cells instead of 54 per value); the rule is
    unchanged: the first declared sex breakdown with women or men cells counts. Q1: MoES
    42 with rank × sex only (generals 2 women, 10 men; senior 10 women, 20 men); Q2: MoES
    20 with sex only (5 women, 15 men): 17 of 62 women = 27.4 %.
    """
    from nap1325.plans import services as plan_services
    from tests.factories import make_dimension, sex_dimension

    r = reporting
    rank = make_dimension(r.plan, "rank", "Rank", [("generals", "Generals"), ("senior", "Senior")])
    plan_services.indicator_update(
        actor=None,
        indicator=r.trained,
        breakdowns=[[sex_dimension(r.plan)], [rank, sex_dimension(r.plan)]],
    )
    sex, cross = r.trained.breakdowns.order_by("order", "pk")
    crossed = {
        "generals|women": Decimal(2),
        "generals|men": Decimal(10),
        "senior|women": Decimal(10),
        "senior|men": Decimal(20),
    }
    approve(
        r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(42), cells={cross.pk: crossed})}
    )
    approve(
        r,
        r.q2,
        r.ministry,
        {
            r.trained: ValueInput(
                value=Decimal(20), cells={sex.pk: {"women": Decimal(5), "men": Decimal(15)}}
            )
        },
    )
    client = login(r.coordinator)
    with django_assert_max_num_queries(PLAN_BUDGET):
        dashboard = client.get(dashboard_url(r.plan)).content.decode()
    assert "62 17 (27.4 %)" in row_of(dashboard, "I1")
    with django_assert_max_num_queries(INDICATOR_BUDGET):
        detail = text(client.get(indicator_url(r.trained)).content.decode())
    assert "of which women: 17 (27.4 %)" in detail


# --------------------------------------------------------------------------- kept values


def _info(pk: int, measure: str, aggregation: str):
    from nap1325.measurement import Measure, TimeAggregation
    from nap1325.monitoring.dashboards import IndicatorInfo

    return IndicatorInfo(
        pk=pk,
        code=f"I{pk}",
        title=f"I{pk}",
        measure=Measure(measure),
        aggregation=TimeAggregation(aggregation),
        direction="increase",
        unit="",
        baseline=None,
        target=None,
        stages=(),
        result_id=None,
        action_id=None,
        reporter_id=None,
    )


def test_only_the_values_a_value_to_date_uses_are_kept_however_many_periods():
    """Issue 7 point 5: a report's memory must not grow with the number of periods. Twelve
    half-years (2020–2025) of one reporter: a ``sum`` keeps one running total, ``latest``
    one value, ``year_to_date`` one per year; the value to date is the same as from all
    twelve; stage and yes-no indicators keep every update (they count them)."""
    import datetime as dt

    from nap1325.measurement import NoData, Period, PeriodValue, YesNo, national_to_date
    from nap1325.monitoring.dashboards import WHOLE_PLAN, _KeptValues

    halves = [
        Period(f"{year}-H{half}", dt.date(year, 1 + 6 * (half - 1), 1), dt.date(year, 6 * half, 28))
        for year in range(2020, 2026)
        for half in (1, 2)
    ]
    whole = Period(WHOLE_PLAN, dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    infos = [
        _info(1, "number", "sum"),
        _info(2, "number", "latest"),
        _info(3, "number", "year_to_date"),
        _info(4, "yes_no", "latest"),
        _info(5, "number", "latest"),
    ]
    kept = _KeptValues(infos, {}, whole)
    every: dict[int, list[PeriodValue]] = {info.pk: [] for info in infos}
    for index, period in reversed(list(enumerate(halves))):  # any order
        for info in infos:
            if info.pk == 4:
                item = PeriodValue(period, YesNo(index > 5))
            elif info.pk == 5:
                item = PeriodValue(period, NoData("not collected"))
            else:
                item = PeriodValue(period, Decimal(index + 1))
            kept.keep(info, 7, item)
            every[info.pk].append(item)
    series = kept.series()
    assert [len(series[pk][7]) for pk in (1, 2, 3, 4, 5)] == [1, 1, 6, 12, 1]
    assert series[1][7][0] == PeriodValue(whole, Decimal(78))  # 1 + 2 + … + 12
    for info in infos[:3] + infos[4:]:
        assert national_to_date(info.aggregation, {7: series[info.pk][7]}) == national_to_date(
            info.aggregation, {7: every[info.pk]}
        ), info.code


@pytest.mark.django_db
def test_women_shares_keep_one_share_per_reporter_of_a_sum(reporting):
    """The report's women shares are pooled as they are read: one per reporter of a ``sum``
    indicator, one per reporter (its latest value) of a ``latest`` one."""
    import datetime as dt

    from nap1325.measurement import Ratio
    from nap1325.monitoring.dashboards import WHOLE_PLAN, _official_women_shares, _period
    from nap1325.monitoring.models import ReportingPeriod

    r = reporting
    sex = r.trained.breakdowns.get()

    def cells(w: int, m: int) -> dict:
        return {sex.pk: {"women": Decimal(w), "men": Decimal(m)}}

    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(42), cells=cells(30, 12))})
    approve(r, r.q2, r.ministry, {r.trained: ValueInput(value=Decimal(20), cells=cells(5, 15))})
    periods = {
        row["pk"]: _period(row) for row in ReportingPeriod.objects.values("pk", "start", "end")
    }
    for aggregation, expected in [
        ("sum", {(r.ministry.pk, WHOLE_PLAN): Ratio(Decimal(35), Decimal(62))}),
        ("latest", {(r.ministry.pk, str(r.q2.pk)): Ratio(Decimal(5), Decimal(20))}),
    ]:
        info = _info(r.trained.pk, "number", aggregation)
        shares = _official_women_shares(
            r.plan, [info], period_of=periods, until=dt.date(2019, 12, 31)
        )
        assert shares == {r.trained.pk: expected}, aggregation
