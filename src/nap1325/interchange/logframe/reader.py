"""Reading a logframe workbook (or the framework's open-data JSON / CSV) into rows.

:func:`read_logframe` returns a :class:`LogframeFile`: per sheet key the data rows, each
cell already parsed by its column's kind (:func:`parse_cell`), with problems that name the
sheet, the row and the column (``Sheet actions, row 12, column F (lead_agency): …``).
Organisations and pillars are matched later, against the database (:mod:`.plan_diff`).

What it reads, as people actually send it (issue 7, point 3):

- merged cells: the top-left value of a merged range applies to every cell of the range;
- dates: date cells, Excel serial numbers (a number in a date column, 1900 date system),
  ``dd.mm.yyyy`` (also ``d.m.yyyy``) and ISO ``yyyy-mm-dd`` text; a date that does not
  exist (``31.02.2025``) or another form (``02/03/2025``: day or month first?) is refused;
- numbers (:func:`parse_number`): number cells as they are; text with a decimal comma or
  point, spaces / no-break spaces / apostrophes as thousands separators, ``%`` after a
  percentage, a leading ``−``;
- text: stripped of spaces around it (no-break spaces too); codes with inner spaces refused;
- a BOM before the first header key (CSV and XLSX written by some tools).

**Ambiguous numbers** are refused with the cell named: a text with a single ``,`` or ``.``
followed by exactly three digits and nothing else (``1,234``, ``12.500``) could be a
thousands group or a decimal part. It is read unambiguously when another separator tells
(``1 234,5``, ``1,234.5``, ``1.234.567``), when the integer part is ``0`` (``0,125``), or
when the column takes whole numbers only (``line``, ``year``): then it is refused anyway,
since no year or line number is written with a separator. Write ``1234`` or ``1234,0``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from nap1325.interchange.tables import MAX_FILE_BYTES, column_letter

from . import columns as cols

#: Spaces used as thousands separators (space, no-break, narrow no-break, thin) and "'"
_GROUP_CHARS = " \u00a0\u202f\u2009'’"
_MINUS = "-\u2212\u2013"
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's 1900 leap bug)


@dataclass(frozen=True)
class Problem:
    """Something the import cannot read or do, at ``sheet`` / ``row`` / ``column`` (letter)."""

    sheet: str
    row: int | None
    column: str | None
    key: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message

    @property
    def place(self) -> str:
        """``Sheet actions, row 12, column F (lead_agency)`` (as much as is known)."""
        parts = []
        if self.sheet:
            parts.append(_("Sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            column = _("column %(column)s") % {"column": self.column}
            parts.append(f"{column} ({self.key})" if self.key else column)
        elif self.key:
            parts.append(_("column %(column)s") % {"column": self.key})
        return ", ".join(parts)


@dataclass
class SheetRow:
    """A data row: ``number`` as the spreadsheet shows it; parsed ``values`` by column key.

    ``values`` holds only columns present in the file (a missing column is not "empty").
    """

    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]

    def problem(self, key: str | None, message: str) -> Problem:
        return Problem(
            self.sheet, self.number, self.letters.get(key) if key else None, key, message
        )


@dataclass
class LogframeFile:
    """A file read: its name, rows per sheet key, the problems found, the sheets present."""

    name: str
    rows: dict[str, list[SheetRow]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class UnreadableFile(Exception):
    """The file is not a workbook (nor JSON / CSV) at all; the message names the file."""


# --------------------------------------------------------------------------- cells


def clean_text(value: Any) -> str:
    """Text of a cell: NFC, no-break spaces as spaces, stripped (inner line breaks kept)."""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").replace("\u202f", " ")
    return text.replace("\ufeff", "").strip()


def normalise(text: Any) -> str:
    """Text for matching keys and labels: spaces collapsed, stripped, casefolded."""
    return re.sub(r"\s+", " ", clean_text(text)).casefold()


def parse_number(value: Any, *, whole: bool = False) -> Decimal:
    """An exact Decimal from a cell; ``ValueError`` with the reason when unreadable.

    See the module docstring for the separator rules. ``whole``: only whole numbers.
    """
    if isinstance(value, bool):
        raise ValueError(_("a yes/no value, not a number."))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("not a finite number."))
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, dt.date):
        raise ValueError(_("a date, not a number."))
    else:
        number = _number_from_text(clean_text(value), whole=whole)
    if not number.is_finite():
        raise ValueError(_("not a finite number."))
    if whole and number != number.to_integral_value():
        raise ValueError(_("expected a whole number."))
    return number


def _number_from_text(text: str, *, whole: bool) -> Decimal:
    original = text
    if text.endswith("%"):
        text = text[:-1].strip()
    negative = bool(text) and text[0] in _MINUS
    if negative:
        text = text[1:].strip()
    grouped = any(ch in text for ch in _GROUP_CHARS)
    digits_only = "".join(ch for ch in text if ch not in _GROUP_CHARS)
    if grouped and not re.fullmatch(
        r"\d{1,3}([" + re.escape(_GROUP_CHARS) + r"]\d{3})+([.,]\d+)?", text
    ):
        raise ValueError(_("“%(text)s” is not a number.") % {"text": original})
    text = digits_only
    if not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        raise ValueError(_("“%(text)s” is not a number.") % {"text": original})
    commas, points = text.count(","), text.count(".")
    if commas and points:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        integer, _sep, fraction = text.rpartition(decimal_mark)
        if integer.count(decimal_mark) or not re.fullmatch(
            r"\d{1,3}(" + re.escape(group_mark) + r"\d{3})+", integer
        ):
            raise ValueError(_("“%(text)s” is not a number.") % {"text": original})
        text = integer.replace(group_mark, "") + "." + fraction
    elif commas + points > 1:
        mark = "," if commas else "."
        if not re.fullmatch(r"\d{1,3}(" + re.escape(mark) + r"\d{3})+", text):
            raise ValueError(_("“%(text)s” is not a number.") % {"text": original})
        text = text.replace(mark, "")
    elif commas + points == 1:
        mark = "," if commas else "."
        integer, _sep, fraction = text.partition(mark)
        if not integer or not fraction:
            raise ValueError(_("“%(text)s” is not a number.") % {"text": original})
        if len(fraction) == 3 and integer != "0" and not grouped:
            raise ValueError(
                _(
                    "“%(text)s” is ambiguous: a thousands separator or a decimal mark? "
                    "Write %(plain)s for the whole number, or %(decimal)s for the decimal one."
                )
                % {
                    "text": original,
                    "plain": integer + fraction,
                    "decimal": f"{integer}{mark}{fraction}0",
                }
            )
        text = f"{integer}.{fraction}"
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(text)s” is not a number.") % {"text": original}) from None
    return -number if negative else number


def parse_date(value: Any) -> dt.date:
    """A date from a date cell, an Excel serial number, ``dd.mm.yyyy`` or ``yyyy-mm-dd``.

    Raises ``ValueError`` (with the message for the cell) for anything else, and for a date
    before 1900: a spreadsheet shows a negative serial number in a date cell as a day of
    1899, which no plan means.
    """
    found = _parse_date(value)
    if found.year < 1900:
        raise ValueError(_("%(date)s is before 1900; check the cell.") % {"date": found})
    return found


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(_("a date and time; expected a date only."))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(_("not a date."))
    if isinstance(value, int | float | Decimal):
        serial = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if serial != serial.to_integral_value() or not 1 <= serial <= 2958465:
            raise ValueError(_("the number %(value)s is not a date.") % {"value": value})
        if serial == 60:
            raise ValueError(_("29.02.1900 does not exist."))
        # Excel counts a 29.02.1900 that never was: serials before it are one day later
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial) + (1 if serial < 60 else 0))
    text = clean_text(value)
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?", text)
        if not match:
            raise ValueError(
                _("“%(text)s” is not a date; write dd.mm.yyyy or yyyy-mm-dd.") % {"text": text}
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("the date “%(text)s” does not exist.") % {"text": text}) from None


YES = frozenset({"yes", "y", "true", "1", "x", "да", "ооба", "oui"})
NO = frozenset({"no", "n", "false", "0", "нет", "жок", "non"})


def parse_boolean(value: Any) -> bool:
    """yes / no (English, Russian, Kyrgyz, French words, 1/0, TRUE/FALSE)."""
    if isinstance(value, bool):
        return value
    word = normalise(value)
    if word in YES or word == normalise(_("yes")):
        return True
    if word in NO or word == normalise(_("no")):
        return False
    raise ValueError(_("“%(text)s” is not yes or no.") % {"text": clean_text(value)})


def parse_code(value: Any) -> str:
    """A code as text: ``1.2`` stays ``1.2``; a number cell 3 reads ``3``."""
    if isinstance(value, float):
        text = format(Decimal(repr(value)).normalize(), "f")
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        text = format(Decimal(value), "f")
    else:
        text = clean_text(value)
    if re.search(r"\s", text):
        raise ValueError(_("“%(text)s”: a code has no spaces.") % {"text": text})
    return text


def _choice_labels() -> dict[str, dict[str, str]]:
    """column key → {normalised key or label in any interface language: key}."""
    found: dict[str, dict[str, str]] = {}
    languages = [code for code, _name in settings.LANGUAGES]
    for sheet in cols.sheets().values():
        for column in sheet.columns:
            if column.kind != cols.CHOICE:
                continue
            table = found.setdefault(column.key, {})
            for key, label in column.choices:
                table[normalise(key)] = key
                for language in languages:
                    with translation.override(language):
                        table.setdefault(normalise(str(label)), key)
    return found


def parse_cell(column: cols.Column, value: Any, choice_labels: dict[str, dict[str, str]]) -> Any:
    """The value of one non-blank cell for ``column``; ``ValueError`` with the reason."""
    kind = column.kind
    if kind == cols.DECIMAL:
        return parse_number(value)
    if kind == cols.INTEGER:
        return int(parse_number(value, whole=True))
    if kind == cols.DATE:
        return parse_date(value)
    if kind == cols.BOOLEAN:
        return parse_boolean(value)
    if kind == cols.CODE:
        return parse_code(value)
    if kind == cols.CHOICE:
        key = choice_labels.get(column.key, {}).get(normalise(value))
        if key is None:
            allowed = ", ".join(k for k, _label in column.choices)
            raise ValueError(
                _("“%(text)s” is not one of: %(allowed)s.")
                % {"text": clean_text(value), "allowed": allowed}
            )
        return key
    if kind == cols.ORGANISATIONS:
        return [clean_text(part) for part in re.split(r"[;\n]", str(value)) if clean_text(part)]
    if kind == cols.STAGES:
        return [clean_text(part) for part in re.split(r"[|\n]", str(value)) if clean_text(part)]
    if kind == cols.BREAKDOWNS:
        breakdowns = []
        for part in re.split(r"[;\n]", str(value)):
            keys = [
                parse_code(k).lower()
                for k in re.split(r"\s*[×*+]\s*|\s+x\s+", clean_text(part))
                if clean_text(k)
            ]
            if keys:
                breakdowns.append(keys)
        return breakdowns
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return clean_text(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


# --------------------------------------------------------------------------- files


def read_logframe(path: Path, *, display_name: str | None = None) -> LogframeFile:
    """Read an ``.xlsx`` workbook or a ``.json`` framework export (one file).

    Raises :class:`UnreadableFile` when it is neither; every other problem is collected.
    """
    name = display_name or path.name
    if not path.is_file():
        raise UnreadableFile(_("%(file)s: no such file.") % {"file": name})
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFile(
            _("%(file)s: the file is larger than %(size)d MB.")
            % {"file": name, "size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    head = path.read_bytes()[:4]
    suffix = Path(name).suffix.lower()
    if head.startswith(b"PK"):
        return _read_xlsx(path, name)
    if suffix == ".json":
        return _read_json(path, name)
    raise UnreadableFile(
        _("%(file)s: not an Excel workbook (.xlsx) or a framework JSON file.") % {"file": name}
    )


def read_csv_sheets(paths: list[Path]) -> LogframeFile:
    """Read framework CSV files; each file's sheet is the last word of its name.

    ``kg-2012-results.csv`` → sheet ``results`` (the open-data download names). Sheets not
    given are left alone.
    """
    result = LogframeFile(name=", ".join(p.name for p in paths))
    choice_labels = _choice_labels()
    for path in paths:
        stem = path.stem.lower()
        sheet = next((k for k in cols.DATA_SHEETS if stem == k or stem.endswith(f"-{k}")), None)
        if sheet is None:
            raise UnreadableFile(
                _("%(file)s: the name does not say which sheet it is (…-results.csv, …).")
                % {"file": path.name}
            )
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                _("%(file)s: the file is not UTF-8 text (byte %(position)d).")
                % {"file": path.name, "position": error.start}
            ) from error
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        records = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        for record in records:  # undo the formula neutralisation of the open-data CSV
            for index, cell in enumerate(record):
                if cell[:2] in {"'=", "'+", "'-", "'@", "'\t", "'\r"} or (
                    cell[:1] == "'" and cell[1:2] in "＝＋－＠" and cell[1:2]
                ):
                    record[index] = cell[1:]
        _read_records(result, sheet, records, choice_labels, label_row_possible=False)
    return result


def _read_json(path: Path, name: str) -> LogframeFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(
            _("%(file)s: not a JSON document (%(error)s).") % {"file": name, "error": error}
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("sheets"), dict):
        raise UnreadableFile(
            _("%(file)s: expected the framework JSON (an object with “sheets”).") % {"file": name}
        )
    result = LogframeFile(name=name)
    choice_labels = _choice_labels()
    for sheet in cols.DATA_SHEETS:
        items = document["sheets"].get(sheet)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            result.problems.append(
                Problem(sheet, None, None, None, _("expected a list of objects, one per row."))
            )
            continue
        if not items:
            result.rows[sheet] = []
            continue
        keys: list[str] = []
        for item in items:
            keys.extend(k for k in item if k not in keys)
        records = [keys] + [[item.get(k) for k in keys] for item in items]
        _read_records(result, sheet, records, choice_labels, label_row_possible=False)
    return result


def _sheet_records(workbook: Any, title: str) -> tuple[list[list[Any]], list[Any], set]:
    """The cell values of sheet ``title`` by row, its merged ranges and its formula cells.

    ``workbook`` is opened read-only (streamed: no cell objects are kept). The sheet's XML
    is read once with openpyxl's own parser (the one both of its modes use), so cell values,
    dates and shared strings are exactly what the normal mode gives, and the merged ranges
    at the end of the same XML come along. Rows are numbered as in the sheet (missing rows
    are empty lists; a row is as long as its last cell). Formula cells: the set of
    ``(row index, column index)`` whose cell is a formula (its text, ``=…``, is the value).
    """
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.worksheet.cell_range import CellRange

    worksheet = workbook[title]
    records: list[list[Any]] = []
    formulas: set[tuple[int, int]] = set()
    with workbook._archive.open(worksheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            workbook.shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            while len(records) < number:
                records.append([])
            record = records[number - 1]
            for cell in cells:
                column = cell["column"]
                while len(record) < column:
                    record.append(None)
                value = cell["value"]
                record[column - 1] = value
                if cell["data_type"] == "f" and isinstance(value, str) and value.startswith("="):
                    formulas.add((number - 1, column - 1))
        merged = list(parser.merged_cells.mergeCell) if parser.merged_cells else []
    return records, [CellRange(merge.ref) for merge in merged], formulas


def _read_xlsx(path: Path, name: str) -> LogframeFile:
    from openpyxl import load_workbook

    def unreadable(error: Exception) -> UnreadableFile:
        return UnreadableFile(
            _("%(file)s: not a readable Excel workbook (%(error)s).")
            % {"file": name, "error": type(error).__name__}
        )

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook is one message
        raise unreadable(error) from error
    computed = None
    result = LogframeFile(name=name)
    choice_labels = _choice_labels()
    by_name = {normalise(title): title for title in workbook.sheetnames}
    try:
        for sheet in cols.DATA_SHEETS:
            title = by_name.get(sheet)
            if title is None:
                if sheet != cols.DIMENSIONS:  # older templates had no dimensions sheet
                    result.problems.append(
                        Problem(
                            sheet,
                            None,
                            None,
                            None,
                            _("the sheet %(sheet)s is missing (sheets: %(sheets)s).")
                            % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)},
                        )
                    )
                continue
            try:
                records, merged_ranges, formulas = _sheet_records(workbook, title)
            except Exception as error:  # noqa: BLE001 - a sheet's XML that does not parse
                raise unreadable(error) from error
            # a merged range shows its top-left value only (what spreadsheet programs keep)
            for merged in merged_ranges:
                for r in range(merged.min_row - 1, min(merged.max_row, len(records))):
                    record = records[r]
                    for c in range(merged.min_col - 1, min(merged.max_col, len(record))):
                        if (r, c) != (merged.min_row - 1, merged.min_col - 1):
                            record[c] = None
                            formulas.discard((r, c))
            if formulas:
                if computed is None:
                    try:
                        computed = load_workbook(path, read_only=True, data_only=True)
                    except Exception as error:  # noqa: BLE001
                        raise unreadable(error) from error
                cached, _merged, _formulas = _sheet_records(computed, title)
                for r, c in sorted(formulas):
                    value = cached[r][c] if r < len(cached) and c < len(cached[r]) else None
                    if value is None:
                        result.problems.append(
                            Problem(
                                sheet,
                                r + 1,
                                column_letter(c),
                                None,
                                _(
                                    "a formula without a computed value (%(formula)s): open "
                                    "the file in a spreadsheet program and save it again."
                                )
                                % {"formula": records[r][c]},
                            )
                        )
                    records[r][c] = value
            blank_rows = {r for r, record in enumerate(records) if all(_blank(v) for v in record)}
            for merged in merged_ranges:
                top_row = records[merged.min_row - 1] if merged.min_row <= len(records) else []
                top = top_row[merged.min_col - 1] if merged.min_col <= len(top_row) else None
                for r in range(merged.min_row - 1, min(merged.max_row, len(records))):
                    record = records[r]
                    for c in range(merged.min_col - 1, merged.max_col):
                        while len(record) <= c:
                            record.append(None)
                        record[c] = top
            for r in blank_rows:
                records[r] = []
            _read_records(result, sheet, records, choice_labels, label_row_possible=True)
    finally:
        workbook.close()
        if computed is not None:
            computed.close()
    return result


def _label_sets() -> dict[str, set[str]]:
    """column key → normalised labels in every interface language (and the key itself)."""
    found: dict[str, set[str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for sheet in cols.sheets(languages=True).values():
                for column in sheet.columns:
                    found.setdefault(column.key, {column.key}).add(normalise(str(column.label)))
    return found


def _read_records(
    result: LogframeFile,
    sheet_key: str,
    records: list[list[Any]],
    choice_labels: dict[str, dict[str, str]],
    *,
    label_row_possible: bool,
) -> None:
    sheet = cols.sheets(languages=True).get(sheet_key)
    assert sheet is not None
    rows: list[SheetRow] = []
    result.rows[sheet_key] = rows
    if not records or all(_blank(v) for v in records[0]):
        result.problems.append(
            Problem(sheet_key, 1, None, None, _("the header row (column keys) is missing."))
        )
        return
    known = {c.key: c for c in sheet.columns}
    known.update({c.key: c for c in cols.tier_columns()})
    positions: dict[str, int] = {}
    letters: dict[str, str] = {}
    for index, raw in enumerate(records[0]):
        if _blank(raw):
            continue
        key = normalise(raw).replace(" ", "_")
        if key not in known:
            result.warnings.append(
                str(
                    Problem(
                        sheet_key,
                        1,
                        column_letter(index),
                        None,
                        _("unknown column “%(key)s” ignored.") % {"key": clean_text(raw)},
                    )
                )
            )
            continue
        if key in positions:
            result.problems.append(
                Problem(
                    sheet_key,
                    1,
                    column_letter(index),
                    key,
                    _("the column appears twice."),
                )
            )
            continue
        positions[key] = index
        letters[key] = column_letter(index)
    for column in sheet.columns:
        if column.required and column.key not in positions:
            if any(key in positions for key in cols.language_keys(sheet_key, column.key)):
                continue  # given per language (title_ru, …) instead
            result.problems.append(
                Problem(
                    sheet_key,
                    1,
                    None,
                    column.key,
                    _("the required column %(key)s is missing.") % {"key": column.key},
                )
            )
    start = 1
    if label_row_possible and len(records) > 1 and _is_label_row(records[1], positions):
        start = 2
    for offset, record in enumerate(records[start:], start=start + 1):
        if all(_blank(v) for v in record):
            continue
        values: dict[str, Any] = {}
        row = SheetRow(sheet_key, offset, values, letters)
        for key, index in positions.items():
            raw = record[index] if index < len(record) else None
            if _blank(raw):
                values[key] = None
                continue
            try:
                values[key] = parse_cell(known[key], raw, choice_labels)
            except ValueError as error:
                values[key] = None
                result.problems.append(row.problem(key, str(error)))
        rows.append(row)


_LABELS: dict[str, set[str]] | None = None


def _is_label_row(record: list[Any], positions: dict[str, int]) -> bool:
    global _LABELS
    if _LABELS is None:
        _LABELS = _label_sets()
    checked = 0
    for key, index in positions.items():
        if key.startswith("tier_"):
            continue  # the plan's own tier names
        value = record[index] if index < len(record) else None
        if _blank(value):
            continue
        if normalise(value) not in _LABELS.get(key, set()):
            return False
        checked += 1
    return checked > 0
