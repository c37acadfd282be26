"""Reading long-format tables (CSV, XLSX, JSON) into rows numbered as a spreadsheet user sees them.

Every reader returns a :class:`Table`: the column names in file order and the data rows,
each with its row number (the header is row 1, the first data row is row 2; for JSON, the
first object of the list is row 2, as it would be once opened in a spreadsheet). Cell
values are ``str`` (CSV, JSON strings), ``int``/``float``/``Decimal`` (XLSX and JSON
numbers; JSON's bare ``NaN`` and ``Infinity`` are floats), ``bool``, ``None`` (an empty
cell) or :class:`Uncomputed` (an XLSX formula whose result the workbook does not hold).

Errors that make a file unreadable raise :class:`TableError` with a message naming the
file; oddities that do not (a stray second JSON document appended to a file, as in the DRC
export's ``All-Indicateurs.json``) are returned as warnings on the table.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

#: Largest file read (bytes); long-format monitoring tables are far smaller.
MAX_FILE_BYTES = 50 * 1024 * 1024


class TableError(Exception):
    """A file that cannot be read as a table (the message names the file)."""


@dataclass(frozen=True)
class Uncomputed:
    """An XLSX formula cell without a cached result: ``formula`` as written (``"=2+3"``).

    A workbook written by a program that does not compute formulas (openpyxl, many
    exporters) holds the formula but not its value; read with ``data_only`` the cell looks
    empty, which would silently drop the number. Importers report it instead
    (:func:`uncomputed_message`).
    """

    formula: str

    def __str__(self) -> str:
        return self.formula


def uncomputed_message(cell: Uncomputed) -> str:
    """The problem with an :class:`Uncomputed` cell, for ``FILE row N, column C: …``."""
    return _(
        "formula without a computed value (%(formula)s): open the file in a spreadsheet "
        "program and save it again."
    ) % {"formula": cell.formula}


@dataclass
class Row:
    """One data row: ``number`` as a spreadsheet shows it (header = 1), cells by column name."""

    number: int
    cells: dict[str, Any]


@dataclass
class Table:
    """A file read as a table: ``name`` (the file name), columns in order, rows, warnings."""

    name: str
    columns: list[str]
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    #: column name → spreadsheet letter ("C"), for CSV and XLSX files
    letters: dict[str, str] = field(default_factory=dict)

    def column_label(self, column: str) -> str:
        """``Valeur`` (JSON) or ``Valeur (C)`` (CSV, XLSX), for messages."""
        letter = self.letters.get(column)
        return f"{column} ({letter})" if letter else column


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA`` (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_json_documents(path: Path) -> tuple[Any, list[str]]:
    """The first JSON document in ``path`` and warnings on anything after it.

    ``All-Indicateurs.json`` of the DRC export has a stray second document appended; it is
    reported (file name and character position), not a crash (DESIGN.md §9). Raises
    :class:`TableError` if the file holds no JSON document at all.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            _("%(file)s: the file is not UTF-8 text (byte %(position)d).")
            % {"file": path.name, "position": error.start}
        ) from error
    decoder = json.JSONDecoder(parse_float=Decimal)
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    try:
        document, end = decoder.raw_decode(stripped)
    except json.JSONDecodeError as error:
        raise TableError(
            _("%(file)s: not a JSON document (line %(line)d, column %(column)d: %(message)s).")
            % {"file": path.name, "line": error.lineno, "column": error.colno, "message": error.msg}
        ) from error
    rest = text[offset + end :].strip()
    notes = []
    if rest:
        notes.append(
            _(
                "%(file)s: ignored %(count)d characters after the first JSON document "
                "(starting at character %(position)d)."
            )
            % {"file": path.name, "count": len(rest), "position": offset + end}
        )
    return document, notes


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """Read ``path`` by its extension: ``.csv``, ``.xlsx`` or ``.json``. ``sheet``: XLSX only."""
    if not path.is_file():
        raise TableError(_("%(file)s: no such file.") % {"file": str(path)})
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TableError(
            _("%(file)s: the file is larger than %(size)d MB.")
            % {"file": path.name, "size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    if suffix == ".json":
        return _read_json(path)
    raise TableError(
        _("%(file)s: the file type is not one this import reads (CSV, XLSX or JSON).")
        % {"file": path.name}
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_from_lists(name: str, header: list[Any], records: list[list[Any]]) -> Table:
    columns: list[str] = []
    letters: dict[str, str] = {}
    for index, raw in enumerate(header):
        column = "" if raw is None else str(raw).strip()
        if not column:
            continue
        if column in letters:
            raise TableError(
                _("%(file)s row 1: the column %(column)s appears twice.")
                % {"file": name, "column": column}
            )
        columns.append(column)
        letters[column] = column_letter(index)
    positions = [(index, str(raw).strip()) for index, raw in enumerate(header) if not _blank(raw)]
    rows = []
    for number, record in enumerate(records, start=2):
        if all(_blank(value) for value in record):
            continue
        cells = {
            column: (record[index] if index < len(record) else None) for index, column in positions
        }
        rows.append(Row(number=number, cells=cells))
    return Table(name=name, columns=columns, rows=rows, letters=letters)


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            _("%(file)s: the file is not UTF-8 text (byte %(position)d); save it as CSV UTF-8.")
            % {"file": path.name, "position": error.start}
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not records:
        raise TableError(_("%(file)s: the file is empty.") % {"file": path.name})
    return _table_from_lists(path.name, list(records[0]), [list(r) for r in records[1:]])


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    def open_sheet(data_only: bool) -> tuple[Any, Any]:
        try:
            workbook = load_workbook(path, read_only=True, data_only=data_only)
        except Exception as error:  # noqa: BLE001 - any unreadable workbook is one message
            raise TableError(
                _("%(file)s: not a readable XLSX workbook (%(error)s).")
                % {"file": path.name, "error": type(error).__name__}
            ) from error
        if sheet is None:
            return workbook, workbook.worksheets[0]
        if sheet in workbook.sheetnames:
            return workbook, workbook[sheet]
        workbook.close()
        raise TableError(
            _("%(file)s: no sheet named %(sheet)s (sheets: %(sheets)s).")
            % {"file": path.name, "sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
        )

    # The values as last computed (data_only), then the formulas: a formula cell whose
    # computed value is missing becomes Uncomputed rather than an empty cell.
    workbook, worksheet = open_sheet(data_only=True)
    try:
        records = [list(values) for values in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    workbook, worksheet = open_sheet(data_only=False)
    try:
        for record, cells in zip(records, worksheet.iter_rows(), strict=False):
            for index, cell in enumerate(cells):
                if index < len(record) and record[index] is None and cell.data_type == "f":
                    record[index] = Uncomputed(str(getattr(cell.value, "text", cell.value)))
    finally:
        workbook.close()
    if not records:
        raise TableError(_("%(file)s: the sheet is empty.") % {"file": path.name})
    for index, value in enumerate(records[0]):
        if isinstance(value, Uncomputed):
            raise TableError(
                f"{path.name} row 1, column {column_letter(index)}: {uncomputed_message(value)}"
            )
    return _table_from_lists(path.name, records[0], records[1:])


def _read_json(path: Path) -> Table:
    document, warnings = read_json_documents(path)
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise TableError(
            _("%(file)s: expected a JSON list of objects, one per row.") % {"file": path.name}
        )
    columns: list[str] = []
    for item in document:
        for key in item:
            if key not in columns:
                columns.append(key)
    rows = [
        Row(number=number, cells=dict(item))
        for number, item in enumerate(document, start=2)
        if not all(_blank(value) for value in item.values())
    ]
    return Table(name=path.name, columns=columns, rows=rows, warnings=warnings)
