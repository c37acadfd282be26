"""Dashboards on the DRC's real values (the demo imports them): women among a number, totals
of breakdown tables, breakdowns never reported. Numbers as published in
/work/shared/data/drc-sn1325 (see tests/demo/test_demo_monitoring.py for the cells)."""

from __future__ import annotations

import pytest
from django.db import transaction

from nap1325.core.models import Organisation, User
from nap1325.demo.loader import load_demo
from nap1325.plans.models import Indicator, Plan
from tests.monitoring.test_dashboards import (
    INDICATOR_BUDGET,
    PLAN_BUDGET,
    agency_url,
    dashboard_url,
    indicator_url,
    row_of,
    text,
)

DRC = "cd-pan-1325-2"
ARMY = "Nombre de femmes dans l'armée"
PARLIAMENT = "Nombre de femmes dans le Parlement"
CIVIL_SOCIETY = "Nombre des femmes au sein de la socièté civile"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def get(demo, db, login, django_assert_max_num_queries):
    """``get(url, budget)`` → the HTML the demo's coordinator sees, within ``budget`` queries."""
    client = login(User.objects.get(username="coordinator"))

    def fetch(url: str, budget: int) -> str:
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return fetch


def indicator(title: str) -> Indicator:
    return Indicator.objects.get(plan__slug=DRC, title=title)


def test_army_value_to_date_says_how_many_are_women(get):
    # 165,279 is women + men of 2022 (a "latest" indicator: 2022 only, not 2021 + 2022).
    page = text(get(indicator_url(indicator(ARMY)), INDICATOR_BUDGET))
    assert "Value to date 165,279 of which women: 4,332 (2.6 %)" in page


@pytest.mark.parametrize(
    ("total_row"),
    [
        # Σ women, Σ men of the year, total, pooled share (AllDATANumber.json)
        "Total 2021 4,332 160,784 165,116 2.6 % (4332/165116)",
        "Total 2022 4,332 160,947 165,279 2.6 % (4332/165279)",
    ],
)
def test_army_year_totals_carry_women_and_men(get, total_row):
    page = text(get(indicator_url(indicator(ARMY)), INDICATOR_BUDGET))
    assert total_row in page


def test_parliament_by_province_is_not_disaggregated_not_incomplete(get):
    page = text(get(indicator_url(indicator(PARLIAMENT)), INDICATOR_BUDGET))
    assert "By Province × Sex · not disaggregated by province × sex" in page
    assert "incomplete" not in page
    assert "0 of 1,360" not in page
    # the chamber × sex table is complete: 67 + 21 + 72 women, 433 + 88 + 679 men
    assert "Total 2022 160 1,200 1,360 11.8 % (160/1360)" in page
    assert "Value to date 1,360 of which women: 160 (11.8 %)" in page


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        (ARMY, "— — 165,279 4,332 (2.6 %) n/a (no target) n/a"),
        (PARLIAMENT, "— — 1,360 160 (11.8 %) n/a (no target) n/a"),
        (CIVIL_SOCIETY, "— — not reported n/a not reported not reported"),  # no sex cells
    ],
)
def test_plan_dashboard_has_a_women_column(get, title, shown):
    found = indicator(title)
    for url in (
        dashboard_url(Plan.objects.get(slug=DRC)),
        agency_url(found.plan, Organisation.objects.get(acronym="SN1325")),
    ):
        page = get(url, PLAN_BUDGET)
        assert '<th scope="col" class="num">Women</th>' in page
        assert row_of(page, found.code).endswith(shown), row_of(page, found.code)
