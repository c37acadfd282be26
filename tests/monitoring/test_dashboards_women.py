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
