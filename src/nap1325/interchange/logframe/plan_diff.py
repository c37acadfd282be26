"""Rows of a logframe file against the plan as it is → a change set (issue 7, point 3).

Every row is matched **by code within the plan** (results, actions and indicators by
their code among the plan's items that are not archived; budget lines by action code and
line number; dimensions by key) and becomes a :class:`Change`: ``create`` (no item has
the code), ``change`` (the fields that differ, old → new) or ``same`` (left alone). Items
of the plan that the file does not mention are left alone too: an import never archives.

What an import cannot do is a :class:`~.reader.Problem` on its row: moving a result,
action or indicator under another parent (do it in the matrix), a code used twice in a
sheet, a parent that neither the plan nor the file has, an unknown or ambiguous
organisation, pillar or dimension, an indicator on both or neither a result and an action.
Field rules (dates in order, target vs direction, …) are the services' own, checked by
:mod:`.apply` in the preview's dry run.

Queries: a fixed number (about a dozen), whatever the plan's size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from nap1325.core.models import AuditEvent, Organisation
from nap1325.library.models import Pillar
from nap1325.plans.models import (
    Action,
    Breakdown,
    BudgetLine,
    Dimension,
    Indicator,
    Plan,
    Result,
)

from . import columns as cols
from .reader import LogframeFile, Problem, SheetRow, normalise

CREATE = "create"
CHANGE = "change"
SAME = "same"

#: Fields compared per sheet (column keys that are also the services' field names)
RESULT_FIELDS = ("pillar", "title", "description", "weight")
ACTION_FIELDS = (
    "title",
    "description",
    "lead_agency",
    "partners",
    "start",
    "end",
    "geographic_level",
    "weight",
)
INDICATOR_FIELDS = (
    "title",
    "description",
    "unit",
    "measure",
    "time_aggregation",
    "direction",
    "baseline_value",
    "baseline_date",
    "baseline_source",
    "target_value",
    "target_date",
    "stages",
    "means_of_verification",
    "frequency",
    "responsible_organisation",
    "breakdowns",
)
BUDGET_FIELDS = (
    "description",
    "amount",
    "currency",
    "funding_source",
    "funder",
    "year",
    "secured",
)
#: Defaults of a blank cell (model defaults) for choice and yes/no columns
DEFAULTS: dict[str, Any] = {
    "geographic_level": Action.GeographicLevel.NATIONAL,
    "measure": Indicator.Measure.NUMBER,
    "time_aggregation": Indicator.TimeAggregation.SUM,
    "direction": Indicator.Direction.INCREASE,
    "frequency": Indicator.Frequency.ANNUAL,
    "secured": False,
    "kind": Dimension.Kind.OTHER,
}


@dataclass
class Change:
    """One row's effect: ``kind`` (create / change / same) on ``sheet`` item ``key``.

    ``values``: the fields to write (model objects resolved); ``fields``: for a change,
    column key → (old, new) as text for the preview; ``obj``: the existing item;
    ``parent_key``: the code of the result (results, actions), the owner (indicators:
    ``("result"|"action", code)``) or the action code (budget lines).
    """

    sheet: str
    kind: str
    key: str
    row: SheetRow
    values: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    obj: Any = None
    parent_key: Any = None


@dataclass
class ChangeSet:
    """The whole file against the plan: changes in the order they apply, and problems."""

    plan: Plan
    file_name: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, dict[str, int]]:
        """sheet → {create, change, same} counts, sheets in apply order."""
        table = {sheet: {CREATE: 0, CHANGE: 0, SAME: 0} for sheet in cols.DATA_SHEETS}
        for change in self.changes:
            table[change.sheet][change.kind] += 1
        return table

    def sorted_problems(self) -> list[Problem]:
        order = {sheet: i for i, sheet in enumerate(cols.DATA_SHEETS)}
        return sorted(
            self.problems,
            key=lambda p: (order.get(p.sheet, -1), p.row or 0, p.column or "", p.message),
        )


def plan_mark(plan: Plan) -> int:
    """The id of the plan's latest audit event: changes whenever anything of the plan does.

    A preview stores it; confirming compares it (issue 7.3: "confirm applies only if the
    plan hasn't changed since the preview"). Every write through the services is audited.
    """
    return AuditEvent.objects.filter(plan=plan).aggregate(top=Max("id"))["top"] or 0


# --------------------------------------------------------------------------- lookups


class Organisations:
    """Organisations by acronym and by name (one query), for reading and for writing."""

    def __init__(self) -> None:
        self.by_id: dict[int, Organisation] = {}
        self.names: dict[str, list[Organisation]] = defaultdict(list)
        self.acronyms: dict[str, list[Organisation]] = defaultdict(list)
        for org in Organisation.objects.only("id", "name", "acronym").order_by("name", "id"):
            self.by_id[org.pk] = org
            self.names[normalise(org.name)].append(org)
            if org.acronym:
                self.acronyms[normalise(org.acronym)].append(org)

    def label(self, org: Organisation | None) -> str:
        """What the export writes: the acronym when it names one organisation, else the name."""
        if org is None:
            return ""
        acronym = normalise(org.acronym) if org.acronym else ""
        if acronym and len(self.acronyms[acronym]) == 1 and not self.names.get(acronym):
            return org.acronym
        return org.name

    def labels(self) -> list[str]:
        return sorted({self.label(o) for o in self.by_id.values()}, key=str.casefold)

    def find(self, text: str) -> Organisation:
        """The organisation named ``text``; ``ValueError`` when none or several match."""
        key = normalise(text)
        found = self.names.get(key) or self.acronyms.get(key) or []
        if not found:
            raise ValueError(
                _("no organisation is called “%(name)s” (add it first, or use its acronym).")
                % {"name": text}
            )
        if len(found) > 1:
            raise ValueError(
                _("“%(name)s” names %(count)d organisations; use the full name.")
                % {"name": text, "count": len(found)}
            )
        return found[0]


def _pillars() -> dict[str, Pillar]:
    table: dict[str, Pillar] = {}
    for pillar in Pillar.objects.all():
        table[normalise(pillar.key)] = pillar
        table.setdefault(normalise(pillar.name), pillar)
        table.setdefault(normalise(pillar.display_name), pillar)
    return table


# --------------------------------------------------------------------------- display


def show(value: Any) -> str:
    """A value as the preview shows it (and as comparisons see it)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in {"-0", ""} else text
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Organisation | Pillar):
        return str(value.acronym or value.name) if isinstance(value, Organisation) else value.key
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=show) if isinstance(value, set | frozenset) else value
        return cols.LIST_SEPARATOR.join(show(v) for v in items)
    return str(value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (
            old is not None
            and new is not None
            and Decimal(old) == Decimal(new)
            or (old is None and new is None)
        )
    if isinstance(old, str) or isinstance(new, str):
        return (old or "") == (new or "")
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return [show(v) for v in old] == [show(v) for v in new]
    return old == new


def _compare(
    change: Change, current: dict[str, Any], fields: tuple[str, ...], present: set[str]
) -> None:
    for name in fields:
        if name not in present or name not in change.values:
            continue
        old, new = current.get(name), change.values[name]
        if not _same(old, new):
            change.fields[name] = (show(old), show(new))
    change.kind = CHANGE if change.fields else SAME
    # only what differs is written
    change.values = {name: change.values[name] for name in change.fields}


# --------------------------------------------------------------------------- the diff


def diff(plan: Plan, logframe: LogframeFile) -> ChangeSet:
    """Compare the rows of ``logframe`` with ``plan``; see the module docstring."""
    builder = _Builder(plan, logframe)
    builder.run()
    return builder.changes


class _Builder:
    def __init__(self, plan: Plan, logframe: LogframeFile) -> None:
        self.plan = plan
        self.file = logframe
        self.changes = ChangeSet(
            plan=plan,
            file_name=logframe.name,
            problems=list(logframe.problems),
            warnings=list(logframe.warnings),
        )
        self.orgs = Organisations()
        self.pillars = _pillars()
        self.results = {
            r.code: r
            for r in Result.objects.filter(plan=plan, is_archived=False).select_related(
                "parent", "pillar"
            )
        }
        self.actions = {
            a.code: a
            for a in Action.objects.filter(plan=plan, is_archived=False)
            .select_related("result", "lead_agency")
            .prefetch_related("partners")
        }
        self.indicators = {
            i.code: i
            for i in Indicator.objects.filter(plan=plan, is_archived=False)
            .select_related("result", "action", "responsible_organisation")
            .prefetch_related(
                Prefetch(
                    "breakdowns",
                    queryset=Breakdown.objects.prefetch_related("dimensions"),
                )
            )
        }
        self.lines: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in (
            BudgetLine.objects.filter(
                action__plan=plan, action__is_archived=False, is_archived=False
            )
            .select_related("action", "funder")
            .order_by("action_id", "order", "id")
        ):
            self.lines[line.action.code].append(line)
        self.dimensions = {
            d.key: d for d in Dimension.objects.filter(plan=plan).prefetch_related("categories")
        }
        self.new_results: set[str] = set()
        self.new_actions: set[str] = set()
        self.new_dimensions: set[str] = set()

    def problem(self, row: SheetRow, key: str | None, message: str) -> None:
        self.changes.problems.append(row.problem(key, message))

    def run(self) -> None:
        rows = self.file.rows
        self._dimensions(rows.get(cols.DIMENSIONS, []))
        self._results(rows.get(cols.RESULTS, []))
        self._actions(rows.get(cols.ACTIONS, []))
        self._indicators(rows.get(cols.INDICATORS, []))
        self._budget(rows.get(cols.BUDGET, []))

    # ----------------------------------------------------------------- helpers

    def _duplicates(self, rows: list[tuple[str, SheetRow]], column: str) -> set[str]:
        first: dict[str, SheetRow] = {}
        bad: set[str] = set()
        for code, row in rows:
            if code in first:
                bad.add(code)
                self.problem(
                    row,
                    column,
                    _("the code %(code)s is used twice in this sheet (also on row %(row)d).")
                    % {"code": code, "row": first[code].number},
                )
            else:
                first[code] = row
        return bad

    def _org(self, row: SheetRow, key: str) -> Any:
        text = row.values.get(key)
        if not text:
            return None
        try:
            return self.orgs.find(text)
        except ValueError as error:
            self.problem(row, key, str(error))
            return None

    def _required(self, row: SheetRow, names: tuple[str, ...]) -> bool:
        ok = True
        for name in names:
            if name in row.values and row.values[name] in (None, "", []):
                if any(row.values.get(key) for key in cols.language_keys(row.sheet, name)):
                    continue  # given in a language column (title_ru, …)
                self.problem(row, name, _("this cell is required."))
                ok = False
        return ok

    def _languages(self, row: SheetRow, values: dict[str, Any]) -> tuple[str, ...]:
        """Put the row's language cells (``title_ru``, …) into ``values`` for each translated
        field whose language cells hold any text; that field's plain cell is then not used.
        Returns the keys added (to compare). A plain cell that differs from every language
        cell (edited where it is not read) is a warning on the row."""
        added: list[str] = []
        for name in cols.TRANSLATED_FIELDS.get(row.sheet, ()):
            keys = [key for key in cols.language_keys(row.sheet, name) if key in row.values]
            texts = {key: row.values[key] or None for key in keys}
            if not any(texts.values()):
                continue
            plain = values.pop(name, None)
            if plain and plain not in texts.values():
                self.changes.warnings.append(
                    str(
                        row.problem(
                            name,
                            _(
                                "differs from the language columns (%(columns)s), which are "
                                "the ones imported; edit the text there."
                            )
                            % {"columns": ", ".join(keys)},
                        )
                    )
                )
            values.update(texts)
            added += keys
        return tuple(added)

    @staticmethod
    def _language_values(obj: Any, keys: tuple[str, ...]) -> dict[str, Any]:
        return {key: getattr(obj, key, None) for key in keys}

    def _with_defaults(self, row: SheetRow, names: tuple[str, ...]) -> dict[str, Any]:
        values = {}
        for name in names:
            if name in row.values:
                value = row.values[name]
                if value is None and name in DEFAULTS:
                    value = DEFAULTS[name]
                if value is None and name in {"title", "description", "unit", "baseline_source"}:
                    value = ""
                if value is None and name == "means_of_verification":
                    value = ""
                values[name] = value
        return values

    # ----------------------------------------------------------------- sheets

    def _dimensions(self, rows: list[SheetRow]) -> None:
        grouped: dict[str, list[SheetRow]] = {}
        for row in rows:
            if not self._required(
                row, ("dimension", "dimension_name", "category", "category_name")
            ):
                continue
            grouped.setdefault(row.values["dimension"].lower(), []).append(row)
        for key, group in grouped.items():
            first = group[0]
            categories: list[tuple[str, str]] = []
            seen: dict[str, SheetRow] = {}
            for row in group:
                category = row.values["category"].lower()
                if category in seen:
                    self.problem(
                        row,
                        "category",
                        _("the category %(key)s appears twice (also on row %(row)d).")
                        % {"key": category, "row": seen[category].number},
                    )
                    continue
                seen[category] = row
                categories.append((category, row.values["category_name"]))
            name = first.values["dimension_name"]
            kind = first.values.get("kind") or DEFAULTS["kind"]
            change = Change(
                cols.DIMENSIONS,
                CREATE,
                key,
                first,
                values={"key": key, "name": name, "kind": kind, "categories": categories},
            )
            existing = self.dimensions.get(key)
            if existing is None:
                self.new_dimensions.add(key)
                self.changes.changes.append(change)
                continue
            current = [(c.key, c.name) for c in existing.categories.all()]
            if current != categories or existing.name != name or existing.kind != kind:
                self.problem(
                    first,
                    "dimension",
                    _(
                        "the dimension %(key)s exists with other names or categories "
                        "(%(current)s); an import does not change dimensions."
                    )
                    % {"key": key, "current": ", ".join(k for k, _n in current)},
                )
                continue
            change.kind, change.obj, change.values = SAME, existing, {}
            self.changes.changes.append(change)

    def _tier_path(self, row: SheetRow) -> list[tuple[int, str]]:
        return [
            (depth, row.values[cols.tier_key(depth)])
            for depth in range(cols.MAX_RESULT_TIERS)
            if row.values.get(cols.tier_key(depth))
        ]

    def _results(self, rows: list[SheetRow]) -> None:
        keyed: list[tuple[str, SheetRow, int, str | None]] = []
        for row in rows:
            path = self._tier_path(row)
            if not path:
                self.problem(
                    row,
                    cols.tier_key(0),
                    _("no code: put the result's code in the column of its tier."),
                )
                continue
            depth, code = path[-1]
            parent = None
            if depth > 0:
                above = dict(path).get(depth - 1)
                parent = above
            keyed.append((code, row, depth, parent))
        bad = self._duplicates([(code, row) for code, row, _d, _p in keyed], "")
        file_results = {code: depth for code, _row, depth, _p in keyed}
        for code, row, depth, parent_code in sorted(keyed, key=lambda item: item[2]):
            if code in bad:
                continue
            tier_column = cols.tier_key(depth)
            if not self._required(row, ("title",)):
                continue
            if depth >= self.plan.result_tier_count:
                self.problem(
                    row,
                    tier_column,
                    _("this plan has %(count)d result tiers; %(column)s is too deep.")
                    % {"count": self.plan.result_tier_count, "column": tier_column},
                )
                continue
            values = self._with_defaults(row, RESULT_FIELDS)
            languages = self._languages(row, values)
            if "pillar" in values and values["pillar"]:
                pillar = self.pillars.get(normalise(values["pillar"]))
                if pillar is None:
                    self.problem(
                        row,
                        "pillar",
                        _("no canonical pillar is called “%(name)s” (keys: %(keys)s).")
                        % {
                            "name": values["pillar"],
                            "keys": ", ".join(sorted({p.key for p in self.pillars.values()})),
                        },
                    )
                    continue
                values["pillar"] = pillar
            existing = self.results.get(code)
            change = Change(cols.RESULTS, CREATE, code, row, values=values, parent_key=parent_code)
            if existing is None:
                if depth > 0 and parent_code is None:
                    self.problem(
                        row,
                        cols.tier_key(depth - 1),
                        _("a new result needs its parent's code in the column before."),
                    )
                    continue
                if (
                    parent_code is not None
                    and parent_code not in self.results
                    and (file_results.get(parent_code) != depth - 1)
                ):
                    self.problem(
                        row,
                        cols.tier_key(depth - 1),
                        _("no result %(code)s at the tier above, in the plan or the file.")
                        % {"code": parent_code},
                    )
                    continue
                self.new_results.add(code)
                self.changes.changes.append(change)
                continue
            current_parent = existing.parent.code if existing.parent_id else None
            if existing.depth != depth or (
                parent_code is not None and parent_code != current_parent
            ):
                self.problem(
                    row,
                    tier_column,
                    _(
                        "the result %(code)s is under %(current)s in the plan; an import does "
                        "not move results (move it in the matrix, or give it a new code)."
                    )
                    % {"code": code, "current": current_parent or _("the top tier")},
                )
                continue
            change.obj = existing
            current = {
                "pillar": existing.pillar,
                "title": existing.title,
                "description": existing.description,
                "weight": existing.weight,
                **self._language_values(existing, languages),
            }
            _compare(change, current, RESULT_FIELDS + languages, set(row.values))
            self.changes.changes.append(change)

    def _actions(self, rows: list[SheetRow]) -> None:
        keyed = [(row.values.get("code"), row) for row in rows]
        for code, row in keyed:
            if not code and "code" in row.values:
                self.problem(row, "code", _("this cell is required."))
        keyed = [(code, row) for code, row in keyed if code]
        bad = self._duplicates(keyed, "code")
        for code, row in keyed:
            if code in bad or not self._required(row, ("title", "lead_agency")):
                continue
            path = self._tier_path(row)
            result_code = path[-1][1] if path else None
            values = self._with_defaults(row, ACTION_FIELDS)
            languages = self._languages(row, values)
            ok = True
            if "lead_agency" in values:
                values["lead_agency"] = self._org(row, "lead_agency")
                ok = ok and values["lead_agency"] is not None
            if "partners" in values:
                partners = []
                for name in values["partners"] or []:
                    try:
                        partners.append(self.orgs.find(name))
                    except ValueError as error:
                        self.problem(row, "partners", str(error))
                        ok = False
                values["partners"] = partners
            if not ok:
                continue
            existing = self.actions.get(code)
            change = Change(cols.ACTIONS, CREATE, code, row, values=values, parent_key=result_code)
            if existing is None:
                if result_code is None:
                    self.problem(row, cols.tier_key(0), _("a new action needs its result's code."))
                    continue
                if result_code not in self.results and result_code not in self.new_results:
                    self.problem(
                        row,
                        self._deepest_tier_key(row),
                        _("no result %(code)s in the plan or the results sheet.")
                        % {"code": result_code},
                    )
                    continue
                self.new_actions.add(code)
                self.changes.changes.append(change)
                continue
            if result_code is not None and result_code != existing.result.code:
                self.problem(
                    row,
                    self._deepest_tier_key(row),
                    _(
                        "the action %(code)s is under %(current)s in the plan; an import does "
                        "not move actions (move it in the matrix, or give it a new code)."
                    )
                    % {"code": code, "current": existing.result.code},
                )
                continue
            change.obj = existing
            current = {
                "title": existing.title,
                "description": existing.description,
                "lead_agency": existing.lead_agency,
                "partners": sorted(existing.partners.all(), key=lambda o: o.pk),
                "start": existing.start,
                "end": existing.end,
                "geographic_level": existing.geographic_level,
                "weight": existing.weight,
                **self._language_values(existing, languages),
            }
            if "partners" in values:
                values["partners"] = sorted(
                    {
                        p.pk: p
                        for p in values["partners"]
                        if p != values.get("lead_agency", existing.lead_agency)
                    }.values(),
                    key=lambda o: o.pk,
                )
            _compare(change, current, ACTION_FIELDS + languages, set(row.values))
            self.changes.changes.append(change)

    def _deepest_tier_key(self, row: SheetRow) -> str:
        path = self._tier_path(row)
        return cols.tier_key(path[-1][0]) if path else cols.tier_key(0)

    def _indicators(self, rows: list[SheetRow]) -> None:
        keyed = [(row.values.get("code"), row) for row in rows]
        for code, row in keyed:
            if not code and "code" in row.values:
                self.problem(row, "code", _("this cell is required."))
        keyed = [(code, row) for code, row in keyed if code]
        bad = self._duplicates(keyed, "code")
        for code, row in keyed:
            if code in bad or not self._required(row, ("title",)):
                continue
            result_code, action_code = row.values.get("result_code"), row.values.get("action_code")
            if bool(result_code) == bool(action_code):
                self.problem(
                    row,
                    "result_code",
                    _("give exactly one of result_code and action_code."),
                )
                continue
            owner = ("result", result_code) if result_code else ("action", action_code)
            known = (
                (self.results, self.new_results)
                if result_code
                else (self.actions, self.new_actions)
            )
            if owner[1] not in known[0] and owner[1] not in known[1]:
                self.problem(
                    row,
                    f"{owner[0]}_code",
                    _("no %(kind)s %(code)s in the plan or the file.")
                    % {"kind": owner[0], "code": owner[1]},
                )
                continue
            values = self._with_defaults(row, INDICATOR_FIELDS)
            languages = self._languages(row, values)
            if "responsible_organisation" in values:
                values["responsible_organisation"] = self._org(row, "responsible_organisation")
                if (
                    row.values.get("responsible_organisation")
                    and not values["responsible_organisation"]
                ):
                    continue
            if "stages" in values:
                values["stages"] = values["stages"] or []
            if "breakdowns" in values:
                breakdowns = [sorted(keys) for keys in values["breakdowns"] or []]
                unknown = sorted(
                    {
                        k
                        for keys in breakdowns
                        for k in keys
                        if k not in self.dimensions and k not in self.new_dimensions
                    }
                )
                if unknown:
                    self.problem(
                        row,
                        "breakdowns",
                        _("no dimension %(keys)s in the plan or the dimensions sheet.")
                        % {"keys": ", ".join(unknown)},
                    )
                    continue
                values["breakdowns"] = breakdowns
            existing = self.indicators.get(code)
            change = Change(cols.INDICATORS, CREATE, code, row, values=values, parent_key=owner)
            if existing is None:
                self.changes.changes.append(change)
                continue
            current_owner = (
                ("result", existing.result.code)
                if existing.result_id
                else ("action", existing.action.code)
            )
            if current_owner != owner:
                self.problem(
                    row,
                    f"{owner[0]}_code",
                    _(
                        "the indicator %(code)s is on %(kind)s %(owner)s in the plan; an import "
                        "does not move indicators."
                    )
                    % {"code": code, "kind": current_owner[0], "owner": current_owner[1]},
                )
                continue
            change.obj = existing
            current = {name: getattr(existing, name) for name in INDICATOR_FIELDS[:-1]}
            current["breakdowns"] = indicator_breakdown_keys(existing)
            current.update(self._language_values(existing, languages))
            _compare(change, current, INDICATOR_FIELDS + languages, set(row.values))
            self.changes.changes.append(change)

    def _budget(self, rows: list[SheetRow]) -> None:
        positions: dict[str, int] = defaultdict(int)
        keyed: list[tuple[str, SheetRow]] = []
        for row in rows:
            action_code = row.values.get("action_code")
            if not action_code:
                self._required(row, ("action_code",))
                continue
            positions[action_code] += 1
            line = row.values.get("line") or positions[action_code]
            if line < 1:
                self.problem(row, "line", _("line numbers start at 1."))
                continue
            keyed.append((f"{action_code} #{line}", row))
            row.values["_line"] = line
        bad = self._duplicates(keyed, "line")
        new_lines: dict[str, list[Change]] = defaultdict(list)
        for key, row in keyed:
            if key in bad or not self._required(row, ("amount", "funding_source")):
                continue
            action_code, line = row.values["action_code"], row.values.pop("_line")
            if action_code not in self.actions and action_code not in self.new_actions:
                self.problem(
                    row,
                    "action_code",
                    _("no action %(code)s in the plan or the actions sheet.")
                    % {"code": action_code},
                )
                continue
            values = self._with_defaults(row, BUDGET_FIELDS)
            if "funder" in values:
                values["funder"] = self._org(row, "funder")
                if row.values.get("funder") and values["funder"] is None:
                    continue
            if "currency" in values:
                values["currency"] = (values["currency"] or self.plan.currency).upper()
            if "description" in values and values["description"] is None:
                values["description"] = ""
            existing_lines = self.lines.get(action_code, [])
            existing = existing_lines[line - 1] if line <= len(existing_lines) else None
            change = Change(cols.BUDGET, CREATE, key, row, values=values, parent_key=action_code)
            if existing is None:
                change.values["_line"] = line
                new_lines[action_code].append(change)
                continue
            change.obj = existing
            current = {name: getattr(existing, name) for name in BUDGET_FIELDS}
            _compare(change, current, BUDGET_FIELDS, set(row.values))
            self.changes.changes.append(change)
        for action_code, created in new_lines.items():
            # new lines continue the action's numbering, so the same file imports once
            expected = len(self.lines.get(action_code, [])) + 1
            for change in sorted(created, key=lambda c: c.values["_line"]):
                line = change.values.pop("_line")
                if line != expected:
                    self.problem(
                        change.row,
                        "line",
                        _(
                            "the action %(code)s has %(count)d budget lines; number the new "
                            "ones from %(next)d on, without gaps."
                        )
                        % {
                            "code": action_code,
                            "count": len(self.lines.get(action_code, [])),
                            "next": len(self.lines.get(action_code, [])) + 1,
                        },
                    )
                    continue
                expected += 1
                self.changes.changes.append(change)


def indicator_breakdown_keys(indicator: Indicator) -> list[list[str]]:
    """The indicator's breakdowns as sorted dimension keys (uses the prefetch cache)."""
    return [sorted(d.key for d in b.dimensions.all()) for b in indicator.breakdowns.all()]
