"""The exported workbook cell by cell: what the streaming (write-only) writer must keep.

The export is written with openpyxl's write-only mode (fast on a national plan). This
pins what the earlier cell-by-cell writer produced, read back with openpyxl's normal
mode: sheet order and visibility, the key and label rows and their styles, column widths,
frozen panes, each data cell's value, type and date format (text that looks like a
formula or an error code stays text), and the drop-down lists with their ranges.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from nap1325.interchange.logframe import columns as cols
from nap1325.interchange.logframe.export import (
    SHEET_ORDER,
    TEMPLATE_SPARE_ROWS,
    export_logframe,
    logframe_rows,
)
from nap1325.interchange.logframe.plan_diff import Organisations
from nap1325.plans.models import Action

pytestmark = pytest.mark.django_db


def _expected(column: cols.Column, value):
    """(value as openpyxl reads it back, data type, date format or None) of one cell."""
    if isinstance(value, bool):
        return ("yes" if value else "no"), "s", None
    if isinstance(value, Decimal | int | float):
        if column.kind in (cols.CODE, cols.TEXT):
            return str(value), "s", None
        return value, "n", None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), "d", "DD.MM.YYYY"
    return str(value), "s", None


def test_every_cell_as_the_rows_say(kg_matrix, plan):
    action = Action.objects.get(plan=plan, code="1.1.1")
    action.title = '=HYPERLINK("http://example.org")'  # stays text, never a formula
    action.description = "#N/A"  # stays text, not an error value
    action.save()
    data = export_logframe(plan, language="ru")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [cols.INSTRUCTIONS, cols.LISTS, *SHEET_ORDER]
    assert book[cols.LISTS].sheet_state == "hidden"
    assert all(book[name].sheet_state == "visible" for name in book.sheetnames if name != "lists")
    info = book[cols.INSTRUCTIONS]
    assert info["A1"].font.b and info["A1"].font.sz == 14
    assert info.column_dimensions["A"].width == 30
    assert info.column_dimensions["B"].width == 60
    with translation.override("ru"):
        sheets = cols.sheets(plan.tier_labels, languages=True)
        rows = logframe_rows(plan, organisations=Organisations())
        labels = {key: [str(c.label) for c in sheets[key].columns] for key in SHEET_ORDER}
    assert info["A1"].value.startswith("Logframe") or plan.title in info["A1"].value
    checked = 0
    for key in SHEET_ORDER:
        sheet, ws = sheets[key], book[key]
        assert ws.freeze_panes == "A3"
        assert [c.value for c in ws[1]] == sheet.keys
        assert [c.value for c in ws[2]] == labels[key]
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            assert ws.column_dimensions[letter].width == column.width, (key, column.key)
            assert ws.cell(1, index).font.sz == 9
            assert ws.cell(1, index).font.color.rgb.endswith("666666")
            label = ws.cell(2, index)
            assert label.font.b
            assert label.fill.fgColor.rgb.endswith("E8EEF4")
            assert label.alignment.wrap_text and label.alignment.vertical == "top"
        assert ws.max_row == len(rows[key]) + 2
        for number, record in enumerate(rows[key], start=3):
            for index, column in enumerate(sheet.columns, start=1):
                cell = ws.cell(number, index)
                value = record.get(column.key)
                if value is None:
                    assert cell.value is None, (key, number, column.key)
                    continue
                expected, data_type, date_format = _expected(column, value)
                assert (cell.value, cell.data_type) == (expected, data_type), (
                    key,
                    number,
                    column.key,
                )
                if date_format:
                    assert cell.number_format == date_format
                checked += 1
        lists = {}
        for validation in ws.data_validations.dataValidation:
            assert validation.type == "list" and validation.allow_blank
            lists[str(validation.sqref)] = validation.formula1
        last = len(rows[key]) + 2 + TEMPLATE_SPARE_ROWS
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            if column.kind in (cols.ORGANISATION, cols.PILLAR) or column.choices:
                assert f"{letter}3:{letter}{last}" in lists, (key, column.key)
    assert checked > 100
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the size, as the normal mode wrote it
        xml = archive.read(f"xl/worksheets/sheet{book.sheetnames.index('actions') + 1}.xml")
    last_column = get_column_letter(len(sheets[cols.ACTIONS].columns))
    assert f'<dimension ref="A1:{last_column}{len(rows[cols.ACTIONS]) + 2}"/>'.encode() in xml
    titles = [ws.value for ws in book["actions"]["A"]]  # tier column: codes as text
    assert all(isinstance(v, str) for v in titles if v is not None)
    actions = book["actions"]
    head = {c.value: c.column for c in actions[1]}
    row = next(
        r for r in range(3, actions.max_row + 1) if actions.cell(r, head["code"]).value == "1.1.1"
    )
    assert actions.cell(row, head["title"]).data_type == "s"
    assert actions.cell(row, head["description"]).value == "#N/A"
    assert actions.cell(row, head["description"]).data_type == "s"
    lists_sheet = book[cols.LISTS]
    names = [c.value for c in lists_sheet[1]]
    assert names[:2] == ["organisations", "pillars"]
    organisations = [c.value for c in lists_sheet["A"][1:] if c.value is not None]
    assert organisations == Organisations().labels()


def test_empty_template_has_headers_and_lists_only(plan):
    book = load_workbook(io.BytesIO(export_logframe(plan, language="en", empty=True)))
    for key in SHEET_ORDER:
        ws = book[key]
        assert ws.max_row == 2
        assert ws.freeze_panes == "A3"
        assert (
            any(
                str(v.sqref).endswith(f"{2 + TEMPLATE_SPARE_ROWS}")
                for v in ws.data_validations.dataValidation
            )
            or key in (cols.DIMENSIONS,)
            or not any(
                c.choices or c.kind in (cols.ORGANISATION, cols.PILLAR)
                for c in cols.sheets(plan.tier_labels)[key].columns
            )
        )
