"""Query budgets of the report pages, pinned, and the same at 10× the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from nap1325.core.models import Role
from nap1325.monitoring import services
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans.models import Indicator
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    grant,
    make_action,
    make_dimension,
    make_indicator,
    sex_dimension,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages and URLs in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


INDEX_BUDGET = 8
PERIOD_BUDGET = 8
REPORT_BUDGET = 16
REVIEW_BUDGET = 17


def grow(reporting, times: int) -> None:
    """Add ``times`` × (an action with a number indicator by sex, one by rank × sex, a
    percentage, a stage) to the ministry's scope, plus other reporting organisations and
    periods."""
    plan = reporting.plan
    sex = sex_dimension(plan)
    rank = make_dimension(
        plan,
        f"rank{times}",
        "Rank",
        [("generals", "Generals"), ("senior", "Senior"), ("junior", "Junior")],
    )
    parent = reporting.action.result
    for n in range(times):
        action = make_action(parent, f"9.{times}.{n}", reporting.ministry)
        make_indicator(action, f"N{times}-{n}", breakdowns=[[sex]])
        make_indicator(action, f"R{times}-{n}", breakdowns=[[rank, sex], [sex]])
        make_indicator(
            action,
            f"P{times}-{n}",
            measure=Indicator.Measure.PERCENTAGE,
            baseline_value=Decimal(10),
            target_value=Decimal(20),
        )
        make_indicator(
            action, f"S{times}-{n}", measure=Indicator.Measure.STAGE, stages=["A", "B", "C"]
        )
        other = OrganisationFactory()
        make_action(parent, f"8.{times}.{n}", other)
    for n in range(times):
        services.reporting_period_create(
            actor=reporting.coordinator,
            plan=plan,
            label=f"{2020 + n}-{times}",
            start=dt.date(2020 + n + 10 * times, 1, 1),
            end=dt.date(2020 + n + 10 * times, 12, 31),
            due=dt.date(2021 + n + 10 * times, 1, 31),
        )


def filled_report(reporting):
    """The MoES report for 2019 Q1 with every indicator and action of its scope filled."""
    report = services.agency_report_open(
        actor=reporting.coordinator, period=reporting.q1, organisation=reporting.ministry
    )
    indicators, actions = services.report_scope(reporting.plan, reporting.ministry)
    values = {}
    for indicator in indicators:
        if indicator.measure == "number":
            cells = {
                b.pk: {key: Decimal(5) for key in services.breakdown_keys(b)}
                for b in indicator.breakdowns.all()
            }
            values[indicator.pk] = ValueInput(value=Decimal(30), cells=cells, comment="c")
        elif indicator.measure == "percentage":
            values[indicator.pk] = ValueInput(numerator=Decimal(4), denominator=Decimal(9))
        elif indicator.measure == "stage":
            values[indicator.pk] = ValueInput(stage=1)
        else:
            values[indicator.pk] = ValueInput(yes_no=True)
    updates = {
        a.pk: UpdateInput(status="in_progress", progress=Decimal(40), expenditure=Decimal(100))
        for a in actions
    }
    report = services.agency_report_save(
        actor=reporting.coordinator,
        report=report,
        version=report.version,
        values=values,
        updates=updates,
        narrative="All done",
    )
    return report, len(indicators)


def test_report_form_budget_is_the_same_at_ten_times_the_scope(
    reporting, login, django_assert_max_num_queries
):
    counts = []
    for times in (1, 10):
        grow(reporting, times)
        report, size = filled_report(reporting)
        client = login(reporting.focal_point)
        url = reverse("monitoring:report", args=[reporting.plan.slug, report.pk])
        with django_assert_max_num_queries(REPORT_BUDGET) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="cell-input"') > 10 * times
        counts.append((size, len(captured)))
    assert counts[1][0] >= 40 and counts[0][1] == counts[1][1], counts


def test_read_only_report_and_review_budgets(reporting, login, django_assert_max_num_queries):
    counts = []
    for times in (1, 10):
        grow(reporting, times)
        report, _size = filled_report(reporting)
        if report.state != "submitted":
            report = services.agency_report_submit(
                actor=reporting.coordinator, report=report, version=report.version
            )
        for user, name, budget in [
            (reporting.focal_point, "monitoring:report", REPORT_BUDGET),
            (reporting.coordinator, "monitoring:review", REVIEW_BUDGET),
        ]:
            url = reverse(name, args=[reporting.plan.slug, report.pk])
            client = login(user)
            with django_assert_max_num_queries(budget) as captured:
                assert client.get(url).status_code == 200
            counts.append((times, name, len(captured)))
        report = services.agency_report_return(
            actor=reporting.coordinator, report=report, version=report.version, reason="again"
        )
    assert [c[2] for c in counts[:2]] == [c[2] for c in counts[2:]], counts


@pytest.mark.parametrize("role", ["coordinator", "focal point"])
def test_index_budget_is_the_same_at_ten_times_the_data(
    reporting, login, django_assert_max_num_queries, role
):
    counts = []
    for times in (1, 10):
        grow(reporting, times)
        filled_report(reporting)
        user = reporting.coordinator if role == "coordinator" else reporting.focal_point
        if role == "focal point" and times == 10:  # a focal point for two organisations
            grant(reporting.focal_point, reporting.plan, reporting.other_ministry, Role.FOCAL_POINT)
        url = reverse("monitoring:index", args=[reporting.plan.slug])
        client = login(user)
        with django_assert_max_num_queries(INDEX_BUDGET) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_period_page_budget_is_the_same_at_ten_times_the_organisations(
    reporting, login, django_assert_max_num_queries
):
    counts = []
    for times in (1, 10):
        grow(reporting, times)
        for organisation in list(services.Organisation.objects.all())[: 3 * times]:
            if not services.report_scope(reporting.plan, organisation)[1]:
                continue
            services.agency_report_open(
                actor=reporting.coordinator, period=reporting.q1, organisation=organisation
            )
        url = reverse("monitoring:period", args=[reporting.plan.slug, reporting.q1.pk])
        client = login(reporting.coordinator)
        with django_assert_max_num_queries(PERIOD_BUDGET) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_budgets_hold_for_a_user_who_is_not_a_member(
    reporting, login, django_assert_max_num_queries
):
    url = reverse("monitoring:index", args=[reporting.plan.slug])
    client = login(UserFactory())
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 404
