"""The ONE definition of the logframe's sheets and columns (issue 7, point 3).

Export (:mod:`.export`), import (:mod:`.reader`, :mod:`.plan_diff`) and the open-data
framework downloads (:mod:`nap1325.interchange.open_data`) all read this module, so what
one writes the other reads.

**Layout of a sheet** (XLSX): row 1 holds the stable English column *keys* (``code``,
``lead_agency``, …; never translated, never renamed — a rename is a new format version);
row 2 holds the *labels* in the language chosen at download (for people; the reader
recognises it in any interface language and skips it); data starts on row 3. A sheet
whose row 2 is not a label row is read from row 2. Columns are found by their key, so their
order does not matter and unknown columns are reported once and ignored. CSV and JSON
(open data) carry the keys only.

**Tier columns.** Results and actions carry the path of result codes from the top tier
down, one column per result tier (``tier_1`` … ``tier_4``, labelled with the plan's own
tier names). A result's code is its deepest filled tier column, its parent the column
before; an action's result is its deepest filled tier column. These are the columns
people merge vertically; a merged range's top-left value applies to every row of it.

**Values.** Choices are written as their stable keys (``number``, ``sum``, ``state_budget``)
and read as key or label (any interface language); organisations as acronym (or name when
there is none), read by acronym or name; several partners are separated by ``;``; stages by
``|``; breakdowns by ``;`` with the dimensions of a cross-tab joined by ``×`` (``sex;
rank × sex``); yes/no as ``yes``/``no``.

**Languages.** ``title``, ``description``, ``unit`` and ``means_of_verification`` hold the
text in the language of the download (with the plan's fallback). With
``sheets(languages=True)`` (the logframe export and open data) every sheet gets, after its
existing columns, one column per translated field and platform language (``title_en``,
``title_ru``, ``title_ky``, ``description_en``, …, :func:`language_columns`), empty where
a language has no text. On import (:mod:`.plan_diff`) a row whose language cells of a
field hold any text is written from those cells, each language its own (an empty cell
clears that language); the plain ``title`` of that row is then not used (a warning says
so when it differs from every language cell). A row with no text in them, or a file
without them, uses the plain column as before (the active language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nap1325.plans.models import MAX_TIERS, Action, BudgetLine, Dimension, Indicator

#: The format name and version written into JSON exports and the instructions sheet.
FORMAT = "nap1325-logframe"
FORMAT_VERSION = 1

#: Result tiers a plan can have (the last tier label names actions).
MAX_RESULT_TIERS = MAX_TIERS - 1

# Kinds of cell (how a cell is parsed by reader.parse_cell and written by export).
TEXT = "text"  # free text, stripped
CODE = "code"  # a framework code (1.2.3), stripped; numbers read as their digits
DECIMAL = "decimal"  # a number, exact (Decimal)
INTEGER = "integer"  # a whole number
DATE = "date"  # a date
BOOLEAN = "boolean"  # yes / no
CHOICE = "choice"  # one of Column.choices (key or label)
ORGANISATION = "organisation"  # an organisation by acronym or name
ORGANISATIONS = "organisations"  # several, separated by ";"
PILLAR = "pillar"  # a canonical pillar by key or name
STAGES = "stages"  # texts separated by "|"
BREAKDOWNS = "breakdowns"  # dimension keys: "sex; rank × sex"

#: Separators used when writing (reader accepts these and a few more, see reader.py)
LIST_SEPARATOR = "; "
STAGE_SEPARATOR = " | "
CROSS = " × "


@dataclass(frozen=True)
class Column:
    """One column: stable ``key``, translated ``label``, cell ``kind``, optional choices.

    ``choices``: ``[(key, label), …]`` for :data:`CHOICE` columns (drop-down lists);
    ``required``: a row without it is a problem; ``width``: XLSX column width.
    """

    key: str
    label: Any
    kind: str = TEXT
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = False
    width: int = 14
    help: Any = ""


@dataclass(frozen=True)
class Sheet:
    """A sheet: ``key`` (the sheet's name in the workbook), label and columns in order."""

    key: str
    label: Any
    columns: tuple[Column, ...]
    help: Any = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def tier_key(depth: int) -> str:
    """``tier_1`` for the top tier (depth 0)."""
    return f"tier_{depth + 1}"


def tier_columns(tier_labels: list[str] | None = None) -> tuple[Column, ...]:
    """One column per result tier, labelled with the plan's tier names when given."""
    count = MAX_RESULT_TIERS if tier_labels is None else max(len(tier_labels) - 1, 1)
    columns = []
    for depth in range(count):
        label = (
            tier_labels[depth]
            if tier_labels and depth < len(tier_labels) - 1
            else _("Tier %(n)d") % {"n": depth + 1}
        )
        columns.append(Column(tier_key(depth), label, CODE, width=9))
    return tuple(columns)


def _choices(enum: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((str(value), label) for value, label in enum.choices)


YES_NO_CHOICES: tuple[tuple[str, Any], ...] = (("yes", _("yes")), ("no", _("no")))

RESULTS = "results"
ACTIONS = "actions"
INDICATORS = "indicators"
BUDGET = "budget"
DIMENSIONS = "dimensions"
INSTRUCTIONS = "instructions"
LISTS = "lists"

#: Sheets read on import, in the order they are applied.
DATA_SHEETS = (DIMENSIONS, RESULTS, ACTIONS, INDICATORS, BUDGET)


#: Translated fields per sheet, in the order their language columns are appended.
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    "results": ("title", "description"),
    "actions": ("title", "description"),
    "indicators": ("title", "description", "unit", "means_of_verification"),
}


def language_keys(sheet_key: str, name: str) -> list[str]:
    """``["title_en", "title_ru", "title_ky"]`` when ``name`` is translated on the sheet."""
    from django.conf import settings

    if name not in TRANSLATED_FIELDS.get(sheet_key, ()):
        return []
    return [f"{name}_{code}" for code, _language in settings.LANGUAGES]


def language_columns(sheet_key: str) -> tuple[Column, ...]:
    """``title_en``, ``title_ru``, …, ``description_en``, … for ``sheet_key``: one TEXT
    column per translated field and platform language (``settings.LANGUAGES`` order),
    labelled like the history page: "Title (Russian)"."""
    from django.conf import settings

    columns = []
    for name in TRANSLATED_FIELDS.get(sheet_key, ()):
        for code, language in settings.LANGUAGES:
            columns.append(
                Column(
                    f"{name}_{code}",
                    _LanguageLabel(name, language),
                    TEXT,
                    width=40 if name != "unit" else 12,
                )
            )
    return tuple(columns)


class _LanguageLabel:
    """A lazy "Title (Russian)" label: translated when shown, in the language then active."""

    def __init__(self, field: str, language: Any) -> None:
        self.field, self.language = field, language

    def __str__(self) -> str:
        from django.utils.translation import gettext

        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "unit": _("Unit"),
            "means_of_verification": _("Means of verification"),
        }
        return gettext("%(field)s (%(language)s)") % {
            "field": str(labels[self.field]),
            "language": str(self.language),
        }


def sheets(tier_labels: list[str] | None = None, *, languages: bool = False) -> dict[str, Sheet]:
    """Every data sheet by key, with tier columns for ``tier_labels`` (None: all four).

    ``languages``: append the per-language columns of translated fields
    (:func:`language_columns`) after each sheet's columns (open data).
    """
    found = _sheets(tier_labels)
    if not languages:
        return found
    return {
        key: Sheet(sheet.key, sheet.label, (*sheet.columns, *language_columns(key)), sheet.help)
        for key, sheet in found.items()
    }


def _sheets(tier_labels: list[str] | None = None) -> dict[str, Sheet]:
    tiers = tier_columns(tier_labels)
    return {
        DIMENSIONS: Sheet(
            DIMENSIONS,
            _("Breakdown dimensions"),
            (
                Column("dimension", _("Dimension key"), CODE, required=True, width=14),
                Column("dimension_name", _("Dimension name"), TEXT, required=True, width=20),
                Column("kind", _("Kind"), CHOICE, _choices(Dimension.Kind), width=10),
                Column("category", _("Category key"), CODE, required=True, width=16),
                Column("category_name", _("Category name"), TEXT, required=True, width=24),
            ),
            _("One row per category. New dimensions are added; existing ones are not changed."),
        ),
        RESULTS: Sheet(
            RESULTS,
            _("Results"),
            (
                *tiers,
                Column("pillar", _("Canonical pillar"), PILLAR, width=16),
                Column("title", _("Title"), TEXT, required=True, width=50),
                Column("description", _("Description"), TEXT, width=40),
                Column("weight", _("Weight"), DECIMAL, width=8),
            ),
            _("One row per result; its code is in the column of its tier, its parents' before."),
        ),
        ACTIONS: Sheet(
            ACTIONS,
            _("Actions"),
            (
                *tiers,
                Column("code", _("Code"), CODE, required=True, width=10),
                Column("title", _("Title"), TEXT, required=True, width=50),
                Column("description", _("Description"), TEXT, width=40),
                Column("lead_agency", _("Lead agency"), ORGANISATION, required=True, width=18),
                Column("partners", _("Partners"), ORGANISATIONS, width=24),
                Column("start", _("Start"), DATE, width=12),
                Column("end", _("End"), DATE, width=12),
                Column(
                    "geographic_level",
                    _("Geographic level"),
                    CHOICE,
                    _choices(Action.GeographicLevel),
                    width=12,
                ),
                Column("weight", _("Weight"), DECIMAL, width=8),
            ),
            _("One row per action, under the result in the deepest filled tier column."),
        ),
        INDICATORS: Sheet(
            INDICATORS,
            _("Indicators"),
            (
                Column("code", _("Code"), CODE, required=True, width=10),
                Column("result_code", _("Result code"), CODE, width=10),
                Column("action_code", _("Action code"), CODE, width=10),
                Column("title", _("Title"), TEXT, required=True, width=50),
                Column("description", _("Definition"), TEXT, width=30),
                Column("unit", _("Unit"), TEXT, width=12),
                Column("measure", _("Measure"), CHOICE, _choices(Indicator.Measure), width=12),
                Column(
                    "time_aggregation",
                    _("Time aggregation"),
                    CHOICE,
                    _choices(Indicator.TimeAggregation),
                    width=14,
                ),
                Column(
                    "direction", _("Direction"), CHOICE, _choices(Indicator.Direction), width=10
                ),
                Column("baseline_value", _("Baseline"), DECIMAL, width=10),
                Column("baseline_date", _("Baseline date"), DATE, width=12),
                Column("baseline_source", _("Baseline source"), TEXT, width=20),
                Column("target_value", _("Target"), DECIMAL, width=10),
                Column("target_date", _("Target date"), DATE, width=12),
                Column("stages", _("Stages (separated by |)"), STAGES, width=24),
                Column("means_of_verification", _("Means of verification"), TEXT, width=30),
                Column(
                    "frequency", _("Frequency"), CHOICE, _choices(Indicator.Frequency), width=12
                ),
                Column(
                    "responsible_organisation",
                    _("Responsible organisation"),
                    ORGANISATION,
                    width=18,
                ),
                Column("breakdowns", _("Breakdowns (e.g. sex; rank × sex)"), BREAKDOWNS, width=20),
            ),
            _("One row per indicator, on exactly one result code or one action code."),
        ),
        BUDGET: Sheet(
            BUDGET,
            _("Budget lines"),
            (
                Column("action_code", _("Action code"), CODE, required=True, width=10),
                Column("line", _("Line"), INTEGER, width=6),
                Column("description", _("Description"), TEXT, width=36),
                Column("amount", _("Amount"), DECIMAL, required=True, width=14),
                Column("currency", _("Currency"), CODE, width=8),
                Column(
                    "funding_source",
                    _("Funding source"),
                    CHOICE,
                    _choices(BudgetLine.FundingSource),
                    required=True,
                    width=14,
                ),
                Column("funder", _("Funder"), ORGANISATION, width=18),
                Column("year", _("Year"), INTEGER, width=7),
                Column("secured", _("Secured"), BOOLEAN, YES_NO_CHOICES, width=8),
            ),
            _(
                "One row per budget line; line numbers count within the action (1, 2, …). "
                "A blank line number is the row's position among the action's rows."
            ),
        ),
    }


def label_text(label: Any) -> str:
    """A lazy label as text in the active language."""
    return str(label) if isinstance(label, Promise | str) else str(label)
