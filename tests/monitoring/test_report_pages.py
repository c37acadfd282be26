"""The agency-report pages: index, periods, the report form and its bad input, review.

Permissions per role, evidence and query budgets are in test_report_access.py,
test_report_evidence.py and test_report_budgets.py.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from nap1325.core.models import AuditEvent
from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportingPeriod
from nap1325.monitoring.services import ValueInput, field_name

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages and URLs in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


State = AgencyReport.State


# --------------------------------------------------------------------------- helpers


def index_url(reporting):
    return reverse("monitoring:index", args=[reporting.plan.slug])


def report_url(report):
    return reverse("monitoring:report", args=[report.plan.slug, report.pk])


def review_url(report):
    return reverse("monitoring:review", args=[report.plan.slug, report.pk])


def open_report(reporting, period=None, organisation=None):
    return services.agency_report_open(
        actor=reporting.coordinator,
        period=period or reporting.q1,
        organisation=organisation or reporting.ministry,
    )


def text(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"')
    return re.sub(r"\s+", " ", html).strip()


def name(indicator, part):
    return field_name("i", indicator.pk, part)


def sex_cells(reporting, women, men):
    breakdown = reporting.trained.breakdowns.get()
    return {
        name(reporting.trained, f"cell-{breakdown.pk}-women"): women,
        name(reporting.trained, f"cell-{breakdown.pk}-men"): men,
    }


def post(client, report, intent="save", version=None, **fields):
    data = {
        "version": str(report.version if version is None else version),
        "narrative": "",
        "intent": intent,
    }
    data.update(fields)
    return client.post(report_url(report), data)


def field_error(response, field: str) -> str:
    """The error messages shown under the input named ``field``."""
    html = response.content.decode()
    match = re.search(rf'id="id_{re.escape(field)}_error">([^<]*)<', html)
    return match.group(1) if match else ""


def input_value(response, field: str) -> str | None:
    html = response.content.decode()
    match = re.search(rf'<input[^>]*name="{re.escape(field)}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def working(report, indicator):
    return IndicatorValue.objects.get(report=report, indicator=indicator, is_official=False)


# --------------------------------------------------------------------------- index


def test_focal_point_sees_their_report_per_period_with_due_date_and_overdue(reporting, login):
    report = open_report(reporting)
    response = login(reporting.focal_point).get(index_url(reporting))
    assert response.status_code == 200
    page = text(response)
    # 2019 Q1 (started, draft) and 2019 Q2 (not started); both are long past due.
    assert re.search(r"2019 Q1 .*2019-04-15 overdue Draft Fill in", page)
    assert re.search(r"2019 Q2 .*2019-07-15 overdue Not started Start the report", page)
    assert report_url(report) in response.content.decode()


def test_focal_point_report_not_overdue_once_submitted_or_before_due(reporting, login):
    report = open_report(reporting)
    report = services.agency_report_save(
        actor=reporting.focal_point,
        report=report,
        version=report.version,
        values={reporting.trained.pk: ValueInput(value=Decimal(3))},
    )
    services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    services.reporting_period_update(
        actor=reporting.coordinator, period=reporting.q2, due=dt.date.today() + dt.timedelta(days=9)
    )
    page = text(login(reporting.focal_point).get(index_url(reporting)))
    assert "overdue" not in page
    assert "Submitted View" in page


def test_starting_a_report_creates_one_draft_and_opens_it(reporting, login):
    client = login(reporting.focal_point)
    url = reverse(
        "monitoring:start", args=[reporting.plan.slug, reporting.q2.pk, reporting.ministry.pk]
    )
    first = client.post(url)
    second = client.post(url)
    report = AgencyReport.objects.get(period=reporting.q2, organisation=reporting.ministry)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == report_url(report)
    assert client.get(url).status_code == 405  # a link crawler never creates reports


def test_coordinator_index_counts_queue_and_who_has_not_reported(reporting, login, lead_ministry):
    from tests.factories import make_indicator

    make_indicator(reporting.action, "I9", responsible_organisation=lead_ministry)
    third = services.agency_report_open(
        actor=reporting.coordinator, period=reporting.q1, organisation=reporting.other_ministry
    )
    mine = open_report(reporting)
    for report in (third, mine):  # MoD submits first, then MoES
        report = services.agency_report_save(
            actor=reporting.coordinator, report=report, version=report.version, narrative="x"
        )
        services.agency_report_submit(
            actor=reporting.coordinator, report=report, version=report.version
        )
    response = login(reporting.coordinator).get(index_url(reporting))
    assert response.status_code == 200
    page = text(response)
    queue = page.split("Review queue", 1)[1].split("Reporting periods", 1)[0]
    assert queue.index("Ministry of Defence") < queue.index("Ministry of Education")
    periods = page.split("Reporting periods", 1)[1]
    q2, q1 = periods.split("2019 Q2", 1)[1].split("2019 Q1", 1)  # the current period first
    assert "2 of 3 organisations reported" in q1
    assert "0 Draft 2 Submitted 0 Returned for revision 0 Approved 0 Reopened" in q1
    assert "1 organisation has not reported yet" in q1
    assert "Ministry of Internal Affairs (MIA) — due 2019-04-15 overdue" in q1
    assert "0 of 3 organisations reported" in q2
    assert "3 organisations have not reported yet" in q2


# --------------------------------------------------------------------------- periods


def test_coordinator_creates_and_edits_a_period(reporting, login):
    client = login(reporting.coordinator)
    url = reverse("monitoring:period_create", args=[reporting.plan.slug])
    response = client.post(
        url, {"label": "2019 H2", "start": "2019-07-01", "end": "2019-12-31", "due": "2020-01-31"}
    )
    period = ReportingPeriod.objects.get(plan=reporting.plan, label="2019 H2")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "monitoring:period", args=[reporting.plan.slug, period.pk]
    )
    edit = reverse("monitoring:period_edit", args=[reporting.plan.slug, period.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "label": "2019 second half",
            "start": "2019-07-01",
            "end": "2019-12-31",
            "due": "2020-02-15",
        },
    )
    period.refresh_from_db()
    assert response.status_code == 302
    assert (period.label, period.due) == ("2019 second half", dt.date(2020, 2, 15))


@pytest.mark.parametrize(
    "start, end, field, message",
    [
        (
            "2019-03-01",
            "2019-05-31",
            "start",
            "This period overlaps the period 2019 Q1 (2019-01-01 – 2019-03-31).",
        ),
        ("2019-09-01", "2019-07-01", "end", "The period ends before it starts."),
        ("1 July", "2019-12-31", "start", "Enter a valid date."),
    ],
)
def test_bad_period_gets_a_message_on_the_field(reporting, login, start, end, field, message):
    client = login(reporting.coordinator)
    url = reverse("monitoring:period_create", args=[reporting.plan.slug])
    response = client.post(url, {"label": "Bad", "start": start, "end": end, "due": "2020-01-31"})
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert input_value(response, "start") == start  # nothing typed is lost
    assert not ReportingPeriod.objects.filter(label="Bad").exists()


def test_editing_a_period_into_an_overlap_names_the_other_period(reporting, login):
    edit = reverse("monitoring:period_edit", args=[reporting.plan.slug, reporting.q2.pk])
    response = login(reporting.coordinator).post(
        edit, {"label": "2019 Q2", "start": "2019-03-15", "end": "2019-06-30", "due": "2019-07-15"}
    )
    assert response.status_code == 400
    assert "overlaps the period 2019 Q1" in field_error(response, "start")


def test_closing_and_opening_a_period_with_a_reason(reporting, login):
    client = login(reporting.coordinator)
    url = reverse("monitoring:period_state", args=[reporting.plan.slug, reporting.q1.pk])
    page = text(
        client.get(reverse("monitoring:period", args=[reporting.plan.slug, reporting.q1.pk]))
    )
    assert "Close the period" in page
    response = client.post(url, {"state": "closed", "reason": "Deadline passed"})
    assert response.status_code == 302
    reporting.q1.refresh_from_db()
    assert reporting.q1.state == "closed"
    event = AuditEvent.objects.get(event_type="reporting_period.closed")
    assert event.reason == "Deadline passed"
    page = text(client.get(response["Location"]))
    assert "Closed" in page and "Open the period again" in page
    client.post(url, {"state": "open", "reason": ""})
    reporting.q1.refresh_from_db()
    assert reporting.q1.is_open


def test_period_page_lists_every_organisation_with_its_report(reporting, login):
    report = open_report(reporting)
    url = reverse("monitoring:period", args=[reporting.plan.slug, reporting.q1.pk])
    page = text(login(reporting.coordinator).get(url))
    assert "Ministry of Education and Science (MoES) Draft overdue" in page
    assert "Ministry of Defence (MoD) Not started overdue" in page
    assert report_url(report) in login(reporting.coordinator).get(url).content.decode()


# --------------------------------------------------------------------------- the report form


def test_the_form_has_every_indicator_and_action_of_the_scope(reporting, login):
    report = open_report(reporting)
    response = login(reporting.focal_point).get(report_url(report))
    assert response.status_code == 200
    html = response.content.decode()
    for field in [
        name(reporting.trained, "value"),
        *sex_cells(reporting, "", "").keys(),
        name(reporting.share, "numerator"),
        name(reporting.share, "denominator"),
        name(reporting.law, "yes_no"),
        name(reporting.stage, "stage"),
        name(reporting.trained, "no_data"),
        name(reporting.trained, "no_data_reason"),
        name(reporting.trained, "comment"),
        field_name("a", reporting.action.pk, "status"),
        field_name("a", reporting.action.pk, "progress"),
        field_name("a", reporting.action.pk, "narrative"),
        field_name("a", reporting.action.pk, "expenditure"),
        "narrative",
    ]:
        assert f'name="{field}"' in html, field
    assert f'name="version" value="{report.version}"' in html
    for option in ("Drafted", "Consulted", "Adopted"):
        assert f">{option}</option>" in html
    assert "nap1325/report-form.js" in html
    assert " on" not in re.findall(r"<[^>]+>", html)[0]  # no inline handlers below
    assert not re.search(r"\son(click|input|change|submit)=", html)


def test_saving_a_draft_stores_every_kind_of_value(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    response = post(
        client,
        report,
        **{
            name(reporting.trained, "value"): " 120 ",
            **sex_cells(reporting, "70", "50"),
            name(reporting.trained, "comment"): "From the training registers",
            name(reporting.share, "numerator"): "40",
            name(reporting.share, "denominator"): "220",
            name(reporting.law, "yes_no"): "yes",
            name(reporting.stage, "stage"): "1",
            field_name("a", reporting.action.pk, "status"): "in_progress",
            field_name("a", reporting.action.pk, "progress"): "62,5",
            field_name("a", reporting.action.pk, "expenditure"): "15000.50",
            field_name("a", reporting.action.pk, "narrative"): "Two trainings held",
            "narrative": "Good progress",
        },
    )
    assert response.status_code == 302 and response["Location"] == report_url(report)
    report.refresh_from_db()
    values, updates = services.read_entries(report, official=False)
    breakdown = reporting.trained.breakdowns.get()
    assert values[reporting.trained.pk].value == Decimal(120)
    assert values[reporting.trained.pk].cells == {
        breakdown.pk: {"women": Decimal(70), "men": Decimal(50)}
    }
    assert (values[reporting.share.pk].numerator, values[reporting.share.pk].denominator) == (
        40,
        220,
    )
    assert values[reporting.law.pk].yes_no is True
    assert values[reporting.stage.pk].stage == 1
    update = updates[reporting.action.pk]
    assert (update.status, update.progress, update.expenditure) == (
        "in_progress",
        Decimal("62.5"),
        Decimal("15000.50"),
    )
    assert report.narrative == "Good progress" and report.state == State.DRAFT
    page = client.get(report_url(report))
    shown = text(page)
    assert "= 18.2 % (40/220)" in shown
    assert "sex breakdown complete: 120 of 120" in shown
    assert input_value(page, name(reporting.share, "numerator")) == "40"


@pytest.mark.parametrize(
    "field, typed, other, message",
    [
        ("value", "twelve", {}, "Enter a number, for example 12 or 12,5."),
        (
            "value",
            "1 234",
            {},
            "Enter the number without thousands separators, for example 1234.5 or 1234,5.",
        ),
        ("denominator", "0", {"numerator": "5"}, "The denominator must be more than 0."),
        (
            "numerator",
            "25",
            {"denominator": "20"},
            "The numerator (25) is larger than the denominator (20).",
        ),
        ("numerator", "N/A", {"denominator": "20"}, "Enter a number, for example 12 or 12,5."),
    ],
)
def test_bad_numbers_get_a_message_on_that_field_and_keep_what_was_typed(
    reporting, login, field, typed, other, message
):
    report = open_report(reporting)
    indicator = reporting.trained if field == "value" else reporting.share
    fields = {name(indicator, field): typed}
    fields.update({name(indicator, key): value for key, value in other.items()})
    fields["narrative"] = "kept narrative"
    fields[name(reporting.law, "yes_no")] = "no"
    response = post(login(reporting.focal_point), report, **fields)
    assert response.status_code == 400
    assert field_error(response, name(indicator, field)) == message
    for key, value in fields.items():
        if key == "narrative":
            assert "kept narrative</textarea>" in response.content.decode()
        elif key.endswith("yes_no"):
            assert '<option value="no" selected>' in response.content.decode()
        else:
            assert input_value(response, key) == value
    assert not IndicatorValue.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.narrative == ""


def test_breakdown_that_does_not_add_up_is_accepted_and_flagged(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    response = post(
        client,
        report,
        **{name(reporting.trained, "value"): "120", **sex_cells(reporting, "70", "45")},
    )
    assert response.status_code == 302
    assert working(report, reporting.trained).value == Decimal(120)
    page = text(client.get(report_url(report)))
    assert "sex breakdown incomplete: 115 of 120" in page


def test_check_totals_works_without_javascript_and_saves_nothing(reporting, login):
    report = open_report(reporting)
    response = post(
        login(reporting.focal_point),
        report,
        intent="check",
        **{name(reporting.trained, "value"): "120", **sex_cells(reporting, "70", "55,5")},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Women Men Total 125.5" in page
    assert input_value(response, next(iter(sex_cells(reporting, "", "")))) == "70"
    assert input_value(response, list(sex_cells(reporting, "", ""))[1]) == "55,5"
    assert "sex breakdown exceeds the total: 125.5 of 120" in page
    assert not IndicatorValue.objects.filter(report=report).exists()
    assert AgencyReport.objects.get(pk=report.pk).version == report.version


def test_cross_tab_grid_has_rows_by_rank_and_columns_by_sex_with_totals(reporting, login):
    from tests.factories import make_dimension, make_indicator, sex_dimension

    rank = make_dimension(
        reporting.plan, "rank", "Rank", [("generals", "Generals"), ("senior", "Senior officers")]
    )
    officers = make_indicator(
        reporting.action,
        "I5",
        title="Officers trained",
        breakdowns=[[rank, sex_dimension(reporting.plan)]],
    )
    breakdown = officers.breakdowns.get()
    report = open_report(reporting)
    cells = {
        name(officers, f"cell-{breakdown.pk}-generals|women"): "2",
        name(officers, f"cell-{breakdown.pk}-generals|men"): "8",
        name(officers, f"cell-{breakdown.pk}-senior|women"): "10",
        name(officers, f"cell-{breakdown.pk}-senior|men"): "",
    }
    response = post(
        login(reporting.focal_point),
        report,
        intent="check",
        **{name(officers, "value"): "30", **cells},
    )
    page = text(response)
    assert "Breakdown by Rank × Sex Rank Women Men Total" in page
    assert "Generals 10 Senior officers 10 Total 12 8 20" in page
    assert "rank × sex breakdown incomplete: 20 of 30" in page


def test_no_data_needs_a_reason_on_its_field(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    response = post(client, report, **{name(reporting.trained, "no_data"): "on"})
    assert response.status_code == 400
    assert field_error(response, name(reporting.trained, "no_data_reason")) == (
        "Give the reason why there is no data."
    )
    response = post(
        client,
        report,
        **{
            name(reporting.trained, "no_data"): "on",
            name(reporting.trained, "no_data_reason"): "Survey delayed",
        },
    )
    assert response.status_code == 302
    row = working(report, reporting.trained)
    assert row.no_data and row.no_data_reason == "Survey delayed" and row.value is None


def test_progress_above_100_is_a_field_error(reporting, login):
    report = open_report(reporting)
    field = field_name("a", reporting.action.pk, "progress")
    response = post(
        login(reporting.focal_point),
        report,
        **{field: "120", field_name("a", reporting.action.pk, "status"): "in_progress"},
    )
    assert response.status_code == 400
    assert field_error(response, field) == "Progress lies between 0 and 100 %."


def test_stale_version_is_a_409_conflict_and_nothing_is_overwritten(reporting, login):
    report = open_report(reporting)
    loaded = report.version
    services.agency_report_save(
        actor=reporting.coordinator,
        report=report,
        version=report.version,
        values={reporting.trained.pk: ValueInput(value=Decimal(35))},
    )
    response = post(
        login(reporting.focal_point),
        report,
        version=loaded,
        **{name(reporting.trained, "value"): "36"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this report since you opened it (now version 2)" in page
    assert "I1 Value 36" in page  # what they typed, to copy
    assert working(report, reporting.trained).value == Decimal(35)


def test_double_clicked_submit_stores_one_submission_and_both_answers_redirect(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    fields = {name(reporting.trained, "value"): "35", **sex_cells(reporting, "20", "15")}
    first = post(client, report, intent="submit", **fields)
    second = post(client, report, intent="submit", **fields)  # same page, same version
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == report_url(report)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.transitions.filter(to_state=State.SUBMITTED).count() == 1
    assert AuditEvent.objects.filter(event_type="agency_report.submitted").count() == 1


def test_submit_without_changes_after_saving(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    fields = {name(reporting.trained, "value"): "35"}
    post(client, report, **fields)
    report.refresh_from_db()
    response = post(client, report, intent="submit", **fields)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert AuditEvent.objects.filter(event_type="agency_report.saved").count() == 1


def test_a_changed_value_posted_to_a_submitted_report_is_refused(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    post(client, report, intent="submit", **{name(reporting.trained, "value"): "35"})
    report.refresh_from_db()
    response = post(client, report, **{name(reporting.trained, "value"): "99"})
    assert response.status_code == 302
    page = text(client.get(report_url(report)))
    assert "submitted and waiting for review; it cannot be changed" in page
    assert working(report, reporting.trained).value == Decimal(35)


def test_submitted_report_is_read_only_with_a_note(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    post(
        client,
        report,
        intent="submit",
        **{name(reporting.trained, "value"): "120", **sex_cells(reporting, "70", "45")},
    )
    response = client.get(report_url(report))
    html = response.content.decode()
    assert '<form method="post" class="report-form"' not in html
    assert 'name="intent"' not in html
    page = text(response)
    assert "waiting for review. It cannot be changed." in page
    assert "I1 Teachers trained on resolution 1325" in page and "120" in page
    assert "sex breakdown incomplete: 115 of 120" in page


def test_returned_report_shows_the_reason_and_the_history(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    post(client, report, intent="submit", **{name(reporting.trained, "value"): "35"})
    report.refresh_from_db()
    services.agency_report_return(
        actor=reporting.coordinator,
        report=report,
        version=report.version,
        reason="Source table missing",
    )
    report.refresh_from_db()
    post(client, report, **{name(reporting.trained, "value"): "38"})
    page = text(client.get(report_url(report)))
    assert re.search(r"Returned for revision By .+? on [\d-]+ [\d:]+: Source table missing", page)
    history = page.split("State changes", 1)[1]
    assert "Draft → Submitted" in history
    assert "Submitted → Returned for revision Source table missing" in history
    assert "Agency report saved Indicator I1 : 35 → 38" in history


# --------------------------------------------------------------------------- review


def submitted(reporting, client, value="35"):
    report = open_report(reporting)
    post(client, report, intent="submit", **{name(reporting.trained, "value"): value})
    report.refresh_from_db()
    return report


def test_review_shows_pending_beside_official_clearly_labelled(reporting, login):
    focal = login(reporting.focal_point)
    report = submitted(reporting, focal, "35")
    coordinator = login(reporting.coordinator)
    page = text(coordinator.get(review_url(report)))
    assert "Pending — not official Official (nothing approved yet)" in page
    assert "I1 Teachers trained on resolution 1325 changed 35 Not reported" in page
    response = coordinator.post(
        review_url(report), {"decision": "approve", "version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.APPROVED
    assert IndicatorValue.objects.get(report=report, is_official=True).value == Decimal(35)
    page = text(coordinator.get(review_url(report)))
    approved_on = report.approved_at.astimezone(dt.timezone(dt.timedelta(hours=6))).date()
    assert f"Official (approved on {approved_on:%Y-%m-%d} by {reporting.coordinator})" in page
    assert "Reopen for correction" in page


def test_return_needs_a_reason_on_the_field(reporting, login):
    report = submitted(reporting, login(reporting.focal_point))
    coordinator = login(reporting.coordinator)
    response = coordinator.post(
        review_url(report), {"decision": "return", "version": report.version, "reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why the report is returned." in text(response)
    response = coordinator.post(
        review_url(report),
        {"decision": "return", "version": report.version, "reason": "Numbers missing"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.RETURNED


def test_double_clicked_approve_is_one_approval(reporting, login):
    report = submitted(reporting, login(reporting.focal_point))
    coordinator = login(reporting.coordinator)
    data = {"decision": "approve", "version": report.version}
    assert coordinator.post(review_url(report), data).status_code == 302
    assert coordinator.post(review_url(report), data).status_code == 302
    assert report.transitions.filter(to_state=State.APPROVED).count() == 1


def test_reopen_needs_a_reason_and_keeps_official_values(reporting, login):
    focal = login(reporting.focal_point)
    report = submitted(reporting, focal, "38")
    coordinator = login(reporting.coordinator)
    coordinator.post(review_url(report), {"decision": "approve", "version": report.version})
    report.refresh_from_db()
    response = coordinator.post(
        review_url(report), {"decision": "reopen", "version": report.version, "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why the report is reopened." in text(response)
    coordinator.post(
        review_url(report),
        {"decision": "reopen", "version": report.version, "reason": "2 more found"},
    )
    report.refresh_from_db()
    assert report.state == State.REOPENED
    post(focal, report, **{name(reporting.trained, "value"): "40"})
    page = text(focal.get(report_url(report)))
    assert "Reopened for correction" in page and "2 more found" in page
    assert IndicatorValue.objects.get(report=report, is_official=True).value == Decimal(38)


def test_period_closed_and_already_approved_are_different_messages(reporting, login):
    report = submitted(reporting, login(reporting.focal_point))
    coordinator = login(reporting.coordinator)
    stale = report.version
    coordinator.post(review_url(report), {"decision": "approve", "version": report.version})
    report.refresh_from_db()
    # Approving again from a fresh page: "already approved".
    response = coordinator.post(
        review_url(report), {"decision": "approve", "version": report.version}
    )
    assert response.status_code == 400
    assert "This report is already approved." in text(response)
    # Reopening in a closed period: "Period closed".
    services.reporting_period_set_state(
        actor=reporting.coordinator, period=reporting.q1, state="closed"
    )
    response = coordinator.post(
        review_url(report), {"decision": "reopen", "version": report.version, "reason": "fix"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Period closed: open the period again before reopening a report." in page
    assert "already approved" not in page
    assert stale != report.version


def test_review_with_a_stale_version_is_a_conflict(reporting, login):
    report = submitted(reporting, login(reporting.focal_point))
    response = login(reporting.coordinator).post(
        review_url(report), {"decision": "return", "version": report.version - 1, "reason": "x"}
    )
    assert response.status_code == 409
    assert "Someone else changed this report" in text(response)


def test_saving_in_a_closed_period_says_period_closed(reporting, login):
    report = open_report(reporting)
    services.reporting_period_set_state(
        actor=reporting.coordinator, period=reporting.q1, state="closed"
    )
    client = login(reporting.focal_point)
    page = text(client.get(report_url(report)))
    assert "The reporting period is closed: this report cannot be changed." in page
    response = post(client, report, **{name(reporting.trained, "value"): "5"})
    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_double_clicked_save_is_one_save_and_no_conflict(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    fields = {name(reporting.trained, "value"): "35", "narrative": "Both clicks"}
    first = post(client, report, **fields)
    second = post(client, report, **fields)  # the same page: the version before the first
    assert first.status_code == second.status_code == 302
    assert AuditEvent.objects.filter(event_type="agency_report.saved").count() == 1
    # A different value from that old page is a conflict, not an overwrite.
    third = post(client, report, **{**fields, name(reporting.trained, "value"): "36"})
    assert third.status_code == 409
    assert working(report, reporting.trained).value == Decimal(35)


def test_read_only_report_shows_each_kind_of_value_as_people_read_it(reporting, login):
    report = open_report(reporting)
    client = login(reporting.focal_point)
    post(
        client,
        report,
        intent="submit",
        **{
            name(reporting.share, "numerator"): "10",
            name(reporting.share, "denominator"): "16",
            name(reporting.law, "yes_no"): "no",
            name(reporting.stage, "stage"): "1",
            name(reporting.trained, "no_data"): "on",
            name(reporting.trained, "no_data_reason"): "Registers not yet compiled",
            field_name("a", reporting.action.pk, "status"): "delayed",
            field_name("a", reporting.action.pk, "progress"): "62.5",
        },
    )
    page = text(client.get(report_url(report)))
    assert "No data — Registers not yet compiled" in page
    assert "62.5 % (10/16)" in page
    assert "I3 Indicator I3 Yes / no · baseline → target: — → yes · action 1.1.1 No" in page
    assert "Stage 2 of 3: Consulted" in page
    assert "Train teachers on resolution 1325 Delayed 63 %" in page


def test_a_period_outside_the_plan_is_accepted_with_a_warning(reporting, client):
    """Plans get prolonged, so a period after the plan is allowed, but the secretariat is told."""
    from django.urls import reverse

    client.force_login(reporting.coordinator)
    response = client.post(
        reverse("monitoring:period_create", args=[reporting.plan.slug]),
        {"label": "2021 H1", "start": "2021-01-01", "end": "2021-06-30", "due": "2021-07-15"},
        follow=True,
    )
    text = " ".join(response.content.decode().split())
    assert "Reporting period 2021 H1 added." in text
    assert "2021 H1 reaches outside the plan period (2018-01-01 – 2020-12-31)" in text
