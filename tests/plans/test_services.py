"""Plan services: every write validated, audited (who, what, old → new, why), all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nap1325.core.models import AuditEvent
from nap1325.plans import selectors, services
from nap1325.plans.models import (
    Action,
    Breakdown,
    BudgetLine,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    Result,
)
from tests.factories import OrganisationFactory, budget, make_action, make_indicator, make_result

MODELS = [Plan, Result, Action, Indicator, Breakdown, IndicatorPeriodTarget, BudgetLine, AuditEvent]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def adopt(plan: Plan, status: str = "adopted") -> Plan:
    return services.plan_update(
        actor=None,
        plan=plan,
        status=status,
        legal_act_number="Government decree No. 513",
        legal_act_date=dt.date(2018, 3, 16),
    )


# --------------------------------------------------------------------------- plan


def test_plan_create_starts_with_sex_dimension_and_is_audited(admin_user):
    plan = services.plan_create(
        actor=admin_user,
        slug="kg-nap-2021",
        country="kg",
        title="National Action Plan of the Kyrgyz Republic on resolution 1325, 2021–2023",
        generation=3,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2023, 12, 31),
        tier_labels=["Objective", "Task", "Measure"],
        currency="kgs",
        languages=["ky", "ru"],
    )
    assert (plan.country, plan.currency) == ("KG", "KGS")
    assert [c.key for c in plan.dimensions.get(key="sex").categories.all()] == ["women", "men"]
    event = last_event()
    assert (event.event_type, event.actor, event.plan) == ("plan.created", admin_user, plan)
    assert event.changes["period_end"] == [None, "2023-12-31"]
    assert event.changes["tier_labels"] == [None, ["Objective", "Task", "Measure"]]


def test_plan_update_records_old_and_new(plan, coordinator):
    services.plan_update(
        actor=coordinator,
        plan=plan,
        period_end=dt.date(2021, 6, 30),
        reason="Extended by government decree",
    )
    event = last_event()
    assert event.event_type == "plan.updated"
    assert event.actor == coordinator
    assert event.changes == {"period_end": ["2020-12-31", "2021-06-30"]}
    assert event.reason == "Extended by government decree"


# --------------------------------------------------------------------------- create


def test_result_create_numbers_tiers_and_records_event(plan, coordinator, pillars):
    objective = services.result_create(
        actor=coordinator,
        plan=plan,
        code="1",
        title="  Women's participation in peace and security  ",
        pillar=pillars["participation"],
        reason="First draft",
    )
    task = services.result_create(
        actor=coordinator, plan=plan, parent=objective, code="1.1", title="Women in the police"
    )
    sibling = services.result_create(
        actor=coordinator, plan=plan, parent=objective, code="1.2", title="Women in local bodies"
    )
    assert (objective.depth, task.depth, objective.tier_label, task.tier_label) == (
        0,
        1,
        "Objective",
        "Task",
    )
    assert (task.order, sibling.order) == (0, 1)
    assert objective.title == "Women's participation in peace and security"
    event = AuditEvent.objects.get(event_type="result.created", object_id=str(objective.pk))
    assert event.actor == coordinator
    assert event.plan == plan
    assert event.object_repr == "1 Women's participation in peace and security"
    assert event.changes["code"] == [None, "1"]
    assert event.changes["pillar"] == [None, pillars["participation"].pk]
    assert event.reason == "First draft"


def test_action_create_keeps_lead_out_of_partners(framework, coordinator, lead_ministry):
    un_women = OrganisationFactory(name="UN Women", acronym="UN Women", kind="international")
    action = services.action_create(
        actor=coordinator,
        result=framework["task"],
        code="1.1.2",
        title="Mentoring programme for women officers of the police",
        lead_agency=lead_ministry,
        partners=[lead_ministry, un_women],
        start=dt.date(2018, 9, 1),
        end=dt.date(2020, 12, 31),
    )
    assert list(action.partners.all()) == [un_women]
    assert action.order == 1  # after 1.1.1
    event = last_event()
    assert event.event_type == "action.created"
    assert event.actor == coordinator
    assert event.changes["lead_agency"] == [None, lead_ministry.pk]
    assert event.changes["partners"] == [None, [un_women.pk]]
    assert event.changes["end"] == [None, "2020-12-31"]


def test_indicator_create_with_cross_tab_breakdown_and_period_targets(kg_matrix, plan, coordinator):
    rank, sex = kg_matrix["rank"], kg_matrix["sex"]
    indicator = services.indicator_create(
        actor=coordinator,
        plan=plan,
        action=kg_matrix["1.1.2"],
        code="1.1.2b",
        title="Women officers promoted",
        unit="officers",
        time_aggregation="latest",
        baseline_value=Decimal("12"),
        target_value=Decimal("40"),
        breakdowns=[[sex], [rank, sex]],
        period_targets=[(dt.date(2020, 12, 31), Decimal("40")), (dt.date(2019, 12, 31), 25)],
    )
    shown = [str(b) for b in indicator.breakdowns.prefetch_related("dimensions")]
    assert shown == ["Sex", "Rank × Sex"]
    assert [(t.due, t.value) for t in indicator.period_targets.all()] == [
        (dt.date(2019, 12, 31), Decimal("25")),
        (dt.date(2020, 12, 31), Decimal("40")),
    ]
    event = last_event()
    assert event.event_type == "indicator.created"
    assert event.changes["breakdowns"] == [[], [["sex"], ["rank", "sex"]]]
    assert event.changes["period_targets"] == [[], [["2019-12-31", "25"], ["2020-12-31", "40"]]]
    assert event.changes["baseline_value"] == [None, "12"]


def test_budget_line_create_defaults_to_plan_currency(framework, coordinator):
    line = services.budget_line_create(
        actor=coordinator,
        action=framework["action"],
        amount=Decimal("350000.50"),
        funding_source="state_budget",
        year=2019,
        secured=True,
        description="Mentors and training events",
    )
    assert line.currency == "KGS"
    event = last_event()
    assert (event.event_type, event.actor) == ("budget_line.created", coordinator)
    assert event.changes["amount"] == [None, "350000.50"]
    assert event.changes["currency"] == [None, "KGS"]
    assert event.object_repr == "350000.50 KGS (State budget)"


# --------------------------------------------------------------------------- update

UPDATES = [
    # (what, service call, changes expected in the audit event)
    (
        "result",
        lambda m, actor, reason: services.result_update(
            actor=actor, result=m["1.1"], title="Women in the police and the army", reason=reason
        ),
        {
            "title_en": [
                "Increase the number of women in the security sector",
                "Women in the police and the army",
            ]
        },
    ),
    (
        "action",
        lambda m, actor, reason: services.action_update(
            actor=actor,
            action=m["1.1.2"],
            end=dt.date(2020, 6, 30),
            status="delayed",
            reason=reason,
        ),
        {"end": ["2020-12-31", "2020-06-30"], "status": ["in_progress", "delayed"]},
    ),
    (
        "action partners",
        lambda m, actor, reason: services.action_update(
            actor=actor, action=m["1.2.1"], partners=[m["WPN"]], reason=reason
        ),
        "partners",
    ),
    (
        "indicator",
        lambda m, actor, reason: services.indicator_update(
            actor=actor, indicator=m["1.1.2a"], target_value=Decimal("250"), reason=reason
        ),
        {"target_value": ["200.0000", "250"]},
    ),
    (
        "budget line",
        lambda m, actor, reason: services.budget_line_update(
            actor=actor,
            line=m["budget 1.1.2"],
            amount=Decimal("420000"),
            secured=True,
            reason=reason,
        ),
        {"amount": ["600000.00", "420000"], "secured": [False, True]},
    ),
]


def _fresh(matrix: dict, organisations: dict) -> dict:
    """The objects as a page would load them (from the database, stored precision)."""
    loaded = {}
    for key, obj in matrix.items():
        loaded[key] = type(obj).objects.get(pk=obj.pk)
    return {**loaded, **organisations}


@pytest.mark.parametrize(("what", "call", "expected"), UPDATES, ids=[u[0] for u in UPDATES])
def test_update_records_old_and_new_values(
    kg_matrix, organisations, coordinator, what, call, expected
):
    objects = _fresh(kg_matrix, organisations)
    call(objects, coordinator, "Revised at the working-group meeting of 12 March")
    event = last_event()
    assert event.event_type.endswith(".updated")
    assert event.actor == coordinator
    assert event.reason == "Revised at the working-group meeting of 12 March"
    if expected == "partners":
        assert event.changes == {
            "partners": [
                sorted([organisations["WPN"].pk, organisations["UN Women"].pk]),
                [organisations["WPN"].pk],
            ]
        }
    else:
        assert event.changes == expected


def test_update_without_change_writes_no_event(kg_matrix, coordinator):
    before = AuditEvent.objects.count()
    services.result_update(actor=coordinator, result=kg_matrix["1"], code="1")
    assert AuditEvent.objects.count() == before


def test_new_lead_agency_stops_being_a_partner(kg_matrix, organisations, coordinator):
    action = kg_matrix["1.1.2"]  # MIA leads, OSCE partners
    services.action_update(actor=coordinator, action=action, lead_agency=organisations["OSCE"])
    assert action.partners.count() == 0
    assert last_event().changes["lead_agency"] == [
        organisations["MIA"].pk,
        organisations["OSCE"].pk,
    ]


def test_indicator_update_replaces_breakdowns(kg_matrix, coordinator):
    indicator = Indicator.objects.get(pk=kg_matrix["1.1.2a"].pk)
    services.indicator_update(
        actor=coordinator, indicator=indicator, breakdowns=[[kg_matrix["sex"]]]
    )
    assert [str(b) for b in indicator.breakdowns.all()] == ["Sex"]
    assert Breakdown.objects.filter(indicator=indicator).count() == 1
    assert last_event().changes == {"breakdowns": [[["rank", "sex"]], [["sex"]]]}


# --------------------------------------------------------------------------- archive


def test_result_archive_takes_everything_below(kg_matrix, coordinator):
    count = services.result_archive(
        actor=coordinator, result=kg_matrix["1"], reason="Merged into objective 2"
    )
    # results 1, 1.1, 1.2; actions 1.1.1, 1.1.2, 1.2.1; indicators 1a, 1.1.1a, 1.1.2a,
    # 1.2.1a; budget lines of the three actions
    assert count == 3 + 3 + 4 + 3
    assert set(Result.objects.filter(is_archived=False).values_list("code", flat=True)) == {
        "2",
        "2.1",
    }
    assert set(Action.objects.filter(is_archived=False).values_list("code", flat=True)) == {"2.1.1"}
    assert BudgetLine.objects.filter(is_archived=False).count() == 2
    event = last_event()
    assert (event.event_type, event.actor, event.reason) == (
        "result.archived",
        coordinator,
        "Merged into objective 2",
    )
    assert event.changes == {"is_archived": [False, True], "items_archived": [None, 13]}
    assert Result.objects.count() == 5  # nothing deleted


@pytest.mark.parametrize(
    ("kind", "call"),
    [
        ("action", lambda m, a: services.action_archive(actor=a, action=m["1.1.2"], reason="x")),
        (
            "indicator",
            lambda m, a: services.indicator_archive(actor=a, indicator=m["1a"], reason="x"),
        ),
        (
            "budget_line",
            lambda m, a: services.budget_line_archive(actor=a, line=m["budget 1.2.1"], reason="x"),
        ),
    ],
)
def test_archive_records_event(kg_matrix, coordinator, kind, call):
    call(kg_matrix, coordinator)
    event = last_event()
    assert event.event_type == f"{kind}.archived"
    assert event.actor == coordinator
    assert event.changes == {"is_archived": [False, True]}
    assert event.reason == "x"


def test_action_archive_takes_indicators_and_budget(kg_matrix, coordinator):
    services.action_archive(actor=coordinator, action=kg_matrix["1.1.2"])
    assert Indicator.objects.get(pk=kg_matrix["1.1.2a"].pk).is_archived
    assert BudgetLine.objects.get(pk=kg_matrix["budget 1.1.2"].pk).is_archived


def test_archived_items_free_their_code(kg_matrix, plan, coordinator, lead_ministry):
    services.action_archive(actor=coordinator, action=kg_matrix["1.1.2"])
    services.result_archive(actor=coordinator, result=kg_matrix["1.2"])
    replacement = make_action(kg_matrix["1.1"], "1.1.2", lead_ministry, title="New mentoring")
    make_result(plan, "1.2", parent=kg_matrix["1"], title="Local decision-making, revised")
    make_indicator(replacement, "1.1.2a", title="Officers mentored")
    assert Action.objects.filter(code="1.1.2").count() == 2


# --------------------------------------------------------------------------- move


def test_move_swaps_siblings_and_records_positions(kg_matrix, coordinator):
    services.action_move(actor=coordinator, action=kg_matrix["1.1.2"], step=-1)
    codes = list(
        Action.objects.filter(result=kg_matrix["1.1"])
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert codes == ["1.1.2", "1.1.1"]
    event = last_event()
    assert (event.event_type, event.actor, event.changes) == (
        "action.moved",
        coordinator,
        {"position": [2, 1]},
    )
    services.result_move(actor=coordinator, result=kg_matrix["1"], step=1)
    assert list(
        Result.objects.filter(parent=None).order_by("order").values_list("code", flat=True)
    ) == ["2", "1"]
    assert last_event().changes == {"position": [1, 2]}


def test_move_past_the_end_changes_nothing(kg_matrix, coordinator):
    before = AuditEvent.objects.count()
    services.result_move(actor=coordinator, result=kg_matrix["1"], step=-1)
    services.action_move(actor=coordinator, action=kg_matrix["1.1.2"], step=1)
    assert AuditEvent.objects.count() == before


def test_archived_item_cannot_be_moved(kg_matrix, coordinator):
    services.action_archive(actor=coordinator, action=kg_matrix["1.1.1"])
    with pytest.raises(ValidationError, match="archived item cannot be moved"):
        services.action_move(actor=coordinator, action=kg_matrix["1.1.1"], step=1)


# --------------------------------------------------------------------------- validation

INVALID = [
    # (case, call, field, message)
    (
        "plan end before start",
        lambda m, o, a: services.plan_create(
            actor=None,
            slug="kg-nap-2024",
            country="KG",
            title="Third NAP",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2023, 12, 31),
            tier_labels=["Objective", "Task", "Measure"],
            languages=["ru"],
        ),
        "period_end",
        "The end date is before the start date.",
    ),
    (
        "plan update end before start",
        lambda m, o, a: services.plan_update(
            actor=a, plan=m["1"].plan, period_end=dt.date(2017, 12, 31)
        ),
        "period_end",
        "The end date is before the start date.",
    ),
    (
        "action end before start",
        lambda m, o, a: services.action_create(
            actor=a,
            result=m["1.1"],
            code="1.1.3",
            title="Study visit to Georgia",
            lead_agency=o["MIA"],
            start=dt.date(2019, 5, 1),
            end=dt.date(2019, 4, 30),
        ),
        "end",
        "The end date is before the start date.",
    ),
    (
        "increase with target below baseline",
        lambda m, o, a: make_indicator(
            m["1.1.1"], "1.1.1b", baseline_value=Decimal("12"), target_value=Decimal("5")
        ),
        "direction",
        "The target (5) is below the baseline (12): the direction should be 'decrease'.",
    ),
    (
        "decrease with target above baseline",
        lambda m, o, a: make_indicator(
            m["1.1.1"],
            "1.1.1b",
            direction="decrease",
            baseline_value=Decimal("200"),
            target_value=Decimal("230"),
        ),
        "direction",
        "The target (230) is above the baseline (200): the direction should be 'increase'.",
    ),
    (
        "stage indicator without stages",
        lambda m, o, a: make_indicator(m["1.1.1"], "1.1.1b", measure="stage", stages=[]),
        "stages",
        "A stage indicator needs at least two stages, in order.",
    ),
    (
        "percentage baseline above 100",
        lambda m, o, a: make_indicator(
            m["1"],
            "1b",
            measure="percentage",
            baseline_value=Decimal("120"),
            target_value=Decimal("130"),
        ),
        "baseline_value",
        "A percentage lies between 0 and 100.",
    ),
    (
        "percentage baseline below 0",
        lambda m, o, a: make_indicator(
            m["1"],
            "1b",
            measure="percentage",
            baseline_value=Decimal("-1"),
            target_value=Decimal("30"),
        ),
        "baseline_value",
        "A percentage lies between 0 and 100.",
    ),
    (
        "duplicate result code",
        lambda m, o, a: make_result(m["1"].plan, "1.1", parent=m["1"]),
        "code",
        "Another item of this plan already uses the code 1.1.",
    ),
    (
        "duplicate action code",
        lambda m, o, a: make_action(m["2.1"], "1.1.1", o["MoE"]),
        "code",
        "Another item of this plan already uses the code 1.1.1.",
    ),
    (
        "duplicate action code on update",
        lambda m, o, a: services.action_update(actor=a, action=m["1.1.2"], code="1.1.1"),
        "code",
        "Another item of this plan already uses the code 1.1.1.",
    ),
    (
        "duplicate indicator code",
        lambda m, o, a: make_indicator(m["2.1.1"], "1a"),
        "code",
        "Another item of this plan already uses the code 1a.",
    ),
    (
        "result deeper than the plan's result tiers",
        lambda m, o, a: make_result(m["1"].plan, "1.1.x", parent=m["1.1"]),
        "parent",
        "This plan has 2 result tiers; a result cannot go deeper.",
    ),
    (
        "pillar below the top tier",
        lambda m, o, a: make_result(m["1"].plan, "1.3", parent=m["1"], pillar=m["1"].pillar),
        "pillar",
        "Only a top-tier result carries a pillar.",
    ),
    (
        "pillar below the top tier on update",
        lambda m, o, a: services.result_update(actor=a, result=m["1.1"], pillar=m["1"].pillar),
        "pillar",
        "Only a top-tier result carries a pillar.",
    ),
    (
        "donor line without funder",
        lambda m, o, a: budget(m["1.1.1"], "100000", "donor", year=2019),
        "funder",
        "Name the donor for donor funding.",
    ),
    (
        "unfunded line secured",
        lambda m, o, a: budget(m["1.1.1"], "100000", "unfunded", secured=True),
        "secured",
        "An unfunded line cannot be secured.",
    ),
    (
        "budget year outside plan period",
        lambda m, o, a: budget(m["1.1.1"], "100000", "state_budget", year=2021),
        "year",
        "The year is outside the plan period (2018–2020).",
    ),
    (
        "negative amount",
        lambda m, o, a: budget(m["1.1.1"], "-5", "state_budget"),
        "amount",
        "Ensure this value is greater than or equal to 0.",
    ),
    (
        "amount too large",
        lambda m, o, a: budget(m["1.1.1"], "1e30", "state_budget"),
        "amount",
        "Ensure that there are no more than 15 digits in total.",
    ),
    (
        "budget line unknown currency",
        lambda m, o, a: budget(m["1.1.1"], "100", "state_budget", currency="K$S"),
        "currency",
        "“K$S” is not an ISO 4217 currency code (e.g. KGS, USD, EUR).",
    ),
    (
        "budget line currency that looks right but does not exist",
        lambda m, o, a: budget(m["1.1.1"], "100", "state_budget", currency="ZZZ"),
        "currency",
        "“ZZZ” is not an ISO 4217 currency code (e.g. KGS, USD, EUR).",
    ),
    (
        "period target outside plan period",
        lambda m, o, a: make_indicator(
            m["1.1.1"], "1.1.1b", period_targets=[(dt.date(2021, 12, 31), Decimal("40"))]
        ),
        "period_targets",
        "The period target of 2021-12-31 is outside the plan period.",
    ),
    (
        "period targets with the same date",
        lambda m, o, a: make_indicator(
            m["1.1.1"],
            "1.1.1b",
            period_targets=[
                (dt.date(2019, 12, 31), Decimal("4")),
                (dt.date(2019, 12, 31), Decimal("5")),
            ],
        ),
        "period_targets",
        "Two period targets have the same date.",
    ),
    (
        "period target too large for the column",
        lambda m, o, a: make_indicator(
            m["1.1.1"], "1.1.1b", period_targets=[(dt.date(2019, 12, 31), Decimal("1e30"))]
        ),
        "period_targets",
        "The period target of 2019-12-31: Ensure that there are no more than 15 digits in total.",
    ),
    (
        "breakdown naming a dimension twice",
        lambda m, o, a: make_indicator(m["1.1.1"], "1.1.1b", breakdowns=[[m["sex"], m["sex"]]]),
        "breakdowns",
        "Breakdown 1 names a dimension twice.",
    ),
    (
        "breakdown declared twice",
        lambda m, o, a: make_indicator(
            m["1.1.1"], "1.1.1b", breakdowns=[[m["rank"], m["sex"]], [m["sex"], m["rank"]]]
        ),
        "breakdowns",
        "Breakdown 2 is declared twice.",
    ),
    (
        "indicator on a result and an action",
        lambda m, o, a: services.indicator_create(
            actor=a, plan=m["1"].plan, result=m["1"], action=m["1.1.1"], code="x1", title="Both"
        ),
        "result",
        "An indicator belongs to one result or one action.",
    ),
    (
        "field a service does not set",
        lambda m, o, a: services.result_update(actor=a, result=m["1"], depth=3),
        "depth",
        "This field cannot be set here.",
    ),
]


@pytest.mark.parametrize(
    ("case", "call", "field", "message"), INVALID, ids=[case[0] for case in INVALID]
)
def test_invalid_input_is_refused_on_the_field_and_nothing_is_written(
    kg_matrix, organisations, coordinator, case, call, field, message
):
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        call(kg_matrix, organisations, coordinator)
    assert caught.value.message_dict[field] == [message]
    assert row_counts() == before


def test_failed_breakdowns_leave_no_indicator_behind(kg_matrix, plan):
    """The indicator row is saved before its breakdowns are checked; the transaction undoes it."""
    other_plan_dimension = services.plan_create(
        actor=None,
        slug="kg-nap-2012",
        country="KG",
        title="First NAP",
        period_start=dt.date(2013, 1, 1),
        period_end=dt.date(2015, 12, 31),
        tier_labels=["Objective", "Measure"],
        languages=["ru"],
    ).dimensions.get(key="sex")
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        make_indicator(kg_matrix["1.1.1"], "1.1.1b", breakdowns=[[other_plan_dimension]])
    assert caught.value.message_dict == {
        "breakdowns": ["Breakdown 1 uses a dimension of another plan."]
    }
    assert row_counts() == before
    assert not Indicator.objects.filter(code="1.1.1b").exists()


# --------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("start", "end", "warnings"),
    [
        (dt.date(2018, 3, 1), dt.date(2018, 12, 31), []),
        (dt.date(2017, 10, 1), dt.date(2018, 12, 31), ["Starts before the plan period."]),
        (dt.date(2019, 1, 1), dt.date(2021, 6, 30), ["Ends after the plan period."]),
        (
            dt.date(2017, 1, 1),
            dt.date(2022, 1, 1),
            ["Starts before the plan period.", "Ends after the plan period."],
        ),
        (dt.date(2019, 1, 1), None, ["No end date: the action is not time-bound."]),
    ],
)
def test_dates_outside_the_plan_period_are_warnings_not_errors(
    framework, coordinator, lead_ministry, start, end, warnings
):
    action = services.action_create(
        actor=coordinator,
        result=framework["task"],
        code="1.1.9",
        title="Study visit of the working group to Georgia",
        lead_agency=lead_ministry,
        start=start,
        end=end,
    )
    assert Action.objects.filter(pk=action.pk).exists()
    assert action.timeframe_warnings() == warnings


# --------------------------------------------------------------------------- budget arithmetic


def test_budget_amounts_are_exact_decimals(framework, plan):
    budget(framework["action"], "0.10", "state_budget", year=2019)
    budget(framework["action"], "0.20", "state_budget", year=2019)
    matrix = selectors.implementation_matrix(plan)
    (totals,) = matrix.budgets
    assert totals.currency == "KGS"
    assert totals.total == Decimal("0.30")
    assert totals.by_source == {"state_budget": Decimal("0.30")}
    assert isinstance(totals.total, Decimal)
    assert str(totals.total) == "0.30"


def test_budget_in_another_currency_is_totalled_apart(framework, plan):
    budget(framework["action"], "1000000", "state_budget", year=2019)
    budget(
        framework["action"],
        "25000",
        "donor",
        currency="usd",
        funder=OrganisationFactory(name="European Union", acronym="EU", kind="donor"),
    )
    currencies = [(t.currency, t.total) for t in selectors.implementation_matrix(plan).budgets]
    assert currencies == [("KGS", Decimal("1000000")), ("USD", Decimal("25000"))]


# --------------------------------------------------------------------------- after adoption

FRAMEWORK_CHANGES = [
    (
        "result_create",
        lambda m, o, a, r: services.result_create(
            actor=a, plan=m["1"].plan, parent=m["1"], code="1.3", title="Women mediators", reason=r
        ),
    ),
    (
        "result_update",
        lambda m, o, a, r: services.result_update(
            actor=a, result=m["1.1"], title="Women in the security sector and the army", reason=r
        ),
    ),
    (
        "result_archive",
        lambda m, o, a, r: services.result_archive(actor=a, result=m["1.2"], reason=r),
    ),
    (
        "result_move",
        lambda m, o, a, r: services.result_move(actor=a, result=m["1.2"], step=-1, reason=r),
    ),
    (
        "action_create",
        lambda m, o, a, r: services.action_create(
            actor=a,
            result=m["2.1"],
            code="2.1.2",
            title="Hotline for survivors",
            lead_agency=o["MLSD"],
            reason=r,
        ),
    ),
    (
        "action_update",
        lambda m, o, a, r: services.action_update(
            actor=a, action=m["1.1.2"], end=dt.date(2020, 6, 30), reason=r
        ),
    ),
    (
        "action_archive",
        lambda m, o, a, r: services.action_archive(actor=a, action=m["1.1.2"], reason=r),
    ),
    (
        "action_move",
        lambda m, o, a, r: services.action_move(actor=a, action=m["1.1.2"], step=-1, reason=r),
    ),
    (
        "indicator_create",
        lambda m, o, a, r: services.indicator_create(
            actor=a,
            plan=m["1"].plan,
            action=m["2.1.1"],
            code="2.1.1b",
            title="Schools covered",
            reason=r,
        ),
    ),
    (
        "indicator_update",
        lambda m, o, a, r: services.indicator_update(
            actor=a, indicator=m["2.1.1a"], target_value=Decimal("150"), reason=r
        ),
    ),
    (
        "indicator_archive",
        lambda m, o, a, r: services.indicator_archive(actor=a, indicator=m["2.1.1a"], reason=r),
    ),
    (
        "budget_line_create",
        lambda m, o, a, r: services.budget_line_create(
            actor=a,
            action=m["1.2.1"],
            amount=Decimal("50000"),
            funding_source="state_budget",
            reason=r,
        ),
    ),
    (
        "budget_line_update",
        lambda m, o, a, r: services.budget_line_update(
            actor=a, line=m["budget 1.2.1"], amount=Decimal("800000"), reason=r
        ),
    ),
    (
        "budget_line_archive",
        lambda m, o, a, r: services.budget_line_archive(actor=a, line=m["budget 1.2.1"], reason=r),
    ),
]


@pytest.mark.parametrize("status", ["adopted", "implementing"])
@pytest.mark.parametrize(
    ("name", "change"), FRAMEWORK_CHANGES, ids=[c[0] for c in FRAMEWORK_CHANGES]
)
def test_after_adoption_every_change_needs_a_reason(
    kg_matrix, organisations, coordinator, plan, status, name, change
):
    adopt(plan, status)
    objects = _fresh(kg_matrix, organisations)
    before = row_counts()
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            change(objects, organisations, coordinator, blank)
        assert caught.value.message_dict == {
            "reason": ["This plan is adopted: give a reason for the change."]
        }
        assert row_counts() == before

    objects = _fresh(kg_matrix, organisations)
    reason = "Amended by government decree No. 95 of 2019"
    change(objects, organisations, coordinator, reason)
    event = last_event()
    assert event.event_type.split(".")[0] == name.rsplit("_", 1)[0]
    assert event.actor == coordinator
    assert event.reason == reason


def test_during_drafting_no_reason_is_needed(kg_matrix, coordinator):
    services.result_update(actor=coordinator, result=kg_matrix["1.1"], title="Women in the army")
    assert last_event().reason == ""
