"""The dashboards' stored aggregate (``monitoring.DashboardAggregate``): added up once per
change of the plan, never shown out of date after a write (docs/decisions.md,
"Dashboards: added up once per change")."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nap1325.api.services import api_token_create
from nap1325.core.audit import plan_change_count
from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.export import export_logframe
from nap1325.interchange.values_import import import_values, parse_mapping
from nap1325.monitoring import dashboards, services
from nap1325.monitoring.models import AgencyReport, DashboardAggregate
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans import services as plan_services
from nap1325.plans.models import Action, BudgetLine, Indicator, Plan, Result
from nap1325.plans.visibility import public_scope
from tests.factories import budget, make_action, make_indicator, make_plan, make_result
from tests.monitoring.test_dashboards import approve, approve_updates, second_coordinator
from tests.monitoring.test_report_workbook import download, fill, keys, upload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 6, 30)


def board(
    r,
    *,
    public: bool = False,
    organisation=None,
    as_of: dt.date = TODAY,
    expand: bool = False,
    language: str | None = None,
):
    """The dashboard as a reader gets it (stored aggregate or added up again): the plan as
    a request loads it, the first section listed in full with ``expand``."""
    plan = Plan.objects.get(pk=r.plan.pk)
    scope = public_scope(plan) if public else None
    section = None
    if expand:
        section = (
            Result.objects.filter(plan=plan, parent=None, is_archived=False)
            .order_by("order", "id")
            .values_list("pk", flat=True)
            .first()
        )
    with translation.override(language or translation.get_language()):
        return dashboards.plan_dashboard(
            plan, as_of=as_of, scope=scope, organisation=organisation, expand=section
        )


def added_up_again(r, **options):
    """The same dashboard with every stored aggregate thrown away first."""
    DashboardAggregate.objects.all().delete()
    return board(r, **options)


def figures(data) -> dict:
    """What a reader checks first on a dashboard."""
    return {
        "indicators": data.indicator_count,
        "statuses": dict(data.summary.numeric),
        "actions reporting": data.actions_reporting,
        "actions": data.actions_total,
        "planned": data.budget.planned,
        "spent": data.budget.spent,
        "listed": sorted(
            item.info.code
            for section in data.sections
            for item in [*section.numeric_shown, *section.qualitative_shown]
        ),
    }


def _approve_value(r):
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(120))})


def _approve_update(r):
    approve_updates(
        r, r.q2, r.ministry, {r.action: UpdateInput(status="in_progress", progress=Decimal(40))}
    )


def _add_budget_line(r):
    budget(r.action, "2500", "donor", funder=r.other_ministry)


def _archive_indicator(r):
    plan_services.indicator_archive(actor=r.coordinator, indicator=r.share)


def _unpublish_indicator(r):
    plan_services.indicator_update(actor=r.coordinator, indicator=r.share, is_published=False)


@pytest.mark.parametrize(
    "write, public, changed",
    [
        (_approve_value, False, "statuses"),
        (_approve_update, False, "actions reporting"),
        (_add_budget_line, False, "planned"),
        (_archive_indicator, False, "indicators"),
        (_archive_indicator, True, "indicators"),
        (_unpublish_indicator, True, "indicators"),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_a_write_is_on_the_next_dashboard(reporting, write, public, changed):
    r = reporting
    plan_services.plan_publish(actor=r.coordinator, plan=r.plan)
    before = figures(board(r, public=public))
    stored = DashboardAggregate.objects.get(plan=r.plan)
    assert stored.plan_changes == plan_change_count(r.plan.pk)
    assert figures(board(r, public=public)) == before  # unchanged: read from the row

    write(r)

    after = figures(board(r, public=public))
    assert after[changed] != before[changed]
    assert after == figures(added_up_again(r, public=public))


def test_the_stored_row_is_what_adding_up_gives_and_is_kept_per_scope(reporting):
    r = reporting
    _approve_value(r)
    _approve_update(r)
    _add_budget_line(r)
    for options in ({}, {"organisation": r.ministry}):
        first = figures(board(r, **options))
        assert figures(board(r, **options)) == first == figures(added_up_again(r, **options))
    board(r)
    board(r, organisation=r.ministry)
    assert sorted(DashboardAggregate.objects.values_list("scope", flat=True)) == [
        f"organisation:{r.ministry.pk}",
        "plan",
    ]


def test_another_day_adds_up_again(reporting):
    """A numeric status depends on the day (target to date): a row holds for its day only."""
    r = reporting
    _approve_value(r)
    board(r, as_of=TODAY)
    later = dt.date(2020, 12, 31)
    assert figures(board(r, as_of=later)) == figures(added_up_again(r, as_of=later))
    assert DashboardAggregate.objects.get(plan=r.plan, scope="plan").as_of == later


def test_every_audited_write_counts_a_change(reporting):
    r = reporting
    count = plan_change_count(r.plan.pk)
    plan_services.indicator_update(actor=r.coordinator, indicator=r.share, title="Renamed")
    assert plan_change_count(r.plan.pk) == count + 1


def test_refresh_command_throws_the_stored_aggregates_away(reporting):
    """For rows changed outside the services (no audit event, so no count of a change)."""
    from io import StringIO

    from django.core.management import call_command

    r = reporting
    board(r)
    assert DashboardAggregate.objects.filter(plan=r.plan).exists()
    call_command("refresh_assessments", r.plan.slug, stdout=StringIO())
    assert not DashboardAggregate.objects.filter(plan=r.plan).exists()


# --------------------------------------------------------------------------- every write path
#
# Each path that changes what a dashboard adds up, through the code a user's request runs
# (services, imports, the API, the admin). Every scope is read first, so each has a stored
# row; after the write each scope is read again (stored row or added up) and must equal the
# same dashboard added up from nothing.

#: The dashboards a write may leave out of date: the plan's, each agency's, the portal's,
#: a section listed in full, the page in another language.
SCOPES = {
    "plan": {},
    "ministry": {"organisation": "ministry"},
    "other ministry": {"organisation": "other_ministry"},
    "public": {"public": True},
    "expanded": {"expand": True},
    "russian": {"language": "ru"},
}


def _options(r, scope: dict) -> dict:
    options = dict(scope)
    if "organisation" in options:
        options["organisation"] = getattr(r, options["organisation"])
    return options


def _second_objective(r):
    """Objective 2 with an action of the other ministry and more indicators than a section
    lists (so which rows are listed depends on their statuses), some reported."""
    objective = make_result(r.plan, "2", title="Protection")
    task = make_result(r.plan, "2.1", parent=objective, title="Protection services")
    action = make_action(task, "2.1.1", r.other_ministry, weight=Decimal(2))
    budget(action, "1200", "donor", funder=r.ministry)
    values = {}
    for n in range(dashboards.ROW_LIMIT + 2):
        indicator = make_indicator(
            action,
            f"P{n:02d}",
            measure=Indicator.Measure.NUMBER,
            time_aggregation=Indicator.TimeAggregation.LATEST,
            baseline_value=Decimal(0),
            target_value=Decimal(100),
        )
        if n % 3:
            values[indicator] = ValueInput(value=Decimal(10 * n))
    approve(r, r.q1, r.other_ministry, values)
    make_indicator(objective, "R1", measure=Indicator.Measure.YES_NO, target_value=Decimal(1))
    assert Action.objects.filter(plan=r.plan).count() == 3
    return objective


@pytest.fixture
def busy(reporting):
    """``reporting`` published, with approved values, action updates, budget and a second
    objective: something to show in every scope."""
    r = reporting
    plan_services.plan_publish(actor=r.coordinator, plan=r.plan)
    _second_objective(r)
    approve_updates(
        r,
        r.q1,
        r.ministry,
        {
            r.action: UpdateInput(
                status="in_progress", progress=Decimal(30), expenditure=Decimal(70)
            )
        },
        {
            r.trained: ValueInput(value=Decimal(80)),
            r.share: ValueInput(numerator=Decimal(20), denominator=Decimal(100)),
            r.law: ValueInput(yes_no=False),
        },
    )
    approve(r, r.q2, r.other_ministry, {_indicator(r, "P01"): ValueInput(value=Decimal(95))})
    budget(r.action, "1000", "state_budget")
    return r


def _indicator(r, code: str):
    return Indicator.objects.get(plan=r.plan, code=code)


def _objective(r, code: str):
    return Result.objects.get(plan=r.plan, code=code)


def _report(r, period, organisation):
    return AgencyReport.objects.get(period=period, organisation=organisation)


# the writes, each through the path a user takes ------------------------------------------


def _reopen_and_approve_corrected(r):
    report = _report(r, r.q1, r.ministry)
    report = services.agency_report_reopen(
        actor=r.coordinator, report=report, version=report.version, reason="typo"
    )
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(390))})


def _reopen_only(r):
    report = _report(r, r.q1, r.ministry)
    services.agency_report_reopen(
        actor=r.coordinator, report=report, version=report.version, reason="check"
    )


def _submit_and_return(r):
    report = services.agency_report_open(actor=r.focal_point, period=r.q2, organisation=r.ministry)
    report = services.agency_report_save(
        actor=r.focal_point,
        report=report,
        version=report.version,
        values={r.trained.pk: ValueInput(value=Decimal(999))},
    )
    report = services.agency_report_submit(
        actor=r.focal_point, report=report, version=report.version
    )
    services.agency_report_return(
        actor=r.coordinator, report=report, version=report.version, reason="no source"
    )


def _unpublish_result(r):
    plan_services.result_update(actor=r.coordinator, result=_objective(r, "2"), is_published=False)


def _unpublish_action(r):
    plan_services.action_update(actor=r.coordinator, action=r.action, is_published=False)


def _unpublish_plan(r):
    plan_services.plan_unpublish(actor=r.coordinator, plan=r.plan)


def _archive_result(r):
    plan_services.result_archive(actor=r.coordinator, result=_objective(r, "2.1"))


def _archive_action(r):
    plan_services.action_archive(actor=r.coordinator, action=r.action)


def _archive_budget_line(r):
    line = r.action.budget_lines.get(is_archived=False, amount=Decimal(1000))
    plan_services.budget_line_archive(actor=r.coordinator, line=line)


def _change_budget_line(r):
    line = r.action.budget_lines.get(is_archived=False, amount=Decimal(1000))
    plan_services.budget_line_update(actor=r.coordinator, line=line, amount=Decimal("1500.25"))


def _move_result(r):
    plan_services.result_move(actor=r.coordinator, result=_objective(r, "2"), step=-1)


def _move_action(r):
    plan_services.action_move(actor=r.coordinator, action=r.action, step=1)


def _new_lead_agency(r):
    plan_services.action_update(actor=r.coordinator, action=r.action, lead_agency=r.other_ministry)


def _new_responsible_organisation(r):
    plan_services.indicator_update(
        actor=r.coordinator, indicator=r.share, responsible_organisation=r.other_ministry
    )


def _new_target(r):
    plan_services.indicator_update(
        actor=r.coordinator, indicator=r.trained, target_value=Decimal(80)
    )


def _new_period_targets(r):
    plan_services.indicator_update(
        actor=r.coordinator,
        indicator=r.trained,
        period_targets=[(dt.date(2019, 6, 30), Decimal(50))],
    )


def _new_indicator(r):
    make_indicator(r.action, "I9", measure=Indicator.Measure.YES_NO, target_value=Decimal(1))


def _new_action(r):
    action = make_action(r.action.result, "1.1.3", r.ministry, weight=Decimal(1))
    budget(action, "300", "donor", funder=r.other_ministry)


def _move_period(r):
    """Q2 before Q1: the latest value of a "latest" indicator becomes Q1's."""
    services.reporting_period_update(
        actor=r.coordinator,
        period=r.q2,
        start=dt.date(2018, 10, 1),
        end=dt.date(2018, 12, 31),
        due=dt.date(2019, 1, 15),
    )


def _shorter_plan(r):
    plan_services.plan_update(actor=r.coordinator, plan=r.plan, period_end=dt.date(2019, 12, 31))


def _adopt(r):
    plan_services.plan_adopt(
        actor=r.coordinator,
        plan=r.plan,
        legal_act_number="12",
        legal_act_date=dt.date(2019, 1, 10),
        legal_act_issuer="Government",
        label="Adopted",
    )


def _import_values(r, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("code,period,agency,value\nI1,2019 Q2,MoES,140\nI3,2019 Q2,MoES,yes\n")
    import_values(
        plan=r.plan,
        paths=[path],
        mapping=parse_mapping(
            {"indicator": "code", "period": "period", "organisation": "agency", "value": "value"}
        ),
        username=r.coordinator.username,
    )


def _import_logframe(r, tmp_path):
    book = load_workbook(io.BytesIO(export_logframe(r.plan, language="en")))
    sheet = book["indicators"]
    head = {cell.value: cell.column for cell in sheet[1] if cell.value}
    row = next(n for n in range(3, sheet.max_row + 1) if sheet.cell(n, head["code"]).value == "I1")
    sheet.cell(row, head["target_value"]).value = "100"
    path = tmp_path / "logframe.xlsx"
    book.save(path)
    result = import_logframe(r.plan, path, actor=r.coordinator)
    assert [str(p) for p in result.all_problems] == [] and result.applied


def _upload_workbook_and_approve(r, tmp_path, login):
    report = services.agency_report_open(actor=r.focal_point, period=r.q2, organisation=r.ministry)
    client = login(r.focal_point)
    content = fill(download(client, report), "Indicators", {keys(r)["trained"]: {"Value": "333"}})
    assert upload(client, report, content).status_code == 302
    report.refresh_from_db()
    report = services.agency_report_submit(
        actor=r.focal_point, report=report, version=report.version
    )
    services.agency_report_approve(
        actor=second_coordinator(r), report=report, version=report.version
    )


def _approve_through_the_api(r, tmp_path, login):
    q3 = services.reporting_period_create(
        actor=r.coordinator,
        plan=r.plan,
        label="2019 Q3",
        start=dt.date(2019, 7, 1),
        end=dt.date(2019, 9, 30),
        due=dt.date(2019, 10, 15),
    )
    report = services.agency_report_open(
        actor=r.other_focal_point, period=q3, organisation=r.other_ministry
    )

    def client(user):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=None, user=user).key}")
        return api

    def url(name):
        return reverse(f"api:{name}", kwargs={"slug": r.plan.slug, "pk": report.pk})

    focal = client(r.other_focal_point)
    answer = focal.patch(
        url("report"),
        {"version": report.version, "values": [{"indicator": _code(r, "P00"), "value": "55"}]},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    answer = focal.post(url("submit"), {"version": answer.json()["version"]}, format="json")
    assert answer.status_code == 200, answer.json()
    answer = client(second_coordinator(r)).post(
        url("approve"), {"version": answer.json()["version"]}, format="json"
    )
    assert answer.status_code == 200, answer.json()


def _code(r, code: str) -> int:
    return _indicator(r, code).pk


def _admin_changes_a_budget_line(r, tmp_path, login, admin_user):
    line = r.action.budget_lines.get(is_archived=False, amount=Decimal(1000))
    data = {k: v for k, v in model_to_dict(line).items() if v is not None}
    data["amount"] = "4321"
    answer = login(admin_user).post(reverse("admin:plans_budgetline_change", args=[line.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    line.refresh_from_db()
    assert line.amount == Decimal(4321)


def _admin_deletes_a_budget_line(r, tmp_path, login, admin_user):
    line = r.action.budget_lines.get(is_archived=False, amount=Decimal(1000))
    answer = login(admin_user).post(
        reverse("admin:plans_budgetline_delete", args=[line.pk]), {"post": "yes"}
    )
    assert answer.status_code == 302
    assert not r.action.budget_lines.filter(pk=line.pk).exists()


def _admin_deletes_selected_budget_lines(r, tmp_path, login, admin_user):
    lines = list(
        BudgetLine.objects.filter(action__plan=r.plan, is_archived=False).values_list(
            "pk", flat=True
        )
    )
    answer = login(admin_user).post(
        reverse("admin:plans_budgetline_changelist"),
        {"action": "delete_selected", "_selected_action": lines, "post": "yes"},
    )
    assert answer.status_code == 302
    assert not BudgetLine.objects.filter(pk__in=lines).exists()


def _admin_deletes_selected_indicators(r, tmp_path, login, admin_user):
    answer = login(admin_user).post(
        reverse("admin:plans_indicator_changelist"),
        {"action": "delete_selected", "_selected_action": [_code(r, "R1")], "post": "yes"},
    )
    assert answer.status_code == 302
    assert not Indicator.objects.filter(plan=r.plan, code="R1").exists()


def _approve_value_q2(r):
    approve(r, r.q2, r.ministry, {r.trained: ValueInput(value=Decimal(120))})


SERVICE_WRITES = [
    _approve_value_q2,
    _approve_update,
    _reopen_and_approve_corrected,
    _reopen_only,
    _submit_and_return,
    _unpublish_indicator,
    _unpublish_result,
    _unpublish_action,
    _unpublish_plan,
    _archive_indicator,
    _archive_action,
    _archive_result,
    _add_budget_line,
    _change_budget_line,
    _archive_budget_line,
    _move_result,
    _move_action,
    _new_lead_agency,
    _new_responsible_organisation,
    _new_target,
    _new_period_targets,
    _new_indicator,
    _new_action,
    _move_period,
    _shorter_plan,
    _adopt,
]

REQUEST_WRITES = [
    _import_values,
    _import_logframe,
    _upload_workbook_and_approve,
    _approve_through_the_api,
    _admin_changes_a_budget_line,
    _admin_deletes_a_budget_line,
    _admin_deletes_selected_budget_lines,
    _admin_deletes_selected_indicators,
]


def _read_every_scope(r) -> dict:
    return {name: board(r, **_options(r, scope)) for name, scope in SCOPES.items()}


def added(data) -> tuple:
    """Everything on a dashboard that is added up over the plan (the stored part)."""
    return (
        figures(data),
        data.summary,
        data.action_status,
        data.progress,
        data.budget,
        [
            (
                section.pk,
                section.summary,
                section.action_status,
                section.progress,
                section.results,
                section.planned,
                section.spent,
                section.numeric_count,
                section.qualitative_count,
                [
                    (item.info.code, item.status)
                    for item in [*section.numeric_shown, *section.qualitative_shown]
                ],
            )
            for section in data.sections
        ],
    )


#: Writes after which every dashboard adds up to what it showed before.
SAME_FIGURES = {"_reopen_only", "_submit_and_return", "_adopt", "_move_action"}


def _assert_current(r, before: dict, *, changes: bool = True) -> None:
    """Every scope as read now (stored rows) equals that scope added up from nothing."""
    got = _read_every_scope(r)
    expected = {}
    for name, scope in SCOPES.items():
        expected[name] = added_up_again(r, **_options(r, scope))
    stale = [name for name in SCOPES if got[name] != expected[name]]
    assert not stale, {
        name: {"shown": figures(got[name]), "added up": figures(expected[name])} for name in stale
    }
    changed = [name for name in SCOPES if added(got[name]) != added(before[name])]
    assert bool(changed) == changes, changed


@pytest.mark.parametrize("write", SERVICE_WRITES, ids=lambda write: write.__name__.strip("_"))
def test_every_service_write_is_on_every_next_dashboard(busy, write):
    r = busy
    before = _read_every_scope(r)
    assert DashboardAggregate.objects.filter(plan=r.plan).count() == 4  # plan, 2 agencies, public
    write(r)
    _assert_current(r, before, changes=write.__name__ not in SAME_FIGURES)


@pytest.mark.parametrize("write", REQUEST_WRITES, ids=lambda write: write.__name__.strip("_"))
def test_every_import_api_and_admin_write_is_on_every_next_dashboard(
    busy, write, tmp_path, login, admin_user
):
    r = busy
    before = _read_every_scope(r)
    parameters = write.__code__.co_varnames[: write.__code__.co_argcount]
    extra = {"tmp_path": tmp_path, "login": login, "admin_user": admin_user}
    write(r, *(extra[name] for name in parameters[1:]))
    _assert_current(r, before, changes=write.__name__ not in SAME_FIGURES)


def test_an_item_moved_to_another_plan_in_the_admin_leaves_both_plans_current(
    busy, login, admin_user
):
    """The admin may point a budget line at an action of another plan: the plan it left
    must count a change too, not only the plan it joined."""
    r = busy
    other_plan = make_plan(slug="other-plan")
    elsewhere = make_action(make_result(other_plan, "1"), "1.1", r.ministry)
    before = _read_every_scope(r)
    line = r.action.budget_lines.get(is_archived=False, amount=Decimal(1000))
    data = {k: v for k, v in model_to_dict(line).items() if v is not None}
    data["action"] = elsewhere.pk
    answer = login(admin_user).post(reverse("admin:plans_budgetline_change", args=[line.pk]), data)
    assert answer.status_code == 302
    _assert_current(r, before)


def test_an_admin_edit_of_a_target_assesses_the_indicator_again(busy, login, admin_user):
    """The stored assessment under the dashboards follows an admin edit as it follows the
    matrix's (the services re-assess their own writes; plans.admin.ReassessedAdmin)."""
    from tests.monitoring.test_assessments import assert_fresh

    r = busy
    board(r)
    indicator = r.trained
    data = {k: v for k, v in model_to_dict(indicator).items() if v is not None}
    data.update(
        {
            "target_value": "10",
            "stages": "[]",
            "framework_indicators": [],
            "period_targets-TOTAL_FORMS": "0",
            "period_targets-INITIAL_FORMS": "0",
        }
    )
    answer = login(admin_user).post(
        reverse("admin:plans_indicator_change", args=[indicator.pk]), data
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal(10)
    assert_fresh(r.plan, indicator)


def test_the_admin_shows_but_does_not_set_the_archived_flag_of_results_and_actions(
    busy, login, admin_user
):
    """Archiving a result or action archives what is below it: only the matrix does that."""
    r = busy
    client = login(admin_user)
    for name, obj in (("result", r.action.result), ("action", r.action)):
        page = client.get(reverse(f"admin:plans_{name}_change", args=[obj.pk])).content.decode()
        assert 'name="is_archived"' not in page


def test_stage_and_yes_no_updates_count_every_period_on_every_database(reporting):
    """A stage reported in two periods has two updates, on SQLite and on PostgreSQL (the
    PostgreSQL path once read only each reporter's latest period)."""
    r = reporting
    approve(r, r.q1, r.ministry, {r.stage: ValueInput(stage=0), r.law: ValueInput(yes_no=False)})
    approve(r, r.q2, r.ministry, {r.stage: ValueInput(stage=2), r.law: ValueInput(yes_no=True)})
    found = dashboards.stored_summaries(r.plan, [r.stage.pk, r.law.pk], as_of=TODAY)
    assert (found[r.stage.pk].history, found[r.law.pk].history) == (2, 2)
