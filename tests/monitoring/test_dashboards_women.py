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
