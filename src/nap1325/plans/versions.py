"""Frozen versions of a plan: the snapshot and the comparison (issue 5, points 3 and 5).

A **snapshot** is a JSON-safe dict of the whole plan as it stands: the plan's fields and
every live (not archived) result, action, indicator (with breakdowns, period targets,
stages and framework links) and budget line. Each element keeps its database ``pk``, its
raw field values (foreign keys as pks, choices as keys, Decimals as plain strings without
trailing zeros, dates as ISO strings), and the snapshot carries the *names* of everything
those pks point to (organisations, pillars, dimensions, framework indicators) as they
were when the snapshot was taken — so a version reads the same even after an
organisation is renamed, and showing or comparing versions needs no query at all.

:func:`plan_snapshot` takes a fixed number of queries (12) whatever the size of the plan.
:func:`compare` and :func:`readable_snapshot` are pure: they read two snapshots (or one)
and return readable rows: field labels are the models' verbose names, choices their
labels, organisations their names, Decimals as the user typed them (``120``, ``0.5``).
Elements are matched by ``pk``, so a renamed code is a change, not a removal and an
addition.

Translated fields (titles, descriptions, units, means of verification; see each app's
``translation.py``) are kept once per platform language, as their columns are:
``title_en``, ``title_ru``, ``title_ky`` (``None`` where a language has no text), so a
change to the Russian title after adoption shows in the comparison as "Title (Russian)".
Pages show an element's title by the plan's chain (:func:`nap1325.core.content.content`
with the snapshot's own ``languages``).

Snapshots of schema 1 (taken before per-language content) hold one plain ``title``: it is
read as the text of the platform's default language (``settings.LANGUAGE_CODE``, English),
the column the languages migration copied every existing text into, so comparing such a
version with today's plan shows only what really changed (see :func:`normalised`).

Snapshot shape (``SCHEMA`` = 2)::

    {"schema": 2,
     "plan": {"title_en": …, "title_ru": …, "title_ky": None, "period_start": "2018-01-01",
              "coordinating_body": 3, "languages": ["ky", "ru", "en"], …},
     "names": {"organisation": {"3": "Ministry …"}, "pillar": {"1": "Participation"},
               "dimension": {"7": ["Sex", "sex"]}, "framework_indicator": {"2": "SDG 5.1.1: …"}},
     "results": [{"pk": 1, "parent": None, "depth": 0, "code": "1", …}, …],
     "actions": [{"pk": 4, "result": 2, "lead_agency": 3, "partners": [5, 6], …}, …],
     "indicators": [{"pk": 9, "action": 4, "breakdowns": [[12, 7]],
                     "period_targets": [["2019-12-31", "50"]], …}, …],
     "budget_lines": [{"pk": 2, "action": 4, "amount": "350000", …}, …]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nap1325.core.content import content, platform_languages
from nap1325.core.history import translated_field_label
from nap1325.core.models import Organisation
from nap1325.library.models import FrameworkIndicator, Pillar
from nap1325.plans.models import (
    Action,
    Breakdown,
    BudgetLine,
    Dimension,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    Result,
)

SCHEMA = 2
EMPTY = "—"

#: Plan fields kept in a version (the legal act too, so the adopted version records it).
PLAN_FIELDS = [
    "title",
    "country",
    "generation",
    "period_start",
    "period_end",
    "coordinating_body",
    "tier_labels",
    "currency",
    "time_zone",
    "reporting_frequency",
    "legal_act_number",
    "legal_act_date",
    "legal_act_issuer",
    "description",
    "languages",
]
RESULT_FIELDS = [
    "code",
    "title",
    "description",
    "parent",
    "pillar",
    "weight",
    "order",
    "is_illustrative",
    "is_published",
]
ACTION_FIELDS = [
    "code",
    "title",
    "description",
    "result",
    "lead_agency",
    "partners",
    "start",
    "end",
    "geographic_level",
    "status",
    "weight",
    "order",
    "is_illustrative",
    "is_published",
]
INDICATOR_FIELDS = [
    "code",
    "title",
    "description",
    "result",
    "action",
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
    "period_targets",
    "breakdowns",
    "means_of_verification",
    "frequency",
    "responsible_organisation",
    "framework_indicators",
    "order",
    "is_illustrative",
    "is_published",
]
BUDGET_LINE_FIELDS = [
    "action",
    "description",
    "amount",
    "currency",
    "funding_source",
    "funder",
    "year",
    "secured",
    "order",
    "is_illustrative",
]

#: kind → (model, snapshot key, fields), in the order the comparison shows them.
KINDS: dict[str, tuple[type[models.Model], list[str]]] = {
    "results": (Result, RESULT_FIELDS),
    "actions": (Action, ACTION_FIELDS),
    "indicators": (Indicator, INDICATOR_FIELDS),
    "budget_lines": (BudgetLine, BUDGET_LINE_FIELDS),
}
KIND_LABELS = {
    "results": gettext_lazy("Results"),
    "actions": gettext_lazy("Actions"),
    "indicators": gettext_lazy("Indicators"),
    "budget_lines": gettext_lazy("Budget lines"),
}


# --------------------------------------------------------------------------- languages


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of ``model`` stored once per language (django-modeltranslation), or ()."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def stored_names(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """``names`` with each translated field replaced by its per-language columns, in
    ``settings.LANGUAGES`` order: ``["code", "title", …]`` → ``["code", "title_en",
    "title_ru", "title_ky", …]``. The keys a snapshot keeps and a comparison walks."""
    translated = set(translated_fields(model))
    found: list[str] = []
    for name in names:
        if name in translated:
            found.extend(f"{name}_{code}" for code in platform_languages())
        else:
            found.append(name)
    return found


def _normalised_row(row: Mapping[str, Any], model: type[models.Model]) -> dict[str, Any]:
    copy = dict(row)
    for name in translated_fields(model):
        columns = [f"{name}_{code}" for code in platform_languages()]
        if name in copy and not any(column in copy for column in columns):
            plain = copy.pop(name)
            for column in columns:
                copy[column] = None
            copy[f"{name}_{settings.LANGUAGE_CODE}"] = plain
        else:
            copy.pop(name, None)
    return copy


def normalised(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """``snapshot`` with translated fields as per-language keys, whatever its schema.

    A schema-1 row's plain ``title`` becomes ``title_en`` (``settings.LANGUAGE_CODE``: the
    language the languages migration put every existing text in) with the other languages
    empty; a schema-2 row is returned as it is. Pure; returns a new dict.
    """
    if snapshot.get("schema", 1) >= 2:
        return dict(snapshot)
    copy = dict(snapshot)
    copy["plan"] = _normalised_row(snapshot.get("plan", {}), Plan)
    for kind, (model, _names) in KINDS.items():
        copy[kind] = [_normalised_row(row, model) for row in snapshot.get(kind, [])]
    return copy


def _chain(snapshot: Mapping[str, Any]) -> SimpleNamespace:
    """A stand-in plan with the snapshot's languages, for :func:`content`'s chain."""
    return SimpleNamespace(languages=snapshot.get("plan", {}).get("languages") or [])


def _title(row: Mapping[str, Any], chain: Any) -> str:
    """An element's title in the reader's language by the plan's chain (plain text)."""
    return content(row, "title", chain).text


# --------------------------------------------------------------------------- snapshot


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros (120.0000 → "120", 0.5000 → "0.5")."""
    normalized = value.normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return format(normalized, "f")


def _raw(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _values(obj: models.Model, names: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {"pk": obj.pk}
    for name in names:
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            values[name] = sorted(item.pk for item in getattr(obj, name).all())
        elif model_field.is_relation:
            values[name] = getattr(obj, model_field.attname)  # type: ignore[union-attr]
        else:
            values[name] = _raw(getattr(obj, name))
    return values


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as a JSON-safe dict (see the module docstring for its shape).

    Only live items are kept (archived ones are gone from the plan). Queries: 12, whatever
    the number of results, actions, indicators and budget lines.
    """
    results = list(
        Result.objects.filter(plan=plan, is_archived=False).order_by("depth", "order", "id")
    )
    actions = list(
        Action.objects.filter(plan=plan, is_archived=False)
        .prefetch_related(Prefetch("partners", queryset=Organisation.objects.only("id")))
        .order_by("order", "id")
    )
    indicators = list(
        Indicator.objects.filter(plan=plan, is_archived=False)
        .prefetch_related(
            Prefetch(
                "breakdowns",
                queryset=Breakdown.objects.prefetch_related("dimensions").order_by("order", "id"),
            ),
            "period_targets",
            Prefetch("framework_indicators", queryset=FrameworkIndicator.objects.only("id")),
        )
        .order_by("order", "id")
    )
    lines = list(
        BudgetLine.objects.filter(
            action__plan=plan, action__is_archived=False, is_archived=False
        ).order_by("action_id", "order", "id")
    )
    dimensions = {d.pk: d for d in Dimension.objects.filter(plan=plan)}

    plan_values = _values(plan, stored_names(Plan, PLAN_FIELDS))
    plan_values.pop("pk")
    result_names = stored_names(Result, RESULT_FIELDS)
    action_names = stored_names(Action, ACTION_FIELDS)
    snapshot: dict[str, Any] = {
        "schema": SCHEMA,
        "plan": plan_values,
        "results": [{**_values(r, result_names), "depth": r.depth} for r in results],
        "actions": [_values(a, action_names) for a in actions],
        "indicators": [],
        "budget_lines": [
            _values(line, stored_names(BudgetLine, BUDGET_LINE_FIELDS)) for line in lines
        ],
    }
    framework_ids: set[int] = set()
    for indicator in indicators:
        names = [
            n
            for n in stored_names(Indicator, INDICATOR_FIELDS)
            if n not in {"period_targets", "breakdowns"}
        ]
        row = _values(indicator, names)
        row["period_targets"] = [
            [t.due.isoformat(), _plain(t.value)] for t in indicator.period_targets.all()
        ]
        row["breakdowns"] = [
            [d.pk for d in breakdown.sorted_dimensions()]
            for breakdown in indicator.breakdowns.all()
        ]
        framework_ids.update(row["framework_indicators"])
        snapshot["indicators"].append(row)

    organisation_ids = {plan.coordinating_body_id} | {a.lead_agency_id for a in actions}
    organisation_ids |= {pk for a in snapshot["actions"] for pk in a["partners"]}
    organisation_ids |= {i.responsible_organisation_id for i in indicators}
    organisation_ids |= {line.funder_id for line in lines}
    organisation_ids.discard(None)
    pillar_ids = {r.pillar_id for r in results if r.pillar_id is not None}
    snapshot["names"] = {
        "organisation": {
            str(pk): name
            for pk, name in Organisation.objects.filter(pk__in=organisation_ids).values_list(
                "pk", "name"
            )
        },
        "pillar": {
            str(pk): name
            for pk, name in Pillar.objects.filter(pk__in=pillar_ids).values_list("pk", "name")
        },
        "dimension": {str(pk): [d.name, d.kind] for pk, d in dimensions.items()},
        "framework_indicator": {
            str(f.pk): str(f) for f in FrameworkIndicator.objects.filter(pk__in=framework_ids)
        },
    }
    return snapshot


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class FieldValue:
    """One field of an element: its label and its value as text."""

    name: str
    label: str
    value: str


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label and the old and new values as text."""

    name: str
    label: str
    old: str
    new: str


@dataclass
class ElementChange:
    """An element added, removed or changed between two snapshots.

    ``state`` is ``"added"``, ``"removed"`` or ``"changed"``; ``changes`` lists every field
    (for added and removed elements: every non-empty field, with "—" on the missing side).
    """

    kind: str
    pk: int
    name: str
    state: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(
            {"added": _("added"), "removed": _("removed"), "changed": _("changed")}[self.state]
        )


@dataclass
class KindChanges:
    """The changes of one kind of element (results, actions, indicators, budget lines)."""

    kind: str
    label: str
    elements: list[ElementChange]

    def count(self, state: str) -> int:
        return sum(1 for element in self.elements if element.state == state)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def changed(self) -> int:
        return self.count("changed")


@dataclass
class Comparison:
    """Everything that differs between two snapshots, grouped by kind of element."""

    plan_changes: list[FieldChange]
    kinds: list[KindChanges]

    @property
    def is_empty(self) -> bool:
        return not self.plan_changes and not any(kind.elements for kind in self.kinds)

    @property
    def total(self) -> int:
        return len(self.plan_changes) + sum(len(kind.elements) for kind in self.kinds)


def _date_text(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _number_text(value: Any) -> str:
    try:
        return _plain(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _dimension_label(entry: Any) -> str:
    name, kind = (entry + [""])[:2] if isinstance(entry, list) else (str(entry), "")
    if kind == Dimension.Kind.SEX and name == "Sex":
        return str(_("Sex"))
    return str(name)


class _Reader:
    """Turns raw snapshot values into text, using the snapshot's own name tables."""

    def __init__(self, snapshot: Mapping[str, Any]) -> None:
        self.names: Mapping[str, Mapping[str, Any]] = snapshot.get("names", {})
        self.chain = _chain(snapshot)
        self.codes: dict[str, dict[int, str]] = {
            kind: {row["pk"]: row.get("code", "") for row in snapshot.get(kind, [])}
            for kind in ("results", "actions")
        }

    def _name(self, table: str, pk: Any) -> str:
        found = self.names.get(table, {}).get(str(pk))
        return str(found) if found is not None else _("#%(id)s (not in this version)") % {"id": pk}

    def text(self, model: type[models.Model], name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        special: dict[str, Callable[[Any], str]] = {
            "breakdowns": lambda v: "; ".join(
                " × ".join(
                    _dimension_label(self.names.get("dimension", {}).get(str(pk), pk))
                    for pk in dims
                )
                for dims in v
            ),
            "period_targets": lambda v: "; ".join(
                f"{_date_text(due)}: {_number_text(target)}" for due, target in v
            ),
            "stages": lambda v: " → ".join(str(stage) for stage in v),
            "tier_labels": lambda v: " → ".join(str(label) for label in v),
        }
        if name in special:
            return special[name](value)
        model_field = model._meta.get_field(name)
        related = model_field.related_model
        if related is not None:
            items = value if isinstance(value, list) else [value]
            if related is Organisation:
                return ", ".join(self._name("organisation", pk) for pk in items)
            if related is Pillar:
                return ", ".join(
                    str(_(self._name("pillar", pk))) for pk in items
                )  # pillar names are in the catalogues
            if related is FrameworkIndicator:
                return "; ".join(self._name("framework_indicator", pk) for pk in items)
            if related is Result:
                return ", ".join(self.codes["results"].get(pk, f"#{pk}") for pk in items)
            if related is Action:
                return ", ".join(self.codes["actions"].get(pk, f"#{pk}") for pk in items)
            return ", ".join(str(pk) for pk in items)
        if getattr(model_field, "choices", None):
            return str(dict(model_field.flatchoices).get(value, value))  # type: ignore[union-attr]
        if isinstance(model_field, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(model_field, models.DecimalField):
            return _number_text(value)
        if isinstance(model_field, models.DateField):
            return _date_text(value)
        return str(value)


def _label(model: type[models.Model], name: str) -> str:
    if name == "period_targets":
        return str(capfirst(IndicatorPeriodTarget._meta.verbose_name_plural))
    if name == "breakdowns":
        return str(capfirst(Breakdown._meta.verbose_name_plural))
    model_field = model._meta.get_field(name)
    if hasattr(model_field, "translated_field"):  # title_ru → "Title (Russian)"
        return translated_field_label(model_field)
    return str(capfirst(model_field.verbose_name))  # type: ignore[union-attr]


def element_name(kind: str, row: Mapping[str, Any], reader: _Reader | None = None) -> str:
    """How an element is named on screen: "1.1.1 Mentoring …", or a budget line's gist.

    The title is in the reader's language by the snapshot's plan chain (the reader's).
    """
    chain = reader.chain if reader else None
    if kind == "budget_lines":
        action_code = reader.codes["actions"].get(row.get("action"), "") if reader else ""
        amount = _number_text(row.get("amount", ""))
        text = f"{amount} {row.get('currency', '')}".strip()
        description = content(row, "description", chain).text
        if description:
            text = f"{description}: {text}"
        return _("%(action)s — budget line %(line)s") % {"action": action_code, "line": text}
    return f"{row.get('code', '')} {_title(row, chain)}".strip()


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> Comparison:
    """What changed from snapshot ``old`` to snapshot ``new`` (pure; no query).

    Elements are matched by ``pk``; an element only in ``new`` is added, only in ``old``
    removed, in both with a differing field changed. Field order follows the models;
    translated fields are compared per language ("Title (Russian)"), old snapshots
    through :func:`normalised`.
    """
    old, new = normalised(old), normalised(new)
    old_reader, new_reader = _Reader(old), _Reader(new)
    plan_changes = []
    for name in stored_names(Plan, PLAN_FIELDS):
        if name not in old.get("plan", {}):
            continue  # not recorded by the old snapshot's schema (``languages``): no change
        before, after = old.get("plan", {}).get(name), new.get("plan", {}).get(name)
        if before != after:
            plan_changes.append(
                FieldChange(
                    name,
                    _label(Plan, name),
                    old_reader.text(Plan, name, before),
                    new_reader.text(Plan, name, after),
                )
            )
    kinds = []
    for kind, (model, plain_names) in KINDS.items():
        names = stored_names(model, plain_names)
        before_rows = {row["pk"]: row for row in old.get(kind, [])}
        after_rows = {row["pk"]: row for row in new.get(kind, [])}
        elements: list[ElementChange] = []
        for pk, row in after_rows.items():
            previous = before_rows.get(pk)
            if previous is None:
                elements.append(
                    ElementChange(
                        kind,
                        pk,
                        element_name(kind, row, new_reader),
                        "added",
                        [
                            FieldChange(
                                n, _label(model, n), EMPTY, new_reader.text(model, n, row.get(n))
                            )
                            for n in names
                            if row.get(n) not in (None, "", [], False) and n != "order"
                        ],
                    )
                )
                continue
            changes = [
                FieldChange(
                    n,
                    _label(model, n),
                    old_reader.text(model, n, previous.get(n)),
                    new_reader.text(model, n, row.get(n)),
                )
                for n in names
                if previous.get(n) != row.get(n)
            ]
            changes = [
                c for c in changes if c.old != c.new or c.name in {"result", "action", "parent"}
            ]
            if changes:
                elements.append(
                    ElementChange(kind, pk, element_name(kind, row, new_reader), "changed", changes)
                )
        for pk, row in before_rows.items():
            if pk not in after_rows:
                elements.append(
                    ElementChange(
                        kind,
                        pk,
                        element_name(kind, row, old_reader),
                        "removed",
                        [
                            FieldChange(
                                n, _label(model, n), old_reader.text(model, n, row.get(n)), EMPTY
                            )
                            for n in names
                            if row.get(n) not in (None, "", [], False) and n != "order"
                        ],
                    )
                )
        kinds.append(KindChanges(kind, str(KIND_LABELS[kind]), elements))
    return Comparison(plan_changes, kinds)


# --------------------------------------------------------------------------- one version


@dataclass
class VersionAction:
    """An action of a version with its indicators and budget lines, as text."""

    pk: int
    code: str
    title: str
    fields: list[FieldValue]
    indicators: list[VersionElement]
    budget_lines: list[VersionElement]


@dataclass
class VersionElement:
    """A result, indicator or budget line of a version, as text."""

    pk: int
    code: str
    title: str
    fields: list[FieldValue]


@dataclass
class VersionResult:
    """A result of a version with its indicators, sub-results and actions (matrix order)."""

    pk: int
    code: str
    title: str
    tier_label: str
    depth: int
    fields: list[FieldValue]
    indicators: list[VersionElement]
    children: list[VersionResult] = field(default_factory=list)
    actions: list[VersionAction] = field(default_factory=list)


@dataclass
class ReadableSnapshot:
    """A version's snapshot grouped like the implementation matrix, every value as text."""

    plan_fields: list[FieldValue]
    roots: list[VersionResult]
    action_label: str
    counts: dict[str, int]

    def elements(self) -> list[tuple[str, int, str]]:
        """``(kind, pk, "code title")`` of every result, action and indicator, matrix order."""
        found: list[tuple[str, int, str]] = []

        def walk(rows: list[VersionResult]) -> None:
            for row in rows:
                found.append(("result", row.pk, f"{row.code} {row.title}"))
                found.extend(("indicator", i.pk, f"{i.code} {i.title}") for i in row.indicators)
                walk(row.children)
                for action in row.actions:
                    found.append(("action", action.pk, f"{action.code} {action.title}"))
                    found.extend(
                        ("indicator", i.pk, f"{i.code} {i.title}") for i in action.indicators
                    )

        walk(self.roots)
        return found


_SHOWN_SKIP = {
    "code",
    "title",
    *(f"title_{code}" for code in platform_languages()),
    "order",
    "parent",
    "result",
    "action",
    "is_published",
}


def _fields(
    model: type[models.Model], names: Sequence[str], row: Mapping[str, Any], reader: _Reader
) -> list[FieldValue]:
    return [
        FieldValue(n, _label(model, n), reader.text(model, n, row.get(n)))
        for n in stored_names(model, names)
        if n not in _SHOWN_SKIP and row.get(n) not in (None, "", [], False)
    ]


def readable_snapshot(snapshot: Mapping[str, Any]) -> ReadableSnapshot:
    """``snapshot`` as text grouped like the matrix (pure; no query).

    Titles are in the reader's language by the plan's chain; every language's text of the
    other translated fields is listed ("Description (Russian)").
    """
    snapshot = normalised(snapshot)
    reader = _Reader(snapshot)
    chain = reader.chain
    tiers = snapshot.get("plan", {}).get("tier_labels") or []
    results: dict[int, VersionResult] = {}
    roots: list[VersionResult] = []
    indicators_by_owner: dict[tuple[str, int], list[VersionElement]] = {}
    for row in snapshot.get("indicators", []):
        owner = ("action", row["action"]) if row.get("action") else ("result", row.get("result"))
        indicators_by_owner.setdefault(owner, []).append(
            VersionElement(
                row["pk"],
                row.get("code", ""),
                _title(row, chain),
                _fields(Indicator, INDICATOR_FIELDS, row, reader),
            )
        )
    lines_by_action: dict[int, list[VersionElement]] = {}
    for row in snapshot.get("budget_lines", []):
        lines_by_action.setdefault(row["action"], []).append(
            VersionElement(
                row["pk"],
                "",
                element_name("budget_lines", row, reader),
                _fields(BudgetLine, BUDGET_LINE_FIELDS, row, reader),
            )
        )
    for row in sorted(
        snapshot.get("results", []), key=lambda r: (r.get("depth", 0), r.get("order", 0), r["pk"])
    ):
        depth = row.get("depth", 0)
        item = VersionResult(
            row["pk"],
            row.get("code", ""),
            _title(row, chain),
            str(tiers[depth]) if depth < len(tiers) else "",
            depth,
            _fields(Result, RESULT_FIELDS, row, reader),
            indicators_by_owner.get(("result", row["pk"]), []),
        )
        results[row["pk"]] = item
        parent = results.get(row.get("parent")) if row.get("parent") else None
        (parent.children if parent else roots).append(item)
    for row in sorted(snapshot.get("actions", []), key=lambda r: (r.get("order", 0), r["pk"])):
        owner = results.get(row.get("result"))
        if owner is None:
            continue
        owner.actions.append(
            VersionAction(
                row["pk"],
                row.get("code", ""),
                _title(row, chain),
                _fields(Action, ACTION_FIELDS, row, reader),
                indicators_by_owner.get(("action", row["pk"]), []),
                lines_by_action.get(row["pk"], []),
            )
        )
    plan = snapshot.get("plan", {})
    return ReadableSnapshot(
        plan_fields=[
            FieldValue(n, _label(Plan, n), reader.text(Plan, n, plan.get(n)))
            for n in stored_names(Plan, PLAN_FIELDS)
            if plan.get(n) not in (None, "", [])
        ],
        roots=roots,
        action_label=str(tiers[-1]) if tiers else str(_("Action")),
        counts={kind: len(snapshot.get(kind, [])) for kind in KINDS},
    )


def anchor_of(snapshot: Mapping[str, Any], kind: str, pk: int) -> dict[str, Any] | None:
    """The snapshot row of the result, action or indicator ``pk`` (``kind`` singular),
    with per-language keys (:func:`normalised`) and ``title`` in the reader's language."""
    snapshot = normalised(snapshot)
    for row in snapshot.get(f"{kind}s", []):
        if row["pk"] == pk:
            return {**row, "title": _title(row, _chain(snapshot))}
    return None
