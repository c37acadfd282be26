"""An agency report as an Excel workbook: download, fill in offline, upload (issue 7 point 4).

:func:`report_workbook` writes the working copy of one report into a workbook in the
user's language:

* **Instructions** — what to fill in and how, the report, its organisation and period;
* **Indicators** — one row per indicator (code, title, unit, what to enter, value or
  numerator and denominator or yes/no or stage, no data and its reason, comment), then one
  row per breakdown cell (the category in column B, the amount in the Value column);
* **Action updates** — one row per action the organisation leads (status, progress
  0–100, what was done, expenditure). "What was done" is the narrative in the workbook's
  language only (its own text, never a fallback); on upload it replaces that language's
  narrative and leaves the other languages as they are;
* two hidden sheets: the drop-down lists (yes/no, statuses, each stage indicator's stages)
  and ``nap1325`` (very hidden) with the report id, its version when downloaded, the
  language and the sheet names.

The sheets are protected without a password (only the input cells are unlocked), so
codes and hidden keys are not changed by accident; the reader checks them anyway.

:func:`read_report_workbook` reads an uploaded workbook back into the inputs of
:func:`nap1325.monitoring.services.agency_report_save` (the same service, rules and version
check as the report form). It accepts what people send — decimal commas, thousands
separated by spaces (also non-breaking), stray spaces, numbers typed as text — through
:func:`nap1325.measurement.parse_decimal` and :func:`nap1325.interchange.tables.read_table`;
it refuses anything it cannot read unambiguously with a message naming the sheet, row and
column ("Indicators, row 7, column E (Value): 'about 40' is not a number"). Nothing is
stored unless everything is read (the service is one transaction).
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from nap1325.core.content import active_language, platform_languages
from nap1325.interchange.tables import Row, Table, TableError, Uncomputed, read_table
from nap1325.measurement import MeasurementError, parse_decimal
from nap1325.monitoring.models import AgencyReport
from nap1325.monitoring.services import UpdateInput, ValueInput, breakdown_keys, field_name
from nap1325.plans.models import Action, Indicator

#: Version of the workbook layout (in the hidden sheet; a different one is refused).
FORMAT = "1"
#: Names of the hidden sheets (never translated: the reader finds them by name).
META_SHEET = "nap1325"
LISTS_SHEET = "lists"
#: Largest workbook read (bytes): a report of a few hundred indicators is far smaller.
MAX_BYTES = 10 * 1024 * 1024

_INPUT_FILL = "FFF8E1"
_LOCKED_FILL = "EEEEEE"
_HEADER_FILL = "DDE7F0"
_SPACES = "\u00a0\u202f\u2007 "
_GROUPED_BY_SPACES = re.compile(r"[+-]?[0-9]{1,3}(?:[ \u00a0\u202f\u2007][0-9]{3})+(?:[.,][0-9]+)?")


class WorkbookError(Exception):
    """An upload that cannot be read: ``messages`` name sheet, row and column."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass
class WorkbookEntries:
    """What an uploaded workbook says: the inputs of ``agency_report_save`` and where each
    field was read (``field_name`` → ``"Indicators, row 7, column E (Value)"``)."""

    version: int
    values: dict[int, ValueInput]
    updates: dict[int, UpdateInput]
    places: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- layout


def _indicator_columns() -> list[tuple[str, str, int]]:
    """``(key, header, width)`` of the Indicators sheet, in column order (A…)."""
    return [
        ("code", _("Code"), 10),
        ("title", _("Indicator / breakdown category"), 48),
        ("unit", _("Unit"), 12),
        ("measure", _("What to enter"), 22),
        ("value", _("Value"), 12),
        ("numerator", _("Numerator"), 12),
        ("denominator", _("Denominator"), 13),
        ("yes_no", _("Yes or no"), 10),
        ("stage", _("Stage reached"), 22),
        ("no_data", _("No data"), 9),
        ("no_data_reason", _("Why there is no data"), 30),
        ("comment", _("Comment"), 40),
        ("key", "key", 8),
    ]


def _action_columns(currency: str) -> list[tuple[str, str, int]]:
    return [
        ("code", _("Code"), 10),
        ("title", _("Action"), 48),
        ("status", _("Status"), 16),
        ("progress", _("Progress (%)"), 12),
        ("expenditure", _("Expenditure (%(currency)s)") % {"currency": currency}, 16),
        ("narrative", _("What was done"), 60),
        ("key", "key", 8),
    ]


def workbook_language(code: str | None) -> str:
    """The platform language a workbook's narratives are in: its hidden ``language`` (the
    downloader's), else the active language."""
    base = (code or "").split("-")[0].lower()
    return base if base in platform_languages() else active_language()


def _sheet_title(text: str) -> str:
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet"


def _sheet_names() -> tuple[str, str, str]:
    return (
        _sheet_title(_("Instructions")),
        _sheet_title(_("Indicators")),
        _sheet_title(_("Action updates")),
    )


def _measure_text(indicator: Indicator) -> str:
    return {
        Indicator.Measure.NUMBER: _("a number in Value"),
        Indicator.Measure.PERCENTAGE: _("numerator and denominator"),
        Indicator.Measure.YES_NO: _("yes or no"),
        Indicator.Measure.STAGE: _("the stage reached"),
    }.get(indicator.measure, "")


def _yes_no() -> tuple[str, str]:
    return _("Yes"), _("No")


def _category_labels(breakdown: Any) -> dict[str, str]:
    """Cell key → readable label (``"Generals · Women"``) from prefetched categories."""
    labels: list[tuple[str, str]] = [("", "")]
    for dimension in breakdown.sorted_dimensions():
        categories = [(c.key, c.name or c.key) for c in dimension.categories.all()]
        labels = [
            (f"{k}|{key}" if k else key, f"{text} · {label}" if text else label)
            for k, text in labels
            for key, label in categories
        ]
    return dict(labels)


def _stages(indicator: Indicator) -> list[str]:
    return [str(s) for s in indicator.stages if str(s).strip()]


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored Decimal without its storage zeros (``120.000000`` → ``120``)."""
    if value is None:
        return None
    normalized = value.normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return normalized


# --------------------------------------------------------------------------- writing


def report_workbook(
    report: AgencyReport,
    indicators: Sequence[Indicator],
    actions: Sequence[Action],
    values: Mapping[int, ValueInput],
    updates: Mapping[int, UpdateInput],
) -> bytes:
    """The workbook (XLSX bytes) of ``report``'s working copy, in the active language.

    ``indicators`` and ``actions``: the report's scope (``services.report_scope``, with
    breakdowns, dimensions and categories prefetched); ``values`` and ``updates``: the
    working copy (``services.read_entries``).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    plan = report.plan
    language = translation.get_language() or "en"
    instructions_name, indicators_name, actions_name = _sheet_names()
    workbook = Workbook()
    guide = workbook.active
    guide.title = instructions_name
    sheet = workbook.create_sheet(indicators_name)
    action_sheet = workbook.create_sheet(actions_name)
    lists = workbook.create_sheet(LISTS_SHEET)
    meta = workbook.create_sheet(META_SHEET)
    lists.sheet_state = "hidden"
    meta.sheet_state = "veryHidden"

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    locked_fill = PatternFill("solid", fgColor=_LOCKED_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)

    # lists for the drop-downs
    yes, no = _yes_no()
    lists["A1"], lists["A2"] = yes, no
    statuses = [str(label) for _value, label in Action.Status.choices]
    for index, label in enumerate(statuses, start=1):
        lists.cell(row=index, column=2, value=label)
    yes_no_list = DataValidation(type="list", formula1=f"{LISTS_SHEET}!$A$1:$A$2", allow_blank=True)
    status_list = DataValidation(
        type="list", formula1=f"{LISTS_SHEET}!$B$1:$B${len(statuses)}", allow_blank=True
    )
    for validation in (yes_no_list, status_list):
        validation.error = _("Choose from the list.")
        validation.showErrorMessage = True

    def header(target: Any, columns: list[tuple[str, str, int]]) -> dict[str, int]:
        from openpyxl.utils import get_column_letter

        positions: dict[str, int] = {}
        for number, (key, title, width) in enumerate(columns, start=1):
            cell = target.cell(row=1, column=number, value=title)
            cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
            target.column_dimensions[get_column_letter(number)].width = width
            positions[key] = number
        target.column_dimensions[get_column_letter(positions["key"])].hidden = True
        target.freeze_panes = "C2"
        return positions

    def put(target: Any, row: int, column: int, value: Any, *, editable: bool) -> Any:
        cell = target.cell(row=row, column=column, value=value)
        cell.alignment = wrap
        if editable:
            cell.protection, cell.fill = unlocked, input_fill
        else:
            cell.fill = locked_fill
        return cell

    # Indicators
    columns = header(sheet, _indicator_columns())
    sheet.add_data_validation(yes_no_list)
    row = 2
    stage_column = 3
    for indicator in indicators:
        entry = values.get(indicator.pk, ValueInput())
        measure = indicator.measure
        fixed = {
            "code": indicator.code,
            "title": str(indicator.title),
            "unit": indicator.unit or "",
            "measure": _measure_text(indicator),
            "key": f"i:{indicator.pk}",
        }
        for key, value in fixed.items():
            put(sheet, row, columns[key], value, editable=False)
        sheet.cell(row=row, column=columns["code"]).font = bold
        inputs: dict[str, Any] = {
            "no_data": yes if entry.no_data else None,
            "no_data_reason": entry.no_data_reason or None,
            "comment": entry.comment or None,
        }
        if measure == Indicator.Measure.NUMBER:
            inputs["value"] = _plain(entry.value)
        elif measure == Indicator.Measure.PERCENTAGE:
            inputs["numerator"] = _plain(entry.numerator)
            inputs["denominator"] = _plain(entry.denominator)
        elif measure == Indicator.Measure.YES_NO:
            inputs["yes_no"] = None if entry.yes_no is None else (yes if entry.yes_no else no)
        elif measure == Indicator.Measure.STAGE:
            stages = _stages(indicator)
            inputs["stage"] = (
                stages[entry.stage]
                if entry.stage is not None and 0 <= entry.stage < len(stages)
                else None
            )
            if stages:
                from openpyxl.utils import get_column_letter

                letter = get_column_letter(stage_column)
                for index, name in enumerate(stages, start=1):
                    lists.cell(row=index, column=stage_column, value=name)
                stage_list = DataValidation(
                    type="list",
                    formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(stages)}",
                    allow_blank=True,
                )
                stage_list.error = _("Choose one of the stages.")
                stage_list.showErrorMessage = True
                sheet.add_data_validation(stage_list)
                stage_list.add(sheet.cell(row=row, column=columns["stage"]))
                stage_column += 1
        for key in ("value", "numerator", "denominator", "yes_no", "stage"):
            put(sheet, row, columns[key], inputs.get(key), editable=key in inputs)
        for key in ("no_data", "no_data_reason", "comment"):
            put(sheet, row, columns[key], inputs[key], editable=True)
        if measure == Indicator.Measure.YES_NO:
            yes_no_list.add(sheet.cell(row=row, column=columns["yes_no"]))
        yes_no_list.add(sheet.cell(row=row, column=columns["no_data"]))
        row += 1
        if measure != Indicator.Measure.NUMBER:
            continue
        for breakdown in indicator.breakdowns.all():
            labels = _category_labels(breakdown)
            dimensions = " × ".join(str(d.name) for d in breakdown.sorted_dimensions())
            cells = entry.cells.get(breakdown.pk, {})
            for key in breakdown_keys(breakdown):
                put(sheet, row, columns["code"], indicator.code, editable=False)
                put(
                    sheet,
                    row,
                    columns["title"],
                    f"    {dimensions}: {labels.get(key, key)}",
                    editable=False,
                )
                put(sheet, row, columns["measure"], _("part of the value"), editable=False)
                for name in ("unit", "numerator", "denominator", "yes_no", "stage"):
                    put(sheet, row, columns[name], None, editable=False)
                for name in ("no_data", "no_data_reason", "comment"):
                    put(sheet, row, columns[name], None, editable=False)
                put(sheet, row, columns["value"], _plain(cells.get(key)), editable=True)
                put(
                    sheet,
                    row,
                    columns["key"],
                    f"c:{indicator.pk}:{breakdown.pk}:{key}",
                    editable=False,
                )
                row += 1

    # Action updates
    acolumns = header(action_sheet, _action_columns(plan.currency))
    action_sheet.add_data_validation(status_list)
    status_labels = dict(Action.Status.choices)
    for number, action in enumerate(actions, start=2):
        update = updates.get(action.pk, UpdateInput())
        put(action_sheet, number, acolumns["code"], action.code, editable=False)
        put(action_sheet, number, acolumns["title"], str(action.title), editable=False)
        put(
            action_sheet,
            number,
            acolumns["status"],
            str(status_labels[update.status]) if update.status in status_labels else None,
            editable=True,
        )
        status_list.add(action_sheet.cell(row=number, column=acolumns["status"]))
        put(action_sheet, number, acolumns["progress"], _plain(update.progress), editable=True)
        put(
            action_sheet, number, acolumns["expenditure"], _plain(update.expenditure), editable=True
        )
        # The workbook's own language only: a fallback text here would come back on upload
        # as this language's narrative.
        narrative = update.texts().get(workbook_language(language)) or None
        put(action_sheet, number, acolumns["narrative"], narrative, editable=True)
        put(action_sheet, number, acolumns["key"], f"a:{action.pk}", editable=False)

    # Instructions
    guide.column_dimensions["A"].width = 110
    steps = [
        _(
            "1. On the sheet “%(sheet)s”, fill in the yellow cells of each indicator: a "
            "number in Value; numerator and denominator for a percentage (never the "
            "percentage itself); Yes or No; or the stage reached."
        )
        % {"sheet": indicators_name},
        _(
            "2. For breakdowns (by sex, age, region…), fill in the rows under the indicator, "
            "one per category. The categories should add up to the Value; if they do not, "
            "the value is accepted and flagged as incomplete."
        ),
        _("3. If there is no data, choose Yes under “No data” and say why."),
        _(
            "4. On the sheet “%(sheet)s”, give each action's status, progress from 0 to 100, "
            "expenditure in the period and what was done."
        )
        % {"sheet": actions_name},
        _(
            "5. Save the file as Excel workbook (.xlsx) and upload it on the report's page. "
            "The values are stored as a draft; check them there and submit the report."
        ),
    ]
    lines = [
        (
            _("Agency report: %(organisation)s — %(period)s")
            % {"organisation": report.organisation, "period": report.period.label},
            True,
        ),
        (_("Plan: %(plan)s") % {"plan": plan.title}, False),
        (
            _(
                "Reporting period %(start)s – %(end)s, due %(due)s; workbook of report "
                "version %(version)d."
            )
            % {
                "start": report.period.start.isoformat(),
                "end": report.period.end.isoformat(),
                "due": report.period.due.isoformat(),
                "version": report.version,
            },
            False,
        ),
        ("", False),
        (_("How to fill in this workbook"), True),
        *[(step, False) for step in steps],
        ("", False),
        (_("Numbers"), True),
        (
            _(
                "Type 1234.5 or 1234,5. Thousands may be separated by spaces (1 234,5), but "
                "not by commas or points. Do not type units or words in number cells."
            ),
            False,
        ),
        ("", False),
        (_("Please note"), True),
        (
            _(
                "Do not rename the sheets or change the grey cells. The workbook belongs to "
                "this report only; if the report is saved by someone else after you "
                "downloaded it, the upload is refused: download the workbook again and copy "
                "your entries."
            ),
            False,
        ),
        (
            _(
                "Nothing is stored if any cell cannot be read: the page lists each problem "
                "with its sheet, row and column."
            ),
            False,
        ),
    ]
    for number, (text, strong) in enumerate(lines, start=1):
        cell = guide.cell(row=number, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if strong:
            cell.font = Font(bold=True, size=13 if number == 1 else 11)

    # the report this workbook belongs to
    meta.append(["key", "value"])
    for key, value in [
        ("format", FORMAT),
        ("report", str(report.pk)),
        ("version", str(report.version)),
        ("plan", plan.slug),
        ("period", report.period.label),
        ("organisation", str(report.organisation)),
        ("language", language),
        ("indicators", indicators_name),
        ("actions", actions_name),
    ]:
        meta.append([key, value])

    for target in (sheet, action_sheet, meta, lists, guide):
        target.protection.sheet = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


def read_report_workbook(
    upload: Any,
    report: AgencyReport,
    indicators: Sequence[Indicator],
    actions: Sequence[Action],
) -> WorkbookEntries:
    """Read an uploaded workbook (a file object with ``read``/``name``) of ``report``.

    Returns every indicator and action of the workbook as service inputs (an emptied
    entry removes the stored one, as in the form). Raises :class:`WorkbookError` with
    every problem found: not an XLSX workbook, too large, a missing sheet, a workbook of
    another report, a missing or repeated row, a cell that cannot be read.
    """
    name = Path(getattr(upload, "name", "") or "report.xlsx").name
    size = getattr(upload, "size", None)
    data = b"" if size is not None and size > MAX_BYTES else upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or (size is not None and size > MAX_BYTES):
        raise WorkbookError(
            [_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}]
        )
    if not data.startswith(b"PK"):
        raise WorkbookError(
            [
                _(
                    "%(file)s is not an Excel workbook (.xlsx). Download the report as a "
                    "workbook, fill it in and save it in the same format."
                )
                % {"file": name}
            ]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(data)
        meta = _meta(path, name)
        _check_report(meta, report)
        reader = _Reader(report, indicators, actions, meta)
        tables = []
        for sheet in (meta.get("indicators"), meta.get("actions")):
            try:
                tables.append(read_table(path, sheet=sheet))
            except TableError as error:
                raise WorkbookError([_missing_sheet(error, name)]) from None
        reader.read_indicators(tables[0])
        reader.read_actions(tables[1])
    if reader.errors:
        raise WorkbookError(reader.errors)
    return WorkbookEntries(
        version=int(meta["version"]),
        values=reader.values,
        updates=reader.updates,
        places=reader.places,
    )


def _missing_sheet(error: TableError, name: str) -> str:
    text = str(error).replace("upload.xlsx", name)
    return _("The workbook cannot be read: %(problem)s") % {"problem": text}


def _meta(path: Path, name: str) -> dict[str, str]:
    try:
        table = read_table(path, sheet=META_SHEET)
    except TableError as error:
        if "upload.xlsx: no sheet" in str(error):
            raise WorkbookError(
                [
                    _(
                        "%(file)s was not downloaded from a report page (its hidden sheet "
                        "“%(sheet)s” is missing). Download the report as a workbook and fill "
                        "that one in."
                    )
                    % {"file": name, "sheet": META_SHEET}
                ]
            ) from None
        raise WorkbookError(
            [_("%(file)s is not a readable Excel workbook (.xlsx).") % {"file": name}]
        ) from None
    meta = {
        str(row.cells.get("key") or "").strip(): str(row.cells.get("value") or "").strip()
        for row in table.rows
    }
    if meta.get("format") != FORMAT or not meta.get("report", "").isdigit():
        raise WorkbookError(
            [_("%(file)s is a workbook of another format: download it again.") % {"file": name}]
        )
    if not meta.get("version", "").isdigit():
        raise WorkbookError([_("The workbook's hidden version was changed: download it again.")])
    return meta


def _check_report(meta: Mapping[str, str], report: AgencyReport) -> None:
    if int(meta["report"]) != report.pk:
        raise WorkbookError(
            [
                _(
                    "This workbook is the report of %(organisation)s for %(period)s, not of "
                    "this report (%(this_organisation)s, %(this_period)s). Upload it on its own "
                    "report's page, or download this report's workbook."
                )
                % {
                    "organisation": meta.get("organisation") or "?",
                    "period": meta.get("period") or "?",
                    "this_organisation": report.organisation,
                    "this_period": report.period.label,
                }
            ]
        )


class _Reader:
    """Reads the two data sheets into service inputs, collecting every problem."""

    def __init__(
        self,
        report: AgencyReport,
        indicators: Sequence[Indicator],
        actions: Sequence[Action],
        meta: Mapping[str, str],
    ) -> None:
        self.report = report
        self.indicators = {i.pk: i for i in indicators}
        self.actions = {a.pk: a for a in actions}
        self.errors: list[str] = []
        self.values: dict[int, ValueInput] = {}
        self.updates: dict[int, UpdateInput] = {}
        self.places: dict[str, str] = {}
        self.sheet_names = (meta.get("indicators") or "", meta.get("actions") or "")
        self.sheet_title = ""
        #: the narratives are this language's (the others are kept as stored)
        self.language = workbook_language(meta.get("language"))
        #: yes/no and status labels of the workbook's language, the user's and English
        self.booleans: dict[str, bool] = {"true": True, "false": False, "1": True, "0": False}
        self.statuses: dict[str, str] = {value.casefold(): value for value in Action.Status.values}
        for language in (meta.get("language") or "en", translation.get_language() or "en", "en"):
            with translation.override(language):
                yes, no = _yes_no()
                self.booleans.update({yes.casefold(): True, no.casefold(): False})
                for value, label in Action.Status.choices:
                    self.statuses[str(label).casefold()] = value
        with translation.override(meta.get("language") or "en"):
            self.indicator_titles = {key: title for key, title, _w in _indicator_columns()}
            self.action_titles = {
                key: title for key, title, _w in _action_columns(report.plan.currency)
            }

    # helpers --------------------------------------------------------------

    def _where(self, table: Table, row: Row, column: str) -> str:
        return _("%(sheet)s, row %(row)d, column %(column)s") % {
            "sheet": self.sheet_title,
            "row": row.number,
            "column": (
                f"{table.letters[column]} ({column})" if column in table.letters else column
            ),
        }

    def _problem(self, table: Table, row: Row, column: str, message: str) -> None:
        self.errors.append(f"{self._where(table, row, column)}: {message}")

    def _column(self, table: Table, key: str, title: str) -> str | None:
        if title in table.columns:
            return title
        self.errors.append(
            _("%(sheet)s: the column “%(column)s” is missing; do not rename or delete columns.")
            % {"sheet": self.sheet_title, "column": title}
        )
        return None

    def _raw(self, row: Row, column: str | None) -> Any:
        return None if column is None else row.cells.get(column)

    def _text(self, table: Table, row: Row, column: str | None) -> str:
        raw = self._raw(row, column)
        if raw is None:
            return ""
        if isinstance(raw, Uncomputed):
            self._problem(table, row, column or "", _("a formula without a computed value."))
            return ""
        if isinstance(raw, float):
            return repr(raw).removesuffix(".0")
        return str(raw).strip()

    def _number(self, table: Table, row: Row, column: str | None) -> Decimal | None:
        raw = self._raw(row, column)
        if raw is None or (isinstance(raw, str) and not raw.strip(_SPACES + "\t\r\n")):
            return None
        if isinstance(raw, bool):
            self._problem(
                table, row, column or "", _("%(text)r is not a number.") % {"text": str(raw)}
            )
            return None
        if isinstance(raw, int | Decimal):
            return Decimal(raw)
        if isinstance(raw, float):
            return Decimal(repr(raw))
        if isinstance(raw, Uncomputed):
            self._problem(table, row, column or "", _("a formula without a computed value."))
            return None
        text = str(raw).strip(_SPACES + "\t\r\n")
        if _GROUPED_BY_SPACES.fullmatch(text):
            text = re.sub(f"[{_SPACES}]", "", text)
        try:
            return parse_decimal(text)
        except MeasurementError as error:
            if error.code == "thousands_separator":
                message = _(
                    "'%(text)s' is ambiguous: write it without thousands separators, for "
                    "example 1234.5 or 1234,5."
                ) % {"text": text}
            else:
                message = _("'%(text)s' is not a number.") % {"text": text}
            self._problem(table, row, column or "", message)
            return None

    def _flag(self, table: Table, row: Row, column: str | None) -> bool | None:
        raw = self._raw(row, column)
        if isinstance(raw, bool):
            return raw
        text = self._text(table, row, column)
        if not text:
            return None
        if text.casefold() in self.booleans:
            return self.booleans[text.casefold()]
        yes, no = _yes_no()
        self._problem(
            table,
            row,
            column or "",
            _("'%(text)s' is not %(yes)s or %(no)s.") % {"text": text, "yes": yes, "no": no},
        )
        return None

    def _place(
        self, kind: str, pk: int, name: str, table: Table, row: Row, column: str | None
    ) -> None:
        if column is not None:
            self.places[field_name(kind, pk, name)] = self._where(table, row, column)

    # sheets ---------------------------------------------------------------

    def read_indicators(self, table: Table) -> None:
        self.sheet_title = self.sheet_names[0]
        titles = self.indicator_titles
        columns = {key: self._column(table, key, title) for key, title in titles.items()}
        if columns["key"] is None:
            return
        seen: set[str] = set()
        pending_cells: dict[int, dict[int, dict[str, Decimal]]] = {}
        for row in table.rows:
            key = self._text(table, row, columns["key"])
            if not key:
                if any(
                    self._text(table, row, c)
                    for k, c in columns.items()
                    if k not in {"code", "title"}
                ):
                    self._problem(
                        table,
                        row,
                        columns["key"] or "",
                        _(
                            "a row that was not in the workbook; enter values only on the rows of "
                            "the indicators."
                        ),
                    )
                continue
            if key in seen:
                self._problem(table, row, columns["key"] or "", _("this row appears twice."))
                continue
            seen.add(key)
            parts = key.split(":")
            if (
                parts[0] == "i"
                and len(parts) == 2
                and parts[1].isdigit()
                and int(parts[1]) in self.indicators
            ):
                self._read_indicator(table, row, columns, self.indicators[int(parts[1])])
            elif (
                parts[0] == "c"
                and len(parts) >= 4
                and parts[1].isdigit()
                and parts[2].isdigit()
                and int(parts[1]) in self.indicators
            ):
                indicator = self.indicators[int(parts[1])]
                cell_key = ":".join(parts[3:])
                amount = self._number(table, row, columns["value"])
                self._place(
                    "i", indicator.pk, f"cell-{parts[2]}-{cell_key}", table, row, columns["value"]
                )
                if amount is not None:
                    pending_cells.setdefault(indicator.pk, {}).setdefault(int(parts[2]), {})[
                        cell_key
                    ] = amount
            else:
                self._problem(
                    table,
                    row,
                    columns["key"] or "",
                    _(
                        "this row is not one of this report's indicators (was the hidden "
                        "column changed?)."
                    ),
                )
        for pk, indicator in self.indicators.items():
            if f"i:{pk}" not in seen:
                self.errors.append(
                    _(
                        "%(sheet)s: the row of indicator %(code)s is missing; download the "
                        "workbook again."
                    )
                    % {"sheet": self.sheet_title, "code": indicator.code}
                )
        for pk, cells in pending_cells.items():
            if pk in self.values:
                self.values[pk].cells = cells

    def _read_indicator(
        self, table: Table, row: Row, columns: Mapping[str, str | None], indicator: Indicator
    ) -> None:
        pk, measure = indicator.pk, indicator.measure
        entry = ValueInput(
            no_data=bool(self._flag(table, row, columns["no_data"])),
            no_data_reason=self._text(table, row, columns["no_data_reason"]),
            comment=self._text(table, row, columns["comment"]),
        )
        for name in ("no_data", "no_data_reason", "comment"):
            self._place("i", pk, name, table, row, columns[name])
        used = {
            Indicator.Measure.NUMBER: {"value"},
            Indicator.Measure.PERCENTAGE: {"numerator", "denominator"},
            Indicator.Measure.YES_NO: {"yes_no"},
            Indicator.Measure.STAGE: {"stage"},
        }.get(measure, set())
        for name in ("value", "numerator", "denominator", "yes_no", "stage"):
            self._place("i", pk, name, table, row, columns[name])
            if name not in used and self._text(table, row, columns[name]):
                self._problem(
                    table,
                    row,
                    columns[name] or "",
                    _("%(code)s takes %(what)s; leave this cell empty.")
                    % {"code": indicator.code, "what": _measure_text(indicator)},
                )
        if measure == Indicator.Measure.NUMBER:
            entry.value = self._number(table, row, columns["value"])
        elif measure == Indicator.Measure.PERCENTAGE:
            entry.numerator = self._number(table, row, columns["numerator"])
            entry.denominator = self._number(table, row, columns["denominator"])
        elif measure == Indicator.Measure.YES_NO:
            entry.yes_no = self._flag(table, row, columns["yes_no"])
        elif measure == Indicator.Measure.STAGE:
            text = self._text(table, row, columns["stage"])
            if text:
                stages = [s.casefold() for s in _stages(indicator)]
                if text.casefold() in stages:
                    entry.stage = stages.index(text.casefold())
                else:
                    self._problem(
                        table,
                        row,
                        columns["stage"] or "",
                        _("'%(text)s' is not one of the stages of %(code)s (%(stages)s).")
                        % {
                            "text": text,
                            "code": indicator.code,
                            "stages": "; ".join(_stages(indicator)),
                        },
                    )
        self.values[pk] = entry

    def read_actions(self, table: Table) -> None:
        self.sheet_title = self.sheet_names[1]
        titles = self.action_titles
        columns = {key: self._column(table, key, title) for key, title in titles.items()}
        if columns["key"] is None:
            return
        seen: set[int] = set()
        for row in table.rows:
            key = self._text(table, row, columns["key"])
            parts = key.split(":")
            if not key:
                continue
            if (
                len(parts) != 2
                or parts[0] != "a"
                or not parts[1].isdigit()
                or int(parts[1]) not in self.actions
            ):
                self._problem(
                    table,
                    row,
                    columns["key"] or "",
                    _(
                        "this row is not one of this report's actions (was the hidden column "
                        "changed?)."
                    ),
                )
                continue
            pk = int(parts[1])
            if pk in seen:
                self._problem(table, row, columns["key"] or "", _("this row appears twice."))
                continue
            seen.add(pk)
            status_text = self._text(table, row, columns["status"])
            status = self.statuses.get(status_text.casefold(), "") if status_text else ""
            if status_text and not status:
                self._problem(
                    table,
                    row,
                    columns["status"] or "",
                    _("'%(text)s' is not a status (%(choices)s).")
                    % {
                        "text": status_text,
                        "choices": "; ".join(str(label) for _v, label in Action.Status.choices),
                    },
                )
            for name in ("status", "progress", "expenditure", "narrative"):
                self._place("a", pk, name, table, row, columns[name])
            self.updates[pk] = UpdateInput(
                status=status,
                progress=self._number(table, row, columns["progress"]),
                narratives={self.language: self._text(table, row, columns["narrative"])},
                expenditure=self._number(table, row, columns["expenditure"]),
            )
        for pk, action in self.actions.items():
            if pk not in seen:
                self.errors.append(
                    _(
                        "%(sheet)s: the row of action %(code)s is missing; download the "
                        "workbook again."
                    )
                    % {"sheet": self.sheet_title, "code": action.code}
                )


def place_errors(messages: Mapping[str, Iterable[str]], places: Mapping[str, str]) -> list[str]:
    """The service's field errors (keyed by ``field_name``) as ``"<place>: <message>"``."""
    found: list[str] = []
    for key, texts in messages.items():
        where = places.get(key)
        for text in texts:
            found.append(f"{where}: {text}" if where else str(text))
    return found
