"""Reading workbooks as other programs write them: what the streaming reader must keep.

The import reads sheets in openpyxl's read-only (streaming) mode and takes merged ranges
from the sheet's XML. These files are made by editing the XML of an export the way other
spreadsheet programs write it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.export import export_logframe
from nap1325.interchange.logframe.reader import read_logframe
from nap1325.plans.models import Action

pytestmark = pytest.mark.django_db


def _edit_sheet_xml(data: bytes, title: str, edit) -> bytes:  # noqa: ANN001
    """``data`` with the XML of sheet ``title`` passed through ``edit(text) -> text``."""
    names = load_workbook(io.BytesIO(data), read_only=True).sheetnames
    member = f"xl/worksheets/sheet{names.index(title) + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                content = edit(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def _import(plan, coordinator, tmp_path: Path, data: bytes):  # noqa: ANN001, ANN202
    path = tmp_path / "edited.xlsx"
    path.write_bytes(data)
    return import_logframe(plan, path, actor=coordinator, dry_run=True)


def test_a_merged_range_keeps_its_top_value_over_hidden_contents(
    kg_matrix, plan, coordinator, tmp_path
):
    """LibreOffice can keep the contents of merged-over cells; only the top-left counts."""
    data = export_logframe(plan, language="en")
    book = load_workbook(io.BytesIO(data))
    actions = book["actions"]
    rows = [r for r in range(3, actions.max_row + 1) if actions.cell(r, 1).value == "1"]
    assert len(rows) >= 2
    first, last = rows[0], rows[-1]
    actions.cell(last, 1).value = "2"  # hidden under the merge: would be a move if read

    buffer = io.BytesIO()
    book.save(buffer)

    def merge(text: str) -> str:
        return text.replace(
            "</sheetData>",
            f'</sheetData><mergeCells count="1"><mergeCell ref="A{first}:A{last}"/></mergeCells>',
            1,
        )

    result = _import(
        plan, coordinator, tmp_path, _edit_sheet_xml(buffer.getvalue(), "actions", merge)
    )
    assert [str(p) for p in result.all_problems] == []
    assert result.changeset.counts()["actions"] == {
        "create": 0,
        "change": 0,
        "same": Action.objects.filter(plan=plan).count(),
    }


def test_a_wrong_dimension_tag_does_not_hide_rows(kg_matrix, plan, coordinator, tmp_path):
    """Some programs write ``<dimension ref="A1"/>`` whatever the sheet holds."""
    data = export_logframe(plan, language="en")

    def shrink(text: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1"/>', text, count=1)

    edited = _edit_sheet_xml(data, "actions", shrink)
    path = tmp_path / "shrunk.xlsx"
    path.write_bytes(edited)
    read = read_logframe(path)
    assert len(read.rows["actions"]) == Action.objects.filter(plan=plan).count()
    result = _import(plan, coordinator, tmp_path, edited)
    assert [str(p) for p in result.all_problems] == []
    assert result.changeset.counts()["actions"]["same"] == Action.objects.filter(plan=plan).count()
