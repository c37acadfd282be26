"""The implementation matrix page: rows, filters, totals, badges and a pinned query budget."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nap1325.library.models import FrameworkIndicator
from nap1325.plans import selectors, services
from nap1325.plans.models import Action, Breakdown, BudgetLine, Indicator
from tests.factories import make_indicator, make_result

#: Queries the matrix page takes, whatever the size of the plan: session, user, plan,
#: membership, then results, actions, partners, indicators, breakdowns, their dimensions,
#: framework links, budget lines, agencies and pillars — measured 14; margin 2.
MATRIX_QUERY_BUDGET = 16


def matrix_url(plan, **params: object) -> str:
    url = reverse("plans:matrix", args=[plan.slug])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def row_html(page: str, element_id: str) -> str:
    """The HTML of the table row with ``id=element_id`` (one ``<tr>`` … ``</tr>``)."""
    match = re.search(rf'<tr[^>]*id="{element_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row {element_id}"
    return match.group(1)


def text(markup: str) -> str:
    """Visible text with whitespace collapsed."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def row_ids(page: str) -> list[str]:
    return re.findall(r'<tr class="(?:result|action)-row[^"]*" id="([a-z]+-\d+)"', page)


@pytest.fixture
def page_for(login, coordinator, django_assert_max_num_queries):
    """``page_for(plan, **filters)`` → the matrix as the coordinator sees it (200, budgeted)."""

    def get(plan, **params: object) -> str:
        client = login(coordinator)
        with django_assert_max_num_queries(MATRIX_QUERY_BUDGET):
            response = client.get(matrix_url(plan, **params))
        assert response.status_code == 200
        return response.content.decode()

    return get


# --------------------------------------------------------------------------- rows


def test_rows_are_nested_in_the_plans_order(kg_matrix, plan, page_for):
    m = kg_matrix
    expected = [
        f"result-{m['1'].pk}",
        f"result-{m['1.1'].pk}",
        f"action-{m['1.1.1'].pk}",
        f"action-{m['1.1.2'].pk}",
        f"result-{m['1.2'].pk}",
        f"action-{m['1.2.1'].pk}",
        f"result-{m['2'].pk}",
        f"result-{m['2.1'].pk}",
        f"action-{m['2.1.1'].pk}",
    ]
    assert row_ids(page_for(plan)) == expected

    services.action_move(actor=None, action=m["1.1.2"], step=-1)
    services.result_move(actor=None, result=m["2"], step=-1)
    reordered = row_ids(page_for(plan))
    assert reordered[:5] == [
        f"result-{m['2'].pk}",
        f"result-{m['2.1'].pk}",
        f"action-{m['2.1.1'].pk}",
        f"result-{m['1'].pk}",
        f"result-{m['1.1'].pk}",
    ]
    assert reordered.index(f"action-{m['1.1.2'].pk}") < reordered.index(f"action-{m['1.1.1'].pk}")


def test_result_rows_show_tier_code_title_pillar_and_indicators(kg_matrix, plan, page_for):
    page = page_for(plan)
    objective = text(row_html(page, f"result-{kg_matrix['1'].pk}"))
    assert objective.startswith("1 Objective Participation")
    assert "Strengthening women's role and participation" in objective
    assert "1a Share of women among police officers 9.5 → 15 %" in objective
    task = text(row_html(page, f"result-{kg_matrix['1.1'].pk}"))
    assert task.startswith("1.1 Task Increase the number of women in the security sector")
    assert "Participation" not in task


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "1.1.1",
            [
                "1.1.1 Measure",
                "Review the recruitment and promotion rules of the MIA for barriers to women",
                "MIA UN Women",
                "1 Mar 2018 – 31 Dec 2018 National",
                "1.1.1a Recruitment and promotion rules reviewed and amended"
                " Not started → Amendments adopted",
                "350,000.00 KGS · Donor (UN Women) · 2018",
                "Completed",
            ],
        ),
        (
            "1.1.2",
            [
                "Mentoring programme for women officers of the police",
                "MIA OSCE",
                "1 Sep 2018 – 31 Dec 2020",
                "0 → 200 officers · by Rank × Sex",
                "600,000.00 KGS · Donor (OSCE) · 2019 · not secured",
                "In progress",
            ],
        ),
        (
            "1.2.1",
            [
                "LSG Agency UN Women, WPN",
                "1 Jun 2018 – 30 Jun 2020 Local",
                "1.2.1a People trained on resolution 1325 0 → 600 people · by Sex",
                "900,000.00 KGS · Unfunded · 2019",
            ],
        ),
        (
            "2.1.1",
            [
                "MoE MIA",
                "0 → 120 sessions",
                "300,000.00 KGS · State budget · 2019",
                "150,000.00 KGS · Own funds · 2020 · not secured",
            ],
        ),
    ],
)
def test_action_rows_show_what_the_plan_says(kg_matrix, plan, page_for, code, expected):
    row = text(row_html(page_for(plan), f"action-{kg_matrix[code].pk}"))
    for part in expected:
        assert part in row, f"{part!r} not in {row!r}"
    assert "not costed" not in row
    assert "⚠" not in row  # all inside the plan period


def test_unfunded_lines_are_never_called_unsecured(kg_matrix, plan, page_for):
    assert "not secured" not in text(row_html(page_for(plan), f"action-{kg_matrix['1.2.1'].pk}"))


def test_action_without_budget_or_end_date_says_so(framework, plan, page_for):
    services.action_update(actor=None, action=framework["action"], end=None)
    row = text(row_html(page_for(plan), f"action-{framework['action'].pk}"))
    assert "not costed" in row
    assert "⚠ No end date: the action is not time-bound." in row


def test_action_outside_the_plan_period_is_flagged(kg_matrix, plan, page_for):
    services.action_update(actor=None, action=kg_matrix["1.2.1"], end=dt.date(2021, 6, 30))
    row = text(row_html(page_for(plan), f"action-{kg_matrix['1.2.1'].pk}"))
    assert "⚠ Ends after the plan period." in row
    assert "30 Jun 2021" in row


def test_summary_counts_actions_and_indicators(kg_matrix, plan, page_for):
    assert "4 actions · 5 indicators" in text(page_for(plan))


def test_archived_items_leave_the_matrix_and_its_totals(kg_matrix, plan, page_for):
    services.action_archive(actor=None, action=kg_matrix["1.2.1"])
    page = page_for(plan)
    assert f'id="action-{kg_matrix["1.2.1"].pk}"' not in page
    assert "3 actions · 4 indicators" in text(page)
    assert "Funding gap (unfunded lines): 0.00 KGS" in text(page)


def test_empty_plan_says_so(plan, page_for):
    page = text(page_for(plan))
    assert "The framework is empty." in page
    assert "No budget lines: the shown actions are not costed." in page
    assert "0 actions · 0 indicators" in page


# --------------------------------------------------------------------------- filters


def test_filter_by_pillar_shows_that_pillar_and_its_totals(kg_matrix, plan, page_for):
    page = page_for(plan, pillar="participation")
    ids = row_ids(page)
    assert f"result-{kg_matrix['1'].pk}" in ids
    assert f"result-{kg_matrix['2'].pk}" not in ids
    assert f"action-{kg_matrix['2.1.1'].pk}" not in ids
    shown = text(page)
    assert "3 actions · 4 indicators · filtered" in shown
    assert "Budget totals (of what is shown)" in shown
    # 350 000 + 600 000 donor, 900 000 unfunded
    assert re.search(r"Total — 950,000\.00 — 900,000\.00 1,850,000\.00", shown)
    assert "Funding gap (unfunded lines): 900,000.00 KGS" in shown
    assert "funded but not yet secured: 600,000.00 KGS" in shown
    assert '<option value="participation" selected>' in page


def test_filter_by_agency_includes_actions_it_partners_on(kg_matrix, plan, organisations, page_for):
    mia = organisations["MIA"]
    page = page_for(plan, agency=mia.pk)
    ids = row_ids(page)
    m = kg_matrix
    # MIA leads 1.1.1 and 1.1.2 and partners on 2.1.1; task 1.2 has no MIA action
    assert [i for i in ids if i.startswith("action")] == [
        f"action-{m['1.1.1'].pk}",
        f"action-{m['1.1.2'].pk}",
        f"action-{m['2.1.1'].pk}",
    ]
    assert f"result-{m['1.2'].pk}" not in ids
    assert f"result-{m['2'].pk}" in ids
    shown = text(page)
    assert "3 actions · 4 indicators · filtered" in shown  # 1a, 1.1.1a, 1.1.2a, 2.1.1a
    # 350 000 + 600 000 donor, 300 000 state, 150 000 own funds
    assert re.search(r"Total 300,000\.00 950,000\.00 150,000\.00 — 1,400,000\.00", shown)
    assert "Funding gap (unfunded lines): 0.00 KGS" in shown
    assert f'<option value="{mia.pk}" selected>' in page


def test_filter_by_partner_only_agency(kg_matrix, plan, organisations, page_for):
    shown = text(page_for(plan, agency=organisations["UN Women"].pk))
    assert "2 actions" in shown  # 1.1.1 and 1.2.1
    assert re.search(r"Total — 350,000\.00 — 900,000\.00 1,250,000\.00", shown)


def test_pillar_and_agency_filters_combine(kg_matrix, plan, organisations, page_for):
    page = page_for(plan, pillar="prevention", agency=organisations["MIA"].pk)
    assert [i for i in row_ids(page) if i.startswith("action")] == [
        f"action-{kg_matrix['2.1.1'].pk}"
    ]
    assert "1 action · 1 indicator · filtered" in text(page)


@pytest.mark.parametrize(
    "params",
    [
        {"agency": "abc"},
        {"agency": ""},
        {"agency": "-1"},
        {"agency": "99999999999999999999999"},
        {"agency": "1e5"},
        {"pillar": "nonsense"},
        {"pillar": "<script>"},
        {"pillar": ""},
        {"pillar": "participation", "agency": "abc"},
    ],
)
def test_bad_filter_parameters_answer_200(kg_matrix, plan, page_for, params):
    page = page_for(plan, **params)
    assert "Implementation matrix" in page
    assert "<script>" not in page


def test_unknown_pillar_shows_nothing_matches(kg_matrix, plan, page_for):
    shown = text(page_for(plan, pillar="nonsense"))
    assert "Nothing matches this filter." in shown
    assert "0 actions · 0 indicators · filtered" in shown


def test_agency_choices_are_the_agencies_of_the_plan(kg_matrix, plan, page_for):
    page = page_for(plan)
    select = re.search(r'<select id="filter-agency".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select) == [
        "LSG Agency",
        "MIA",
        "MoE",
        "OSCE",
        "UN Women",
        "WPN",
    ]


# --------------------------------------------------------------------------- budget totals


def test_budget_totals_by_pillar_and_source_with_gap(kg_matrix, plan):
    (totals,) = selectors.implementation_matrix(plan).budgets
    assert totals.currency == "KGS"
    assert totals.total == Decimal("2300000")
    assert totals.by_source == {
        "donor": Decimal("950000"),
        "unfunded": Decimal("900000"),
        "state_budget": Decimal("300000"),
        "own_funds": Decimal("150000"),
    }
    assert totals.by_pillar == {
        "participation": {
            "donor": Decimal("950000"),
            "unfunded": Decimal("900000"),
            "total": Decimal("1850000"),
        },
        "prevention": {
            "state_budget": Decimal("300000"),
            "own_funds": Decimal("150000"),
            "total": Decimal("450000"),
        },
    }
    assert totals.gap == Decimal("900000")
    assert totals.unsecured == Decimal("750000")  # 600 000 OSCE + 150 000 own funds


def test_budget_table_on_the_page(kg_matrix, plan, page_for):
    shown = text(page_for(plan))
    assert "Budget by pillar and funding source, KGS" in shown
    assert "Pillar State budget Donor Own funds Unfunded Total" in shown
    assert "Participation — 950,000.00 — 900,000.00 1,850,000.00" in shown
    assert "Prevention 300,000.00 — 150,000.00 — 450,000.00" in shown
    assert "Total 300,000.00 950,000.00 150,000.00 900,000.00 2,300,000.00" in shown
    assert "Funding gap (unfunded lines): 900,000.00 KGS" in shown
    assert "funded but not yet secured: 750,000.00 KGS" in shown


def test_top_result_without_pillar_is_totalled_as_no_pillar(
    kg_matrix, plan, organisations, page_for
):
    coordination = make_result(plan, "3", title="Coordination and monitoring of the plan")
    task = make_result(plan, "3.1", parent=coordination, title="Half-yearly reports")
    action = services.action_create(
        actor=None,
        result=task,
        code="3.1.1",
        title="Compile reports",
        lead_agency=organisations["MIA"],
    )
    services.budget_line_create(
        actor=None, action=action, amount=Decimal("0.10"), funding_source="state_budget"
    )
    services.budget_line_create(
        actor=None, action=action, amount=Decimal("0.20"), funding_source="state_budget"
    )
    shown = text(page_for(plan))
    assert "No pillar 0.30 — — — 0.30" in shown
    assert "Total 300,000.30 950,000.00 150,000.00 900,000.00 2,300,000.30" in shown


# --------------------------------------------------------------------------- badges


def test_illustrative_items_carry_a_badge(kg_matrix, plan, page_for):
    services.action_update(actor=None, action=kg_matrix["1.2.1"], is_illustrative=True)
    services.result_update(actor=None, result=kg_matrix["2"], is_illustrative=True)
    page = page_for(plan)
    assert "illustrative-badge" in row_html(page, f"action-{kg_matrix['1.2.1'].pk}")
    assert "illustrative-badge" in row_html(page, f"result-{kg_matrix['2'].pk}")
    assert "illustrative-badge" not in row_html(page, f"action-{kg_matrix['1.1.1'].pk}")
    assert "illustrative-badge" not in row_html(page, f"result-{kg_matrix['1'].pk}")
    assert page.count("illustrative-badge") == 2


# --------------------------------------------------------------------------- query budget


def build_actions(plan, tasks, organisations, dimensions, count: int) -> None:
    """``count`` actions under ``tasks`` with two partners, an indicator broken down by
    rank × sex (and by sex), a framework link and two budget lines each — in bulk."""
    orgs = list(organisations.values())
    sources = ["state_budget", "donor", "own_funds", "unfunded"]
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            result=tasks[n % len(tasks)],
            code=f"{tasks[n % len(tasks)].code}.{n + 1}",
            title=f"Training of women officers, group {n + 1}",
            lead_agency=orgs[n % len(orgs)],
            start=dt.date(2018, 1, 1) + dt.timedelta(days=n % 700),
            end=dt.date(2020, 12, 31) if n % 7 else None,
            status=["not_started", "in_progress", "completed", "delayed"][n % 4],
            order=n,
            is_illustrative=n % 5 == 0,
        )
        for n in range(count)
    )
    Through = Action.partners.through
    Through.objects.bulk_create(
        Through(action_id=a.pk, organisation_id=orgs[(i + k) % len(orgs)].pk)
        for i, a in enumerate(actions)
        for k in (1, 2)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            action=a,
            code=f"{a.code}a",
            title=f"Women officers trained, group {i + 1}",
            unit="officers",
            baseline_value=Decimal(i % 10),
            target_value=Decimal(100 + i),
            responsible_organisation=orgs[i % len(orgs)],
            order=0,
        )
        for i, a in enumerate(actions)
    )
    breakdowns = Breakdown.objects.bulk_create(
        Breakdown(indicator=ind, order=order) for ind in indicators for order in (0, 1)
    )
    rank, sex = dimensions
    BT = Breakdown.dimensions.through
    BT.objects.bulk_create(
        BT(breakdown_id=b.pk, dimension_id=d.pk)
        for b in breakdowns
        for d in ([rank, sex] if b.order == 0 else [sex])
    )
    link = FrameworkIndicator.objects.first()
    FT = Indicator.framework_indicators.through
    FT.objects.bulk_create(
        FT(indicator_id=ind.pk, frameworkindicator_id=link.pk) for ind in indicators
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            action=a,
            amount=Decimal("1000.10") + i,
            currency="KGS",
            funding_source=sources[(i + k) % 4],
            funder=orgs[-1] if sources[(i + k) % 4] == "donor" else None,
            year=2018 + (i % 3),
            secured=sources[(i + k) % 4] == "state_budget",
            order=k,
        )
        for i, a in enumerate(actions)
        for k in (0, 1)
    )


@pytest.fixture
def framework_for_volume(plan, pillars):
    """Five objectives (one per canonical pillar) with two tasks and a percentage each."""
    tasks = []
    for number, key in enumerate(
        ["participation", "prevention", "protection", "relief_recovery", "coordination"], start=1
    ):
        objective = make_result(plan, str(number), pillar=pillars[key], title=f"Objective {number}")
        make_indicator(
            objective,
            f"{number}a",
            measure="percentage",
            time_aggregation="latest",
            baseline_value=Decimal("9.5"),
            target_value=Decimal("15"),
        )
        for sub in (1, 2):
            tasks.append(
                make_result(plan, f"{number}.{sub}", parent=objective, title=f"Task {number}.{sub}")
            )
    return tasks


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize(
    "params", [{}, {"pillar": "participation"}, {"agency": "lead"}], ids=["all", "pillar", "agency"]
)
def test_query_budget_does_not_grow_with_the_plan(
    plan, framework_for_volume, organisations, page_for, size, params
):
    rank = services.dimension_create(
        actor=None,
        plan=plan,
        key="rank",
        name="Rank",
        categories=[("generals", "Generals"), ("officers", "Officers")],
    )
    sex = plan.dimensions.get(key="sex")
    build_actions(plan, framework_for_volume, organisations, (rank, sex), size)
    if params.get("agency") == "lead":
        params = {"agency": organisations["MIA"].pk}
    page = page_for(plan, **params)  # asserts MATRIX_QUERY_BUDGET
    if not params:
        assert f"{size} actions · {size + 5} indicators" in text(page)
        assert page.count("by Rank × Sex") == size
        assert page.count('class="action-row') == size


def test_query_budget_is_tight(kg_matrix, plan, login, coordinator, django_assert_num_queries):
    """The budget above is the real number plus a margin of two; keep them in step."""
    client = login(coordinator)
    with django_assert_num_queries(MATRIX_QUERY_BUDGET - 2):
        assert client.get(matrix_url(plan)).status_code == 200
