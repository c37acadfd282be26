"""Open data of published plans: framework, indicators and approved values (issue 6, point 4).

Public, no login; only what :mod:`nap1325.plans.visibility` makes public (a published plan,
its published items under published parents) and only approved values
(``IndicatorValue.is_official``); anything else answers 404. Downloads:

- **framework** (``framework.xlsx``, ``framework.json``, ``framework-<sheet>.csv``): the
  sheets and columns of the Excel logframe (:mod:`.logframe.columns`) — results, actions,
  indicators, budget, dimensions — so ``nap1325 logframe-import`` reads them back.
  ``indicators.csv`` is the framework's indicators sheet on its own. After the logframe's
  columns come the translated texts, one column per language (``title_en``, ``title_ru``,
  ``title_ky``, ``description_en``, …; :func:`.logframe.columns.language_columns`).
- **values** (``values.csv``, ``values.xlsx``, ``values.json``): the long format that
  ``nap1325 import-values`` reads with ``values-mapping.yaml`` (served next to them): one
  row per indicator × period × organisation for the total, and one per breakdown cell with
  the category keys in the dimension columns (:data:`VALUE_COLUMNS` + one column per
  dimension key). Numbers are numbers; yes-no values ``yes``/``no``; stages by name.
  Values marked "no data" are written with an empty value and ``no_data`` = ``yes`` (the
  import reads them as not reported). Breakdown cells of percentage indicators are not
  written (totals only: numerator and denominator).

**Formats.** CSV: UTF-8 with BOM, comma separated, ``.`` decimals, ISO dates; a text
cell starting with ``= + - @``, a tab or a carriage return (or full-width ``＝＋－＠``) gets
a leading apostrophe so no spreadsheet runs it as a formula (DESIGN.md §8); numbers,
negative ones included, are written bare. XLSX: text cells are stored as text (never a
formula), numbers as numbers, dates as dates. JSON: numbers as JSON numbers, dates ISO.

**Licence**: :data:`LICENCE` (CC BY 4.0) for every plan, stated on the index page, in the
framework's instructions sheet and JSON, and as an HTTP ``Link: rel="license"`` header.

Queries: a fixed number per download (scope 3 + framework ~8 or values ~4).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import yaml
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from nap1325.monitoring.models import IndicatorValue, ValueCell
from nap1325.plans.models import Breakdown, Dimension, Indicator, Plan
from nap1325.plans.visibility import PublicScope

from .logframe import columns as cols
from .logframe.export import SHEET_ORDER, logframe_rows, write_workbook
from .logframe.plan_diff import Organisations

LICENCE = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

#: Columns of the values download, before one column per dimension key (stable names)
VALUE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("indicator", _("Indicator code")),
    ("indicator_title", _("Indicator title")),
    ("measure", _("Measure")),
    ("unit", _("Unit")),
    ("period", _("Reporting period (label)")),
    ("period_start", _("Period start")),
    ("period_end", _("Period end")),
    ("organisation", _("Reporting organisation")),
    ("value", _("Value (numbers; yes/no; stage name)")),
    ("numerator", _("Numerator (percentages)")),
    ("denominator", _("Denominator (percentages)")),
    ("no_data", _("No data (yes when not available)")),
    ("comment", _("Comment or reason for no data")),
)

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(text: str) -> str:
    """A text cell for CSV: a leading apostrophe when a spreadsheet would run it."""
    return "'" + text if text.startswith(_DANGEROUS) else text


# --------------------------------------------------------------------------- framework


def framework_rows(scope: PublicScope) -> dict[str, list[dict[str, Any]]]:
    """The public framework of ``scope.plan`` as logframe rows per sheet."""
    return logframe_rows(
        scope.plan,
        result_ids=scope.result_ids,
        action_ids=scope.action_ids,
        indicator_ids=scope.indicator_ids,
    )


def framework_columns(plan: Plan, sheet: str) -> list[str]:
    """The column keys of ``sheet`` for ``plan`` (tier columns for its tiers), then the
    per-language columns of its translated fields."""
    return cols.sheets(plan.tier_labels, languages=True)[sheet].keys


def framework_xlsx(scope: PublicScope, *, language: str) -> bytes:
    """The public framework as the logframe workbook (what ``logframe-import`` reads)."""
    orgs = Organisations()
    rows = logframe_rows(
        scope.plan,
        result_ids=scope.result_ids,
        action_ids=scope.action_ids,
        indicator_ids=scope.indicator_ids,
        organisations=orgs,
    )
    return write_workbook(scope.plan, rows, language=language, organisations=orgs, languages=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def framework_json(scope: PublicScope) -> bytes:
    """``{"format", "version", "plan", "licence", "sheets": {sheet: [row, …]}}``."""
    plan = scope.plan
    rows = framework_rows(scope)
    document = {
        "format": cols.FORMAT,
        "version": cols.FORMAT_VERSION,
        "plan": {"slug": plan.slug, "title": plan.title, "tier_labels": plan.tier_labels},
        "licence": LICENCE,
        "sheets": {
            sheet: [
                {key: row.get(key) for key in framework_columns(plan, sheet)} for row in rows[sheet]
            ]
            for sheet in SHEET_ORDER
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1, default=_json_default).encode()


def write_csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    """CSV bytes: UTF-8 with BOM, neutralised text, bare numbers, ISO dates."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        record = []
        for key in columns:
            value = row.get(key)
            if value is None:
                record.append("")
            elif isinstance(value, bool):
                record.append("yes" if value else "no")
            elif isinstance(value, Decimal):
                record.append(format(value.normalize(), "f") if value else "0")
            elif isinstance(value, int | float):
                record.append(str(value))
            elif isinstance(value, dt.date):
                record.append(value.isoformat())
            else:
                record.append(neutralise(str(value)))
        writer.writerow(record)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def framework_csv(scope: PublicScope, sheet: str) -> bytes:
    """One sheet of the public framework as CSV (``framework-results.csv``, …)."""
    return write_csv(framework_columns(scope.plan, sheet), framework_rows(scope)[sheet])


# --------------------------------------------------------------------------- values


def value_dimension_keys(scope: PublicScope) -> list[str]:
    """Dimension keys used by the public indicators' breakdowns, in plan order (1 query)."""
    return list(
        Dimension.objects.filter(plan=scope.plan, breakdowns__indicator_id__in=scope.indicator_ids)
        .order_by("order", "id")
        .values_list("key", flat=True)
        .distinct()
    )


def value_rows(scope: PublicScope) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of the approved values of the public indicators (long format)."""
    dimension_keys = value_dimension_keys(scope)
    columns = [key for key, _label in VALUE_COLUMNS] + dimension_keys
    orgs = Organisations()
    values = (
        IndicatorValue.objects.filter(indicator_id__in=scope.indicator_ids, is_official=True)
        .select_related("indicator", "report__period", "report__organisation")
        .prefetch_related(
            Prefetch(
                "cells",
                queryset=ValueCell.objects.select_related("breakdown").prefetch_related(
                    Prefetch("breakdown__dimensions")
                ),
            )
        )
        .order_by("indicator__code", "report__period__start", "report__organisation__name")
    )
    rows: list[dict[str, Any]] = []
    for item in values:
        indicator: Indicator = item.indicator
        period = item.report.period
        base = {
            "indicator": indicator.code,
            "indicator_title": indicator.title,
            "measure": indicator.measure,
            "unit": indicator.unit or None,
            "period": period.label,
            "period_start": period.start,
            "period_end": period.end,
            "organisation": orgs.label(item.report.organisation),
        }
        total = dict(base)
        if item.no_data:
            total.update(no_data=True, comment=item.no_data_reason or item.comment or None)
            rows.append(total)
            continue
        if indicator.measure == Indicator.Measure.PERCENTAGE:
            total.update(numerator=item.numerator, denominator=item.denominator)
        elif indicator.measure == Indicator.Measure.YES_NO:
            total["value"] = None if item.yes_no is None else ("yes" if item.yes_no else "no")
        elif indicator.measure == Indicator.Measure.STAGE:
            stages = list(indicator.stages or [])
            total["value"] = (
                stages[item.stage] if item.stage is not None and item.stage < len(stages) else None
            )
        else:
            total["value"] = item.value
        total["no_data"] = False
        total["comment"] = item.comment or None
        rows.append(total)
        if indicator.measure != Indicator.Measure.NUMBER:
            continue
        for cell in sorted(item.cells.all(), key=lambda c: (c.breakdown.order, c.key)):
            dims = _sorted_dims(cell.breakdown)
            keys = cell.key.split("|")
            row = dict(base)
            row.update(value=cell.amount, no_data=False)
            row.update({d.key: k for d, k in zip(dims, keys, strict=False)})
            rows.append(row)
    return columns, rows


def _sorted_dims(breakdown: Breakdown) -> list[Dimension]:
    return breakdown.sorted_dimensions()


def values_csv(scope: PublicScope) -> bytes:
    columns, rows = value_rows(scope)
    return write_csv(columns, rows)


def values_json(scope: PublicScope) -> bytes:
    """A JSON list of row objects (what ``import-values`` reads)."""
    columns, rows = value_rows(scope)
    return json.dumps(
        [{key: row.get(key) for key in columns} for row in rows],
        ensure_ascii=False,
        indent=1,
        default=_json_default,
    ).encode()


def values_xlsx(scope: PublicScope, *, language: str) -> bytes:
    """One ``values`` sheet (header row, then data) and a ``licence`` sheet."""
    from openpyxl import Workbook

    columns, rows = value_rows(scope)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "values"
    sheet.append(columns)
    for number, row in enumerate(rows, start=2):
        for index, key in enumerate(columns, start=1):
            _xlsx_cell(sheet.cell(number, index), row.get(key))
    info = workbook.create_sheet("licence")
    info.append([f"{scope.plan.title}"])
    info.append([f"{LICENCE['title']} ({LICENCE['name']})", LICENCE["url"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(cell: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
        cell.data_type = "s"
    elif isinstance(value, Decimal | int | float):
        cell.value = value
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "YYYY-MM-DD"
    else:
        cell.value = str(value)
        cell.data_type = "s"  # text stays text, never a formula


def values_mapping(scope: PublicScope) -> bytes:
    """The ``import-values`` mapping (YAML) that reads the values download back."""
    mapping = {
        "indicator": "indicator",
        "period": "period",
        "organisation": "organisation",
        "value": "value",
        "numerator": "numerator",
        "denominator": "denominator",
        "comment": "comment",
        "yes_no": "flag",
        "categories": {key: key for key in value_dimension_keys(scope)},
    }
    header = (
        f"# import-values mapping for the values of {scope.plan.slug} "
        f"(values.csv / values.xlsx / values.json)\n"
    )
    return (header + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)).encode()
