"""Dashboards from approved values: the worked examples A1–A7 as a reader sees them on the
plan, agency and indicator pages; unapproved values absent; access per role; query budgets.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nap1325.core.models import Role
from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans.models import Action, Indicator, IndicatorPeriodTarget
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    budget,
    grant,
    make_action,
    make_dimension,
    make_indicator,
    make_result,
)

pytestmark = pytest.mark.django_db

#: Plan dashboard and agency page, adding the plan up (the first request after a change):
#: session, user, plan, membership, then results, periods, the stored aggregate (none
#: current), the plan's count of changes, indicators whose stored assessment is not of
#: today (none), counts per result × kind × status (GROUP BY over the stored assessments),
#: the ranking of the listed rows (at most 15 per section and kind), whether action
#: progress is stored, actions and budget lines added up per result (GROUP BY on
#: PostgreSQL), the aggregate stored, the listed rows, reporting organisations (×2:
#: expected and the agency list; the agency page: the agency and its reports), reports —
#: 19 on SQLite and PostgreSQL, the same at every size (see
#: ``test_plan_dashboard_query_budget``); 20 with a section listed in full (``?section=``).
#: +1: the "Civil society's view" section (participation.selectors.civil_society_view).
PLAN_BUDGET = 20
#: The same pages when nothing has changed since (the aggregate is current): session,
#: user, plan, membership, results, periods, the aggregate, the listed rows, reporting
#: organisations ×2, reports, civil society's view — 12.
STORED_BUDGET = 12
#: Indicator page: session, user, plan, membership, indicator, period targets, breakdowns,
#: dimensions, categories, periods, official values, cells, organisations — 13; margin 3.
INDICATOR_BUDGET = 16


# --------------------------------------------------------------------------- helpers


def text(markup: str) -> str:
    """Visible text with tags removed, entities decoded and whitespace collapsed."""
    markup = re.sub(r"<svg.*?</svg>", " ", markup, flags=re.S)
    plain = html_module.unescape(re.sub(r"<[^>]+>", " ", markup)).replace("\xa0", " ")
    return " ".join(plain.split())


def row_of(page: str, code: str) -> str:
    """Visible text of the first table row that names indicator ``code``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
        if f'<span class="code">{code}</span>' in row:
            return text(row)
    raise AssertionError(f"no row for {code}")


def dashboard_url(plan) -> str:
    return reverse("dashboards:plan", args=[plan.slug])


def indicator_url(indicator) -> str:
    return reverse("dashboards:indicator", args=[indicator.plan.slug, indicator.pk])


def agency_url(plan, organisation) -> str:
    return reverse("dashboards:agency", args=[plan.slug, organisation.pk])


@pytest.fixture
def page(login, django_assert_max_num_queries):
    """``page(user, url, budget)`` → the HTML of a 200 answer within ``budget`` queries."""

    def get(user, url: str, budget: int = PLAN_BUDGET) -> str:
        client = login(user)
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    return get


def approve(reporting, period, organisation, values: dict) -> AgencyReport:
    """Record approved values (a coordinator's import): ``{indicator: ValueInput}``."""
    report, _changed = services.agency_report_record_approved(
        actor=reporting.coordinator,
        period=period,
        organisation=organisation,
        values={indicator.pk: value for indicator, value in values.items()},
        reason="test data",
    )
    return report


def approve_updates(reporting, period, organisation, updates: dict, values: dict | None = None):
    """Save, submit and approve action updates (and values) through the review workflow."""
    coordinator = reporting.coordinator
    report = services.agency_report_open(
        actor=coordinator, period=period, organisation=organisation
    )
    report = services.agency_report_save(
        actor=coordinator,
        report=report,
        version=report.version,
        values={indicator.pk: value for indicator, value in (values or {}).items()},
        updates={action.pk: update for action, update in updates.items()},
    )
    report = services.agency_report_submit(actor=coordinator, report=report, version=report.version)
    return services.agency_report_approve(
        actor=second_coordinator(reporting), report=report, version=report.version
    )


def second_coordinator(reporting):
    """A colleague of the coordinator: who typed the values in does not approve them."""
    from nap1325.core.models import Role, User
    from tests.factories import UserFactory, grant

    colleague = User.objects.filter(username="secretariat-2").first()
    if colleague is None:
        colleague = UserFactory(username="secretariat-2")
        grant(colleague, reporting.plan, reporting.coordinator.memberships.first().organisation,
              Role.COORDINATOR)  # fmt: skip
    return colleague


def period(reporting, label: str, start: dt.date, end: dt.date):
    return services.reporting_period_create(
        actor=reporting.coordinator,
        plan=reporting.plan,
        label=label,
        start=start,
        end=end,
        due=end + dt.timedelta(days=15),
    )


def number(**fields) -> dict:
    fields.setdefault("measure", Indicator.Measure.NUMBER)
    return fields


# --------------------------------------------------------------------------- A1, A6


def test_a1_values_over_time_on_the_pages(reporting, page):
    r = reporting
    q3 = period(r, "2019 Q3", dt.date(2019, 7, 1), dt.date(2019, 9, 30))
    mediators = make_indicator(
        r.action,
        "M1",
        title="Women mediators trained since the plan began",
        **number(time_aggregation="latest", baseline_value=Decimal(0), target_value=Decimal(150)),
    )
    sessions = make_indicator(
        r.action, "S1", title="Awareness sessions held", **number(time_aggregation="sum")
    )
    police = make_indicator(
        r.action,
        "P1",
        title="Share of women among police officers",
        measure=Indicator.Measure.PERCENTAGE,
        time_aggregation="latest",
    )
    approve(
        r,
        r.q1,
        r.ministry,
        {
            mediators: ValueInput(value=Decimal(40)),
            sessions: ValueInput(value=Decimal(12)),
            police: ValueInput(numerator=Decimal(85), denominator=Decimal(1000)),
        },
    )
    approve(
        r,
        r.q2,
        r.ministry,
        {
            mediators: ValueInput(value=Decimal(95)),
            sessions: ValueInput(value=Decimal(18)),
            police: ValueInput(numerator=Decimal(91), denominator=Decimal(1000)),
        },
    )
    dashboard = page(r.coordinator, dashboard_url(r.plan))
    assert row_of(dashboard, "M1").endswith("0 150 95 63.3 % at risk") or "95 63.3 %" in row_of(
        dashboard, "M1"
    )
    assert "95 63.3 %" in row_of(dashboard, "M1")  # 95, not 135
    assert " 30 " in f" {row_of(dashboard, 'S1')} "
    assert "9.1 % (91/1000)" in row_of(dashboard, "P1")  # not 17.6, not 8.8

    detail = text(page(r.coordinator, indicator_url(mediators), INDICATOR_BUDGET))
    assert "Value to date 95" in detail
    assert "Achievement 63.3 %" in detail
    assert f"{q3.label} not reported 0 of 1" in detail  # 95 is not carried into Q3
    assert "2019 Q2 95 1 of 1 74.7" in detail  # linear target to date: 150 × 546/1096 days


def test_a6_stage_indicator_listed_apart(reporting, page):
    r = reporting
    approve(r, r.q1, r.ministry, {r.stage: ValueInput(stage=0)})
    approve(r, r.q2, r.ministry, {r.stage: ValueInput(stage=2), r.law: ValueInput(yes_no=True)})
    dashboard = text(page(r.coordinator, dashboard_url(r.plan)))
    assert "Stages and yes/no: 1 achieved, 1 done" in dashboard
    assert "I4 Indicator I4 — Adopted achieved" in dashboard
    assert "I3 Indicator I3 — yes done" in dashboard
    # never in the numeric summary or its achievement table
    assert "Numbers and percentages: 2 not reported" in dashboard

    detail = text(page(r.coordinator, indicator_url(r.stage), INDICATOR_BUDGET))
    assert "Latest report Adopted" in detail
    assert "2 updates" in detail
    assert "2019 Q1 Drafted" in detail


# --------------------------------------------------------------------------- A2


def test_a2_percentages_pool_their_parts(reporting, page):
    r = reporting
    region1 = OrganisationFactory(name="Region 1 administration", acronym="R1")
    region2 = OrganisationFactory(name="Region 2 administration", acronym="R2")
    region3 = OrganisationFactory(name="Region 3 administration", acronym="R3")
    committees = make_indicator(
        r.action,
        "C1",
        title="% of local peace committees with at least 30 % women members",
        measure=Indicator.Measure.PERCENTAGE,
        time_aggregation="sum",
        responsible_organisation=region3,
    )
    approve(
        r, r.q1, region1, {committees: ValueInput(numerator=Decimal(10), denominator=Decimal(20))}
    )
    approve(
        r, r.q1, region2, {committees: ValueInput(numerator=Decimal(30), denominator=Decimal(200))}
    )

    detail = text(page(r.coordinator, indicator_url(committees), INDICATOR_BUDGET))
    assert "2019 Q1 18.2 % (40/220) 2 of 3" in detail  # not 65 %, not 32.5 %
    assert "Value to date 18.2 % (40/220) (2 of 3 reporters)" in detail
    assert "2019 Q2 not reported 0 of 3" in detail


# --------------------------------------------------------------------------- A3


ACHIEVEMENT_CASES = [
    # code, direction, baseline, target, current, aggregation, shown
    ("D150", "decrease", "200", "120", "150", "latest", "62.5 %"),
    ("D230", "decrease", "200", "120", "230", "latest", "-37.5 %"),
    ("D100", "decrease", "200", "120", "100", "latest", "125 %"),
    ("U150", "increase", "0", "120", "150", "latest", "125 %"),
    ("E60", "increase", "50", "50", "60", "latest", "n/a (target equals baseline)"),
    ("Z10", "decrease", "40", "0", "10", "latest", "75 %"),
    ("NB", "increase", None, "80", "10", "latest", "n/a (no baseline)"),
    ("S5", "increase", None, "8", "5", "sum", "62.5 %"),
]


def test_a3_achievement_in_both_directions_and_na_cases_on_one_page(reporting, page):
    r = reporting
    values = {}
    for code, direction, baseline, target, current, aggregation, _shown in ACHIEVEMENT_CASES:
        indicator = make_indicator(
            r.action,
            code,
            **number(
                direction=direction,
                time_aggregation=aggregation,
                baseline_value=None if baseline is None else Decimal(baseline),
                target_value=Decimal(target),
            ),
        )
        values[indicator] = ValueInput(value=Decimal(current))
    approve(r, r.q1, r.ministry, values)
    dashboard = page(r.coordinator, dashboard_url(r.plan))
    for code, *_rest, shown in ACHIEVEMENT_CASES:
        assert shown in row_of(dashboard, code), code
    assert 'class="num dash-worse"' in dashboard  # −37.5 % is marked as worse than baseline


# --------------------------------------------------------------------------- A4


def test_a4_breakdown_of_two_agencies_shows_the_not_disaggregated_part(reporting, page):
    r = reporting
    sex_breakdown = r.trained.breakdowns.get()
    approve(
        r,
        r.q1,
        r.ministry,
        {
            r.trained: ValueInput(
                value=Decimal(42),
                cells={sex_breakdown.pk: {"women": Decimal(30), "men": Decimal(12)}},
            )
        },
    )
    approve(r, r.q1, r.other_ministry, {r.trained: ValueInput(value=Decimal(714))})
    detail = text(page(r.coordinator, indicator_url(r.trained), INDICATOR_BUDGET))
    # period, women, men, not disaggregated, total (never the sum of all cells), share
    assert "2019 (2019 Q1) 30 12 714 756 71.4 % (30/42)" in detail
    # MoD gave no cell at all: not disaggregated (a neutral note), not "incomplete: 0 of 714"
    assert "MoD, 2019 Q1: not disaggregated by sex" in detail
    assert "breakdown incomplete" not in detail
    assert "Value to date 756 (2 of 2 reporters) of which women: 30 (71.4 %)" in detail
    assert "2019 Q1 756 2 of 2" in detail


def test_a4_incomplete_breakdown_is_flagged(reporting, page):
    r = reporting
    sex_breakdown = r.trained.breakdowns.get()
    approve(
        r,
        r.q1,
        r.ministry,
        {
            r.trained: ValueInput(
                value=Decimal(120),
                cells={sex_breakdown.pk: {"women": Decimal(70), "men": Decimal(45)}},
            )
        },
    )
    detail = text(page(r.coordinator, indicator_url(r.trained), INDICATOR_BUDGET))
    assert "MoES, 2019 Q1: Sex breakdown incomplete: 115 of 120" in detail
    # the 5 not disaggregated stand beside the share: it is never silently 70/115 alone
    assert "2019 (2019 Q1) 70 45 5 120 60.9 % (70/115)" in detail


def test_a4_cross_tab_share_of_women_per_category_and_pooled(reporting, page):
    r = reporting
    rank = make_dimension(
        r.plan, "rank", "Rank", [("generals", "Generals"), ("senior", "Senior officers")]
    )
    officers = make_indicator(
        r.action,
        "O1",
        title="Officers by rank",
        **number(time_aggregation="latest"),
        breakdowns=[[rank, r.trained.breakdowns.get().dimensions.get()]],
    )
    breakdown = officers.breakdowns.get()
    cells = {
        "generals|women": Decimal(8),
        "generals|men": Decimal(233),
        "senior|women": Decimal(164),
        "senior|men": Decimal(6883),
    }
    approve(
        r,
        r.q1,
        r.ministry,
        {officers: ValueInput(value=Decimal(7288), cells={breakdown.pk: cells})},
    )
    detail = text(page(r.coordinator, indicator_url(officers), INDICATOR_BUDGET))
    assert (
        "2019 (2019 Q1) Generals 8 233 241 3.3 % (8/241)" in detail
    )  # period row, then categories
    assert "Senior officers 164 6,883 7,047 2.3 % (164/7047)" in detail
    assert (
        "Total 2019 (2019 Q1) 172 7,116 7,288 2.4 % (172/7288)" in detail
    )  # pooled, not the mean of 3.3 and 2.3
    assert "incomplete" not in detail


@pytest.mark.parametrize(
    ("aggregation", "shown"),
    [
        # flows: both quarters of 2019 add up
        ("sum", "2019 (2019 Q1, 2019 Q2) 40 20 0 60 66.7 % (40/60)"),
        # levels: the year's latest quarter
        ("latest", "2019 (2019 Q2) 10 8 0 18 55.6 % (10/18)"),
    ],
)
def test_a4_breakdowns_per_year_follow_the_time_aggregation(reporting, page, aggregation, shown):
    r = reporting
    Indicator.objects.filter(pk=r.trained.pk).update(time_aggregation=aggregation)
    sex = r.trained.breakdowns.get()
    for quarter, women, men in ((r.q1, 30, 12), (r.q2, 10, 8)):
        cells = {"women": Decimal(women), "men": Decimal(men)}
        approve(
            r,
            quarter,
            r.ministry,
            {r.trained: ValueInput(value=Decimal(women + men), cells={sex.pk: cells})},
        )
    detail = text(page(r.coordinator, indicator_url(r.trained), INDICATOR_BUDGET))
    assert shown in detail


# --------------------------------------------------------------------------- A5, budget


def test_a5_roll_up_of_action_progress_and_budget_spent(reporting, page):
    r = reporting
    task = r.action.result
    a2 = make_action(task, "1.1.3", r.ministry, title="Second action")
    a3 = make_action(task, "1.1.4", r.ministry, title="Third action")
    make_action(task, "1.1.5", r.ministry, title="Fourth action without update")
    budget(r.action, "0.10", "state_budget")
    budget(r.action, "0.20", "state_budget")
    approve_updates(
        r,
        r.q1,
        r.ministry,
        {
            r.action: UpdateInput(
                status="in_progress", progress=Decimal(20), expenditure=Decimal(100)
            )
        },
    )
    approve_updates(
        r,
        r.q2,
        r.ministry,
        {
            r.action: UpdateInput(
                status="in_progress", progress=Decimal(60), expenditure=Decimal("50.25")
            ),
            a2: UpdateInput(status="in_progress", progress=Decimal(60)),
            a3: UpdateInput(status="completed", progress=Decimal(80)),
        },
    )
    agency = text(page(r.coordinator, agency_url(r.plan, r.ministry)))
    # the ministry's four actions: 60, 60, 80 and one without update → 66.7 %, 3 of 4
    assert "66.7 % average progress · 3 of 4 actions reporting" in agency
    assert "2 in progress, 1 completed, 1 no update" in agency
    # spent = 100 (Q1) + 50.25 (Q2), planned = 0.10 + 0.20 exactly
    assert "State budget 0.30 150.25" in agency
    dashboard = text(page(r.coordinator, dashboard_url(r.plan)))
    # plan: the ministry's four actions and MoD's action without update
    assert "3 of 5 actions reporting" in dashboard
    assert "1.1 Result 1.1 66.7 % 3 of 5 actions reporting" not in dashboard
    assert "150.25 spent of 0.30 KGS planned" in dashboard


def test_a5_weights_are_normalised(reporting, page):
    r = reporting
    task = r.action.result
    Action.objects.filter(pk=r.action.pk).update(weight=Decimal(5))
    a2 = make_action(task, "1.1.3", r.ministry, weight=Decimal(3))
    a3 = make_action(task, "1.1.4", r.ministry, weight=Decimal(2))
    Action.objects.filter(code="1.1.2").update(is_archived=True)
    approve_updates(
        r,
        r.q1,
        r.ministry,
        {
            r.action: UpdateInput(status="in_progress", progress=Decimal(60)),
            a2: UpdateInput(status="in_progress", progress=Decimal(60)),
            a3: UpdateInput(status="in_progress", progress=Decimal(80)),
        },
    )
    dashboard = text(page(r.coordinator, dashboard_url(r.plan)))
    assert "64 % average progress · 3 of 3 actions reporting" in dashboard


# --------------------------------------------------------------------------- A7 rounding


def test_a7_rounding_half_up_with_parts(reporting, page):
    r = reporting
    share = make_indicator(
        r.action, "R1", measure=Indicator.Measure.PERCENTAGE, time_aggregation="latest"
    )
    third = make_indicator(
        r.action, "R2", measure=Indicator.Measure.PERCENTAGE, time_aggregation="latest"
    )
    approve(
        r,
        r.q1,
        r.ministry,
        {
            share: ValueInput(numerator=Decimal(5), denominator=Decimal(8)),
            third: ValueInput(numerator=Decimal(1), denominator=Decimal(3)),
        },
    )
    dashboard = page(r.coordinator, dashboard_url(r.plan))
    assert "62.5 % (5/8)" in row_of(dashboard, "R1")
    assert "33.3 % (1/3)" in row_of(dashboard, "R2")


# --------------------------------------------------------------------------- approved only


def test_unapproved_values_never_show(reporting, page):
    r = reporting
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(38))})
    # Q2: a submitted report with a working value
    report = services.agency_report_open(actor=r.focal_point, period=r.q2, organisation=r.ministry)
    report = services.agency_report_save(
        actor=r.focal_point,
        report=report,
        version=report.version,
        values={r.trained.pk: ValueInput(value=Decimal(999))},
    )
    services.agency_report_submit(actor=r.focal_point, report=report, version=report.version)
    # Q1: reopened and corrected to 40, not yet approved
    q1 = AgencyReport.objects.get(period=r.q1, organisation=r.ministry)
    q1 = services.agency_report_reopen(
        actor=r.coordinator, report=q1, version=q1.version, reason="typo"
    )
    services.agency_report_save(
        actor=r.focal_point,
        report=q1,
        version=q1.version,
        values={r.trained.pk: ValueInput(value=Decimal(40))},
    )
    for url, budget_ in (
        (dashboard_url(r.plan), PLAN_BUDGET),
        (indicator_url(r.trained), INDICATOR_BUDGET),
        (agency_url(r.plan, r.ministry), PLAN_BUDGET),
    ):
        shown = text(page(r.coordinator, url, budget_))
        assert "Approved values only" in shown
        content = shown.split("Sign out", 1)[-1]  # the header names the user ("Person 40")
        assert "999" not in content and " 40 " not in f" {content} ", url
    detail = text(page(r.coordinator, indicator_url(r.trained), INDICATOR_BUDGET))
    assert "2019 Q1 38 1 of 1 38" in detail  # the reopened report's approved value stays
    assert "2019 Q2 not reported" in detail
    assert "Value to date 38" in detail
    dashboard = text(page(r.coordinator, dashboard_url(r.plan)))
    assert "1 of 2 agencies reported for 2019 Q2" not in dashboard
    assert "1 of 2 agencies reported for 2019 Q1" in dashboard
    assert "0 of 2 agencies reported for 2019 Q2" in dashboard


def test_no_data_is_not_zero_and_period_targets_drive_target_to_date(reporting, page):
    r = reporting
    IndicatorPeriodTarget.objects.create(indicator=r.trained, due=dt.date(2019, 3, 31), value=50)
    IndicatorPeriodTarget.objects.create(indicator=r.trained, due=dt.date(2019, 6, 30), value=70)
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(45))})
    approve(
        r, r.q2, r.ministry, {r.trained: ValueInput(no_data=True, no_data_reason="survey late")}
    )
    detail = text(page(r.coordinator, indicator_url(r.trained), INDICATOR_BUDGET))
    assert "from the period targets" in detail
    assert "2019 Q1 45 1 of 1 45 50" in detail
    assert "2019 Q2 not reported 0 of 1 — 120" in detail  # Σ elapsed period targets for a sum


# --------------------------------------------------------------------------- access


DASHBOARD_ACCESS = [
    (Role.COORDINATOR, 200),
    (Role.FOCAL_POINT, 200),
    (Role.WORKING_GROUP_MEMBER, 200),
    (Role.PARTNER, 200),
    (Role.CIVIL_SOCIETY_MONITOR, 403),
    ("admin", 200),
    ("non_member", 404),
]


@pytest.mark.parametrize(("role", "status"), DASHBOARD_ACCESS)
def test_access_per_role(reporting, login, user_in_role, role, status):
    r = reporting
    client = login(user_in_role(role))
    for url in (
        dashboard_url(r.plan),
        agency_url(r.plan, r.ministry),
        indicator_url(r.trained),
    ):
        assert client.get(url).status_code == status, url


def test_anonymous_users_are_sent_to_sign_in(reporting, login):
    response = login(None).get(dashboard_url(reporting.plan))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_things_are_404(reporting, login):
    r = reporting
    client = login(r.coordinator)
    stranger = OrganisationFactory(name="Not in this plan")
    Indicator.objects.filter(pk=r.law.pk).update(is_archived=True)
    assert client.get(agency_url(r.plan, stranger)).status_code == 404
    assert client.get(indicator_url(r.law)).status_code == 404
    assert client.get(reverse("dashboards:plan", args=["no-such-plan"])).status_code == 404


def test_matrix_links_indicators_to_their_pages_for_dashboard_roles(reporting, login):
    r = reporting
    monitor = UserFactory()
    grant(monitor, r.plan, r.ministry, Role.CIVIL_SOCIETY_MONITOR)
    matrix = reverse("plans:matrix", args=[r.plan.slug])
    assert indicator_url(r.trained) in login(r.coordinator).get(matrix).content.decode()
    assert indicator_url(r.trained) not in login(monitor).get(matrix).content.decode()


# --------------------------------------------------------------------------- query budgets


def grow(reporting, size: int) -> None:
    """Add ``size`` results, each with actions, indicators, budget and approved values."""
    r = reporting
    agencies = [OrganisationFactory(name=f"Agency {n}") for n in range(size)]
    objective = r.action.result.parent
    values: dict = {}
    updates: dict = {}
    for n in range(size):
        task = make_result(r.plan, f"1.{n + 2}", parent=objective)
        action = make_action(task, f"1.{n + 2}.1", agencies[n], weight=Decimal(1))
        budget(action, "1000", "donor" if n % 2 else "state_budget", funder=agencies[0])
        for k, aggregation in enumerate(("sum", "latest", "year_to_date")):
            indicator = make_indicator(
                action,
                f"G{n}.{k}",
                **number(
                    time_aggregation=aggregation,
                    baseline_value=Decimal(0),
                    target_value=Decimal(100),
                ),
                breakdowns=[[r.trained.breakdowns.get().dimensions.get()]],
            )
            breakdown = indicator.breakdowns.get()
            values.setdefault(agencies[n], {})[indicator] = ValueInput(
                value=Decimal(10 + n),
                cells={breakdown.pk: {"women": Decimal(4), "men": Decimal(6 + n)}},
            )
        updates.setdefault(agencies[n], {})[action] = UpdateInput(
            status="in_progress", progress=Decimal(50), expenditure=Decimal(10)
        )
    for report_period in (r.q1, r.q2):
        for agency, agency_values in values.items():
            approve_updates(r, report_period, agency, updates[agency], agency_values)


@pytest.mark.parametrize("size", [1, 12])
def test_plan_dashboard_query_budget(reporting, page, size):
    r = reporting
    grow(r, size)
    sex = r.trained.breakdowns.get()
    approve(
        r,
        r.q1,
        r.ministry,
        {r.trained: ValueInput(value=Decimal(5), cells={sex.pk: {"women": Decimal(5)}})},
    )
    dashboard = page(r.coordinator, dashboard_url(r.plan), PLAN_BUDGET)
    assert f"{size * 3 + 4} indicators" in text(dashboard)
    again = page(r.coordinator, dashboard_url(r.plan), STORED_BUDGET)
    assert text(again) == text(dashboard)
    page(r.partner if hasattr(r, "partner") else r.coordinator, agency_url(r.plan, r.ministry))
    indicator = Indicator.objects.get(code="G0.0")
    detail = text(page(r.coordinator, indicator_url(indicator), INDICATOR_BUDGET))
    assert "2019 Q2 10 1 of 1 20" in detail  # a sum indicator: 10 + 10 to date


def test_long_sections_list_those_needing_attention_and_expand_on_request(reporting, page):
    r = reporting
    from nap1325.monitoring.dashboards import ROW_LIMIT

    values = {}
    for n in range(ROW_LIMIT + 5):
        indicator = make_indicator(
            r.action,
            f"L{n:02d}",
            **number(
                time_aggregation="latest", baseline_value=Decimal(0), target_value=Decimal(100)
            ),
        )
        # L00 is the only one off track: 1 of 100 reached by 2019 Q1
        values[indicator] = ValueInput(value=Decimal(1 if n == 0 else 100))
    approve(r, r.q1, r.ministry, values)
    dashboard = page(r.coordinator, dashboard_url(r.plan))
    shown = text(dashboard)
    total = ROW_LIMIT + 5 + 2  # and I1, I2 of the fixture, not reported
    last = f"L{ROW_LIMIT + 4:02d}"
    assert f"{ROW_LIMIT} of {total} numbers and percentages" in shown
    assert "1 % off track" in row_of(dashboard, "L00")  # needing attention: listed
    assert f'<span class="code">{last}</span>' not in dashboard  # achieved: left out
    section = r.action.result.parent
    full = page(r.coordinator, dashboard_url(r.plan) + f"?section={section.pk}")
    assert f'<span class="code">{last}</span>' in full and "Show the short list" in text(full)
    # the counts always cover every indicator
    assert (
        f"Numbers and percentages: {ROW_LIMIT + 4} achieved, 1 off track, 2 not reported" in shown
    )


def test_spending_not_reported_is_not_zero(reporting, page):
    r = reporting
    budget(r.action, "1000", "donor", funder=r.other_ministry)
    approve_updates(r, r.q1, r.ministry, {r.action: UpdateInput(status="in_progress")})
    dashboard = text(page(r.coordinator, dashboard_url(r.plan)))
    assert "No approved update reports an expenditure yet." in dashboard
    assert "Donor 1,000.00 —" in dashboard
    assert "0.00 spent" not in dashboard
