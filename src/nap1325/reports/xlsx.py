"""The national progress report as an Excel workbook (openpyxl, write-only: bounded memory).

Numbers stay numbers: baselines, targets, values, achievements (in percent units, number
format ``0.0 "%"``), shares of women and money are numeric cells with a number format,
never text (issue 7 point 6). Text cells that a spreadsheet would run as a formula
(``= + - @``, tab, CR and their full-width forms) are neutralised as in the exports
(DESIGN.md §8).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from nap1325.reports.content import ReportContent

NUMBER = "#,##0.########"
MONEY = "#,##0.00"
PERCENT = '0.0" %"'
_RISKY = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1D4E89")
_TITLE_FONT = Font(bold=True, size=14)


def _safe(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(_RISKY) else text


def _cell(sheet: WriteOnlyWorksheet, value: Any, number_format: str | None = None) -> Any:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=_safe(value))
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if number_format and isinstance(value, Decimal | int | float):
        cell.number_format = number_format
    return cell


def _widths(sheet: WriteOnlyWorksheet, widths: Iterable[float]) -> None:
    """Column widths (in characters), set before the first row is written."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _header(sheet: WriteOnlyWorksheet, labels: Iterable[str]) -> None:
    row = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row.append(cell)
    sheet.append(row)


def _title(sheet: WriteOnlyWorksheet, text: str) -> None:
    cell = WriteOnlyCell(sheet, value=_safe(text))
    cell.font = _TITLE_FONT
    sheet.append([cell])


def _row(sheet: WriteOnlyWorksheet, values: Iterable[tuple[Any, str | None]]) -> None:
    sheet.append([_cell(sheet, value, number_format) for value, number_format in values])


def write_xlsx(content: ReportContent, out: IO[bytes]) -> None:
    """Write the report of ``content`` to ``out`` as an .xlsx workbook (call under
    ``translation.override(content.language)``).

    Sheets: summary (with the methodology), numeric indicators, stage and yes-no
    indicators, results (action progress), budget, data completeness, consultations and
    dispositions, civil society's view.
    """
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 90
    _title(summary, _("National progress report"))
    _row(summary, [(content.plan_title, None)])
    for label, value in [
        (_("Reporting period") if content.scope.year is None else _("Year"), content.scope.label),
        (_("Values up to"), content.scope.until.isoformat()),
        (_("Coordinating body"), content.coordinating_body),
        (_("Generated"), content.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        *content.summary_lines,
    ]:
        _row(summary, [(label, None), (value, None)])
    summary.append([])
    _row(summary, [(_("Methodology and data completeness"), None)])
    for note in content.methodology:
        _row(summary, [("", None), (note, None)])

    numeric = book.create_sheet(_("Indicators"))
    _widths(numeric, (9, 9, 9, 60, 12, 12, 12, 14, 12, 12, 14, 14, 16, 14, 12, 12, 16))
    _header(
        numeric,
        [
            _("Pillar"),
            _("Result"),
            _("Code"),
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Target"),
            _("Value to date"),
            _("Numerator"),
            _("Denominator"),
            _("Target to date"),
            _("Achievement (%)"),
            _("Status"),
            _("Reporters"),
            _("Women"),
            _("Share of women (%)"),
            _("Achievement note"),
        ],
    )
    for pillar, result, line in content.numeric_lines:
        parts = line.current_parts
        _row(
            numeric,
            [
                (pillar.code, None),
                (result.code, None),
                (line.code, None),
                (line.title, None),
                (line.unit, None),
                (line.baseline, NUMBER),
                (line.target, NUMBER),
                (line.current, PERCENT if parts else NUMBER),
                (parts.numerator if parts else None, NUMBER),
                (parts.denominator if parts else None, NUMBER),
                (line.target_to_date, NUMBER),
                (line.achievement, PERCENT),
                (line.status_text, None),
                (line.reporters, None),
                (line.women, NUMBER),
                (line.women_share, PERCENT),
                ("" if line.achievement is not None else line.achievement_text, None),
            ],
        )

    qualitative = book.create_sheet(_("Stage and yes-no"))
    _widths(qualitative, (9, 9, 9, 60, 30, 16))
    _header(
        qualitative,
        [_("Pillar"), _("Result"), _("Code"), _("Indicator"), _("Reached"), _("Status")],
    )
    for pillar, result, line in content.qualitative_lines:
        _row(
            qualitative,
            [
                (pillar.code, None),
                (result.code, None),
                (line.code, None),
                (line.title, None),
                (line.current_text, None),
                (line.status_text, None),
            ],
        )

    results = book.create_sheet(_("Results"))
    _widths(results, (9, 60, 18, 16, 40))
    _header(
        results,
        [_("Code"), _("Result"), _("Average progress (%)"), _("Actions reporting"), _("Status")],
    )
    for pillar in content.pillars:
        for index, result in enumerate(pillar.results):
            _row(
                results,
                [
                    (result.code, None),
                    (result.title, None),
                    (result.progress, PERCENT),
                    (result.actions_text, None),
                    (pillar.action_status_text if index == 0 else "", None),
                ],
            )

    if content.budget is not None:
        budget = content.budget
        sheet = book.create_sheet(_("Budget"))
        _widths(sheet, (44, 20, 20))
        _header(
            sheet,
            [
                _("Funding source"),
                _("Planned (%(currency)s)") % {"currency": budget.currency},
                _("Spent (%(currency)s)") % {"currency": budget.currency},
            ],
        )
        for label, planned, spent in budget.rows:
            _row(sheet, [(label, None), (planned, MONEY), (spent, MONEY)])
        _row(sheet, [(_("Total"), None), (budget.planned, MONEY), (budget.spent, MONEY)])
        _row(sheet, [(_("Funding gap (unfunded lines)"), None), (budget.gap or Decimal(0), MONEY)])
        for currency, amount in budget.other_currencies.items():
            _row(
                sheet,
                [(_("Planned in %(currency)s") % {"currency": currency}, None), (amount, MONEY)],
            )
        _header(sheet, [_("Pillar"), _("Planned"), _("Spent")])
        for pillar in content.pillars:
            _row(
                sheet,
                [
                    (f"{pillar.code} {pillar.title}", None),
                    (pillar.planned.get(budget.currency), MONEY),
                    (pillar.spent, MONEY),
                ],
            )

    completeness = book.create_sheet(_("Data completeness"))
    _widths(completeness, (44, 16, 16, 20))
    _header(
        completeness,
        [
            _("Reporting period"),
            _("Approved reports"),
            _("Agencies expected"),
            _("Waiting for review"),
        ],
    )
    for label, approved, expected, waiting in content.completeness:
        _row(completeness, [(label, None), (approved, "0"), (expected, "0"), (waiting, "0")])
    completeness.append([])
    _header(completeness, [_("Agency"), _("Approved reports"), _("Periods")])
    for name, approved, periods in content.agencies:
        _row(completeness, [(name, None), (approved, "0"), (periods, "0")])
    _participation(book, content)
    book.save(out)


def _participation(book: Workbook, content: ReportContent) -> None:
    """Sheets "Consultations" (counts as numbers, then every input) and "Civil society"."""
    yes, no = _("yes"), _("no")
    part = content.consultations
    if part is not None:
        sheet = book.create_sheet(_("Consultations"))
        _widths(sheet, (60, 14, 24, 20, 26, 22, 60, 12))
        _title(sheet, _("Consultations and dispositions"))
        _row(sheet, [(_("Consultations"), None), (part.consultations, "0")])
        _row(sheet, [(_("Inputs"), None), (part.inputs, "0")])
        _row(sheet, [(_("Without a disposition yet"), None), (part.undecided, "0")])
        for title, rows in (
            (_("Disposition"), part.by_disposition),
            (_("Pillar"), part.by_pillar),
            (_("Group raising it"), part.by_group),
        ):
            sheet.append([])
            _header(sheet, [title, _("Inputs")])
            for label, count in rows:
                _row(sheet, [(label, None), (count, "0")])
        sheet.append([])
        _header(
            sheet,
            [
                _("Input"),
                _("Date"),
                _("Consultation"),
                _("Pillar"),
                _("Group raising it"),
                _("Disposition"),
                _("Actions and reasons"),
                _("Illustrative"),
            ],
        )
        for line in part.lines:
            _row(
                sheet,
                [
                    (line.text, None),
                    (line.date, None),
                    (line.consultation, None),
                    (line.pillar, None),
                    (line.group, None),
                    (line.disposition_text, None),
                    (line.decisions_text, None),
                    (yes if line.illustrative else no, None),
                ],
            )
    view = content.civil_society
    if view is not None:
        sheet = book.create_sheet(_("Civil society"))
        _widths(sheet, (40, 12, 14, 30, 20, 24, 36, 50, 60, 12))
        _title(sheet, _("Civil society's view"))
        _row(sheet, [(_("Shadow assessments"), None), (len(view.lines), "0")])
        _row(sheet, [(_("Disagreements"), None), (view.disagreements, "0")])
        sheet.append([])
        _header(
            sheet,
            [
                _("Element"),
                _("Kind"),
                _("Period"),
                _("Organisation"),
                _("Civil society's rating"),
                _("Government's approved status"),
                _("Source"),
                _("Disagreement"),
                _("Narrative"),
                _("Illustrative"),
            ],
        )
        for line in view.lines:
            _row(
                sheet,
                [
                    (line.element, None),
                    (line.element_kind, None),
                    (line.period, None),
                    (line.organisation, None),
                    (line.rating_text, None),
                    (line.government_text, None),
                    (line.government_source, None),
                    (line.flag_text, None),
                    (line.narrative, None),
                    (yes if line.illustrative else no, None),
                ],
            )
