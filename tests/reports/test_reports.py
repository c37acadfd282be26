"""National progress reports (issue 7 points 1, 2, 6): the generated files are opened and
read back — figures, Russian text, number cells, approved values only — and the request
page, background build, downloads and command line are checked as a user meets them.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from nap1325.core.models import AuditEvent
from nap1325.reports import services
from nap1325.reports.content import ReportScopeError, report_content, report_scope
from nap1325.reports.docx import write_docx
from nap1325.reports.models import GeneratedReport
from nap1325.reports.pdf import write_pdf
from nap1325.reports.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

#: Report page: session, user, plan, membership, periods (form), requests — 6; margin 2.
PAGE_BUDGET = 8

WRITERS = {"pdf": write_pdf, "docx": write_docx, "xlsx": write_xlsx}


def build(plan, *, period=None, year=None, fmt, lang="en") -> bytes:
    with translation.override(lang):
        content = report_content(plan, report_scope(plan, period=period, year=year), language=lang)
        out = io.BytesIO()
        WRITERS[fmt](content, out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return plain("\n".join(parts))


def docx_row(data: bytes, code: str) -> str:
    for line in docx_text(data).splitlines():
        if line.startswith(f"{code} "):
            return line
    raise AssertionError(f"no row for {code}")


# --------------------------------------------------------------------------- content


@pytest.mark.parametrize(
    ("period", "year", "code", "current", "achievement", "status", "women"),
    [
        ("2019 Q1", None, "I1", "120", "30 %", "at_risk", "75 (62.5 %)"),
        ("2019 Q2", None, "I1", "200", "50 %", "on_track", "125 (62.5 %)"),
        ("2019 Q2", None, "I2", "27 % (27/100)", "70 %", "on_track", ""),
        (None, 2019, "I1", "200", "50 %", "at_risk", "125 (62.5 %)"),
        ("2019 Q3", None, "I1", "200", "50 %", "at_risk", "125 (62.5 %)"),
    ],
)
def test_figures_as_of_the_end_of_the_period(
    report_data, period, year, code, current, achievement, status, women
):
    """Target to date at the period's end (plan 2018–2020, target 400 linearly): 166 at
    2019 Q1, 199.5 at Q2, 233 at Q3 (the year's last period) — so 200 is on track at Q2's
    end and at risk at Q3's, where the submitted 999 does not count."""
    r = report_data.r
    with translation.override("en"):
        content = report_content(
            r.plan, report_scope(r.plan, period=period, year=year), language="en"
        )
    line = next(line for _p, _r, line in content.numeric_lines if line.code == code)
    assert line.current_text.replace("\xa0", " ") == current
    assert line.achievement_text.replace("\xa0", " ") == achievement
    assert line.women_text.replace("\xa0", " ") == women
    assert line.status == status, line.status_text


def test_stage_and_yes_no_listed_apart_with_action_status_and_budget(report_data):
    r = report_data.r
    with translation.override("en"):
        content = report_content(r.plan, report_scope(r.plan, period="2019 Q2"), language="en")
    assert [
        (line.code, line.current_text, line.status_text) for *_x, line in content.qualitative_lines
    ] == [
        ("I3", "yes", "done"),
        ("I4", "Consulted", "in progress"),
    ]
    assert content.action_status == [("In progress", 1), ("no update", 1)]
    assert content.budget.planned == Decimal("7000")
    assert content.budget.spent == Decimal("3500.50")  # Q3's 777 is not approved
    assert content.budget.gap == Decimal("2000")
    assert ("2019 Q2", 1, 2, 0) in content.completeness
    assert any("1 of 2 agencies reported" in note for note in content.methodology)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": "2030 Q1"}, "no reporting period “2030 Q1”"),
        ({"year": 2031}, "no reporting period ending in 2031"),
        ({}, "either a reporting period or a year"),
    ],
)
def test_unknown_scope_is_a_clear_error(report_data, kwargs, message):
    with pytest.raises(ReportScopeError, match=message):
        report_scope(report_data.r.plan, **kwargs)


# --------------------------------------------------------------------------- files


def test_pdf_holds_the_figures_and_russian_text_intact(report_data):
    r = report_data.r
    r.ministry.name = "Министерство образования и науки Кыргызской Республики"
    r.ministry.save()
    english = pdf_text(build(r.plan, period="2019 Q2", fmt="pdf"))
    assert "National progress report: 2019 Q2" in english
    assert "I1 Teachers trained on resolution 1325" in english
    assert re.search(r"0 400 200 125 \(62\.5 %\) 50 % on track", english), english
    assert "27 % (27/100)" in english and "70 %" in english
    assert "Funding gap (unfunded lines): 2,000.00 KGS" in english
    russian = pdf_text(build(r.plan, period="2019 Q2", fmt="pdf", lang="ru"))
    assert "Бюджет" in russian
    assert "Министерство образования и науки Кыргызской Республики" in russian
    assert "125 (62,5 %)" in russian  # Russian decimal comma


def test_word_holds_the_figures_in_a_font_with_cyrillic(report_data):
    r = report_data.r
    data = build(r.plan, period="2019 Q2", fmt="docx", lang="ru")
    row = docx_row(data, "I1")
    assert row.split(" | ")[1:] == ["0", "400", "200", "125 (62,5 %)", "50 %", "по графику"]
    assert "Бюджет" in docx_text(data)
    document = Document(io.BytesIO(data))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("ascii", "eastAsia", "cs")} == {
        "DejaVu Sans"
    }
    assert document.inline_shapes  # the charts, as PNG


def test_word_indicator_rows_keep_widths_alignment_and_status_colour(report_data):
    """The body rows are built as XML in bulk: each cell as wide as its header cell,
    numbers right-aligned, 8 pt, the status bold in its colour (on track: green)."""
    from docx.shared import Mm, Pt

    from nap1325.reports.docx import STATUS_COLOURS

    data = build(report_data.r.plan, period="2019 Q2", fmt="docx", lang="en")
    document = Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicator")
    row = next(r for r in table.rows[1:] if r.cells[0].text.startswith("I1 "))
    widths = (62, 16, 16, 24, 20, 20, 16)
    for cell, header, width in zip(row.cells, table.rows[0].cells, widths, strict=True):
        assert cell.width == header.width
        assert abs(cell.width - Mm(width)) < Mm(0.1)  # stored in twips
        (run,) = cell.paragraphs[0].runs
        assert run.font.size == Pt(8)
    alignments = [cell.paragraphs[0].alignment for cell in row.cells]
    assert [a is not None and a.name == "RIGHT" for a in alignments] == [
        False,
        True,
        True,
        True,
        True,
        True,
        False,
    ]
    status = row.cells[6].paragraphs[0].runs[0]
    assert status.text == "on track"
    assert status.bold and status.font.color.rgb == STATUS_COLOURS["on_track"]
    assert not row.cells[0].paragraphs[0].runs[0].bold


def test_excel_cells_hold_numbers_with_number_formats(report_data):
    book = load_workbook(io.BytesIO(build(report_data.r.plan, period="2019 Q2", fmt="xlsx")))
    sheet = book["Indicators"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    i1 = rows["I1"]
    expected = {
        "Baseline": 0,
        "Target": 400,
        "Value to date": 200,
        "Achievement (%)": 50,
        "Women": 125,
        "Share of women (%)": 62.5,
    }
    for column, value in expected.items():
        cell = i1[header.index(column)]
        assert isinstance(cell.value, int | float | Decimal), (column, cell.value)
        assert cell.value == value
        assert cell.number_format != "General"
    i2 = rows["I2"]
    assert (i2[header.index("Numerator")].value, i2[header.index("Denominator")].value) == (27, 100)
    budget = {row[0].value: row for row in book["Budget"].iter_rows(min_row=2)}
    assert budget["Total"][1].value == 7000 and budget["Total"][2].value == 3500.5


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_only_approved_values_appear(report_data, fmt):
    """Q3's submitted value 999 and expenditure 777 are in no report, not even Q3's."""
    data = build(report_data.r.plan, period="2019 Q3", fmt=fmt)
    if fmt == "pdf":
        shown = pdf_text(data)
    elif fmt == "docx":
        shown = docx_text(data)
    else:
        book = load_workbook(io.BytesIO(data))
        shown = " ".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        )
    assert "999" not in shown and "777" not in shown
    assert "200" in shown


# --------------------------------------------------------------------------- background build


def test_the_build_records_a_failure_with_its_cause(report_data):
    r = report_data.r
    report = services.generated_report_request(
        actor=r.coordinator, plan=r.plan, period_label="2019 Q2", format="pdf", language="en",
        enqueue=False,
    )  # fmt: skip
    r.q2.label = "2019 second quarter"  # renamed before the worker ran
    r.q2.save()
    report = services.generated_report_build(report_id=report.pk)
    assert report.state == GeneratedReport.State.FAILED
    assert "no reporting period “2019 Q2”" in report.error
    assert not report.file
    assert AuditEvent.objects.filter(event_type="generated_report.failed").exists()


def test_request_runs_the_task_and_the_file_downloads(report_data, login, immediate_tasks):
    r = report_data.r
    client = login(r.coordinator)
    url = reverse("reports:list", args=[r.plan.slug])
    response = client.post(url, {"scope": "period:2019 Q2", "format": "xlsx", "language": "ru"})
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert (report.state, report.progress, report.requested_by) == ("done", 100, r.coordinator)
    page = client.get(url).content.decode()
    download = reverse("reports:download", args=[r.plan.slug, report.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'filename="{r.plan.slug}-progress-report-2019-q2-ru.xlsx"'
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Индикаторы" in book.sheetnames or len(book.sheetnames) == 6


def test_queued_report_shows_progress_and_refreshes(report_data, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    r = report_data.r
    client = login(r.coordinator)
    url = reverse("reports:list", args=[r.plan.slug])
    client.post(url, {"scope": "year:2019", "format": "pdf", "language": "en"})
    response = client.get(url)
    assert response["Refresh"] == "3"
    page = response.content.decode()
    assert "Queued" in page and 'value="0"' in page and "Refresh" in page
    report = GeneratedReport.objects.get()
    download = reverse("reports:download", args=[r.plan.slug, report.pk])
    assert download not in page
    assert client.get(download).status_code == 404  # not built yet


def test_bad_request_names_the_field(report_data, login):
    r = report_data.r
    response = login(r.coordinator).post(
        reverse("reports:list", args=[r.plan.slug]),
        {"scope": "period:1999 Q9", "format": "odt", "language": "en"},
    )
    assert response.status_code == 400
    assert not GeneratedReport.objects.exists()
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("focal_point", 200),
        ("wg_member", 200),
        ("partner", 200),
        ("cs_monitor", 404),
        ("admin", 200),
        ("non_member", 404),
    ],
)
def test_only_dashboard_roles_see_the_page_and_files(
    report_data, login, user_in_role, role, status
):
    r = report_data.r
    report = services.generated_report_request(
        actor=r.coordinator, plan=r.plan, year=2019, format="xlsx", language="en", enqueue=False
    )
    services.generated_report_build(report_id=report.pk)
    client = login(user_in_role(role))
    assert client.get(reverse("reports:list", args=[r.plan.slug])).status_code == status
    download = client.get(reverse("reports:download", args=[r.plan.slug, report.pk]))
    assert download.status_code == status


@pytest.mark.parametrize("count", [1, 12])
def test_report_page_query_budget(report_data, login, django_assert_max_num_queries, count):
    r = report_data.r
    for _n in range(count):
        services.generated_report_request(
            actor=r.coordinator, plan=r.plan, year=2019, format="xlsx", language="en",
            enqueue=False,
        )  # fmt: skip
    client = login(r.coordinator)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse("reports:list", args=[r.plan.slug]))
    assert response.status_code == 200


# --------------------------------------------------------------------------- command line


def test_command_writes_the_report(report_data, tmp_path):
    target = tmp_path / "report.docx"
    call_command(
        "report", report_data.r.plan.slug, "--period", "2019 Q2", "--format", "docx",
        "--lang", "ru", "--output", str(target),
    )  # fmt: skip
    assert docx_row(target.read_bytes(), "I1").split(" | ")[3] == "200"
    assert GeneratedReport.objects.get().state == "done"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-plan", "--year", "2019", "--format", "pdf"], "No plan with the short name"),
        (["{plan}", "--period", "2030 Q1", "--format", "pdf"], "no reporting period “2030 Q1”"),
        (["{plan}", "--year", "2019", "--format", "odt"], "invalid choice: 'odt'"),
        (["{plan}", "--year", "2019", "--format", "pdf", "--lang", "kg"], "invalid choice: 'kg'"),
        (["{plan}", "--format", "pdf"], "one of the arguments --period --year is required"),
    ],
)
def test_command_errors_are_clear(report_data, args, message):
    args = [arg.replace("{plan}", report_data.r.plan.slug) for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("report", *args)
    assert not GeneratedReport.objects.filter(state="done").exists()
