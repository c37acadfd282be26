"""Agency reports by spreadsheet (issue 7 point 4): download the report as a workbook, fill
it in offline, upload it — the same validation, breakdown checks and workflow as the form.
"""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from nap1325.core.models import AuditEvent
from nap1325.monitoring import report_display, services
from nap1325.monitoring.models import AgencyReport, IndicatorValue
from nap1325.monitoring.services import field_name
from tests.monitoring.test_report_budgets import filled_report, grow
from tests.monitoring.test_report_pages import open_report, post, report_url, sex_cells, text

pytestmark = pytest.mark.django_db

State = AgencyReport.State
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def workbook_url(report) -> str:
    return reverse("monitoring:workbook", args=[report.plan.slug, report.pk])


def upload_url(report) -> str:
    return reverse("monitoring:workbook_upload", args=[report.plan.slug, report.pk])


def download(client, report) -> bytes:
    response = client.get(workbook_url(report))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return response.content


def fill(content: bytes, sheet: str, rows: dict[str, dict[str, object]]) -> bytes:
    """Set cells of ``sheet`` by row key (the hidden column) and column header."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    target = book[sheet]
    headers = {cell.value: cell.column for cell in target[1]}
    by_key = {
        target.cell(row=n, column=headers["key"]).value: n for n in range(2, target.max_row + 1)
    }
    for key, cells in rows.items():
        for header, value in cells.items():
            target.cell(row=by_key[key], column=headers[header], value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, report, content: bytes, name: str = "report.xlsx"):
    return client.post(upload_url(report), {"file": SimpleUploadedFile(name, content, XLSX)})


def row_of(content: bytes, sheet: str, key: str) -> int:
    book = openpyxl.load_workbook(io.BytesIO(content))
    target = book[sheet]
    headers = {cell.value: cell.column for cell in target[1]}
    for n in range(2, target.max_row + 1):
        if target.cell(row=n, column=headers["key"]).value == key:
            return n
    raise AssertionError(key)


def keys(r):
    breakdown = r.trained.breakdowns.get()
    return {
        "trained": f"i:{r.trained.pk}",
        "women": f"c:{r.trained.pk}:{breakdown.pk}:women",
        "men": f"c:{r.trained.pk}:{breakdown.pk}:men",
        "share": f"i:{r.share.pk}",
        "law": f"i:{r.law.pk}",
        "stage": f"i:{r.stage.pk}",
        "action": f"a:{r.action.pk}",
    }


def filled(r, content: bytes, **overrides) -> bytes:
    """The workbook filled as a focal point would (with the messiness people send)."""
    k = keys(r)
    indicators = {
        k["trained"]: {"Value": " 120 ", "Comment": "From the training registers"},
        k["women"]: {"Value": "70"},
        k["men"]: {"Value": 45.0},  # a number cell; 70 + 45 ≠ 120: flagged, not refused
        k["share"]: {"Numerator": "40", "Denominator": "1\u00a0220,0"},
        k["law"]: {"Yes or no": "Yes"},
        k["stage"]: {"Stage reached": "Consulted"},
    }
    actions = {
        k["action"]: {
            "Status": "In progress",
            "Progress (%)": "62,5",
            "Expenditure (KGS)": "15 000,50",
            "What was done": "Two trainings held",
        }
    }
    for key, cells in overrides.items():
        (actions if key.startswith("a:") else indicators).setdefault(key, {}).update(cells)
    content = fill(content, "Indicators", indicators)
    return fill(content, "Action updates", actions)


# --------------------------------------------------------------------------- round trip


def test_round_trip_stores_what_the_form_stores(reporting, login):
    r = reporting
    client = login(r.focal_point)
    by_workbook = open_report(r)
    by_form = open_report(r, period=r.q2)
    response = upload(client, by_workbook, filled(r, download(client, by_workbook)))
    assert response.status_code == 302 and response["Location"] == report_url(by_workbook)
    posted = post(
        client,
        by_form,
        **{
            field_name("i", r.trained.pk, "value"): "120",
            field_name("i", r.trained.pk, "comment"): "From the training registers",
            **sex_cells(r, "70", "45"),
            field_name("i", r.share.pk, "numerator"): "40",
            field_name("i", r.share.pk, "denominator"): "1220",
            field_name("i", r.law.pk, "yes_no"): "yes",
            field_name("i", r.stage.pk, "stage"): "1",
            field_name("a", r.action.pk, "status"): "in_progress",
            field_name("a", r.action.pk, "progress"): "62.5",
            field_name("a", r.action.pk, "expenditure"): "15000.50",
            field_name("a", r.action.pk, "narrative"): "Two trainings held",
        },
    )
    assert posted.status_code == 302
    by_workbook.refresh_from_db()
    by_form.refresh_from_db()
    assert services.read_entries(by_workbook, official=False) == services.read_entries(
        by_form, official=False
    )
    values, updates = services.read_entries(by_workbook, official=False)
    assert values[r.share.pk].denominator == Decimal(1220)
    assert updates[r.action.pk].expenditure == Decimal("15000.50")
    assert by_workbook.state == State.DRAFT and by_workbook.version == 2
    indicators, actions = services.report_scope(r.plan, r.ministry)

    def flags(report):
        entries, _updates = services.read_entries(report, official=False)
        return [
            [(grid.completeness, grid.complete, grid.total) for grid in block.grids]
            + [block.share, block.value_text]
            for block in report_display.readonly_blocks(indicators, entries)
        ]

    assert flags(by_workbook) == flags(by_form)
    page = text(client.get(report_url(by_workbook)))
    assert "sex breakdown incomplete: 115 of 120" in page
    assert "The workbook was read and stored as a draft." in page
    assert AuditEvent.objects.filter(event_type="agency_report.workbook_uploaded").count() == 1


def test_download_holds_the_working_copy_and_reads_back_unchanged(reporting, login):
    r = reporting
    report, _size = filled_report(r)
    client = login(r.focal_point)
    content = download(client, report)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[:3] == ["Instructions", "Indicators", "Action updates"]
    assert book["nap1325"].sheet_state == "veryHidden"
    assert book["Indicators"].protection.sheet
    before = services.read_entries(report, official=False)
    response = upload(client, report, content)
    assert response.status_code == 302
    report.refresh_from_db()
    assert services.read_entries(report, official=False) == before
    assert report.version == 3


def test_download_in_russian_reads_back_with_russian_labels(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    with translation.override("ru"):
        content = client.get(workbook_url(report), HTTP_ACCEPT_LANGUAGE="ru").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    meta = {row[0].value: row[1].value for row in book["nap1325"].iter_rows(min_row=2)}
    assert upload(client, report, content).status_code == 302, meta


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("key", "header", "typed", "column", "message"),
    [
        ("trained", "Value", "about 40", "E (Value)", "'about 40' is not a number."),
        ("women", "Value", "seventy", "E (Value)", "'seventy' is not a number."),
        ("share", "Denominator", "1,220", "G (Denominator)", "'1,220' is ambiguous"),
        ("share", "Denominator", "0", "G (Denominator)", "The denominator must be more than 0."),
        ("share", "Numerator", "2000", "F (Numerator)", "The numerator (2000) is larger"),
        ("law", "Yes or no", "maybe", "H (Yes or no)", "'maybe' is not Yes or No."),
        ("stage", "Stage reached", "Signed", "I (Stage reached)", "'Signed' is not one of"),
        ("trained", "Numerator", "5", "F (Numerator)", "I1 takes a number in Value; leave"),
        ("trained", "No data", "Yes", "K (Why there is no data)", "Give the reason why"),
        ("action", "Progress (%)", "120", "D (Progress (%))", "Progress lies between 0 and 100 %."),
        ("action", "Status", "ongoing", "C (Status)", "'ongoing' is not a status"),
        ("action", "Expenditure (KGS)", "-5", "E (Expenditure (KGS))", "Enter 0 or more."),
    ],
)  # fmt: skip
def test_each_bad_cell_is_named_by_sheet_row_and_column(
    reporting, login, key, header, typed, column, message
):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    k = keys(r)
    content = filled(r, download(client, report), **{k[key]: {header: typed}})
    sheet = "Action updates" if key == "action" else "Indicators"
    row = row_of(content, sheet, k[key])
    response = upload(client, report, content)
    assert response.status_code == 400
    shown = text(response)
    assert f"{sheet}, row {row}, column {column}: {message}" in shown, shown[-2000:]
    assert not IndicatorValue.objects.filter(report=report).exists()  # all or nothing
    report.refresh_from_db()
    assert report.version == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Name;Value\nI1;40\n", "report.csv", "report.csv is not an Excel workbook (.xlsx)."),
        (b"PK\x03\x04 broken zip", "report.xlsx", "report.xlsx is not a readable Excel workbook"),
    ],
)
def test_an_upload_that_is_not_a_workbook_gets_a_message(reporting, login, content, name, message):
    report = open_report(reporting)
    response = upload(login(reporting.focal_point), report, content, name)
    assert response.status_code == 400
    assert message in text(response)


def test_a_workbook_without_the_hidden_sheet_or_a_sheet_is_refused(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, report, buffer.getvalue(), "mine.xlsx")
    assert "mine.xlsx was not downloaded from a report page" in text(response)
    book = openpyxl.load_workbook(io.BytesIO(download(client, report)))
    del book["Action updates"]
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, report, buffer.getvalue())
    assert response.status_code == 400
    assert "no sheet named Action updates" in text(response)


def test_a_workbook_of_another_report_names_it(reporting, login):
    r = reporting
    client = login(r.focal_point)
    q1 = open_report(r)
    q2 = open_report(r, period=r.q2)
    response = upload(client, q2, filled(r, download(client, q1)))
    assert response.status_code == 400
    assert "This workbook is the report of" in text(response) and "for 2019 Q1" in text(response)
    assert not IndicatorValue.objects.exists()


def test_stale_version_is_a_conflict_and_nothing_is_overwritten(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    content = filled(r, download(client, report))
    assert post(client, report, **{field_name("i", r.trained.pk, "value"): "99"}).status_code == 302
    response = upload(client, report, content)
    assert response.status_code == 409
    assert "Someone else changed this report" in text(response)
    report.refresh_from_db()
    values, _updates = services.read_entries(report, official=False)
    assert values[r.trained.pk].value == 99


# --------------------------------------------------------------------------- workflow, access


def test_submitted_report_refuses_the_upload_with_its_message(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    content = filled(r, download(client, report))
    report = services.agency_report_submit(actor=r.focal_point, report=report, version=1)
    response = upload(client, report, content)
    assert response.status_code == 302
    page = text(client.get(report_url(report)))
    assert "This report is submitted and waiting for review; it cannot be changed." in page
    assert "Upload filled workbook" not in page and "Download as workbook" in page


def test_closed_period_refuses_the_upload_with_its_message(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    content = filled(r, download(client, report))
    services.reporting_period_set_state(actor=r.coordinator, period=r.q1, state="closed")
    response = upload(client, report, content)
    assert response.status_code == 302
    page = text(client.get(report_url(report)))
    assert "Period closed: this reporting period takes no more reports." in page


def test_other_agencys_focal_point_gets_404_and_other_roles_403(reporting, login, user_in_role):
    r = reporting
    report = open_report(r)
    content = filled(r, download(login(r.focal_point), report))
    other = login(r.other_focal_point)
    assert other.get(workbook_url(report)).status_code == 404
    assert upload(other, report, content).status_code == 404
    member = login(user_in_role("wg_member"))
    assert member.get(workbook_url(report)).status_code == 403
    assert upload(member, report, content).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_coordinator_uploads_as_the_form_allows_them_to_save(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.coordinator)
    response = upload(client, report, filled(r, download(client, report)))
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(report=report, indicator=r.trained).exists()


def test_download_and_upload_query_budgets_do_not_grow(
    reporting, login, django_assert_max_num_queries
):
    counts = []
    for times in (1, 10):
        grow(reporting, times)
        report, size = filled_report(reporting)
        client = login(reporting.focal_point)
        with django_assert_max_num_queries(DOWNLOAD_BUDGET) as captured:
            content = download(client, report)
        downloaded = len(captured)
        with django_assert_max_num_queries(UPLOAD_BUDGET) as captured:
            assert upload(client, report, content).status_code == 302
        counts.append((size, downloaded, len(captured)))
    assert counts[1][0] >= 40 and counts[0][1:] == counts[1][1:], counts


#: session, user, plan, membership, report, scope (indicators + 3 prefetches, actions),
#: working copy (values, cells, updates), organisation: 14 whatever the report's size.
DOWNLOAD_BUDGET = 14
#: the download's reads, the lock, the report form's save (audit diff before and after,
#: delete and insert of values, cells and updates) and the audit events, each counted
#: on the plan (``core.audit.plan_changed``): 49 at any size.
UPLOAD_BUDGET = 49


def test_a_file_over_the_size_limit_is_refused_unread(reporting, login, monkeypatch):
    from nap1325.monitoring import workbook

    report = open_report(reporting)
    client = login(reporting.focal_point)
    content = download(client, report)
    monkeypatch.setattr(workbook, "MAX_BYTES", len(content) - 1)
    response = upload(client, report, content)
    assert response.status_code == 400
    assert "The file is larger than" in text(response)


def test_the_same_workbook_uploaded_twice_is_stored_once(reporting, login):
    r = reporting
    report = open_report(r)
    client = login(r.focal_point)
    content = filled(r, download(client, report))
    assert upload(client, report, content).status_code == 302
    assert upload(client, report, content).status_code == 302  # no conflict, no change
    report.refresh_from_db()
    assert report.version == 2
    assert AuditEvent.objects.filter(event_type="agency_report.workbook_uploaded").count() == 1
