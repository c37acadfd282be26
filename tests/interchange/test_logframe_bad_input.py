"""Every bad input is named with its sheet, row and column; nothing is written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nap1325.core.models import AuditEvent
from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.export import export_logframe
from nap1325.interchange.logframe.reader import UnreadableFile, parse_date, parse_number
from nap1325.plans.models import Action, Indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("1 234 567", Decimal("1234567")),
        ("1,234.56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("1.234.567", Decimal("1234567")),
        ("0,125", Decimal("0.125")),
        (" 15 % ", Decimal("15")),
        ("−3,5", Decimal("-3.5")),
        (12.5, Decimal("12.5")),
    ],
)
def test_numbers_read(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1,234", "12.500", "1,2,3", "12a", "1 23", ""])
def test_numbers_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("31.12.2019", "2019-12-31"),
        ("1.3.2018", "2018-03-01"),
        ("2018-03-01", "2018-03-01"),
        (43830, "2019-12-31"),
        (1, "1900-01-01"),
        (61, "1900-03-01"),
    ],
)
def test_dates_read(value, date):
    assert parse_date(value).isoformat() == date


@pytest.mark.parametrize(
    "value",
    ["31.02.2025", "02/03/2025", "2025-13-01", 12.5, dt.datetime(1899, 12, 29), "01.01.1899"],
)
def test_dates_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def _edit(plan, tmp_path: Path, change) -> Path:
    workbook = load_workbook(io.BytesIO(export_logframe(plan, language="en")))
    change(workbook)
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    return path


def _cell(ws, code: str, key: str):
    head = {c.value: c.column for c in ws[1]}
    code_column = head.get("code", 1)
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, code_column).value == code:
            return ws.cell(row, head[key])
    raise AssertionError(code)


def test_every_problem_named_and_nothing_written(kg_matrix, plan, coordinator, tmp_path):
    def spoil(wb):
        actions = wb["actions"]
        _cell(actions, "1.1.1", "title").value = "Changed, but must not be written"
        _cell(actions, "1.1.1", "lead_agency").value = "Ministry of Magic"
        _cell(actions, "2.1.1", "start").value = "31.02.2019"
        _cell(actions, "1.2.1", "code").value = "1.1.2"  # duplicated code
        indicators = wb["indicators"]
        _cell(indicators, "1.2.1a", "target_value").value = "1,234"
        del wb["budget"]

    path = _edit(plan, tmp_path, spoil)
    before = AuditEvent.objects.count()
    title = Action.objects.get(code="1.1.1").title
    result = import_logframe(plan, path, actor=coordinator)
    problems = [str(p) for p in result.all_problems]
    assert not result.applied
    expected = [
        "Sheet budget: the sheet budget is missing",
        "Sheet actions, row 5, column C (code): the code 1.1.2 is used twice in this sheet "
        "(also on row 4).",
        "Sheet actions, row 3, column F (lead_agency): no organisation is called "
        "“Ministry of Magic”",
        "Sheet actions, row 6, column H (start): the date “31.02.2019” does not exist.",
        "Sheet indicators, row 6, column M (target_value): “1,234” is ambiguous",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), "\n".join([start, *problems])
    assert AuditEvent.objects.count() == before
    assert Action.objects.get(code="1.1.1").title == title


def test_a_service_refusal_in_the_middle_writes_nothing(kg_matrix, plan, coordinator, tmp_path):
    """Rows before and after are valid; one breaks a service rule: nothing is written."""

    def spoil(wb):
        actions = wb["actions"]
        _cell(actions, "1.1.1", "title").value = "First change"
        _cell(actions, "1.2.1", "end").value = "01.01.2017"  # before its start: service refuses
        _cell(actions, "2.1.1", "title").value = "Last change"

    path = _edit(plan, tmp_path, spoil)
    before = AuditEvent.objects.count()
    result = import_logframe(plan, path, actor=coordinator)
    assert not result.applied
    assert [str(p) for p in result.all_problems] == [
        "Sheet actions, row 5, column I (end): The end date is before the start date."
    ]
    assert AuditEvent.objects.count() == before
    assert not Action.objects.filter(title__in=["First change", "Last change"]).exists()


def test_not_a_workbook(plan, coordinator, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(UnreadableFile, match="plan.xlsx: not an Excel workbook"):
        import_logframe(plan, path, actor=coordinator)


def test_moving_an_indicator_is_refused(kg_matrix, plan, coordinator, tmp_path):
    def spoil(wb):
        indicators = wb["indicators"]
        _cell(indicators, "1.2.1a", "action_code").value = "2.1.1"

    result = import_logframe(plan, _edit(plan, tmp_path, spoil), actor=coordinator)
    assert any("does not move indicators" in str(p) for p in result.all_problems)
    assert Indicator.objects.get(code="1.2.1a").action.code == "1.2.1"


def test_focal_point_may_not_import(kg_matrix, plan, member_factory, tmp_path):
    from django.core.exceptions import PermissionDenied

    path = tmp_path / "x.xlsx"
    path.write_bytes(export_logframe(plan, language="en"))
    with pytest.raises(PermissionDenied):
        import_logframe(plan, path, actor=member_factory("focal_point"))
