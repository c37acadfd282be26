"""What the report pages show for each indicator and action: fields, grids, texts.

Pure presentation built from the form (or a stored copy) and the scope; every number
comes from :mod:`nap1325.measurement` (sums with ``decimal_sum``, completeness from
``BreakdownTable``, shares from ``Ratio``) and is put into translated sentences here,
never computed in a template. No queries: the scope comes with its breakdowns, dimensions
and categories prefetched (``selectors.scope_indicators``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.forms import BoundField, Form
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from nap1325 import measurement
from nap1325.measurement import MeasurementError, Ratio, decimal_sum, parse_decimal
from nap1325.monitoring.forms import plain_text
from nap1325.monitoring.services import KEY_SEPARATOR, UpdateInput, ValueInput, field_name
from nap1325.plans.models import Action, Breakdown, Indicator

Amount = Callable[[str], Decimal | None]


@dataclass
class GridCell:
    key: str
    label: str
    html: SafeString | None = None  # the input (editable pages)
    text: str = ""  # the stored amount (read-only pages)
    errors: list[str] = field(default_factory=list)


@dataclass
class GridRow:
    label: str
    cells: list[GridCell]
    total: str


@dataclass
class Grid:
    """One breakdown table: rows × columns (a single row for one dimension)."""

    breakdown_id: int
    label: str
    row_heading: str
    columns: list[str]
    rows: list[GridRow]
    column_totals: list[str]
    total: str
    completeness: str
    complete: bool
    is_cross_tab: bool
    templates: dict[str, str]
    total_input_id: str = ""


@dataclass
class IndicatorBlock:
    indicator: Indicator
    fields: dict[str, BoundField] = field(default_factory=dict)
    grids: list[Grid] = field(default_factory=list)
    share: str = ""
    value_text: str = ""
    comment: str = ""
    no_data_reason: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return (
            bool(self.errors)
            or any(bf.errors for bf in self.fields.values())
            or any(cell.errors for grid in self.grids for row in grid.rows for cell in row.cells)
        )


@dataclass
class ActionBlock:
    action: Action
    fields: dict[str, BoundField] = field(default_factory=dict)
    status: str = ""
    progress: str = ""
    expenditure: str = ""
    #: in the reader's language by the plan's chain (a ``LocalisedText`` when reported)
    narrative: str = ""
    #: the form's "what was done" fields in the plan's other languages
    translations: list[BoundField] = field(default_factory=list)

    @property
    def translations_open(self) -> bool:
        return translations_open(self.fields.get("narrative"), self.translations)


def translations_open(main: BoundField | None, translations: list[BoundField]) -> bool:
    """Show a "Translations" block opened when one of its fields has an error, or when
    the page language's field is empty but a translation has text (so nothing written
    looks missing)."""
    if any(bf.errors for bf in translations):
        return True
    return not _bound_text(main) and any(_bound_text(bf) for bf in translations)


def _bound_text(bf: BoundField | None) -> str:
    if bf is None:
        return ""
    return str(bf.value() or "").strip()


def _parsed(text: Any) -> Decimal | None:
    if text is None or text == "" or isinstance(text, bool):
        return None
    if isinstance(text, Decimal):
        return text
    try:
        return parse_decimal(str(text))
    except MeasurementError:
        return None


def form_amounts(form: Form) -> Amount:
    """Amounts as typed in ``form`` (bound: the posted text; else its initial data)."""
    source: Mapping[str, Any] = form.data if form.is_bound else form.initial

    def amount(name: str) -> Decimal | None:
        return _parsed(source.get(form.add_prefix(name) if form.is_bound else name))

    return amount


def entry_amounts(values: Mapping[int, ValueInput]) -> Amount:
    """Amounts of a stored copy, by form field name."""
    table: dict[str, Decimal | None] = {}
    for pk, entry in values.items():
        table[field_name("i", pk, "value")] = entry.value
        table[field_name("i", pk, "numerator")] = entry.numerator
        table[field_name("i", pk, "denominator")] = entry.denominator
        for breakdown_id, cells in entry.cells.items():
            for key, amount in cells.items():
                table[field_name("i", pk, f"cell-{breakdown_id}-{key}")] = amount
    return table.get


def number_text(value: Decimal | None) -> str:
    """A value as typed, with the reader's separators (ru/ky "1 234,5", en "1,234.5");
    "" for nothing."""
    if value is None:
        return ""
    from nap1325.core.templatetags.nap1325 import number

    return number(value)


def breakdown_label(breakdown: Breakdown) -> str:
    """ "sex", "rank × sex": the dimension names as they read in a sentence."""
    return " × ".join(d.label.lower() for d in breakdown.sorted_dimensions())


def completeness_text(
    label: str, total: Decimal | None, covered: Decimal | None
) -> tuple[str, bool]:
    """The completeness line of one breakdown table, translated, from measurement's numbers.

    ``("sex breakdown incomplete: 115 of 120", False)``; cells that exceed the total say so;
    complete tables say "complete". No cells: ``("", True)``.
    """
    if covered is None:
        return "", True
    if total is None:
        return (
            _("No total entered; the %(label)s cells add up to %(covered)s.")
            % {"label": label, "covered": number_text(covered)},
            False,
        )
    values = {"label": label, "covered": number_text(covered), "total": number_text(total)}
    if covered == total:
        return _("%(label)s breakdown complete: %(covered)s of %(total)s") % values, True
    if covered < total:
        return _("%(label)s breakdown incomplete: %(covered)s of %(total)s") % values, False
    return _("%(label)s breakdown exceeds the total: %(covered)s of %(total)s") % values, False


def _templates(label: str) -> dict[str, str]:
    """Sentences for the script that updates totals as one types ({covered}, {total})."""
    values = {"label": label, "covered": "{covered}", "total": "{total}"}
    return {
        "complete": _("%(label)s breakdown complete: %(covered)s of %(total)s") % values,
        "incomplete": _("%(label)s breakdown incomplete: %(covered)s of %(total)s") % values,
        "exceeds": _("%(label)s breakdown exceeds the total: %(covered)s of %(total)s") % values,
        "no_total": _("No total entered; the %(label)s cells add up to %(covered)s.")
        % {"label": label, "covered": "{covered}"},
    }


def _table_check(
    breakdown: Breakdown, total: Decimal | None, cells: dict[str, Decimal]
) -> tuple[str, bool]:
    """Completeness through :class:`measurement.BreakdownTable` (cases A4)."""
    label = breakdown_label(breakdown)
    if not cells:
        return "", True
    covered = decimal_sum(cells.values())
    if total is None or total < 0:
        return completeness_text(label, None, covered)
    dimensions = tuple(
        measurement.Dimension(d.key, tuple(c.key for c in d.categories.all()))
        for d in breakdown.sorted_dimensions()
    )
    try:
        table = measurement.BreakdownTable(
            measurement.Breakdown(dimensions),
            total,
            {tuple(key.split(KEY_SEPARATOR)): amount for key, amount in cells.items()},
        )
    except (MeasurementError, ValueError):
        return completeness_text(label, total, covered)
    return completeness_text(label, table.total, table.covered)


def build_grid(
    indicator: Indicator,
    breakdown: Breakdown,
    amount: Amount,
    form: Form | None = None,
) -> Grid:
    """The grid of one breakdown: rows = the other dimensions, columns = the last (sex).

    With ``form`` the cells are inputs (typed text kept); without, stored amounts as text.
    Totals are running sums of the amounts that parse.
    """
    pk = indicator.pk
    dimensions = breakdown.sorted_dimensions()
    column_dimension = dimensions[-1]
    row_dimensions = dimensions[:-1]
    columns = list(column_dimension.categories.all())
    row_combos = list(itertools.product(*(list(d.categories.all()) for d in row_dimensions)))
    if not row_combos:
        row_combos = [()]
    rows: list[GridRow] = []
    column_parts: list[list[Decimal]] = [[] for _column in columns]
    cells_found: dict[str, Decimal] = {}
    for r, combo in enumerate(row_combos):
        row_label = " × ".join(c.label for c in combo)
        row_parts: list[Decimal] = []
        cells = []
        for c, column in enumerate(columns):
            key = KEY_SEPARATOR.join([*(cat.key for cat in combo), column.key])
            name = field_name("i", pk, f"cell-{breakdown.pk}-{key}")
            value = amount(name)
            if value is not None:
                row_parts.append(value)
                column_parts[c].append(value)
                cells_found[key] = value
            label = f"{row_label} × {column.name}" if row_label else column.name
            cell = GridCell(key=key, label=label, text=number_text(value))
            if form is not None and name in form.fields:
                bound = form[name]
                cell.html = bound.as_widget(
                    attrs={
                        "class": "cell-input",
                        "data-row": str(r),
                        "data-col": str(c),
                        "aria-label": f"{indicator.code}: {label}",
                        "size": "6",
                    }
                )
                cell.errors = list(bound.errors)
            cells.append(cell)
        rows.append(
            GridRow(
                label=row_label,
                cells=cells,
                total=number_text(decimal_sum(row_parts)) if row_parts else "",
            )
        )
    total_value = amount(field_name("i", pk, "value"))
    completeness, complete = _table_check(breakdown, total_value, cells_found)
    all_parts = [v for part in column_parts for v in part]
    label = breakdown_label(breakdown)
    return Grid(
        breakdown_id=breakdown.pk,
        label=str(breakdown),
        row_heading=" × ".join(d.label for d in row_dimensions),
        columns=[c.label for c in columns],
        rows=rows,
        column_totals=[number_text(decimal_sum(p)) if p else "" for p in column_parts],
        total=number_text(decimal_sum(all_parts)) if all_parts else "",
        completeness=completeness,
        complete=complete,
        is_cross_tab=bool(row_dimensions),
        templates=_templates(label),
        total_input_id=(
            form[field_name("i", pk, "value")].auto_id
            if form is not None and field_name("i", pk, "value") in form.fields
            else ""
        ),
    )


def share_text(numerator: Decimal | None, denominator: Decimal | None) -> str:
    """ "18.2 % (40/220)" when the pair is a valid share, else ""."""
    if numerator is None or denominator is None:
        return ""
    try:  # stored values carry 6 decimals: show 10/16, not 10.000000/16.000000
        share = Ratio(Decimal(plain_text(numerator)), Decimal(plain_text(denominator)))
        share.display(1)  # refuses a zero denominator or parts that cannot be a share
    except MeasurementError:
        return ""
    from nap1325.core.templatetags.nap1325 import ratio

    return ratio(share, 1)


def editable_blocks(form: Any) -> tuple[list[IndicatorBlock], list[ActionBlock]]:
    """Blocks for the report form: bound fields, grids with running totals, shares."""
    amount = form_amounts(form)
    blocks = []
    for indicator in form.indicators:
        pk = indicator.pk
        prefix = f"i{pk}-"
        fields = {
            name[len(prefix) :]: form[name]
            for name in form.fields
            if name.startswith(prefix) and "-cell-" not in f"-{name[len(prefix) :]}"
        }
        block = IndicatorBlock(indicator=indicator, fields=fields)
        if indicator.measure == Indicator.Measure.NUMBER:
            block.grids = [
                build_grid(indicator, b, amount, form) for b in indicator.breakdowns.all()
            ]
        elif indicator.measure == Indicator.Measure.PERCENTAGE:
            block.share = share_text(
                amount(field_name("i", pk, "numerator")), amount(field_name("i", pk, "denominator"))
            )
        blocks.append(block)
    actions = []
    for action in form.actions:
        prefix = f"a{action.pk}-"
        actions.append(
            ActionBlock(
                action=action,
                fields={n[len(prefix) :]: form[n] for n in form.fields if n.startswith(prefix)},
                translations=form.action_translations(action.pk),
            )
        )
    return blocks, actions


def value_text(indicator: Indicator, entry: ValueInput | None) -> str:
    """One stored entry as a reader sees it: "35 teachers", "18.2 % (40/220)", "Adopted"."""
    if entry is None or entry.is_empty():
        return _("Not reported")
    if entry.no_data:
        return _("No data")
    measure = indicator.measure
    if measure == Indicator.Measure.PERCENTAGE:
        return share_text(entry.numerator, entry.denominator) or _("Not reported")
    if measure == Indicator.Measure.YES_NO:
        if entry.yes_no is None:
            return _("Not reported")
        return _("Yes") if entry.yes_no else _("No")
    if measure == Indicator.Measure.STAGE:
        stages = [str(s) for s in indicator.stages if str(s).strip()]
        if entry.stage is None or not 0 <= entry.stage < len(stages):
            return _("Not reported")
        return _("Stage %(number)s of %(count)s: %(name)s") % {
            "number": entry.stage + 1,
            "count": len(stages),
            "name": stages[entry.stage],
        }
    if entry.value is None:
        return _("No total (breakdown only)") if entry.cells else _("Not reported")
    return f"{number_text(entry.value)} {indicator.unit}".strip()


def readonly_blocks(
    indicators: list[Indicator], values: Mapping[int, ValueInput]
) -> list[IndicatorBlock]:
    """Blocks of a stored copy (read-only report, review page)."""
    amount = entry_amounts(values)
    blocks = []
    for indicator in indicators:
        entry = values.get(indicator.pk)
        block = IndicatorBlock(
            indicator=indicator,
            value_text=value_text(indicator, entry),
            comment=entry.comment if entry else "",
            no_data_reason=entry.no_data_reason if entry and entry.no_data else "",
        )
        if (
            indicator.measure == Indicator.Measure.NUMBER
            and entry is not None
            and entry.cells
            and not entry.no_data
        ):
            block.grids = [
                build_grid(indicator, b, amount)
                for b in indicator.breakdowns.all()
                if entry.cells.get(b.pk)
            ]
        blocks.append(block)
    return blocks


def readonly_actions(
    actions: list[Action], updates: Mapping[int, UpdateInput], plan: Any = None
) -> list[ActionBlock]:
    """The actions' updates as read-only rows; narratives in the reader's language by
    ``plan``'s chain (fallbacks keep their language for the ``lang`` mark)."""
    status_labels = dict(Action.Status.choices)
    rows = []
    for action in actions:
        update = updates.get(action.pk)
        if update is None or update.is_empty():
            rows.append(ActionBlock(action=action, status=_("Not reported")))
            continue
        rows.append(
            ActionBlock(
                action=action,
                status=str(status_labels.get(update.status, update.status)),
                progress=measurement.percent_display(update.progress, 0)
                if update.progress is not None
                else "",
                expenditure=number_text(update.expenditure),
                narrative=update.narrative_in(plan),
            )
        )
    return rows


@dataclass
class Comparison:
    """One indicator on the review page: the pending (working) and the official value."""

    pending: IndicatorBlock
    official: IndicatorBlock
    changed: bool


def comparison(
    indicators: list[Indicator],
    pending: Mapping[int, ValueInput],
    official: Mapping[int, ValueInput],
) -> list[Comparison]:
    """Pending next to official, per indicator, with a flag where they differ."""
    pending_blocks = readonly_blocks(indicators, pending)
    official_blocks = readonly_blocks(indicators, official)
    return [
        Comparison(
            pending=p,
            official=o,
            changed=(p.value_text, p.comment, [g.rows for g in p.grids])
            != (o.value_text, o.comment, [g.rows for g in o.grids]),
        )
        for p, o in zip(pending_blocks, official_blocks, strict=True)
    ]
