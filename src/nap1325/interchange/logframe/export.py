"""Writing a plan's logframe: the XLSX template/export, and the rows open data writes.

:func:`logframe_rows` is the plan as rows of the sheets of :mod:`.columns` (typed values:
``str``, ``Decimal``, ``date``, ``bool``, ``None``); :func:`write_workbook` puts them in a
workbook with an instructions sheet in the chosen language, a key row and a label row per
sheet, drop-down lists (pillars, organisations, measures, time aggregation, direction,
funding source, …) from a hidden ``lists`` sheet, dates as dates and numbers as numbers.
The import reads exactly this (:mod:`.reader`); an empty template is the same workbook
without rows.

Queries: about ten, whatever the plan's size.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from nap1325.library.models import Pillar
from nap1325.plans.models import Action, Breakdown, BudgetLine, Dimension, Indicator, Plan, Result

from . import columns as cols
from .plan_diff import Organisations, indicator_breakdown_keys

Rows = dict[str, list[dict[str, Any]]]

#: Data rows a template offers drop-downs on beyond the exported ones
TEMPLATE_SPARE_ROWS = 500


def _ordered_results(results: Iterable[Result]) -> list[Result]:
    children: dict[int | None, list[Result]] = defaultdict(list)
    for result in results:
        children[result.parent_id].append(result)
    ordered: list[Result] = []
    stack = sorted(children[None], key=lambda r: (r.order, r.pk), reverse=True)
    while stack:
        result = stack.pop()
        ordered.append(result)
        stack.extend(sorted(children[result.pk], key=lambda r: (r.order, r.pk), reverse=True))
    return ordered


def _languages(obj: Any, sheet_key: str) -> dict[str, str | None]:
    """The per-language columns of ``obj`` (``title_en``, ``title_ru``, …): the raw
    column values, ``None`` where a language has no text (no fallback)."""
    return {
        column.key: (getattr(obj, column.key, None) or None)
        for column in cols.language_columns(sheet_key)
    }


def logframe_rows(
    plan: Plan,
    *,
    result_ids: Iterable[int] | None = None,
    action_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
    organisations: Organisations | None = None,
) -> Rows:
    """The plan's framework as rows per sheet key (not archived items only).

    ``result_ids`` / ``action_ids`` / ``indicator_ids`` restrict the rows (the public scope
    of open data); budget lines follow their actions, dimensions are all the plan's.
    """
    orgs = organisations or Organisations()
    results_qs = Result.objects.filter(plan=plan, is_archived=False).select_related("pillar")
    if result_ids is not None:
        results_qs = results_qs.filter(pk__in=list(result_ids))
    results = _ordered_results(results_qs)
    by_id = {r.pk: r for r in results}
    position = {r.pk: i for i, r in enumerate(results)}

    def path(result: Result) -> dict[str, str]:
        codes = []
        node: Result | None = result
        while node is not None:
            codes.append(node.code)
            node = by_id.get(node.parent_id) if node.parent_id else None
        codes.reverse()
        return {cols.tier_key(depth): code for depth, code in enumerate(codes)}

    tier_keys = [c.key for c in cols.tier_columns(plan.tier_labels)]

    def tiers(result: Result) -> dict[str, Any]:
        found = path(result)
        return {key: found.get(key) for key in tier_keys}

    rows: Rows = {sheet: [] for sheet in cols.DATA_SHEETS}
    for result in results:
        rows[cols.RESULTS].append(
            {
                **tiers(result),
                "pillar": result.pillar.key if result.pillar_id else None,
                "title": result.title,
                "description": result.description,
                "weight": result.weight,
                **_languages(result, cols.RESULTS),
            }
        )
    actions_qs = (
        Action.objects.filter(plan=plan, is_archived=False, result_id__in=by_id)
        .select_related("lead_agency")
        .prefetch_related("partners")
    )
    if action_ids is not None:
        actions_qs = actions_qs.filter(pk__in=list(action_ids))
    actions = sorted(actions_qs, key=lambda a: (position[a.result_id], a.order, a.pk))
    action_position = {a.pk: i for i, a in enumerate(actions)}
    for action in actions:
        partners = sorted(action.partners.all(), key=lambda o: orgs.label(o).casefold())
        rows[cols.ACTIONS].append(
            {
                **tiers(by_id[action.result_id]),
                "code": action.code,
                "title": action.title,
                "description": action.description,
                "lead_agency": orgs.label(action.lead_agency),
                "partners": cols.LIST_SEPARATOR.join(orgs.label(p) for p in partners) or None,
                "start": action.start,
                "end": action.end,
                "geographic_level": action.geographic_level,
                "weight": action.weight,
                **_languages(action, cols.ACTIONS),
            }
        )
    indicators_qs = (
        Indicator.objects.filter(plan=plan, is_archived=False)
        .select_related("result", "action", "responsible_organisation")
        .prefetch_related(
            Prefetch("breakdowns", queryset=Breakdown.objects.prefetch_related("dimensions"))
        )
    )
    if indicator_ids is not None:
        indicators_qs = indicators_qs.filter(pk__in=list(indicator_ids))
    indicators = [
        i for i in indicators_qs if (i.result_id in position) or (i.action_id in action_position)
    ]
    indicators.sort(
        key=lambda i: (
            position[i.result_id] if i.result_id else position[i.action.result_id],
            -1 if i.result_id else action_position[i.action_id],
            i.order,
            i.pk,
        )
    )
    for indicator in indicators:
        breakdowns = [
            cols.CROSS.join(sorted(keys, key=lambda k: (k == "sex", k)))
            for keys in indicator_breakdown_keys(indicator)
        ]
        rows[cols.INDICATORS].append(
            {
                "code": indicator.code,
                "result_code": indicator.result.code if indicator.result_id else None,
                "action_code": indicator.action.code if indicator.action_id else None,
                "title": indicator.title,
                "description": indicator.description,
                "unit": indicator.unit,
                "measure": indicator.measure,
                "time_aggregation": indicator.time_aggregation,
                "direction": indicator.direction,
                "baseline_value": indicator.baseline_value,
                "baseline_date": indicator.baseline_date,
                "baseline_source": indicator.baseline_source,
                "target_value": indicator.target_value,
                "target_date": indicator.target_date,
                "stages": cols.STAGE_SEPARATOR.join(str(s) for s in indicator.stages or []) or None,
                "means_of_verification": indicator.means_of_verification,
                "frequency": indicator.frequency,
                "responsible_organisation": orgs.label(indicator.responsible_organisation) or None,
                "breakdowns": cols.LIST_SEPARATOR.join(breakdowns) or None,
                **_languages(indicator, cols.INDICATORS),
            }
        )
    lines = BudgetLine.objects.filter(
        action_id__in=list(action_position), is_archived=False
    ).select_related("funder")
    numbered: dict[int, int] = defaultdict(int)
    action_by_id = {a.pk: a for a in actions}
    for line in sorted(lines, key=lambda b: (action_position[b.action_id], b.order, b.pk)):
        numbered[line.action_id] += 1
        rows[cols.BUDGET].append(
            {
                "action_code": action_by_id[line.action_id].code,
                "line": numbered[line.action_id],
                "description": line.description,
                "amount": line.amount,
                "currency": line.currency,
                "funding_source": line.funding_source,
                "funder": orgs.label(line.funder) or None,
                "year": line.year,
                "secured": line.secured,
            }
        )
    for dimension in Dimension.objects.filter(plan=plan).prefetch_related("categories"):
        for category in dimension.categories.all():
            rows[cols.DIMENSIONS].append(
                {
                    "dimension": dimension.key,
                    "dimension_name": dimension.name,
                    "kind": dimension.kind,
                    "category": category.key,
                    "category_name": category.name,
                }
            )
    for sheet in rows.values():
        for row in sheet:
            for key, value in row.items():
                if value == "":
                    row[key] = None
    return rows


# --------------------------------------------------------------------------- XLSX


SHEET_ORDER = (cols.RESULTS, cols.ACTIONS, cols.INDICATORS, cols.BUDGET, cols.DIMENSIONS)


def _instructions(plan: Plan | None, sheets: dict[str, cols.Sheet]) -> list[list[str]]:
    lines = [
        [_("Logframe of %(plan)s") % {"plan": plan.title} if plan else _("Logframe template")],
        [""],
        [
            _(
                "Fill in the sheets results, actions, indicators, budget and dimensions, "
                "then upload the file on the plan's logframe page. Nothing is written before "
                "you have seen the preview and confirmed it."
            )
        ],
        [
            _(
                "Row 1 of each sheet holds the column keys: do not change them. Row 2 holds "
                "the column names in your language. Your data starts on row 3."
            )
        ],
        [
            _(
                "Rows are matched by code: a code the plan has is updated, a new code is "
                "added, and items the file does not mention are left alone (never deleted)."
            )
        ],
        [
            _(
                "Dates: dd.mm.yyyy or date cells. Numbers: 1234,5 or 1234.5; a thousands "
                "separator only with a space (1 234,5). A number like 1,234 is refused as "
                "ambiguous. Several partners: separate with a semicolon."
            )
        ],
        [
            _(
                "Result tiers: put each result's code in the column of its tier and its "
                "parents' codes in the columns before; you may merge those cells."
            )
        ],
        [""],
    ]
    if cols.language_columns(cols.RESULTS)[0].key in sheets[cols.RESULTS].keys:
        lines.insert(
            -1,
            [
                _(
                    "Languages: title_en, title_ru, title_ky (and description, unit, means of "
                    "verification) hold each language's own text. Edit the texts there: where "
                    "a row has them, they are imported and the title column is not."
                )
            ],
        )
    for key in SHEET_ORDER:
        sheet = sheets[key]
        lines.append([f"{key}: {sheet.label}", str(sheet.help)])
        for column in sheet.columns:
            required = _("required") if column.required else ""
            lines.append([f"  {column.key}", str(column.label), required])
    lines.append([""])
    lines.append(
        [
            _("Format %(name)s, version %(version)d.")
            % {"name": cols.FORMAT, "version": cols.FORMAT_VERSION}
        ]
    )
    return lines


def write_workbook(
    plan: Plan | None,
    rows: Rows | None,
    *,
    language: str,
    organisations: Organisations | None = None,
    neutralise: bool = False,
    languages: bool = False,
) -> bytes:
    """The XLSX bytes: instructions, the data sheets and a hidden ``lists`` sheet.

    ``rows`` None writes an empty template. ``neutralise``: text cells are always stored
    as text, never as formulas (open data; the logframe export does it too).
    ``languages``: add the per-language columns (:func:`.columns.language_columns`).

    Written with openpyxl's write-only (streaming) mode: rows go out as they are made,
    plain values as they are and only the cells that need a style or a forced type as
    ``WriteOnlyCell`` (about ten times less work per cell than the normal mode on a
    national plan). Column widths and frozen panes are set before a sheet's first row,
    drop-down lists are added before the workbook is saved.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    orgs = organisations or Organisations()
    with translation.override(language):
        sheets = cols.sheets(plan.tier_labels if plan else None, languages=languages)
        workbook = Workbook(write_only=True)
        info = workbook.create_sheet(cols.INSTRUCTIONS)
        instructions = _instructions(plan, sheets)
        _declare_size(info, max(len(line) for line in instructions), len(instructions))
        info.column_dimensions["A"].width = 30
        info.column_dimensions["B"].width = 60
        for number, line in enumerate(instructions):
            if number == 0:
                line = [_styled(info, line[0], font=Font(bold=True, size=14)), *line[1:]]
            info.append(line)
        lists = workbook.create_sheet(cols.LISTS)
        lists.sheet_state = "hidden"
        list_ranges: dict[str, str] = {}
        list_columns: list[list[str]] = []

        def add_list(name: str, values: list[str]) -> None:
            letter = get_column_letter(len(list_ranges) + 1)
            list_columns.append([name, *values])
            end = max(len(values) + 1, 2)
            list_ranges[name] = f"{cols.LISTS}!${letter}$2:${letter}${end}"

        add_list("organisations", orgs.labels())
        add_list("pillars", [p.key for p in Pillar.objects.order_by("order")])
        for sheet in sheets.values():
            for column in sheet.columns:
                if column.choices and column.key not in list_ranges:
                    add_list(column.key, [key for key, _label in column.choices])
        _declare_size(lists, len(list_columns), max(len(values) for values in list_columns))
        for index in range(max(len(values) for values in list_columns)):
            lists.append(
                [
                    _text_cell(lists, values[index]) if index < len(values) else None
                    for values in list_columns
                ]
            )
        key_font = Font(color="666666", size=9)
        label_font = Font(bold=True)
        label_fill = PatternFill("solid", fgColor="E8EEF4")
        label_alignment = Alignment(wrap_text=True, vertical="top")
        for key in SHEET_ORDER:
            sheet = sheets[key]
            worksheet = workbook.create_sheet(key)
            data = (rows or {}).get(key, [])
            _declare_size(worksheet, len(sheet.columns), len(data) + 2)
            for index, column in enumerate(sheet.columns, start=1):
                worksheet.column_dimensions[get_column_letter(index)].width = column.width
            worksheet.freeze_panes = "A3"
            worksheet.append([_styled(worksheet, k, font=key_font) for k in sheet.keys])
            worksheet.append(
                [
                    _styled(
                        worksheet,
                        str(c.label),
                        font=label_font,
                        fill=label_fill,
                        alignment=label_alignment,
                    )
                    for c in sheet.columns
                ]
            )
            for record in data:
                worksheet.append(
                    [_value(worksheet, column, record.get(column.key)) for column in sheet.columns]
                )
            last = len(data) + 2 + TEMPLATE_SPARE_ROWS
            for index, column in enumerate(sheet.columns, start=1):
                source = None
                if column.kind == cols.ORGANISATION:
                    source = list_ranges["organisations"]
                elif column.kind == cols.PILLAR:
                    source = list_ranges["pillars"]
                elif column.choices:
                    source = list_ranges[column.key]
                letter = get_column_letter(index)
                if source is None:
                    continue
                validation = DataValidation(
                    type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True
                )
                validation.error = _("Choose a value from the list.")
                validation.add(f"{letter}3:{letter}{last}")
                worksheet.data_validations.append(validation)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _declare_size(worksheet: Any, columns: int, rows: int) -> None:
    """Have the write-only ``worksheet`` write ``<dimension ref="A1:…"/>`` as the normal
    mode does: readers (ours in read-only mode, and spreadsheet programs) use it to size the
    sheet without reading it all first. Set before the sheet's first row."""
    from openpyxl.utils import get_column_letter

    ref = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    worksheet.calculate_dimension = lambda: ref


def _styled(worksheet: Any, value: Any, **style: Any) -> Any:
    """A write-only cell holding ``value`` with ``style`` (font, fill, alignment)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _text_cell(worksheet: Any, text: str) -> Any:
    """``text`` stored as text whatever it looks like (``=…`` or ``#N/A`` included)."""
    if text[:1] != "=" and text[:1] != "#":
        return text  # openpyxl stores any other string as text already
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"
    return cell


def _value(worksheet: Any, column: cols.Column, value: Any) -> Any:
    """What to append for a typed value: numbers as numbers, dates as dates (dd.mm.yyyy),
    text as text (never a formula), yes/no as the stable keys ``yes``/``no``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"  # the stable key, read in any language
    if isinstance(value, Decimal | int | float):
        if column.kind in (cols.CODE, cols.TEXT):
            return _text_cell(worksheet, str(value))
        return value
    if isinstance(value, dt.date):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    return _text_cell(worksheet, str(value))


def export_logframe(plan: Plan, *, language: str, empty: bool = False) -> bytes:
    """The plan's logframe workbook (``empty``: the template without the plan's rows), with
    the per-language columns of translated fields after each sheet's columns."""
    orgs = Organisations()
    rows = None if empty else logframe_rows(plan, organisations=orgs)
    return write_workbook(plan, rows, language=language, organisations=orgs, languages=True)
