"""The benchmark generator (bench/generate.py) at a tiny size, so it cannot rot.

2 pillars, 2 outcomes, 6 actions, 20 indicators (one of each kind of the national mix and
then some), 3 half-yearly periods, 3 agencies. The counts below are worked out by hand
from ``bench.generate.KINDS``: per period the 20 indicators carry 376 cells (four province
× sex numbers with 54 cells each, …); two values are "no data" (indicator 0 in period 0,
indicator 5 in period 2: 54 cells each), so 3 × 376 − 108 = 1,020 official cells.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum

from bench.generate import Size, generate
from nap1325.monitoring.models import (
    ActionUpdate,
    AgencyReport,
    IndicatorValue,
    ReportTransition,
    ValueCell,
)
from nap1325.monitoring.selectors import reporting_organisations
from nap1325.plans.models import Action, BudgetLine, Indicator, Result

TINY = Size(pillars=2, results=4, actions=6, indicators=20, periods=3, agencies=3)


@pytest.fixture
def tiny(db):
    return generate(size=TINY, slug="tiny")


def test_framework_has_the_requested_shape(tiny):
    plan = tiny.plan
    assert Counter(Result.objects.filter(plan=plan).values_list("depth", flat=True)) == {
        0: 2,
        1: 2,
    }
    assert Result.objects.filter(plan=plan, depth=0, pillar__isnull=True).count() == 0
    assert Action.objects.filter(plan=plan).count() == 6
    assert BudgetLine.objects.filter(action__plan=plan).count() == 12  # 1, 2, 3, 1, 2, 3
    indicators = Indicator.objects.filter(plan=plan)
    assert Counter(indicators.values_list("measure", flat=True)) == {
        "number": 15,
        "percentage": 3,
        "yes_no": 1,
        "stage": 1,
    }
    assert Counter(indicators.values_list("time_aggregation", flat=True)) == {
        "sum": 12,
        "latest": 6,
        "year_to_date": 2,
    }
    assert indicators.filter(result__isnull=False).count() == 2  # one in ten on an outcome
    assert plan.reporting_periods.count() == 3
    assert reporting_organisations(plan).count() == 3
    sample = tiny.sample_indicator  # what the benchmark's indicator page shows
    assert sorted(sorted(d.key for d in b.dimensions.all()) for b in sample.breakdowns.all()) == [
        ["region", "sex"],
        ["sex"],
    ]


def test_every_report_is_approved_with_official_values_and_cells(tiny):
    plan = tiny.plan
    reports = AgencyReport.objects.filter(plan=plan)
    assert reports.count() == 9
    assert set(reports.values_list("state", flat=True)) == {"approved"}
    assert ReportTransition.objects.filter(report__plan=plan).count() == 18
    official = IndicatorValue.objects.filter(report__plan=plan, is_official=True)
    assert official.count() == 60  # 20 indicators × 3 periods, one reporter each
    assert IndicatorValue.objects.filter(report__plan=plan, is_official=False).count() == 60
    assert official.filter(no_data=True).count() == 2
    assert ValueCell.objects.filter(value__report__plan=plan, value__is_official=True).count() == (
        1020
    )
    assert ActionUpdate.objects.filter(report__plan=plan, is_official=True).count() == 18
    assert tiny.counts["cells"] == 1020
    assert tiny.counts["values"] == 60


def test_breakdowns_add_up_except_the_flagged_few(tiny):
    """Every sex breakdown sums to its total, but for the 3 tables made short on purpose."""
    short = []
    values = IndicatorValue.objects.filter(
        report__plan=tiny.plan, is_official=True, no_data=False, indicator__measure="number"
    ).prefetch_related("cells__breakdown__dimensions")
    for row in values:
        sex_cells = [
            cell.amount
            for cell in row.cells.all()
            if [d.key for d in cell.breakdown.dimensions.all()] == ["sex"]
        ]
        all_cells = [cell.amount for cell in row.cells.all()]
        if sex_cells and sum(sex_cells) != row.value:
            short.append(row.indicator.code)
        if not all_cells:
            continue
        per_breakdown = Counter()
        for cell in row.cells.all():
            per_breakdown[cell.breakdown_id] += cell.amount
        assert len(set(per_breakdown.values())) == 1, "breakdowns of one value disagree"
    assert len(short) == 3


def test_same_seed_same_numbers(db):
    first = generate(size=TINY, slug="first")
    second = generate(size=TINY, slug="second")

    def fingerprint(plan):
        cells = ValueCell.objects.filter(value__report__plan=plan, value__is_official=True)
        return cells.aggregate(total=Sum("amount"))["total"], sorted(
            IndicatorValue.objects.filter(report__plan=plan, is_official=True)
            .exclude(value=None)
            .values_list("value", flat=True)
        )

    assert fingerprint(first.plan) == fingerprint(second.plan)
    assert fingerprint(first.plan)[0] > Decimal(0)
