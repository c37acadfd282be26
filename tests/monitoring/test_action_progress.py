"""Stored action progress and the per-result sums the dashboards read (issue 3 point 7).

* After every service that changes official action updates or the order of periods, the
  ``ActionProgress`` table equals a fresh computation from the official updates; a source
  scan fails if a new writer of official updates appears without refreshing it.
* The per-result groups added up by PostgreSQL (``GROUP BY``) equal those added up in
  Python, and the dashboards' roll-up from them equals :func:`measurement.roll_up` over
  the actions one by one (DESIGN.md §5 "Roll-up").
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

import nap1325
from nap1325.measurement import Progress, roll_up
from nap1325.monitoring import services
from nap1325.monitoring.dashboards import (
    NO_UPDATE,
    _action_groups_in_python,
    _action_groups_in_sql,
    _latest_updates_in_python,
    _latest_updates_in_sql,
    _Tree,
    action_progress_rebuild,
    plan_dashboard,
    plan_snapshot,
)
from nap1325.monitoring.models import ActionProgress, ActionUpdate
from nap1325.monitoring.services import UpdateInput
from nap1325.plans.models import Action, Result
from nap1325.plans.visibility import PublicScope
from tests.factories import OrganisationFactory, budget, make_action, make_result
from tests.monitoring.test_dashboards import approve_updates, second_coordinator

pytestmark = pytest.mark.django_db

D = Decimal


def stored(plan) -> dict[int, tuple]:
    return {
        row.action_id: (row.status, row.progress, row.spent)
        for row in ActionProgress.objects.filter(plan=plan)
    }


def by_hand(plan) -> dict[int, tuple]:
    """The latest official update per action and Σ expenditure, read row by row."""
    chosen: dict[tuple[int, int], ActionUpdate] = {}
    for update in ActionUpdate.objects.filter(report__plan=plan, is_official=True).select_related(
        "report__period", "report"
    ):
        key = (update.action_id, update.report.period_id)
        best = chosen.get(key)
        if best is None or (update.report.approved_at, update.pk) > (
            best.report.approved_at,
            best.pk,
        ):
            chosen[key] = update
    found: dict[int, tuple] = {}
    for action_id in {action for action, _period in chosen}:
        mine = [u for (a, _p), u in chosen.items() if a == action_id]
        last = max(mine, key=lambda u: (u.report.period.end, -u.report.period.start.toordinal()))
        amounts = [u.expenditure for u in mine if u.expenditure is not None]
        found[action_id] = (last.status, last.progress, sum(amounts) if amounts else None)
    return found


def assert_fresh(plan) -> None:
    assert stored(plan) == by_hand(plan)


def update(status="in_progress", progress=None, expenditure=None) -> UpdateInput:
    return UpdateInput(
        status=status,
        progress=None if progress is None else D(progress),
        expenditure=None if expenditure is None else D(expenditure),
    )


# --------------------------------------------------------------------------- writers


def test_approval_stores_latest_update_and_spending(reporting):
    r = reporting
    approve_updates(r, r.q1, r.ministry, {r.action: update(progress=20, expenditure=100)})
    assert stored(r.plan) == {r.action.pk: ("in_progress", D(20), D(100))}
    approve_updates(
        r, r.q2, r.ministry, {r.action: update("completed", progress=100, expenditure="50.25")}
    )
    assert stored(r.plan) == {r.action.pk: ("completed", D(100), D("150.25"))}
    assert_fresh(r.plan)


def test_reopened_and_approved_again_replaces_the_stored_row(reporting):
    r = reporting
    report = approve_updates(r, r.q1, r.ministry, {r.action: update(progress=20)})
    coordinator = second_coordinator(r)
    report = services.agency_report_reopen(
        actor=coordinator, report=report, version=report.version, reason="typo"
    )
    # while reopened, the approved update stays official
    assert stored(r.plan) == {r.action.pk: ("in_progress", D(20), None)}
    report = services.agency_report_save(
        actor=r.focal_point,
        report=report,
        version=report.version,
        values={},
        updates={r.action.pk: update("delayed", progress=25, expenditure=7)},
    )
    report = services.agency_report_submit(
        actor=r.focal_point, report=report, version=report.version
    )
    services.agency_report_approve(actor=r.coordinator, report=report, version=report.version)
    assert stored(r.plan) == {r.action.pk: ("delayed", D(25), D(7))}
    assert_fresh(r.plan)


def test_moving_a_period_changes_which_update_is_latest(reporting):
    r = reporting
    approve_updates(r, r.q1, r.ministry, {r.action: update("in_progress", progress=20)})
    approve_updates(r, r.q2, r.ministry, {r.action: update("delayed", progress=30)})
    assert stored(r.plan)[r.action.pk][:2] == ("delayed", D(30))
    # Q1 moved after Q2 (a correction of its dates): its update is now the latest
    services.reporting_period_update(
        actor=r.coordinator, period=r.q1, start=dt.date(2019, 7, 1), end=dt.date(2019, 9, 30),
        due=dt.date(2019, 10, 15),
    )  # fmt: skip
    assert stored(r.plan)[r.action.pk][:2] == ("in_progress", D(20))
    assert_fresh(r.plan)


def test_dashboard_fills_an_empty_table_once(reporting):
    """Right after the migration (or rows loaded outside the services) the table is empty."""
    r = reporting
    approve_updates(r, r.q1, r.ministry, {r.action: update(progress=40)})
    ActionProgress.objects.all().delete()
    plan_dashboard(r.plan, as_of=dt.date(2019, 6, 1))
    assert_fresh(r.plan)
    assert action_progress_rebuild(r.plan) == Action.objects.filter(plan=r.plan).count()


#: Writes to ``ActionUpdate`` rows: (file, function) → allowed only where the stored
#: progress is refreshed in the same transaction (through ``_publish_official``).
_WRITES = {"create", "bulk_create", "update", "delete", "get_or_create", "update_or_create"}
_KNOWN_WRITERS = {
    ("monitoring/services.py", "_store_updates"),
    ("monitoring/services.py", "_publish_official"),
}


def _writers() -> set[tuple[str, str]]:
    root = Path(nap1325.__file__).parent
    found: set[tuple[str, str]] = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in _WRITES
                    and "ActionUpdate" in ast.unparse(node.func)
                ):
                    found.add((path.relative_to(root).as_posix(), function.name))
    return found


def test_every_writer_of_action_updates_refreshes_the_stored_progress():
    """A new function writing ``ActionUpdate`` rows must be reviewed (and added here) with
    a call to ``action_progress_refresh`` if it writes official ones."""
    assert _writers() == _KNOWN_WRITERS
    source = (Path(nap1325.__file__).parent / "monitoring/services.py").read_text()
    tree = ast.parse(source)
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    # official updates are stored only by _publish_official, which refreshes the table
    official_calls = [
        (name, ast.unparse(call))
        for name, function in functions.items()
        for call in ast.walk(function)
        if isinstance(call, ast.Call)
        and ast.unparse(call.func) == "_store_updates"
        and "official=True" in ast.unparse(call)
    ]
    assert [name for name, _call in official_calls] == ["_publish_official"]
    publish = ast.unparse(functions["_publish_official"])
    assert "action_progress_refresh(" in publish
    assert "action_progress_refresh(" in ast.unparse(functions["reporting_period_update"])


# --------------------------------------------------------------------------- sums per result


#: (weight, latest update (status, progress, expenditure) per period, budget lines)
ACTIONS = [
    (
        None,
        [("in_progress", "20", "100"), ("in_progress", "60", "50.25")],
        [("state_budget", "0.10"), ("state_budget", "0.20")],
    ),
    (None, [("in_progress", "60", None)], [("donor", "1000")]),
    (None, [("completed", "80", "12.5")], [("donor", "10"), ("state_budget", "5")]),
    (None, [], []),
    (None, [("delayed", None, "3")], []),
    ("5", [("in_progress", "33.33", None)], [("own_funds", "7", "USD")]),
    ("3", [("cancelled", "0", "0")], [("unfunded", "1")]),
    ("0", [("in_progress", "66.67", "1.01")], [("donor", "2.5"), ("donor", "2.5")]),
]


@pytest.fixture
def varied(reporting):
    """Three results (one with weights), eight actions of two agencies, two periods."""
    r = reporting
    other = OrganisationFactory(name="Ministry of Interior", acronym="MoI")
    objective = r.action.result.parent
    plain = make_result(r.plan, "1.2", parent=objective)
    weighted = make_result(r.plan, "1.3", parent=objective, weight=D(2))
    updates: dict = {0: {}, 1: {}}
    for n, (weight, history, lines) in enumerate(ACTIONS):
        result = plain if weight is None else weighted
        lead = r.ministry if n % 2 == 0 else other
        action = make_action(
            result, f"{result.code}.{n}", lead, weight=None if weight is None else D(weight)
        )
        for source, amount, *currency in lines:
            extra = {"currency": currency[0]} if currency else {}
            if source == "donor":
                extra["funder"] = other
            budget(action, amount, source, **extra)
        for index, (status, progress, spent) in enumerate(history):
            updates[index].setdefault(lead, {})[action] = update(status, progress, spent)
    for index, report_period in enumerate((r.q1, r.q2)):
        for lead, items in updates[index].items():
            approve_updates(r, report_period, lead, items)
    return r


def test_stored_progress_of_varied_actions(varied):
    assert_fresh(varied.plan)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SUM is exact (numeric) on PostgreSQL only"
)
@pytest.mark.parametrize("agency", [None, "ministry"])
def test_database_sums_equal_python_sums(varied, agency):
    organisation = getattr(varied, agency) if agency else None
    in_sql = _action_groups_in_sql(varied.plan, organisation)
    in_python = _action_groups_in_python(varied.plan, organisation)
    assert in_sql.keys() == in_python.keys()
    for result_id, group in in_python.items():
        assert in_sql[result_id] == group, Result.objects.get(pk=result_id).code


@pytest.mark.parametrize("agency", [None, "ministry", "other_ministry"])
def test_dashboard_roll_up_equals_measurement_roll_up_action_by_action(varied, agency):
    """The nested roll-up from per-result sums = ``roll_up`` over each action's Progress."""
    r = varied
    organisation = getattr(r, agency) if agency else None
    dashboard = plan_dashboard(r.plan, as_of=dt.date(2019, 6, 1), organisation=organisation)
    latest = by_hand(r.plan)
    actions = Action.objects.filter(
        plan=r.plan, is_archived=False, result__is_archived=False
    ).order_by("order", "id")
    if organisation is not None:
        actions = actions.filter(lead_agency=organisation)
    results = list(
        Result.objects.filter(plan=r.plan, is_archived=False)
        .order_by("depth", "order", "id")
        .values("pk", "parent_id", "depth", "code", "title", "weight")
    )
    tree = _Tree(results)

    def expected(pk: int):
        own = [
            Progress(latest[a.pk][1] if a.pk in latest else None, a.weight)
            for a in actions
            if a.result_id == pk
        ]
        children = [expected(child["pk"]).as_child(child["weight"]) for child in tree.children[pk]]
        return roll_up(own + children)

    section = dashboard.sections[0]
    assert section.progress.rollup == expected(section.pk)
    for item in section.results:
        assert item.rollup == expected(item.pk), item.code
    assert dashboard.actions_total == actions.count()
    assert dashboard.actions_reporting == sum(
        1 for a in actions if a.pk in latest and latest[a.pk][1] is not None
    )
    statuses: dict[str, int] = {}
    for a in actions:
        key = latest[a.pk][0] if a.pk in latest else NO_UPDATE
        statuses[key] = statuses.get(key, 0) + 1
    assert dashboard.action_status == {k: v for k, v in statuses.items() if v} | {}
    assert sorted(dashboard.action_status.items()) == sorted(statuses.items())
    spent = [latest[a.pk][2] for a in actions if a.pk in latest and latest[a.pk][2] is not None]
    assert dashboard.budget.spent == sum(spent, D(0))
    planned = sum(
        (
            line.amount
            for a in actions
            for line in a.budget_lines.filter(is_archived=False)
            if line.currency == r.plan.currency
        ),
        D(0),
    )
    assert dashboard.budget.planned == planned


def test_weighted_result_uses_normalised_weights(varied):
    """Result 1.3: weights 5, 3, 0 with progress 33.33, 0, 66.67 → (5×33.33 + 0) / 8."""
    dashboard = plan_dashboard(varied.plan, as_of=dt.date(2019, 6, 1))
    row = next(item for item in dashboard.sections[0].results if item.code == "1.3")
    assert row.rollup.weighted
    assert row.rollup.value == D("166.65") / D(8)
    assert (row.actions_reporting, row.actions_total) == (3, 3)


# --------------------------------------------------------------------------- assessment owners


def owners(plan) -> dict[int, tuple]:
    from nap1325.monitoring.models import IndicatorAssessment

    return {
        row.indicator_id: (row.result_key, row.action_lead, row.reporter)
        for row in IndicatorAssessment.objects.filter(plan=plan)
    }


def owners_by_hand(plan) -> dict[int, tuple]:
    from nap1325.plans.models import Indicator

    found = {}
    for indicator in Indicator.objects.filter(plan=plan).select_related("action"):
        action = indicator.action
        found[indicator.pk] = (
            action.result_id if action else indicator.result_id,
            action.lead_agency_id if action else None,
            indicator.responsible_organisation_id or (action.lead_agency_id if action else None),
        )
    return found


def test_assessments_know_their_result_lead_and_reporter_after_each_plan_service(reporting):
    """The dashboards count and rank by these copies: every change of them re-assesses."""
    from nap1325.plans import services as plan_services
    from tests.factories import make_indicator

    r = reporting
    assert owners(r.plan) == owners_by_hand(r.plan)
    on_result = make_indicator(r.action.result, "R1", responsible_organisation=r.ministry)
    assert owners(r.plan)[on_result.pk] == (r.action.result_id, None, r.ministry.pk)
    plan_services.action_update(actor=None, action=r.action, lead_agency=r.other_ministry)
    assert owners(r.plan) == owners_by_hand(r.plan)
    plan_services.indicator_update(
        actor=None, indicator=r.trained, responsible_organisation=r.ministry
    )
    assert owners(r.plan) == owners_by_hand(r.plan)


def test_archived_indicators_leave_the_dashboard_counts(reporting):
    from nap1325.plans import services as plan_services

    r = reporting
    day = dt.date(2019, 6, 1)
    before = plan_dashboard(r.plan, as_of=day).indicator_count
    plan_services.indicator_archive(actor=None, indicator=r.law)
    assert plan_dashboard(r.plan, as_of=day).indicator_count == before - 1
    plan_services.action_archive(actor=None, action=r.action)
    assert plan_dashboard(r.plan, as_of=day).indicator_count == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL form runs on PostgreSQL only"
)
@pytest.mark.parametrize("until", [None, dt.date(2019, 3, 31), dt.date(2018, 12, 31)])
def test_latest_updates_in_sql_equal_python(varied, until):
    """The per-action rule (stored progress, and a report as of a past period's end)."""
    r = varied
    ids = sorted(Action.objects.filter(plan=r.plan).values_list("pk", flat=True))
    for kwargs in ({"plan": r.plan}, {"action_ids": ids[:5]}):
        in_sql = _latest_updates_in_sql(**kwargs, until=until)
        assert in_sql == _latest_updates_in_python(**kwargs, until=until), kwargs
    whole = _latest_updates_in_sql(plan=r.plan, until=until)
    if until is None:
        assert {
            pk: (row["status"], row["progress"], row["spent"]) for pk, row in whole.items()
        } == stored(r.plan)
    else:
        assert {pk: (row["status"], row["progress"]) for pk, row in whole.items()} == (
            by_hand_until(r.plan, until)
        )


def test_snapshot_after_the_last_period_counts_actions_as_the_dashboard(varied):
    """A report as of a day after every period = the live dashboard's action figures, the
    one from the official updates, the other from the stored progress (one rule each)."""
    r = varied
    live = plan_dashboard(r.plan, as_of=dt.date(2019, 6, 1))
    past = plan_snapshot(r.plan, until=dt.date(2030, 1, 1), as_of=dt.date(2019, 6, 1)).dashboard
    assert past.action_status == live.action_status
    assert past.progress == live.progress
    assert (past.actions_reporting, past.actions_total) == (
        live.actions_reporting,
        live.actions_total,
    )
    assert past.budget == live.budget
    for before, now in zip(past.sections, live.sections, strict=True):
        assert (before.progress, before.results, before.planned, before.spent) == (
            now.progress,
            now.results,
            now.planned,
            now.spent,
        )
    # as of the end of Q1 only the first period's updates count
    q1 = plan_snapshot(r.plan, until=r.q1.end).dashboard
    first = by_hand_until(r.plan, r.q1.end)
    assert q1.actions_reporting == sum(1 for row in first.values() if row[1] is not None)


def by_hand_until(plan, until) -> dict[int, tuple]:
    """:func:`by_hand` over the updates of periods ending by ``until``."""
    chosen: dict[tuple[int, int], ActionUpdate] = {}
    for update in ActionUpdate.objects.filter(
        report__plan=plan, is_official=True, report__period__end__lte=until
    ).select_related("report__period", "report"):
        key = (update.action_id, update.report.period_id)
        best = chosen.get(key)
        if best is None or (update.report.approved_at, update.pk) > (
            best.report.approved_at,
            best.pk,
        ):
            chosen[key] = update
    latest: dict[int, tuple] = {}
    for (action_id, _period), update in sorted(
        chosen.items(), key=lambda item: item[1].report.period.end
    ):
        latest[action_id] = (update.status, update.progress)
    return latest


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SUM is exact (numeric) on PostgreSQL only"
)
def test_database_sums_equal_python_sums_in_a_public_scope(varied):
    """The portal's scope (a subset of the actions) in the database's GROUP BY and here."""
    r = varied
    ids = sorted(Action.objects.filter(plan=r.plan).values_list("pk", flat=True))
    scope = PublicScope(
        plan=r.plan,
        result_ids=frozenset(Result.objects.filter(plan=r.plan).values_list("pk", flat=True)),
        action_ids=frozenset(ids[::2]),
        indicator_ids=frozenset(),
    )
    in_sql = _action_groups_in_sql(r.plan, None, scope)
    assert in_sql == _action_groups_in_python(r.plan, None, scope)
    assert sum(group.sums.total for group in in_sql.values()) == len(ids[::2])
    empty = PublicScope(r.plan, frozenset(), frozenset(), frozenset())
    assert _action_groups_in_sql(r.plan, None, empty) == {}
