"""The matrix's forms through the web as a signed-in coordinator: create, edit, refuse, no 500."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nap1325.core.models import AuditEvent
from nap1325.plans import services
from nap1325.plans.models import Action, BudgetLine, Indicator, Result
from tests.factories import budget, make_plan, make_result


@pytest.fixture
def client(login, coordinator):
    return login(coordinator)


def url(name: str, plan, *args: object, query: str = "") -> str:
    return reverse(f"plans:{name}", args=[plan.slug, *args]) + query


def field_errors(response, field: str) -> list[str]:
    """The messages shown next to ``field`` (``<p class="error" id="id_<field>_error">``)."""
    page = response.content.decode()
    return [
        html.unescape(message)
        for message in re.findall(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page)
    ]


def top_errors(response) -> list[str]:
    page = response.content.decode()
    block = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    return (
        [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []
    )


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


INDICATOR = {
    "title_en": "Women police officers who completed the mentoring programme",
    "unit_en": "officers",
    "measure": "number",
    "time_aggregation": "sum",
    "direction": "increase",
    "baseline_value": "0",
    "target_value": "200",
    "frequency": "half_yearly",
    "means_of_verification_en": "Programme attendance records",
}
ACTION = {
    "title_en": "Study visit of the working group to Georgia",
    "start": "2019-04-01",
    "end": "2019-04-30",
    "geographic_level": "national",
    "status": "not_started",
}
BUDGET = {"amount": "350000", "currency": "KGS", "funding_source": "state_budget", "year": "2019"}


# --------------------------------------------------------------------------- create and edit


def test_create_objective_and_task(client, plan, pillars):
    page = client.get(url("result_create", plan))
    assert page.status_code == 200
    assert "Add: Objective" in page.content.decode()
    response = client.post(
        url("result_create", plan),
        {
            "code": "3",
            "title_en": "Protection of women and girls in crises",
            "pillar": pillars["protection"].pk,
        },
    )
    objective = Result.objects.get(code="3")
    assert response.status_code == 302
    assert response["Location"] == url("matrix", plan) + f"#result-{objective.pk}"
    assert (objective.depth, objective.pillar.key) == (0, "protection")

    form = client.get(url("result_create", plan, query=f"?parent={objective.pk}")).content.decode()
    assert "Add: Task" in form
    assert 'name="pillar"' not in form  # only the top tier carries a pillar
    response = client.post(
        url("result_create", plan, query=f"?parent={objective.pk}"),
        {"code": "3.1", "title_en": "Crisis centres in every region"},
    )
    assert response.status_code == 302
    task = Result.objects.get(code="3.1")
    assert (task.parent, task.depth) == (objective, 1)
    assert last_event().event_type == "result.created"


def test_edit_result_is_audited_with_old_and_new(client, framework, plan, coordinator):
    objective = framework["objective"]
    form = client.get(url("result_edit", plan, objective.pk)).content.decode()
    assert "Women&#x27;s participation in peace and security" in form
    response = client.post(
        url("result_edit", plan, objective.pk),
        {
            "code": "1",
            "title_en": "Women's participation in decision-making on peace and security",
            "is_published": "on",  # the box as the form shows it (ticked)
        },
    )
    assert response.status_code == 302
    event = last_event()
    assert (event.event_type, event.actor) == ("result.updated", coordinator)
    assert event.changes == {
        "title_en": [
            "Women's participation in peace and security",
            "Women's participation in decision-making on peace and security",
        ]
    }


def test_create_and_edit_action(client, framework, plan, organisations, coordinator):
    response = client.post(
        url("action_create", plan, framework["task"].pk),
        {
            **ACTION,
            "code": "1.1.2",
            "lead_agency": organisations["MIA"].pk,
            "partners": [organisations["UN Women"].pk, organisations["OSCE"].pk],
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(code="1.1.2")
    assert response["Location"].endswith(f"#action-{action.pk}")
    assert {p.short_name for p in action.partners.all()} == {"UN Women", "OSCE"}
    assert action.end == dt.date(2019, 4, 30)

    response = client.post(
        url("action_edit", plan, action.pk),
        {
            **ACTION,
            "code": "1.1.2",
            "lead_agency": organisations["MIA"].pk,
            "partners": [organisations["UN Women"].pk],
            "end": "2019-05-15",
            "status": "completed",
        },
    )
    assert response.status_code == 302
    event = last_event()
    assert (event.event_type, event.actor) == ("action.updated", coordinator)
    assert event.changes == {
        "partners": [
            sorted([organisations["UN Women"].pk, organisations["OSCE"].pk]),
            [organisations["UN Women"].pk],
        ],
        "end": ["2019-04-30", "2019-05-15"],
        "status": ["not_started", "completed"],
    }


def test_create_indicator_with_breakdowns_and_period_targets(client, kg_matrix, plan):
    action = kg_matrix["1.1.2"]
    form = client.get(url("indicator_create", plan, query=f"?action={action.pk}")).content.decode()
    assert "Dimensions of this plan: Sex, Rank." in form
    response = client.post(
        url("indicator_create", plan),
        {
            **INDICATOR,
            "action": action.pk,
            "code": "1.1.2b",
            "time_aggregation": "latest",
            "breakdowns": "sex\nrank × sex",
            "period_targets": "2019-12-31 = 80\n31.12.2020 = 200",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="1.1.2b")
    assert indicator.action == action
    assert [str(b) for b in indicator.breakdowns.all()] == ["Sex", "Rank × Sex"]
    assert [(t.due, t.value) for t in indicator.period_targets.all()] == [
        (dt.date(2019, 12, 31), Decimal("80")),
        (dt.date(2020, 12, 31), Decimal("200")),
    ]
    # The edit form gives back what was typed, in the same words.
    edit = client.get(url("indicator_edit", plan, indicator.pk))
    assert edit.context["form"].initial["breakdowns"] == "Sex\nRank × Sex"
    assert edit.context["form"].initial["period_targets"] == "2019-12-31 = 80\n2020-12-31 = 200"


def test_create_stage_indicator_on_a_result(client, kg_matrix, plan):
    response = client.post(
        url("indicator_create", plan),
        {
            **INDICATOR,
            "result": kg_matrix["2"].pk,
            "code": "2a",
            "title_en": "Law on protection from family violence amended",
            "measure": "stage",
            "baseline_value": "",
            "target_value": "",
            "stages": "Draft prepared\nPassed first reading\nAdopted",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="2a")
    assert (indicator.result, indicator.stages) == (
        kg_matrix["2"],
        ["Draft prepared", "Passed first reading", "Adopted"],
    )


def test_edit_indicator_is_audited(client, kg_matrix, plan, coordinator):
    indicator = kg_matrix["1.1.2a"]
    response = client.post(
        url("indicator_edit", plan, indicator.pk),
        {**INDICATOR, "code": "1.1.2a", "target_value": "250", "breakdowns": "Rank × Sex"},
    )
    assert response.status_code == 302
    event = last_event()
    assert (event.event_type, event.actor) == ("indicator.updated", coordinator)
    assert event.changes["target_value"] == ["200.0000", "250"]
    assert "breakdowns" not in event.changes  # unchanged
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("250")


def test_create_and_edit_budget_line(client, kg_matrix, plan, organisations, coordinator):
    action = kg_matrix["1.2.1"]
    response = client.post(
        url("budget_line_create", plan, action.pk),
        {
            "description": "Regional trainings in Osh and Batken",
            "amount": "480000.50",
            "currency": "KGS",
            "funding_source": "donor",
            "funder": organisations["UN Women"].pk,
            "year": "2020",
            "secured": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#action-{action.pk}")
    line = BudgetLine.objects.get(description="Regional trainings in Osh and Batken")
    assert (line.amount, line.funder, line.secured) == (
        Decimal("480000.50"),
        organisations["UN Women"],
        True,
    )
    response = client.post(
        url("budget_line_edit", plan, line.pk),
        {
            **BUDGET,
            "description": line.description,
            "amount": "500000",
            "funding_source": "state_budget",
        },
    )
    assert response.status_code == 302
    event = last_event()
    assert (event.event_type, event.actor) == ("budget_line.updated", coordinator)
    assert event.changes["amount"] == ["480000.50", "500000"]
    assert event.changes["funding_source"] == ["donor", "state_budget"]
    assert event.changes["secured"] == [True, False]


# --------------------------------------------------------------------------- bad input

BAD_INPUT = [
    # (case, url name, url args, query, data, field, message)
    (
        "text in baseline",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "baseline_value": "Yes"},
        "baseline_value",
        "Enter a number.",
    ),
    (
        "text in target",
        "indicator_edit",
        lambda m: [m["1.1.2a"].pk],
        "",
        {**INDICATOR, "code": "1.1.2a", "target_value": "two hundred"},
        "target_value",
        "Enter a number.",
    ),
    (
        "huge baseline",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "baseline_value": "1e30"},
        "baseline_value",
        "Ensure that there are no more than 15 digits in total.",
    ),
    (
        "action end before start",
        "action_create",
        lambda m: [m["1.1"].pk],
        "",
        {
            **ACTION,
            "code": "1.1.9",
            "lead_agency": "{mia}",
            "start": "2019-05-01",
            "end": "2019-04-30",
        },
        "end",
        "The end date is before the start date.",
    ),
    (
        "action edit end before start",
        "action_edit",
        lambda m: [m["1.1.1"].pk],
        "",
        {
            **ACTION,
            "code": "1.1.1",
            "lead_agency": "{mia}",
            "start": "2019-05-01",
            "end": "2018-01-01",
        },
        "end",
        "The end date is before the start date.",
    ),
    (
        "impossible date",
        "action_create",
        lambda m: [m["1.1"].pk],
        "",
        {**ACTION, "code": "1.1.9", "lead_agency": "{mia}", "end": "2019-02-30"},
        "end",
        "Enter a valid date.",
    ),
    (
        "missing lead agency",
        "action_create",
        lambda m: [m["1.1"].pk],
        "",
        {**ACTION, "code": "1.1.9"},
        "lead_agency",
        "This field is required.",
    ),
    (
        "unknown lead agency",
        "action_create",
        lambda m: [m["1.1"].pk],
        "",
        {**ACTION, "code": "1.1.9", "lead_agency": "999999"},
        "lead_agency",
        "Select a valid choice. That choice is not one of the available choices.",
    ),
    (
        "lead agency also partner",
        "action_create",
        lambda m: [m["1.1"].pk],
        "",
        {**ACTION, "code": "1.1.9", "lead_agency": "{mia}", "partners": ["{mia}"]},
        "partners",
        "The lead agency cannot also be a partner.",
    ),
    (
        "duplicate action code",
        "action_create",
        lambda m: [m["2.1"].pk],
        "",
        {**ACTION, "code": "1.1.1", "lead_agency": "{mia}"},
        "code",
        "Another item of this plan already uses the code 1.1.1.",
    ),
    (
        "duplicate result code",
        "result_create",
        lambda m: [],
        "",
        {"code": "2", "title_en": "Second objective again"},
        "code",
        "Another item of this plan already uses the code 2.",
    ),
    (
        "bad code characters",
        "result_create",
        lambda m: [],
        "",
        {"code": "1 . 2", "title_en": "Spaces"},
        "code",
        "Use letters, digits and . - _ / only, e.g. 1.2.3.",
    ),
    (
        "unknown dimension in breakdowns",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "breakdowns": "sex\nrank × caste"},
        "breakdowns",
        "Line 2: unknown dimension “caste”.",
    ),
    (
        "dimension twice in a breakdown",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "breakdowns": "sex x sex"},
        "breakdowns",
        "Line 1 names a dimension twice.",
    ),
    (
        "period target without =",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "period_targets": "2019-12-31 = 80\n2020-12-31 200"},
        "period_targets",
        "Line 2: write date = value, e.g. 2019-12-31 = 40.",
    ),
    (
        "period target with a bad date",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "period_targets": "2019-31-12 = 80"},
        "period_targets",
        "Line 1: “2019-31-12” is not a date (use 2019-12-31 or 31.12.2019).",
    ),
    (
        "period target with text value",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "period_targets": "2019-12-31 = eighty"},
        "period_targets",
        "Line 1: “eighty” is not a number.",
    ),
    (
        "period target outside the plan",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "period_targets": "2021-12-31 = 80"},
        "period_targets",
        "The period target of 2021-12-31 is outside the plan period.",
    ),
    (
        "period target too large",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "period_targets": "2019-12-31 = 1e30"},
        "period_targets",
        "The period target of 2019-12-31: Ensure that there are no more than 15 digits in total.",
    ),
    (
        "stage measure without stages",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "measure": "stage", "stages": "Adopted"},
        "stages",
        "A stage indicator needs at least two stages, in order.",
    ),
    (
        "stage repeated",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "measure": "stage", "stages": "Draft\nDraft"},
        "stages",
        "Each stage must appear once.",
    ),
    (
        "increase with target below baseline",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {**INDICATOR, "code": "x1", "baseline_value": "200", "target_value": "120"},
        "direction",
        "The target (120) is below the baseline (200): the direction should be 'decrease'.",
    ),
    (
        "percentage above 100",
        "indicator_create",
        lambda m: [],
        "?action={a}",
        {
            **INDICATOR,
            "code": "x1",
            "measure": "percentage",
            "baseline_value": "9.5",
            "target_value": "150",
        },
        "target_value",
        "A percentage lies between 0 and 100.",
    ),
    (
        "huge amount",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "amount": "1e30"},
        "amount",
        "Ensure that there are no more than 15 digits in total.",
    ),
    (
        "negative amount",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "amount": "-350000"},
        "amount",
        "Ensure this value is greater than or equal to 0.",
    ),
    (
        "amount in words",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "amount": "350 thousand"},
        "amount",
        "Enter a number.",
    ),
    (
        "amount not a number",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "amount": "NaN"},
        "amount",
        "Enter a number.",
    ),
    (
        "donor without funder",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "funding_source": "donor"},
        "funder",
        "Name the donor for donor funding.",
    ),
    (
        "unfunded but secured",
        "budget_line_edit",
        lambda m: [m["budget 1.2.1"].pk],
        "",
        {**BUDGET, "funding_source": "unfunded", "secured": "on"},
        "secured",
        "An unfunded line cannot be secured.",
    ),
    (
        "year outside the plan",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "year": "2023"},
        "year",
        "The year is outside the plan period (2018–2020).",
    ),
    (
        "year absurd",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "year": "99999"},
        "year",
        "Ensure this value is less than or equal to 2100.",
    ),
    (
        "bad currency",
        "budget_line_create",
        lambda m: [m["1.1.1"].pk],
        "",
        {**BUDGET, "currency": "K1S"},
        "currency",
        "“K1S” is not an ISO 4217 currency code (e.g. KGS, USD, EUR).",
    ),
]


def _fill(data: dict, organisations: dict) -> dict:
    mia = str(organisations["MIA"].pk)
    filled = {}
    for key, value in data.items():
        if isinstance(value, list):
            filled[key] = [mia if v == "{mia}" else v for v in value]
        else:
            filled[key] = mia if value == "{mia}" else value
    return filled


@pytest.mark.parametrize(
    ("case", "name", "args", "query", "data", "field", "message"),
    BAD_INPUT,
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_answers_400_with_the_message_next_to_the_field(
    client, kg_matrix, plan, organisations, case, name, args, query, data, field, message
):
    action = kg_matrix["1.1.1"]
    target = url(name, plan, *args(kg_matrix), query=query.format(a=action.pk))
    payload = _fill(data, organisations)
    if query.startswith("?action"):
        payload["action"] = action.pk
    counts = (
        Result.objects.count(),
        Action.objects.count(),
        Indicator.objects.count(),
        BudgetLine.objects.count(),
        AuditEvent.objects.count(),
    )
    response = client.post(target, payload)
    assert response.status_code == 400
    errors = field_errors(response, field)
    assert errors[:1] == [message], (errors, top_errors(response))
    assert 'class="form-errors"' in response.content.decode()
    assert (
        Result.objects.count(),
        Action.objects.count(),
        Indicator.objects.count(),
        BudgetLine.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_typed_values_are_kept_after_an_error(client, kg_matrix, plan):
    response = client.post(
        url("indicator_create", plan),
        {
            **INDICATOR,
            "action": kg_matrix["1.1.1"].pk,
            "code": "x1",
            "baseline_value": "Yes",
            "breakdowns": "rank × sex",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Yes"' in page
    assert "rank × sex</textarea>" in page


EDIT_PAGES = [
    ("result_create", lambda m: [], ""),
    ("result_create", lambda m: [], "?parent={objective}"),
    ("result_edit", lambda m: [m["1"].pk], ""),
    ("action_create", lambda m: [m["1.1"].pk], ""),
    ("action_edit", lambda m: [m["1.1.1"].pk], ""),
    ("indicator_create", lambda m: [], "?action={action}"),
    ("indicator_create", lambda m: [], "?result={objective}"),
    ("indicator_edit", lambda m: [m["1.1.2a"].pk], ""),
    ("budget_line_create", lambda m: [m["1.1.1"].pk], ""),
    ("budget_line_edit", lambda m: [m["budget 1.1.1"].pk], ""),
]


@pytest.mark.parametrize(("name", "args", "query"), EDIT_PAGES)
def test_empty_post_answers_400_never_500(client, kg_matrix, plan, name, args, query):
    target = url(
        name,
        plan,
        *args(kg_matrix),
        query=query.format(objective=kg_matrix["1"].pk, action=kg_matrix["1.1.1"].pk),
    )
    assert client.get(target).status_code == 200
    before = AuditEvent.objects.count()
    response = client.post(target, {})
    if name == "indicator_create":  # the owner travels in the form; without it, no such page
        assert response.status_code == 404
    else:
        assert response.status_code == 400
        assert field_errors(response, "code" if "budget" not in name else "amount") == [
            "This field is required."
        ]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("name", "args", "query"),
    [
        ("result_create", lambda m, o: [], "?parent={other_result}"),
        ("result_create", lambda m, o: [], "?parent={task}"),  # deepest result tier
        ("result_create", lambda m, o: [], "?parent=99999999999999999999999"),
        ("result_edit", lambda m, o: [o["result"].pk], ""),
        ("action_create", lambda m, o: [o["result"].pk], ""),
        ("action_edit", lambda m, o: [o["action"].pk], ""),
        ("indicator_create", lambda m, o: [], "?result={other_result}"),
        ("indicator_create", lambda m, o: [], "?action={other_action}"),
        ("indicator_create", lambda m, o: [], ""),
        ("indicator_create", lambda m, o: [], "?result={task}&action={other_action}"),
        ("indicator_create", lambda m, o: [], "?action=abc"),
        ("budget_line_create", lambda m, o: [o["action"].pk], ""),
        ("budget_line_edit", lambda m, o: [o["line"].pk], ""),
        ("archive", lambda m, o: ["action", o["action"].pk], ""),
        ("archive", lambda m, o: ["plan", m["1"].pk], ""),
        ("archive", lambda m, o: ["action", 99999999999999999999999], ""),
        ("move", lambda m, o: ["result", o["result"].pk], "?step=1"),
        ("move", lambda m, o: ["result", m["1"].pk], "?step=5"),
        ("move", lambda m, o: ["result", m["1"].pk], "?step=abc"),
        ("move", lambda m, o: ["indicator", m["1a"].pk], "?step=1"),
    ],
)
def test_other_plans_objects_and_nonsense_ids_are_404(
    client, kg_matrix, plan, organisations, name, args, query
):
    other_plan = make_plan(slug="kg-nap-2012", title="First NAP 2013–2015", generation=1)
    other_result = make_result(other_plan, "1", title="Participation")
    other_task = make_result(other_plan, "1.1", parent=other_result, title="Security sector")
    other_action = services.action_create(
        actor=None, result=other_task, code="1.1.1", title="Quota", lead_agency=organisations["MIA"]
    )
    other = {"result": other_result, "action": other_action, "line": budget(other_action, "1000")}
    target = url(
        name,
        plan,
        *args(kg_matrix, other),
        query=query.format(
            other_result=other_result.pk, other_action=other_action.pk, task=kg_matrix["1.1"].pk
        ),
    )
    assert client.get(target).status_code == 404
    assert client.post(target, {"code": "9", "title_en": "x", "reason": ""}).status_code == 404


# --------------------------------------------------------------------------- archive and move


def test_archive_asks_for_confirmation_then_archives(client, kg_matrix, plan, coordinator):
    action = kg_matrix["1.1.2"]
    target = url("archive", plan, "action", action.pk)
    page = client.get(target)
    assert page.status_code == 200
    content = html.unescape(page.content.decode())
    assert "Archive 1.1.2 Mentoring programme for women officers of the police?" in content
    assert "Archived items leave the matrix and every total." in content
    assert not Action.objects.get(pk=action.pk).is_archived

    response = client.post(target, {"reason": "Covered by the OSCE programme"})
    assert response.status_code == 302
    assert response["Location"] == url("matrix", plan)
    assert Action.objects.get(pk=action.pk).is_archived
    event = last_event()
    assert (event.event_type, event.actor, event.reason) == (
        "action.archived",
        coordinator,
        "Covered by the OSCE programme",
    )
    assert client.get(target).status_code == 404  # gone from the edit pages too
    matrix = client.get(url("matrix", plan)).content.decode()
    assert f'id="action-{action.pk}"' not in matrix


@pytest.mark.parametrize(
    ("kind", "key"), [("result", "1.2"), ("indicator", "1a"), ("budget_line", "budget 1.2.1")]
)
def test_archive_other_kinds(client, kg_matrix, plan, kind, key):
    obj = kg_matrix[key]
    assert client.get(url("archive", plan, kind, obj.pk)).status_code == 200
    assert client.post(url("archive", plan, kind, obj.pk), {"reason": ""}).status_code == 302
    assert type(obj).objects.get(pk=obj.pk).is_archived
    assert last_event().event_type == f"{kind}.archived"


def test_move_asks_for_confirmation_then_moves(client, kg_matrix, plan):
    action = kg_matrix["1.1.2"]
    target = url("move", plan, "action", action.pk, query="?step=-1")
    page = client.get(target)
    assert page.status_code == 200
    assert "Move 1.1.2 Mentoring programme for women officers of the police up" in html.unescape(
        page.content.decode()
    )
    assert 'name="step" value="-1"' in page.content.decode()
    response = client.post(url("move", plan, "action", action.pk), {"step": "-1"})
    assert response.status_code == 302
    assert response["Location"] == url("matrix", plan) + f"#action-{action.pk}"
    codes = list(
        Action.objects.filter(result=kg_matrix["1.1"])
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert codes == ["1.1.2", "1.1.1"]
    assert last_event().changes == {"position": [2, 1]}


# --------------------------------------------------------------------------- after adoption


@pytest.fixture
def adopted(plan):
    return services.plan_update(
        actor=None,
        plan=plan,
        status="implementing",
        legal_act_number="Government decree No. 513",
        legal_act_date=dt.date(2018, 3, 16),
    )


ADOPTED_CHANGES = [
    (
        "result_edit",
        lambda m: [m["1.1"].pk],
        "",
        {"code": "1.1", "title_en": "Women in the security sector and the army"},
    ),
    (
        "result_create",
        lambda m: [],
        "?parent={objective}",
        {"code": "1.3", "title_en": "Women mediators"},
    ),
    (
        "action_edit",
        lambda m: [m["1.1.2"].pk],
        "",
        {**ACTION, "code": "1.1.2", "lead_agency": "{mia}"},
    ),
    (
        "indicator_edit",
        lambda m: [m["1.1.2a"].pk],
        "",
        {**INDICATOR, "code": "1.1.2a", "target_value": "250", "breakdowns": "rank × sex"},
    ),
    (
        "budget_line_edit",
        lambda m: [m["budget 1.2.1"].pk],
        "",
        {**BUDGET, "funding_source": "unfunded", "amount": "850000"},
    ),
    ("budget_line_create", lambda m: [m["1.2.1"].pk], "", BUDGET),
    ("archive", lambda m: ["indicator", m["1a"].pk], "", {}),
    ("move", lambda m: ["action", m["1.1.2"].pk], "", {"step": "-1"}),
]


@pytest.mark.parametrize(
    ("name", "args", "query", "data"), ADOPTED_CHANGES, ids=[c[0] for c in ADOPTED_CHANGES]
)
def test_after_adoption_the_forms_require_a_reason(
    client, kg_matrix, plan, organisations, adopted, coordinator, name, args, query, data
):
    target = url(name, plan, *args(kg_matrix), query=query.format(objective=kg_matrix["1"].pk))
    get_target = target + ("?step=-1" if name == "move" else "")
    form = client.get(get_target)
    assert form.status_code == 200
    assert "Reason for the change" in form.content.decode()

    before = AuditEvent.objects.count()
    response = client.post(target, {**_fill(data, organisations), "reason": "  "})
    assert response.status_code == 400
    assert field_errors(response, "reason") in (
        ["This field is required."],
        ["This plan is adopted: give a reason for the change."],
    )
    assert AuditEvent.objects.count() == before

    reason = "Amended by government decree No. 95 of 14 February 2019"
    response = client.post(target, {**_fill(data, organisations), "reason": reason})
    assert response.status_code == 302
    event = last_event()
    assert (event.actor, event.reason) == (coordinator, reason)


def test_after_adoption_moves_go_through_a_confirm_page(client, kg_matrix, plan, adopted):
    matrix = client.get(url("matrix", plan)).content.decode()
    link = url("move", plan, "action", kg_matrix["1.1.2"].pk) + "?step=-1"
    assert f'href="{link}"' in matrix


def test_archive_confirmation_lists_what_goes_with_a_result(kg_matrix, plan, coordinator, login):
    """Archiving objective 1 says how many items and how much budget go with it."""
    from django.urls import reverse

    from nap1325.plans import selectors
    from nap1325.plans.models import Result

    objective = Result.objects.get(plan=plan, code="1")
    assert selectors.archive_impact(objective) == selectors.ArchiveImpact(
        results=2, actions=3, indicators=4, budget_lines=3, budget={"KGS": Decimal("1850000")}
    )
    page = login(coordinator).get(
        reverse("plans:archive", args=[plan.slug, "result", objective.pk])
    )
    text = " ".join(page.content.decode().split())
    assert "Archived with it:" in text
    for expected in ("2 results below it", "3 actions", "4 indicators", "3 budget lines"):
        assert expected in text
    assert "1,850,000.00 KGS" in text or "1 850 000.00 KGS" in text


def test_double_clicked_save_creates_one_budget_line(client, kg_matrix, plan, coordinator):
    """The form's one-time token makes a repeated POST go where the first one went."""
    action = kg_matrix["1.2.1"]
    page = client.get(url("budget_line_create", plan, action.pk))
    token = re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)
    data = {**BUDGET, "description": "Printing of the NAP in Kyrgyz", "submission": token}
    first = client.post(url("budget_line_create", plan, action.pk), data)
    second = client.post(url("budget_line_create", plan, action.pk), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert BudgetLine.objects.filter(description="Printing of the NAP in Kyrgyz").count() == 1
    # a fresh form (new token) adds a second line on purpose
    again = client.get(url("budget_line_create", plan, action.pk))
    fresh = re.search(r'name="submission" value="([^"]+)"', again.content.decode()).group(1)
    assert fresh != token
    client.post(url("budget_line_create", plan, action.pk), {**data, "submission": fresh})
    assert BudgetLine.objects.filter(description="Printing of the NAP in Kyrgyz").count() == 2


def test_a_refused_form_keeps_its_token_for_the_corrected_post(client, kg_matrix, plan):
    action = kg_matrix["1.2.1"]
    data = {**BUDGET, "amount": "abc", "description": "Translation", "submission": "t" * 32}
    refused = client.post(url("budget_line_create", plan, action.pk), data)
    assert refused.status_code == 400
    assert 'value="' + "t" * 32 + '"' in refused.content.decode()
    fixed = client.post(url("budget_line_create", plan, action.pk), {**data, "amount": "1000"})
    assert fixed.status_code == 302
    assert BudgetLine.objects.filter(description="Translation").count() == 1
