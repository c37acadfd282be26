"""``nap1325 import-values``: long-format tables into approved indicator values of a plan.

Issue 3 point 6; DESIGN.md §6 (imports go through the same rules as the pages) and §8
(all-or-nothing, every bad row named).

**Input.** One or more tables (CSV, XLSX, JSON; see :mod:`nap1325.interchange.tables`),
one row per indicator × period × category × … → value, and a *mapping* (YAML) saying which
column is what::

    indicator: Indicateur          # matched by code, or by title (spaces and case normalised)
    period: Année                  # a period label, or a year = the period covering that year
    organisation: Organisation     # optional; else --organisation; else the coordinating body
    value: Valeur                  # the number (or yes-no text, or stage)
    numerator: Numérateur          # percentages: numerator and denominator columns
    denominator: Dénominateur
    comment: Commentaire           # optional
    yes_no: flag                   # flag (yes/no/oui/non/1/0, the default) or text
    categories:                    # column → dimension key, or the special "category"
      Sexe: sex
      Province: province
      Cible: category
    aliases:                       # per dimension key (or "category"): text → category key
      sex: {Femme: women, Homme: men}
      category: {En Général: total}   # "total": the row is not broken down by this column

A ``files:`` section (``files: {AllDataListes.json: {value: LMMA, yes_no: text}}``) gives
the keys that differ for one file, so files with different columns import in one run.

``category`` is resolved per indicator among the categories of the indicator's declared
breakdown dimensions that no other column maps (the DRC's "Cible": a rank, a post, … crossed
with sex). Categories match by key, by name (spaces, case and accents normalised) or by an
alias. ``yes_no: text``: a non-empty text means *yes* and is kept as the value's comment (the
DRC's lists of laws and mechanisms).

**Grouping.** Rows become one :class:`~nap1325.monitoring.services.ValueInput` per
(period, organisation, indicator). A row whose category columns are all empty (or "total")
gives the total; any other row is one cell of the breakdown whose dimensions are exactly
its non-empty category columns. Without a total row the total is the sum of the reported
cells (of the breakdown with the largest sum, when several are given and disagree — the
others then show as incomplete). A blank value is *not reported*: the cell is absent, never
0, and an indicator × period with only blanks gets no value at all.

**Numbers.** A number must be one the database stores exactly: at most 15 significant
digits, 4 of them decimals (:func:`~nap1325.monitoring.services.storable_problem`);
``NaN``, infinities (JSON's bare ``NaN``, ``Infinity``) and larger or finer numbers are
problems on their cell. An XLSX formula without a computed value (a workbook written by a
program that does not compute formulas) is a problem too, never a blank.

**Writing.** Everything is validated first; one bad row and nothing is written
(:class:`ImportFailed` lists every problem as ``FILE row N, column C: message``). Values are
recorded per report through
:func:`~nap1325.monitoring.services.agency_report_record_approved` (actor = the named
coordinator, reason = "import of <file names>"), in one transaction, so a second run of the
same files changes nothing and a report that is submitted, or approved with other values,
is refused with the service's message on that group's rows. ``dry_run`` does all of it,
including the service's checks, and rolls back.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nap1325.core.models import Organisation, User
from nap1325.core.permissions import REPORT_REVIEW, plan_access
from nap1325.measurement import MeasurementError, parse_decimal
from nap1325.monitoring.models import AgencyReport, ReportingPeriod
from nap1325.monitoring.services import (
    KEY_SEPARATOR,
    ValueInput,
    agency_report_record_approved,
    read_entries,
    storable_problem,
)
from nap1325.plans.models import Breakdown, Dimension, Indicator, Plan

from .tables import Table, TableError, Uncomputed, read_table, uncomputed_message

#: The mapping value of a column resolved per indicator among its unmapped dimensions.
CATEGORY = "category"
#: The alias target meaning "this column does not break the row down" (a total).
TOTAL = "total"
YES_WORDS = frozenset({"yes", "y", "oui", "true", "1", "да", "ооба", "x"})
NO_WORDS = frozenset({"no", "n", "non", "false", "0", "нет", "жок"})
MAPPING_KEYS = frozenset(
    {
        "indicator",
        "period",
        "organisation",
        "value",
        "numerator",
        "denominator",
        "comment",
        "yes_no",
        "categories",
        "aliases",
    }
)


class ImportFailed(Exception):
    """Nothing was written: ``errors`` lists every problem, one line each."""

    def __init__(self, errors: list[str], warnings: Sequence[str] = ()) -> None:
        super().__init__(
            _("%(count)d problem(s) found; nothing was imported.") % {"count": len(errors)}
        )
        self.errors = errors
        self.warnings = list(warnings)


def normalise(text: Any) -> str:
    """Text for matching: NFC, runs of spaces (incl. no-break) collapsed, stripped, casefolded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip().casefold()


# --------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class ValueMapping:
    """Which column holds what (see the module docstring for the YAML form)."""

    indicator: str
    period: str
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    organisation: str | None = None
    comment: str | None = None
    yes_no: str = "flag"
    #: column → dimension key or :data:`CATEGORY`
    categories: dict[str, str] = field(default_factory=dict)
    #: dimension key (or :data:`CATEGORY`) → {normalised text: category key or :data:`TOTAL`}
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)

    def mapped_keys(self) -> set[str]:
        """Dimension keys some column maps directly (not through :data:`CATEGORY`)."""
        return {key for key in self.categories.values() if key != CATEGORY}

    def columns(self) -> list[str]:
        """Every column the mapping names (each must be in every file)."""
        named = [
            self.indicator,
            self.period,
            self.value,
            self.numerator,
            self.denominator,
            self.organisation,
            self.comment,
        ]
        return [c for c in named if c] + list(self.categories)


@dataclass(frozen=True)
class MappingSet:
    """A mapping file: the default mapping and per-file sections (``files: {NAME: {…}}``).

    A section's keys replace the default's for the file of that name, so one mapping file
    can describe several exports whose columns differ (the DRC's numbers, provinces and
    lists), imported together in one run and one transaction.
    """

    default: ValueMapping | None
    files: dict[str, ValueMapping] = field(default_factory=dict)
    source: str = "mapping"

    def for_file(self, name: str) -> ValueMapping | None:
        return self.files.get(name, self.default)


def parse_mapping(data: Any, source: str = "mapping") -> MappingSet:
    """A :class:`MappingSet` from the YAML's data; :class:`ImportFailed` if it is malformed."""
    if not isinstance(data, dict):
        raise ImportFailed([_("%(file)s: expected a YAML mapping of keys.") % {"file": source}])
    data = dict(data)
    sections = data.pop("files", None)
    if sections is None:
        return MappingSet(default=_parse_one(data, source), source=source)
    if not isinstance(sections, dict) or not all(isinstance(v, dict) for v in sections.values()):
        raise ImportFailed([_("%(file)s: files maps a file name to its keys.") % {"file": source}])
    errors: list[str] = []
    files: dict[str, ValueMapping] = {}
    for name, section in sections.items():
        try:
            files[str(name)] = _parse_one({**data, **section}, f"{source} ({name})")
        except ImportFailed as failure:
            errors.extend(failure.errors)
    if errors:
        raise ImportFailed(errors)
    try:
        default: ValueMapping | None = _parse_one(data, source)
    except ImportFailed:
        default = None
    return MappingSet(default=default, files=files, source=source)


def _parse_one(data: dict[str, Any], source: str) -> ValueMapping:
    errors: list[str] = []
    for key in sorted(set(data) - MAPPING_KEYS):
        errors.append(_("%(file)s: unknown key %(key)s.") % {"file": source, "key": key})
    for key in ("indicator", "period"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append(
                _("%(file)s: name the %(key)s column (%(key)s: COLUMN).")
                % {"file": source, "key": key}
            )
    if not data.get("value") and not (data.get("numerator") and data.get("denominator")):
        errors.append(
            _("%(file)s: name the value column, or the numerator and denominator columns.")
            % {"file": source}
        )
    yes_no = str(data.get("yes_no", "flag"))
    if yes_no not in {"flag", "text"}:
        errors.append(_("%(file)s: yes_no is flag or text.") % {"file": source})
    categories = data.get("categories") or {}
    aliases = data.get("aliases") or {}
    if not isinstance(categories, dict) or not all(isinstance(v, str) for v in categories.values()):
        errors.append(
            _("%(file)s: categories maps a column to a dimension key.") % {"file": source}
        )
        categories = {}
    if not isinstance(aliases, dict) or not all(isinstance(v, dict) for v in aliases.values()):
        errors.append(
            _("%(file)s: aliases maps a dimension key to {text: category key}.") % {"file": source}
        )
        aliases = {}
    if errors:
        raise ImportFailed(errors)

    def text(key: str) -> str | None:
        value = data.get(key)
        return str(value).strip() if value else None

    return ValueMapping(
        indicator=str(data["indicator"]).strip(),
        period=str(data["period"]).strip(),
        value=text("value"),
        numerator=text("numerator"),
        denominator=text("denominator"),
        organisation=text("organisation"),
        comment=text("comment"),
        yes_no=yes_no,
        categories={str(column).strip(): str(key).strip() for column, key in categories.items()},
        aliases={
            str(key).strip(): {normalise(k): str(v).strip() for k, v in table.items()}
            for key, table in aliases.items()
        },
    )


def load_mapping(path: Path) -> MappingSet:
    """Read a mapping file (YAML); :class:`ImportFailed` if unreadable or malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ImportFailed(
            [_("%(file)s: cannot read the mapping (%(error)s).") % {"file": path, "error": error}]
        ) from error
    return parse_mapping(data, path.name)


# --------------------------------------------------------------------------- result


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    files: list[str]
    rows_read: int = 0
    blank_cells: int = 0
    values_written: int = 0
    reports_changed: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary_lines(self) -> list[str]:
        lines = [
            _("Files: %(files)s") % {"files": ", ".join(self.files)},
            _("Rows read: %(count)d") % {"count": self.rows_read},
            _("Blank cells (not reported): %(count)d") % {"count": self.blank_cells},
            _("Values written: %(count)d") % {"count": self.values_written},
            _("%(count)d reports changed") % {"count": self.reports_changed},
            _("Warnings: %(count)d") % {"count": len(self.warnings)},
        ]
        if self.dry_run:
            lines.append(_("Dry run: nothing was written."))
        return lines


# --------------------------------------------------------------------------- resolution


@dataclass
class _Cell:
    amount: Decimal
    where: str  # "FILE row N" of the row that gave it


@dataclass
class _Group:
    """Everything the rows say about one (period, organisation, indicator)."""

    indicator: Indicator
    #: (table, row number, value column) of every row that gave a value
    rows: list[tuple[Table, int, str]] = field(default_factory=list)
    total: _Cell | None = None
    cells: dict[int, dict[str, _Cell]] = field(default_factory=dict)
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    ratio_where: str = ""
    yes_no: bool | None = None
    yes_no_where: str = ""
    stage: int | None = None
    stage_where: str = ""
    comments: list[str] = field(default_factory=list)


class _Context:
    """The plan's indicators, periods, organisations and dimensions, indexed for matching."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        indicators = list(
            Indicator.objects.filter(plan=plan, is_archived=False)
            .prefetch_related(
                Prefetch(
                    "breakdowns",
                    queryset=Breakdown.objects.prefetch_related("dimensions__categories"),
                )
            )
            .order_by("order", "id")
        )
        self.by_code = {normalise(i.code): i for i in indicators}
        self.by_title: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            self.by_title.setdefault(normalise(indicator.title), []).append(indicator)
        self.periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))
        self.dimensions = {
            d.key: d for d in Dimension.objects.filter(plan=plan).prefetch_related("categories")
        }
        self._organisations: dict[str, Organisation | None] = {}
        self._category_cache: dict[tuple[int, int, str, str], tuple[str, str] | str] = {}

    def indicator(self, text: Any) -> Indicator | str:
        key = normalise(text)
        if key in self.by_code:
            return self.by_code[key]
        found = self.by_title.get(key, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return _("Several indicators have this title (%(codes)s); use the code.") % {
                "codes": ", ".join(i.code for i in found)
            }
        return _(
            "Unknown indicator %(text)s: no indicator of plan %(plan)s has this code or title."
        ) % {
            "text": _quote(text),
            "plan": self.plan.slug,
        }

    def period(self, value: Any) -> ReportingPeriod | str:
        key = normalise(_plain_text(value))
        for period in self.periods:
            if normalise(period.label) == key:
                return period
        year = _year(value)
        if year is not None:
            for period in self.periods:
                if period.start == dt.date(year, 1, 1) and period.end == dt.date(year, 12, 31):
                    return period
        labels = ", ".join(p.label for p in self.periods) or _("none")
        return _("Unknown period %(text)s (periods of this plan: %(labels)s).") % {
            "text": _quote(value),
            "labels": labels,
        }

    def organisation(self, text: Any) -> Organisation | None:
        key = normalise(text)
        if key not in self._organisations:
            self._organisations[key] = find_organisation(str(text))
        return self._organisations[key]

    def category(
        self, mapping: ValueMapping, indicator: Indicator, dimension_key: str, text: Any
    ) -> tuple[str, str] | str | None:
        """``(dimension key, category key)``, ``None`` for a total, or an error message."""
        cache_key = (
            id(mapping),
            indicator.pk if dimension_key == CATEGORY else 0,
            dimension_key,
            normalise(text),
        )
        if cache_key not in self._category_cache:
            self._category_cache[cache_key] = self._resolve_category(
                mapping, indicator, dimension_key, text
            )
        found = self._category_cache[cache_key]
        return None if found == TOTAL else found

    def _resolve_category(
        self, mapping: ValueMapping, indicator: Indicator, dimension_key: str, text: Any
    ) -> tuple[str, str] | str:
        alias = mapping.aliases.get(dimension_key, {}).get(normalise(text))
        if alias == TOTAL:
            return TOTAL
        wanted = normalise(alias if alias is not None else _plain_text(text))
        if dimension_key == CATEGORY:
            candidates = [
                d for d in _indicator_dimensions(indicator) if d.key not in mapping.mapped_keys()
            ]
            if not candidates:
                return _(
                    "Indicator %(code)s has no breakdown this column can name (its breakdowns: "
                    "%(breakdowns)s)."
                ) % {"code": indicator.code, "breakdowns": _breakdown_names(indicator)}
        else:
            dimension = self.dimensions.get(dimension_key)
            if dimension is None:
                return _("The mapping names dimension %(key)s, which plan %(plan)s lacks.") % {
                    "key": dimension_key,
                    "plan": self.plan.slug,
                }
            candidates = [dimension]
        matches = [
            (d.key, c.key)
            for d in candidates
            for c in d.categories.all()
            if wanted in {c.key.casefold(), normalise(c.name)} or slugify(wanted) == c.key
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return _("The category %(text)s is ambiguous (%(keys)s).") % {
                "text": _quote(text),
                "keys": ", ".join("/".join(m) for m in matches),
            }
        names = ", ".join(d.name for d in candidates)
        return _("Unknown category %(text)s (not a category of %(dimensions)s).") % {
            "text": _quote(text),
            "dimensions": names,
        }


def find_organisation(text: str) -> Organisation | None:
    """The organisation whose name or acronym is ``text`` (case-insensitive), if exactly one."""
    key = text.strip()
    if not key:
        return None
    found = list(Organisation.objects.filter(name__iexact=key)[:2])
    if not found:
        found = list(Organisation.objects.filter(acronym__iexact=key)[:2])
    return found[0] if len(found) == 1 else None


def _indicator_dimensions(indicator: Indicator) -> list[Dimension]:
    seen: dict[int, Dimension] = {}
    for breakdown in indicator.breakdowns.all():
        for dimension in breakdown.dimensions.all():
            seen.setdefault(dimension.pk, dimension)
    return list(seen.values())


def _breakdown_names(indicator: Indicator) -> str:
    names = [str(b) for b in indicator.breakdowns.all()]
    return ", ".join(names) if names else _("none")


def _quote(value: Any) -> str:
    return f"“{_plain_text(value)}”"


def _plain_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return "" if value is None else str(value).strip()


def _year(value: Any) -> int | None:
    if isinstance(value, bool) or (isinstance(value, (float, Decimal)) and not _finite(value)):
        return None
    whole = isinstance(value, (int, float, Decimal)) and value == int(value)
    if not whole and not (isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value)):
        return None
    year = int(value)
    return year if 1900 <= year <= 2200 else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _finite(value: float | Decimal) -> bool:
    return Decimal(repr(value)).is_finite() if isinstance(value, float) else value.is_finite()


def _number(value: Any) -> Decimal | str:
    """A cell as a Decimal the database stores exactly, or the error message.

    Text in a number is refused (DESIGN.md §5), and so are ``NaN``, infinities and numbers
    beyond what a quantity column holds exactly (at most 15 significant digits, 4 of them
    decimals: :func:`~nap1325.monitoring.services.storable_problem`), which used to reach
    the database and stop the import with a traceback.
    """
    number = _read_number(value)
    if isinstance(number, str):
        return number
    if not number.is_finite():
        return _("Enter a number, not %(text)s.") % {"text": _quote(value)}
    return storable_problem(number) or number


def _read_number(value: Any) -> Decimal | str:
    if isinstance(value, bool):
        return _("Enter a number, not %(text)s.") % {"text": _quote(value)}
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        try:
            return Decimal(repr(value))
        except InvalidOperation:
            return _("Enter a number, not %(text)s.") % {"text": _quote(value)}
    try:
        return parse_decimal(str(value))
    except MeasurementError as error:
        if any(e.code == "thousands_separator" for e in error.errors):
            return _("Enter the number without thousands separators (%(text)s).") % {
                "text": _quote(value)
            }
        return _("Enter a number, not %(text)s.") % {"text": _quote(value)}


# --------------------------------------------------------------------------- import


def import_values(
    *,
    plan: Plan,
    paths: Sequence[Path],
    mapping: MappingSet | ValueMapping,
    username: str,
    organisation: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import ``paths`` into approved values of ``plan`` as ``username`` (all-or-nothing).

    Returns an :class:`ImportResult`; raises :class:`ImportFailed` listing every problem
    (``FILE row N, column C: message``) when anything is wrong, having written nothing.
    """
    errors: list[str] = []
    user = User.objects.filter(username=username).first()
    if user is None or not user.is_active:
        errors.append(_("Unknown user %(name)s.") % {"name": username})
    elif not plan_access(user, plan).can(REPORT_REVIEW):
        errors.append(
            _("%(name)s is not a coordinator of plan %(plan)s; only coordinators import values.")
            % {"name": username, "plan": plan.slug}
        )
    default_organisation: Organisation | None = plan.coordinating_body
    if organisation:
        default_organisation = find_organisation(organisation)
        if default_organisation is None:
            errors.append(
                _("Unknown organisation %(name)s (give its exact name or acronym).")
                % {"name": organisation}
            )
    tables: list[Table] = []
    for path in paths:
        try:
            tables.append(read_table(Path(path), sheet=sheet))
        except TableError as error:
            errors.append(str(error))
    mappings = mapping if isinstance(mapping, MappingSet) else MappingSet(default=mapping)
    result = ImportResult(files=[Path(p).name for p in paths], dry_run=dry_run)
    sources: list[tuple[Table, ValueMapping]] = []
    for table in tables:
        result.warnings.extend(table.warnings)
        table_mapping = mappings.for_file(table.name)
        if table_mapping is None:
            errors.append(
                _("%(file)s: the mapping %(mapping)s has no section for this file.")
                % {"file": table.name, "mapping": mappings.source}
            )
            continue
        sources.append((table, table_mapping))
        for column in table_mapping.columns():
            if column not in table.columns:
                errors.append(
                    _("%(file)s row 1, column %(column)s: no such column (columns: %(columns)s).")
                    % {"file": table.name, "column": column, "columns": ", ".join(table.columns)}
                )
    if errors:
        raise ImportFailed(errors, result.warnings)
    context = _Context(plan)
    groups = _read_groups(context, sources, default_organisation, result, errors)
    if errors:
        raise ImportFailed(errors, result.warnings)
    assert user is not None
    _write(
        groups,
        user=user,
        reason=_reason(result.files),
        result=result,
        errors=errors,
        dry_run=dry_run,
    )
    return result


def _reason(files: Iterable[str]) -> str:
    return _("import of %(files)s") % {"files": ", ".join(files)}


GroupKey = tuple[int, int, int]  # period id, organisation id, indicator id


def _read_groups(
    context: _Context,
    sources: list[tuple[Table, ValueMapping]],
    default_organisation: Organisation | None,
    result: ImportResult,
    errors: list[str],
) -> dict[GroupKey, tuple[ReportingPeriod, Organisation, _Group]]:
    groups: dict[GroupKey, tuple[ReportingPeriod, Organisation, _Group]] = {}
    for table, mapping in sources:
        for row in table.rows:
            result.rows_read += 1
            where = f"{table.name} row {row.number}"

            def fail(column: str, message: str, *, _where: str = where, _t: Table = table) -> None:
                errors.append(f"{_where}, column {_t.column_label(column)}: {message}")

            cells = row.cells
            uncomputed = [
                column for column in mapping.columns() if isinstance(cells.get(column), Uncomputed)
            ]
            for column in uncomputed:
                fail(column, uncomputed_message(cells[column]))
            if uncomputed:
                continue
            if _blank(cells.get(mapping.indicator)):
                result.warnings.append(
                    _("%(where)s: no indicator named; the row is skipped.") % {"where": where}
                )
                continue
            indicator = context.indicator(cells[mapping.indicator])
            if isinstance(indicator, str):
                fail(mapping.indicator, indicator)
                continue
            ok = True
            period = context.period(cells.get(mapping.period))
            if isinstance(period, str):
                fail(mapping.period, period)
                ok = False
            organisation = default_organisation
            if mapping.organisation and not _blank(cells.get(mapping.organisation)):
                organisation = context.organisation(cells[mapping.organisation])
                if organisation is None:
                    fail(
                        mapping.organisation,
                        _("Unknown organisation %(text)s.")
                        % {"text": _quote(cells[mapping.organisation])},
                    )
                    ok = False
            elif organisation is None:
                fail(
                    mapping.organisation or mapping.indicator,
                    _("No organisation: give --organisation (the plan has no coordinating body)."),
                )
                ok = False
            chosen: dict[str, str] = {}  # dimension key → category key
            last_category_column = ""
            for column, dimension_key in mapping.categories.items():
                value = cells.get(column)
                if _blank(value):
                    continue
                found = context.category(mapping, indicator, dimension_key, value)
                if found is None:
                    continue
                if isinstance(found, str):
                    fail(column, found)
                    ok = False
                    continue
                if found[0] in chosen:
                    fail(column, _("Two columns name a category of the same dimension."))
                    ok = False
                    continue
                chosen[found[0]] = found[1]
                last_category_column = column
            breakdown: Breakdown | None = None
            if ok and chosen:
                breakdown = _breakdown_for(indicator, set(chosen))
                if breakdown is None:
                    names = " × ".join(context.dimensions[k].name for k in chosen)
                    fail(
                        last_category_column,
                        _(
                            "Indicator %(code)s has no breakdown by %(names)s (its breakdowns: "
                            "%(breakdowns)s)."
                        )
                        % {
                            "code": indicator.code,
                            "names": names,
                            "breakdowns": _breakdown_names(indicator),
                        },
                    )
                    ok = False
                elif indicator.measure != Indicator.Measure.NUMBER:
                    fail(last_category_column, _("Only number indicators take breakdown cells."))
                    ok = False
            parsed = _parse_value(indicator, mapping, cells, fail)
            if parsed is _INVALID or not ok:
                continue
            if parsed is None:
                result.blank_cells += 1
                continue
            assert isinstance(period, ReportingPeriod) and organisation is not None
            key = (period.pk, organisation.pk, indicator.pk)
            if key not in groups:
                groups[key] = (period, organisation, _Group(indicator=indicator))
            group = groups[key][2]
            group.rows.append(
                (table, row.number, mapping.value or mapping.numerator or mapping.indicator)
            )
            if mapping.comment and not _blank(cells.get(mapping.comment)):
                group.comments.append(str(cells[mapping.comment]).strip())
            _add(group, breakdown, chosen, parsed, where, fail, mapping)
    return groups


_INVALID = object()


def _parse_value(
    indicator: Indicator, mapping: ValueMapping, cells: dict[str, Any], fail: Any
) -> Any:
    """The row's value for the indicator's measure: ``None`` (blank), a value, or ``_INVALID``."""
    measure = indicator.measure
    if measure == Indicator.Measure.PERCENTAGE:
        if not (mapping.numerator and mapping.denominator):
            fail(
                mapping.value or mapping.indicator,
                _("Indicator %(code)s is a percentage: map its numerator and denominator columns.")
                % {"code": indicator.code},
            )
            return _INVALID
        raw_n, raw_d = cells.get(mapping.numerator), cells.get(mapping.denominator)
        if _blank(raw_n) and _blank(raw_d):
            return None
        invalid = False
        parts: list[Decimal] = []
        for column, raw in ((mapping.numerator, raw_n), (mapping.denominator, raw_d)):
            if _blank(raw):
                fail(column, _("Give both the numerator and the denominator."))
                invalid = True
                continue
            number = _number(raw)
            if isinstance(number, str):
                fail(column, number)
                invalid = True
            elif number < 0:
                fail(column, _("Enter 0 or more."))
                invalid = True
            else:
                parts.append(number)
        if invalid:
            return _INVALID
        numerator, denominator = parts
        if denominator == 0:
            fail(mapping.denominator, _("The denominator must be more than 0."))
            return _INVALID
        if numerator > denominator:
            fail(
                mapping.numerator,
                _("The numerator (%(n)s) is larger than the denominator (%(d)s).")
                % {"n": _plain(numerator), "d": _plain(denominator)},
            )
            return _INVALID
        return (numerator, denominator)
    column = mapping.value
    if column is None:
        fail(
            mapping.indicator,
            _("Indicator %(code)s takes a value: map the value column.") % {"code": indicator.code},
        )
        return _INVALID
    raw = cells.get(column)
    if _blank(raw):
        return None
    if measure == Indicator.Measure.YES_NO:
        if mapping.yes_no == "text":
            return (True, str(raw).strip())
        word = normalise(_plain_text(raw))
        if word in YES_WORDS:
            return (True, "")
        if word in NO_WORDS:
            return (False, "")
        fail(column, _("Enter yes or no, not %(text)s.") % {"text": _quote(raw)})
        return _INVALID
    if measure == Indicator.Measure.STAGE:
        stages = [str(s) for s in indicator.stages if str(s).strip()]
        wanted = normalise(_plain_text(raw))
        for index, stage in enumerate(stages):
            if normalise(stage) == wanted or wanted == str(index + 1):
                return index
        fail(
            column,
            _("Unknown stage %(text)s (stages: %(stages)s, or their number 1–%(count)d).")
            % {"text": _quote(raw), "stages": ", ".join(stages), "count": len(stages)},
        )
        return _INVALID
    number = _number(raw)
    if isinstance(number, str):
        fail(column, number)
        return _INVALID
    if number < 0:
        fail(column, _("Enter 0 or more."))
        return _INVALID
    return number


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _breakdown_for(indicator: Indicator, dimension_keys: set[str]) -> Breakdown | None:
    for breakdown in indicator.breakdowns.all():
        if {d.key for d in breakdown.dimensions.all()} == dimension_keys:
            return breakdown
    return None


def _add(
    group: _Group,
    breakdown: Breakdown | None,
    chosen: dict[str, str],
    parsed: Any,
    where: str,
    fail: Any,
    mapping: ValueMapping,
) -> None:
    """Put one row's value into its group; a second value for the same thing is an error."""
    measure = group.indicator.measure
    column = mapping.value or mapping.numerator or mapping.indicator
    if measure == Indicator.Measure.NUMBER:
        assert isinstance(parsed, Decimal)
        if breakdown is None:
            if group.total is not None:
                fail(
                    column,
                    _("A second total for this indicator and period (first on %(where)s).")
                    % {"where": group.total.where},
                )
                return
            group.total = _Cell(parsed, where)
            return
        key = KEY_SEPARATOR.join(chosen[d.key] for d in breakdown.sorted_dimensions())
        table = group.cells.setdefault(breakdown.pk, {})
        if key in table:
            fail(
                column,
                _("A second value for the same categories (first on %(where)s).")
                % {"where": table[key].where},
            )
            return
        table[key] = _Cell(parsed, where)
    elif measure == Indicator.Measure.PERCENTAGE:
        if group.numerator is not None:
            fail(
                column,
                _("A second value for this indicator and period (first on %(where)s).")
                % {"where": group.ratio_where},
            )
            return
        group.numerator, group.denominator = parsed
        group.ratio_where = where
    elif measure == Indicator.Measure.YES_NO:
        answer, text = parsed
        if group.yes_no is not None and group.yes_no != answer:
            fail(
                column,
                _("This row says %(answer)s, but %(where)s says otherwise.")
                % {"answer": _("yes") if answer else _("no"), "where": group.yes_no_where},
            )
            return
        group.yes_no = answer
        group.yes_no_where = group.yes_no_where or where
        if text:
            group.comments.append(text)
    else:
        if group.stage is not None and group.stage != parsed:
            fail(
                column,
                _("A second, different stage for this indicator and period (first on %(where)s).")
                % {"where": group.stage_where},
            )
            return
        group.stage = parsed
        group.stage_where = where


def _entry(group: _Group, warnings: list[str], label: str) -> ValueInput:
    """The :class:`ValueInput` of one group (totals as in the module docstring)."""
    comment = "\n\n".join(dict.fromkeys(group.comments))
    measure = group.indicator.measure
    if measure == Indicator.Measure.PERCENTAGE:
        return ValueInput(numerator=group.numerator, denominator=group.denominator, comment=comment)
    if measure == Indicator.Measure.YES_NO:
        return ValueInput(yes_no=group.yes_no, comment=comment)
    if measure == Indicator.Measure.STAGE:
        return ValueInput(stage=group.stage, comment=comment)
    cells = {
        breakdown_id: {key: cell.amount for key, cell in table.items()}
        for breakdown_id, table in group.cells.items()
    }
    sums = {breakdown_id: sum(table.values(), Decimal(0)) for breakdown_id, table in cells.items()}
    code = group.indicator.code
    if group.total is not None:
        total = group.total.amount
        over = [s for s in sums.values() if s > total]
        if over:
            warnings.append(
                _(
                    "%(code)s %(label)s: the breakdown adds up to %(sum)s, "
                    "more than the total %(total)s."
                )
                % {"code": code, "label": label, "sum": _plain(max(over)), "total": _plain(total)}
            )
    else:
        total = max(sums.values())
        if len(set(sums.values())) > 1:
            warnings.append(
                _(
                    "%(code)s %(label)s: the breakdowns add up to different totals (%(sums)s); "
                    "the total is the largest, the others show as incomplete."
                )
                % {
                    "code": code,
                    "label": label,
                    "sums": ", ".join(_plain(s) for s in sums.values()),
                }
            )
    return ValueInput(value=total, cells=cells, comment=comment)


def _write(
    groups: dict[GroupKey, tuple[ReportingPeriod, Organisation, _Group]],
    *,
    user: User,
    reason: str,
    result: ImportResult,
    errors: list[str],
    dry_run: bool,
) -> None:
    """Record each report's values through the service, in one transaction (all-or-nothing)."""
    by_report: dict[tuple[int, int], list[_Group]] = {}
    where: dict[tuple[int, int], tuple[ReportingPeriod, Organisation]] = {}
    for (period_id, organisation_id, _indicator_id), (
        period,
        organisation,
        group,
    ) in groups.items():
        by_report.setdefault((period_id, organisation_id), []).append(group)
        where[(period_id, organisation_id)] = (period, organisation)
    ordered = sorted(by_report, key=lambda k: (where[k][0].start, where[k][1].name))

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for report_key in ordered:
                period, organisation = where[report_key]
                label = f"{period.label} / {organisation.acronym or organisation.name}"
                values = {
                    group.indicator.pk: _entry(group, result.warnings, label)
                    for group in by_report[report_key]
                }
                derived = {
                    group.indicator.pk
                    for group in by_report[report_key]
                    if group.total is None and group.cells
                }
                values = _with_other_official_values(period, organisation, values, derived)
                try:
                    _report, changed = agency_report_record_approved(
                        actor=user,
                        period=period,
                        organisation=organisation,
                        values=values,
                        reason=reason,
                    )
                except ValidationError as error:
                    messages = "; ".join(error.messages)
                    for group in by_report[report_key]:
                        for table, number, column in group.rows:
                            errors.append(
                                f"{table.name} row {number}, column "
                                f"{table.column_label(column)}: "
                                + _("%(period)s, %(organisation)s: %(message)s")
                                % {
                                    "period": period.label,
                                    "organisation": organisation.name,
                                    "message": messages,
                                }
                            )
                    continue
                if changed:
                    result.reports_changed += 1
                    result.values_written += len(by_report[report_key])
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if errors:
        result.reports_changed = result.values_written = 0
        raise ImportFailed(errors, result.warnings)


def _with_other_official_values(
    period: ReportingPeriod,
    organisation: Organisation,
    values: dict[int, ValueInput],
    derived_totals: set[int],
) -> dict[int, ValueInput]:
    """Top up an approved report's values with what the files do not mention.

    The service compares the whole official copy with what it is given. Files that cover
    part of a report — some of its indicators, or some breakdowns of an indicator (the DRC's
    numbers by target group and by province come in two files) — must not look like a
    change of the rest, so that a second run of one of them changes nothing. Only an
    approved report is topped up, and the service never writes to an approved report (it
    answers "unchanged" or refuses), so the top-up can only turn a spurious refusal into
    "0 reports changed". A total the files derived from cells (``derived_totals``, indicator
    ids) is derived again over the merged cells.
    """
    report = AgencyReport.objects.filter(period=period, organisation=organisation).first()
    if report is None or report.state != AgencyReport.State.APPROVED:
        return values
    official, _updates = read_entries(report, official=True)
    merged = {pk: entry for pk, entry in official.items() if pk not in values}
    for pk, entry in values.items():
        current = official.get(pk)
        if current is None or not entry.cells or not current.cells:
            merged[pk] = entry
            continue
        cells = {**current.cells, **entry.cells}
        total = entry.value
        if pk in derived_totals:
            total = max(sum(table.values(), Decimal(0)) for table in cells.values())
        merged[pk] = replace(entry, cells=cells, value=total)
    return merged
