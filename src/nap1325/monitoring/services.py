"""Every write of monitoring: reporting periods, agency reports and their review (DESIGN.md §6).

Keyword-only functions named ``<entity>_<verb>``, one transaction each, permission check,
audit event. The workflow of an agency report::

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen(reason)──▶ reopened
      ▲                  │                                                   │
      └─ returned ◀──return(reason)                         submit ◀─────────┘

Rules (DESIGN.md §6, cases W1):

* values are edited only in draft, returned and reopened reports, by any path (pages, API
  and imports all call :func:`agency_report_save`);
* approval copies the working values to the official copy; a reopened report keeps its
  last approved values official until the next approval;
* every write names the report ``version`` it was based on; an older version is a
  :class:`ReportConflict` (never a silent overwrite). Repeating the transition that was just
  made from the same version (a double-clicked "Submit") is a no-op, not a second report
  or an error;
* a closed period refuses saves and submissions with "period closed", a different message
  from "already approved".

Errors: ``ValidationError`` keyed by field (see :func:`field_name` for value fields),
:class:`ReportConflict`, ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nap1325.core import audit, uploads
from nap1325.core.content import (
    LocalisedText,
    active_language,
    content,
    platform_languages,
    translated,
)
from nap1325.core.models import Organisation, User
from nap1325.core.permissions import REPORT_EDIT, REPORT_REVIEW, plan_access
from nap1325.core.quantities import MONEY_PLACES, storable_problem
from nap1325.measurement import display
from nap1325.monitoring.models import (
    ActionUpdate,
    AgencyReport,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
    ValueCell,
)
from nap1325.plans.models import Action, Breakdown, Indicator, Plan

State = AgencyReport.State
PERIOD_FIELDS = ["label", "start", "end", "due", "state"]
#: Cells of a breakdown are keyed by category keys joined with this separator.
KEY_SEPARATOR = "|"


class ReportConflict(Exception):
    """The report changed since the user loaded it (their ``version`` is older)."""

    def __init__(self, report: AgencyReport) -> None:
        super().__init__(
            _(
                "Someone else changed this report since you opened it (now version %(version)d). "
                "Reload the page and enter your changes again."
            )
            % {"version": report.version}
        )
        self.report = report


# --------------------------------------------------------------------------- inputs


@dataclass
class ValueInput:
    """One indicator's entry in a report, as typed (already parsed to Decimal/bool/int).

    ``cells`` maps a :class:`~nap1325.plans.models.Breakdown` id to ``{key: amount}``
    where ``key`` joins category keys with ``|`` in the breakdown's dimension order
    (:meth:`Breakdown.sorted_dimensions`). An entry with nothing in it is "not reported".
    """

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    yes_no: bool | None = None
    stage: int | None = None
    no_data: bool = False
    no_data_reason: str = ""
    comment: str = ""
    cells: dict[int, dict[str, Decimal]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return (
            self.value is None
            and self.numerator is None
            and self.denominator is None
            and self.yes_no is None
            and self.stage is None
            and not self.no_data
            and not self.comment.strip()
            and not any(self.cells.values())
        )


def narrative_texts(
    narrative: str | None, narratives: Mapping[str, str | None] | None
) -> dict[str, str]:
    """The narrative per language a writer gives, stripped: ``narratives`` (``{"ru": "…"}``)
    and, for the active language, ``narrative`` (a one-language writer: the demo, the
    workbook, an API client sending ``narrative``) unless ``narratives`` names it. Languages
    left out are kept as stored; ``""`` clears one."""
    texts = {code: (text or "").strip() for code, text in (narratives or {}).items()}
    if narrative is not None:
        texts.setdefault(active_language(), narrative.strip())
    return texts


@dataclass
class UpdateInput:
    """One action's update in a report: status, progress 0–100, narrative, expenditure.

    The narrative is translatable: ``narratives`` holds it per language (``{"ky": "…",
    "ru": "…"}``); ``narrative`` is the active language's text for writers of one language.
    A language neither names is kept as stored (see :func:`narrative_texts`).
    :func:`read_entries` gives every platform language in ``narratives`` (``""`` where
    empty) and ``narrative=None``; read it with :meth:`narrative_in`.
    """

    status: str = ""
    progress: Decimal | None = None
    narrative: str | None = None
    expenditure: Decimal | None = None
    narratives: dict[str, str] = field(default_factory=dict)

    def texts(self) -> dict[str, str]:
        """The narrative per language this input gives (stripped)."""
        return narrative_texts(self.narrative, self.narratives)

    def is_empty(self) -> bool:
        return (
            not self.status
            and self.progress is None
            and not any(self.texts().values())
            and self.expenditure is None
        )

    def with_kept_texts(self, stored: UpdateInput | None) -> UpdateInput:
        """This input with every platform language: its own texts, else ``stored``'s."""
        own = self.texts()
        kept = stored.texts() if stored is not None else {}
        return UpdateInput(
            status=self.status,
            progress=self.progress,
            expenditure=self.expenditure,
            narratives={
                code: own[code] if code in own else kept.get(code, "")
                for code in platform_languages()
            },
        )

    def narrative_in(self, plan: Any = None, language: str | None = None) -> LocalisedText:
        """The narrative in ``language`` (default: the active one) by ``plan``'s chain."""
        columns = {f"narrative_{code}": text for code, text in self.texts().items()}
        return content(columns, "narrative", plan, language=language)


def field_name(kind: str, pk: int, name: str) -> str:
    """The form and error key of one part of a report: ``"i12-value"``, ``"a7-progress"``.

    ``kind`` is ``"i"`` (indicator) or ``"a"`` (action). Cells use
    ``field_name("i", 12, f"cell-{breakdown_id}-{key}")``. Pages, the API and imports use
    these keys so that an error lands on the field the user typed in.
    """
    return f"{kind}{pk}-{name}"


# --------------------------------------------------------------------------- periods


def _require(actor: User | None, plan: Plan, permission: str, obj: Any = None) -> None:
    if actor is None:
        return
    if not plan_access(actor, plan).can(permission, obj):
        raise PermissionDenied


def _check_overlap(period: ReportingPeriod) -> None:
    clash = (
        ReportingPeriod.objects.filter(
            plan_id=period.plan_id, start__lte=period.end, end__gte=period.start
        )
        .exclude(pk=period.pk)
        .order_by("start")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start": _("This period overlaps the period %(label)s (%(start)s – %(end)s).")
                % {
                    "label": clash.label,
                    "start": clash.start.isoformat(),
                    "end": clash.end.isoformat(),
                }
            }
        )


@transaction.atomic
def reporting_period_create(
    *,
    actor: User | None,
    plan: Plan,
    label: str,
    start: dt.date,
    end: dt.date,
    due: dt.date,
    state: str = ReportingPeriod.State.OPEN,
) -> ReportingPeriod:
    """Create a reporting period; refuse one that overlaps another of the plan (naming it)."""
    _require(actor, plan, REPORT_REVIEW)
    period = ReportingPeriod(
        plan=plan, label=label.strip(), start=start, end=end, due=due, state=state
    )
    period.full_clean()
    _check_overlap(period)
    period.save()
    audit.record(
        actor=actor,
        event_type="reporting_period.created",
        obj=period,
        plan=plan,
        changes=audit.diff({}, audit.snapshot(period, PERIOD_FIELDS)),
    )
    return period


@transaction.atomic
def reporting_period_update(
    *, actor: User | None, period: ReportingPeriod, **fields: Any
) -> ReportingPeriod:
    """Change label, dates or due date (``state`` through open/close)."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require(actor, period.plan, REPORT_REVIEW)
    before = audit.snapshot(period, PERIOD_FIELDS)
    unknown = set(fields) - {"label", "start", "end", "due"}
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in fields.items():
        setattr(period, name, value.strip() if isinstance(value, str) else value)
    period.full_clean()
    _check_overlap(period)
    period.save()
    changes = audit.diff(before, audit.snapshot(period, PERIOD_FIELDS))
    if {"start", "end"} & set(changes):
        # the order of the periods decides "latest" and "year to date" values, and which
        # update of an action is its latest
        from nap1325.monitoring.dashboards import (
            action_progress_refresh,
            indicator_assessments_refresh,
        )

        indicator_assessments_refresh(
            IndicatorValue.objects.filter(report__period=period, is_official=True)
            .values_list("indicator_id", flat=True)
            .distinct()
        )
        action_progress_refresh(
            ActionUpdate.objects.filter(report__period=period, is_official=True)
            .values_list("action_id", flat=True)
            .distinct()
        )
    audit.record(
        actor=actor,
        event_type="reporting_period.updated",
        obj=period,
        plan=period.plan,
        changes=changes,
    )
    return period


@transaction.atomic
def reporting_period_set_state(
    *, actor: User | None, period: ReportingPeriod, state: str, reason: str = ""
) -> ReportingPeriod:
    """Open or close a period. Closing refuses further saves and submissions."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require(actor, period.plan, REPORT_REVIEW)
    if state not in ReportingPeriod.State.values:
        raise ValidationError({"state": _("Choose open or closed.")})
    if period.state == state:
        return period
    old = period.state
    period.state = state
    period.save(update_fields=["state"])
    audit.record(
        actor=actor,
        event_type=f"reporting_period.{'opened' if state == 'open' else 'closed'}",
        obj=period,
        plan=period.plan,
        changes={"state": [old, state]},
        reason=reason.strip(),
    )
    return period


# --------------------------------------------------------------------------- reports


def report_scope(plan: Plan, organisation: Organisation) -> tuple[list[Indicator], list[Action]]:
    """What ``organisation`` reports on: its indicators and the actions it leads.

    Indicators: live indicators whose responsible organisation is ``organisation``, or,
    when none is set, whose action it leads. Actions: live actions it leads. Two queries.
    """
    from nap1325.monitoring.selectors import scope_actions, scope_indicators

    return list(scope_indicators(plan, organisation)), list(scope_actions(plan, organisation))


@transaction.atomic
def agency_report_open(
    *, actor: User | None, period: ReportingPeriod, organisation: Organisation
) -> AgencyReport:
    """The report of ``organisation`` for ``period``, created as a draft on first use.

    Two simultaneous first requests still make one report (unique period × organisation).
    """
    _require(actor, period.plan, REPORT_EDIT, organisation)
    existing = AgencyReport.objects.filter(period=period, organisation=organisation).first()
    if existing is not None:
        return existing
    if not period.is_open:
        raise ValidationError({"period": _("This reporting period is closed.")})
    try:
        with transaction.atomic():
            report = AgencyReport.objects.create(
                plan=period.plan, period=period, organisation=organisation
            )
    except IntegrityError:
        return AgencyReport.objects.get(period=period, organisation=organisation)
    audit.record(actor=actor, event_type="agency_report.created", obj=report, plan=period.plan)
    return report


def _locked(report: AgencyReport) -> AgencyReport:
    return (
        AgencyReport.objects.select_for_update()
        .select_related("period", "plan", "organisation")
        .get(pk=report.pk)
    )


def _check_version(report: AgencyReport, version: int) -> None:
    if report.version != version:
        raise ReportConflict(report)


def _require_editable(report: AgencyReport) -> None:
    """Refuse a write to values that are not a draft (W1 steps 2 and 6; DESIGN.md §6)."""
    if not report.period.is_open:
        raise ValidationError(
            {"period": _("Period closed: this reporting period takes no more reports.")}
        )
    if report.state == State.SUBMITTED:
        raise ValidationError(
            {"state": _("This report is submitted and waiting for review; it cannot be changed.")}
        )
    if report.state == State.APPROVED:
        raise ValidationError(
            {"state": _("This report is already approved; ask the coordinator to reopen it.")}
        )


def _repeat_of_last(report: AgencyReport, to_state: str, version: int) -> bool:
    """True if the same transition was just made from the same version (a double click)."""
    if report.state != to_state:
        return False
    last = report.transitions.order_by("-occurred_at", "-id").first()
    return last is not None and last.to_state == to_state and last.version == version


@transaction.atomic
def agency_report_save(
    *,
    actor: User | None,
    report: AgencyReport,
    version: int,
    narrative: str | None = None,
    values: Mapping[int, ValueInput] | None = None,
    updates: Mapping[int, UpdateInput] | None = None,
    narratives: Mapping[str, str | None] | None = None,
) -> AgencyReport:
    """Save the working copy: ``values`` by indicator id, ``updates`` by action id.

    Indicators and actions not given are left as they are; an empty input removes the
    entry ("not reported"). All entries are validated before anything is written; errors
    are keyed by :func:`field_name`. Returns the report with its new version.

    The report's narrative is given per language (``narratives={"ru": "…"}``) or, by a
    writer of one language, as ``narrative`` (the active language's text); languages not
    given are kept, ``""`` clears one (:func:`narrative_texts`). The same holds for each
    action update's narrative. The audit trail records each language (``narrative_ru``).
    """
    report = _locked(report)
    _require(actor, report.plan, REPORT_EDIT, report)
    _check_version(report, version)
    _require_editable(report)
    indicators, actions = report_scope(report.plan, report.organisation)
    stored = read_entries(report, official=False)
    before = _entries_text(report, official=False, entries=stored)
    _write_working_copy(
        report,
        {i.pk: i for i in indicators},
        {a.pk: a for a in actions},
        values or {},
        updates or {},
        stored_updates=stored[1],
    )
    changes = audit.diff(before, _entries_text(report, official=False))
    for code, text in narrative_texts(narrative, narratives).items():
        column = f"narrative_{code}"
        old = getattr(report, column)
        if (text or None) != old:
            changes[column] = [old, text or None]
            setattr(report, column, text or None)
    report.version += 1
    report.save(update_fields=[*translated("narrative"), "version", "updated_at"])
    audit.record(
        actor=actor, event_type="agency_report.saved", obj=report, plan=report.plan, changes=changes
    )
    return report


def _write_working_copy(
    report: AgencyReport,
    indicators: Mapping[int, Indicator],
    actions: Mapping[int, Action],
    values: Mapping[int, ValueInput],
    updates: Mapping[int, UpdateInput],
    *,
    stored_updates: Mapping[int, UpdateInput] | None = None,
) -> None:
    """Validate and store the given entries; an update's narrative languages not given are
    kept from ``stored_updates`` (the working copy's, read here when not passed)."""
    errors: dict[str, list[str]] = {}
    clean_values: dict[int, ValueInput | None] = {}
    for indicator_id, entry in values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            errors.setdefault("values", []).append(
                _("Indicator %(id)s is not one this organisation reports on.")
                % {"id": indicator_id}
            )
            continue
        clean_values[indicator_id] = None if entry.is_empty() else entry
        if not entry.is_empty():
            _validate_value(indicator, entry, errors)
    clean_updates: dict[int, UpdateInput | None] = {}
    stored = (
        stored_updates
        if stored_updates is not None
        else _stored_updates(report, [pk for pk in updates if pk in actions])
    )
    for action_id, update in updates.items():
        if action_id not in actions:
            errors.setdefault("updates", []).append(
                _("Action %(id)s is not one this organisation leads.") % {"id": action_id}
            )
            continue
        clean_updates[action_id] = (
            None if update.is_empty() else update.with_kept_texts(stored.get(action_id))
        )
        if not update.is_empty():
            _validate_update(action_id, update, errors)
    if errors:
        raise ValidationError(errors)
    _store_values(report, clean_values, official=False)
    _store_updates(report, clean_updates, official=False)


def _error(errors: dict[str, list[str]], kind: str, pk: int, name: str, message: str) -> None:
    errors.setdefault(field_name(kind, pk, name), []).append(message)


def _validate_value(indicator: Indicator, entry: ValueInput, errors: dict[str, list[str]]) -> None:
    """Field errors for one indicator entry (DESIGN.md §5: bad input is a field error)."""
    pk = indicator.pk
    unstorable = False
    for name in ("value", "numerator", "denominator"):
        number = getattr(entry, name)
        if number is not None and (problem := storable_problem(number)):
            _error(errors, "i", pk, name, problem)
            unstorable = True
    if unstorable:
        return
    if entry.no_data:
        if not entry.no_data_reason.strip():
            _error(errors, "i", pk, "no_data_reason", _("Give the reason why there is no data."))
        return
    measure = indicator.measure
    if measure == Indicator.Measure.NUMBER:
        if entry.value is None and not entry.cells:
            _error(
                errors,
                "i",
                pk,
                "value",
                _("Enter a number, or tick “no data” and give the reason."),
            )
        elif entry.value is not None and entry.value < 0:
            _error(errors, "i", pk, "value", _("Enter 0 or more."))
    elif measure == Indicator.Measure.PERCENTAGE:
        _validate_ratio(pk, entry, errors)
    elif measure == Indicator.Measure.YES_NO:
        if entry.yes_no is None:
            _error(errors, "i", pk, "yes_no", _("Choose yes or no."))
    elif measure == Indicator.Measure.STAGE:
        stages = [s for s in indicator.stages if str(s).strip()]
        if entry.stage is None or not 0 <= entry.stage < len(stages):
            _error(errors, "i", pk, "stage", _("Choose one of the stages."))
    if entry.cells:
        if measure != Indicator.Measure.NUMBER:
            _error(errors, "i", pk, "value", _("Only number indicators take breakdown cells."))
        else:
            _validate_cells(indicator, entry, errors)


def _validate_ratio(pk: int, entry: ValueInput, errors: dict[str, list[str]]) -> None:
    numerator, denominator = entry.numerator, entry.denominator
    if numerator is None:
        _error(errors, "i", pk, "numerator", _("Enter the numerator."))
    elif numerator < 0:
        _error(errors, "i", pk, "numerator", _("Enter 0 or more."))
    if denominator is None:
        _error(errors, "i", pk, "denominator", _("Enter the denominator."))
    elif denominator <= 0:
        _error(errors, "i", pk, "denominator", _("The denominator must be more than 0."))
    if numerator is not None and denominator is not None and 0 < denominator < numerator:
        _error(
            errors,
            "i",
            pk,
            "numerator",
            _("The numerator (%(numerator)s) is larger than the denominator (%(denominator)s).")
            % {"numerator": _plain(numerator), "denominator": _plain(denominator)},
        )


def _validate_cells(indicator: Indicator, entry: ValueInput, errors: dict[str, list[str]]) -> None:
    breakdowns = {b.pk: b for b in indicator.breakdowns.all()}
    for breakdown_id, cells in entry.cells.items():
        breakdown = breakdowns.get(breakdown_id)
        if breakdown is None:
            _error(errors, "i", indicator.pk, "value", _("This indicator has no such breakdown."))
            continue
        valid = set(breakdown_keys(breakdown))
        for key, amount in cells.items():
            name = f"cell-{breakdown_id}-{key}"
            if key not in valid:
                _error(errors, "i", indicator.pk, name, _("Unknown category."))
            elif amount < 0:
                _error(errors, "i", indicator.pk, name, _("Enter 0 or more."))
            elif problem := storable_problem(amount):
                _error(errors, "i", indicator.pk, name, problem)


def breakdown_keys(breakdown: Breakdown) -> list[str]:
    """Every cell key of ``breakdown`` (``"generals|women"``, …) in display order.

    Uses prefetched ``dimensions__categories`` when present.
    """
    keys: list[str] = [""]
    for dimension in breakdown.sorted_dimensions():
        categories = [c.key for c in dimension.categories.all()]
        keys = [f"{k}{KEY_SEPARATOR}{c}" if k else c for k in keys for c in categories]
    return keys


def _stored_updates(report: AgencyReport, action_ids: list[int]) -> dict[int, UpdateInput]:
    """The working copy's updates of ``action_ids`` (to keep the languages not given)."""
    if not action_ids:
        return {}
    rows = ActionUpdate.objects.filter(report=report, is_official=False, action_id__in=action_ids)
    return {row.action_id: _update_of(row) for row in rows}


def _update_of(row: ActionUpdate) -> UpdateInput:
    return UpdateInput(
        status=row.status,
        progress=row.progress,
        expenditure=row.expenditure,
        narratives={code: getattr(row, f"narrative_{code}") or "" for code in platform_languages()},
    )


def _validate_update(action_id: int, update: UpdateInput, errors: dict[str, list[str]]) -> None:
    unknown = set(update.texts()) - set(platform_languages())
    if unknown:
        _error(
            errors,
            "a",
            action_id,
            "narrative",
            _("Unknown language: %(codes)s") % {"codes": ", ".join(sorted(unknown))},
        )
    if update.status not in Action.Status.values:
        _error(errors, "a", action_id, "status", _("Choose a status."))
    if update.progress is not None and not Decimal(0) <= update.progress <= Decimal(100):
        _error(errors, "a", action_id, "progress", _("Progress lies between 0 and 100 %."))
    if update.expenditure is not None and update.expenditure < 0:
        _error(errors, "a", action_id, "expenditure", _("Enter 0 or more."))
    elif update.expenditure is not None and (
        problem := storable_problem(update.expenditure, MONEY_PLACES)
    ):
        _error(errors, "a", action_id, "expenditure", problem)
    if update.progress is not None and (problem := storable_problem(update.progress, 2)):
        _error(errors, "a", action_id, "progress", problem)


def _store_values(
    report: AgencyReport, entries: Mapping[int, ValueInput | None], *, official: bool
) -> None:
    """Replace the rows of the given indicators in one copy of the report."""
    if not entries:
        return
    IndicatorValue.objects.filter(
        report=report, is_official=official, indicator_id__in=list(entries)
    ).delete()
    rows = []
    for indicator_id, entry in entries.items():
        if entry is None:
            continue
        rows.append(
            IndicatorValue(
                report=report,
                indicator_id=indicator_id,
                is_official=official,
                value=None if entry.no_data else entry.value,
                numerator=None if entry.no_data else entry.numerator,
                denominator=None if entry.no_data else entry.denominator,
                yes_no=None if entry.no_data else entry.yes_no,
                stage=None if entry.no_data else entry.stage,
                no_data=entry.no_data,
                no_data_reason=entry.no_data_reason.strip() if entry.no_data else "",
                comment=entry.comment.strip(),
            )
        )
    created = IndicatorValue.objects.bulk_create(rows)
    by_indicator = {row.indicator_id: row for row in created}
    cells = [
        ValueCell(value=by_indicator[indicator_id], breakdown_id=b_id, key=key, amount=amount)
        for indicator_id, entry in entries.items()
        if entry is not None and not entry.no_data
        for b_id, table in entry.cells.items()
        for key, amount in table.items()
    ]
    ValueCell.objects.bulk_create(cells)


def _store_updates(
    report: AgencyReport, entries: Mapping[int, UpdateInput | None], *, official: bool
) -> None:
    if not entries:
        return
    ActionUpdate.objects.filter(
        report=report, is_official=official, action_id__in=list(entries)
    ).delete()
    ActionUpdate.objects.bulk_create(
        ActionUpdate(
            report=report,
            action_id=action_id,
            is_official=official,
            status=entry.status,
            progress=entry.progress,
            expenditure=entry.expenditure,
            **{
                f"narrative_{code}": text or None
                for code, text in entry.texts().items()
                if code in platform_languages()
            },
        )
        for action_id, entry in entries.items()
        if entry is not None
    )


def read_entries(
    report: AgencyReport, *, official: bool
) -> tuple[dict[int, ValueInput], dict[int, UpdateInput]]:
    """One copy of a report as inputs (indicator id → entry, action id → update). 3 queries."""
    values: dict[int, ValueInput] = {}
    for row in IndicatorValue.objects.filter(report=report, is_official=official).prefetch_related(
        "cells"
    ):
        cells: dict[int, dict[str, Decimal]] = {}
        for cell in row.cells.all():
            cells.setdefault(cell.breakdown_id, {})[cell.key] = cell.amount
        values[row.indicator_id] = ValueInput(
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            yes_no=row.yes_no,
            stage=row.stage,
            no_data=row.no_data,
            no_data_reason=row.no_data_reason,
            comment=row.comment,
            cells=cells,
        )
    updates = {
        row.action_id: _update_of(row)
        for row in ActionUpdate.objects.filter(report=report, is_official=official)
    }
    return values, updates


def _entries_text(
    report: AgencyReport,
    *,
    official: bool,
    entries: tuple[dict[int, ValueInput], dict[int, UpdateInput]] | None = None,
) -> dict[str, str]:
    """A readable snapshot of one copy for the audit trail: ``{"I1": "35", "A2": "…"}``
    (``entries``: the copy already read with :func:`read_entries`)."""
    values, updates = entries if entries is not None else read_entries(report, official=official)
    codes = dict(Indicator.objects.filter(pk__in=list(values)).values_list("pk", "code"))
    action_codes = dict(Action.objects.filter(pk__in=list(updates)).values_list("pk", "code"))
    breakdown_ids = {b_id for entry in values.values() for b_id in entry.cells}
    labels = {
        breakdown.pk: " × ".join(d.key for d in breakdown.sorted_dimensions())
        for breakdown in Breakdown.objects.filter(pk__in=breakdown_ids).prefetch_related(
            "dimensions"
        )
    }
    text = {f"indicator {codes[pk]}": _value_text(entry, labels) for pk, entry in values.items()}
    text.update(
        {f"action {action_codes[pk]}": _update_text(entry) for pk, entry in updates.items()}
    )
    return text


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _value_text(entry: ValueInput, labels: Mapping[int, str] | None = None) -> str:
    """One entry as text for the audit trail and comparisons: ``"120; sex: women 70, men 45"``.

    ``labels`` names breakdowns by their dimension keys (``"rank × sex"``); without it the
    breakdown id is used.
    """
    if entry.no_data:
        return f"no data ({entry.no_data_reason})"
    parts = []
    if entry.value is not None:
        parts.append(_plain(entry.value))
    if entry.numerator is not None or entry.denominator is not None:
        parts.append(
            f"{_plain(entry.numerator or Decimal(0))}/{_plain(entry.denominator or Decimal(0))}"
        )
    if entry.yes_no is not None:
        parts.append("yes" if entry.yes_no else "no")
    if entry.stage is not None:
        parts.append(f"stage {entry.stage + 1}")
    for breakdown_id, cells in sorted(entry.cells.items()):
        parts.append(
            f"{(labels or {}).get(breakdown_id, f'[{breakdown_id}]')}: "
            + ", ".join(
                f"{key.replace(KEY_SEPARATOR, ' × ')} {_plain(amount)}"
                for key, amount in sorted(cells.items())
            )
        )
    if entry.comment:
        parts.append(f"“{entry.comment}”")
    return "; ".join(parts)


def _update_text(entry: UpdateInput) -> str:
    with translation.override("en"):
        status = str(Action.Status(entry.status).label) if entry.status else ""
    parts = [status]
    if entry.progress is not None:
        parts.append(f"{display(entry.progress, 0)} %")
    if entry.expenditure is not None:
        parts.append(f"spent {_plain(entry.expenditure)}")
    texts = {code: text for code, text in entry.texts().items() if text}
    for code in platform_languages():
        if texts.get(code):
            parts.append(f"“{texts[code]}”" if len(texts) == 1 else f"{code}: “{texts[code]}”")
    return "; ".join(parts)


def _transition(
    report: AgencyReport,
    *,
    actor: User | None,
    to_state: str,
    version: int,
    reason: str = "",
    event_type: str,
    changes: dict[str, Any] | None = None,
) -> None:
    from_state = report.state
    ReportTransition.objects.create(
        report=report,
        from_state=from_state,
        to_state=to_state,
        version=version,
        actor=actor if actor is not None and actor.pk else None,
        reason=reason,
    )
    report.state = to_state
    report.version += 1
    audit.record(
        actor=actor,
        event_type=event_type,
        obj=report,
        plan=report.plan,
        changes={"state": [from_state, to_state], **(changes or {})},
        reason=reason,
    )


@transaction.atomic
def agency_report_submit(*, actor: User | None, report: AgencyReport, version: int) -> AgencyReport:
    """Submit for review (from draft, returned or reopened). A repeat is a no-op."""
    report = _locked(report)
    _require(actor, report.plan, REPORT_EDIT, report)
    if _repeat_of_last(report, State.SUBMITTED, version):
        return report
    if not report.period.is_open:
        raise ValidationError(
            {"period": _("Period closed: this reporting period takes no more reports.")}
        )
    _check_version(report, version)
    _require_editable(report)
    _transition(
        report,
        actor=actor,
        to_state=State.SUBMITTED,
        version=version,
        event_type="agency_report.submitted",
        changes={"values": _entries_text(report, official=False)},
    )
    report.submitted_at = timezone.now()
    report.submitted_by = actor if actor is not None and actor.pk else None
    report.save()
    return report


@transaction.atomic
def agency_report_return(
    *, actor: User | None, report: AgencyReport, version: int, reason: str
) -> AgencyReport:
    """Send a submitted report back to the agency; ``reason`` is required and kept."""
    report = _locked(report)
    _require(actor, report.plan, REPORT_REVIEW)
    if _repeat_of_last(report, State.RETURNED, version):
        return report
    _check_version(report, version)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    if report.state != State.SUBMITTED:
        raise ValidationError({"state": _("Only a submitted report can be returned.")})
    _transition(
        report,
        actor=actor,
        to_state=State.RETURNED,
        version=version,
        reason=reason.strip(),
        event_type="agency_report.returned",
    )
    report.save()
    return report


@transaction.atomic
def agency_report_approve(
    *, actor: User | None, report: AgencyReport, version: int
) -> AgencyReport:
    """Approve a submitted report: its working values become the official ones.

    The audit event records the approved values, who and when (cases W1 step 5).
    """
    report = _locked(report)
    _require(actor, report.plan, REPORT_REVIEW)
    if _repeat_of_last(report, State.APPROVED, version):
        return report
    _check_version(report, version)
    if report.state != State.SUBMITTED:
        if report.state == State.APPROVED:
            raise ValidationError({"state": _("This report is already approved.")})
        raise ValidationError({"state": _("Only a submitted report can be approved.")})
    _require_second_person(actor, report)
    _publish_official(report)
    _transition(
        report,
        actor=actor,
        to_state=State.APPROVED,
        version=version,
        event_type="agency_report.approved",
        changes={"values": _entries_text(report, official=True)},
    )
    report.approved_at = timezone.now()
    report.approved_by = actor if actor is not None and actor.pk else None
    report.approved_version = version
    report.save()
    return report


def _require_second_person(actor: User | None, report: AgencyReport) -> None:
    """Four eyes: whoever submitted the report or last entered its values does not approve it.

    A coordinator may type an agency's figures in (docs/decisions.md), but then another
    coordinator approves them. Imports are the recorded exception
    (:func:`agency_report_record_approved`, with the file as the reason).
    """
    if actor is None:
        return
    from django.contrib.contenttypes.models import ContentType

    from nap1325.core.models import AuditEvent

    last_editor = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(AgencyReport),
            object_id=str(report.pk),
            event_type="agency_report.saved",
        )
        .order_by("-occurred_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if actor.pk in {report.submitted_by_id, last_editor}:
        raise ValidationError(
            {
                "state": _(
                    "You entered or submitted these values yourself: another coordinator "
                    "approves them."
                )
            }
        )


def _publish_official(report: AgencyReport) -> None:
    """Replace the official copy with the working copy (values, cells and action updates),
    and store the assessments of the indicators whose official values changed and the
    progress of the actions whose official updates changed."""
    from nap1325.monitoring.dashboards import (
        action_progress_refresh,
        indicator_assessments_refresh,
    )

    values, updates = read_entries(report, official=False)
    replaced = set(
        IndicatorValue.objects.filter(report=report, is_official=True).values_list(
            "indicator_id", flat=True
        )
    )
    updated = set(
        ActionUpdate.objects.filter(report=report, is_official=True).values_list(
            "action_id", flat=True
        )
    )
    IndicatorValue.objects.filter(report=report, is_official=True).delete()
    ActionUpdate.objects.filter(report=report, is_official=True).delete()
    _store_values(report, values, official=True)
    _store_updates(report, updates, official=True)
    indicator_assessments_refresh(replaced | set(values))
    action_progress_refresh(updated | set(updates))


@transaction.atomic
def agency_report_reopen(
    *, actor: User | None, report: AgencyReport, version: int, reason: str
) -> AgencyReport:
    """Reopen an approved report for correction (coordinator; reason required).

    The approved values stay official until the corrected report is approved.
    """
    report = _locked(report)
    _require(actor, report.plan, REPORT_REVIEW)
    if _repeat_of_last(report, State.REOPENED, version):
        return report
    _check_version(report, version)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is reopened.")})
    if report.state != State.APPROVED:
        raise ValidationError({"state": _("Only an approved report can be reopened.")})
    if not report.period.is_open:
        raise ValidationError(
            {"period": _("Period closed: open the period again before reopening a report.")}
        )
    _transition(
        report,
        actor=actor,
        to_state=State.REOPENED,
        version=version,
        reason=reason.strip(),
        event_type="agency_report.reopened",
    )
    report.save()
    return report


@transaction.atomic
def agency_report_record_approved(
    *,
    actor: User,
    period: ReportingPeriod,
    organisation: Organisation,
    values: Mapping[int, ValueInput],
    reason: str,
) -> tuple[AgencyReport, bool]:
    """Record ``values`` as approved in one step (imports by a coordinator, DESIGN.md §6).

    Goes through the same rules as the pages: a submitted report, or an approved one whose
    values differ, is refused (review or reopen it first); a closed period is refused.
    Returns ``(report, changed)``; importing the same values again changes nothing.
    """
    _require(actor, period.plan, REPORT_REVIEW)
    report = AgencyReport.objects.filter(period=period, organisation=organisation).first()
    if report is not None:
        report = _locked(report)
        current, _updates = read_entries(report, official=True)
        wanted = {pk: entry for pk, entry in values.items() if not entry.is_empty()}
        if report.state == State.APPROVED and _same_entries(current, wanted):
            return report, False
    if not period.is_open:
        raise ValidationError(
            {"period": _("Period closed: this reporting period takes no more reports.")}
        )
    if report is None:
        report = AgencyReport.objects.create(
            plan=period.plan, period=period, organisation=organisation
        )
        audit.record(actor=actor, event_type="agency_report.created", obj=report, plan=period.plan)
    report = _locked(report)
    _require_editable(report)
    _refuse_unreviewed_changes(report, imported=set(values))
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(
            plan=period.plan, is_archived=False, pk__in=list(values)
        ).prefetch_related("breakdowns__dimensions__categories")
    }
    _write_working_copy(report, indicators, {}, values, {})
    report.version += 1
    report.save(update_fields=["version"])
    version = report.version
    _transition(
        report,
        actor=actor,
        to_state=State.SUBMITTED,
        version=version,
        reason=reason,
        event_type="agency_report.submitted",
    )
    _publish_official(report)
    _transition(
        report,
        actor=actor,
        to_state=State.APPROVED,
        version=version + 1,
        reason=reason,
        event_type="agency_report.approved",
        changes={"values": _entries_text(report, official=True)},
    )
    now = timezone.now()
    report.submitted_at = report.approved_at = now
    report.submitted_by = report.approved_by = actor
    report.approved_version = version + 1
    report.save()
    return report, True


def _refuse_unreviewed_changes(report: AgencyReport, *, imported: set[int]) -> None:
    """An import approves the whole working copy: refuse it while the agency's own entries
    (other indicators, action updates) differ from the official ones, so that an import
    never approves what nobody reviewed."""
    working, working_updates = read_entries(report, official=False)
    official, official_updates = read_entries(report, official=True)
    others = {pk: entry for pk, entry in working.items() if pk not in imported}
    official_others = {pk: entry for pk, entry in official.items() if pk not in imported}
    same_updates = {pk: _update_text(u) for pk, u in working_updates.items()} == {
        pk: _update_text(u) for pk, u in official_updates.items()
    }
    if not _same_entries(others, official_others) or not same_updates:
        raise ValidationError(
            {
                "state": _(
                    "The report of %(organisation)s for %(period)s has entries by the agency "
                    "that nobody has reviewed yet (%(state)s). Ask the agency to submit it and "
                    "review it before importing."
                )
                % {
                    "organisation": report.organisation,
                    "period": report.period,
                    "state": report.get_state_display(),
                }
            }
        )


def _same_entries(left: Mapping[int, ValueInput], right: Mapping[int, ValueInput]) -> bool:
    def normal(entries: Mapping[int, ValueInput]) -> dict[int, str]:
        return {pk: _value_text(entry) for pk, entry in entries.items()}

    return normal(left) == normal(right)


# --------------------------------------------------------------------------- evidence

#: Allowed evidence files: extension → (kind, leading bytes the file must start with).
#: ``None`` as signature: a plain-text file (no NUL byte, no known binary signature).
#: The check itself is shared with event documents: :func:`nap1325.core.uploads.check_upload`.
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("document", (b"%PDF",)),
    "docx": ("document", (b"PK\x03\x04",)),
    "odt": ("document", (b"PK\x03\x04",)),
    "txt": ("document", None),
    "xlsx": ("spreadsheet", (b"PK\x03\x04",)),
    "ods": ("spreadsheet", (b"PK\x03\x04",)),
    "csv": ("spreadsheet", None),
    "png": ("image", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image", (b"\xff\xd8\xff",)),
    "jpeg": ("image", (b"\xff\xd8\xff",)),
}
_SNIFF_BYTES = uploads.SNIFF_BYTES


def evidence_max_bytes() -> int:
    """The upload limit in bytes: setting ``NAP1325_EVIDENCE_MAX_BYTES`` (default 10 MB)."""
    return uploads.upload_max_bytes()


def _evidence_kind(name: str, head: bytes, size: int) -> str:
    """The evidence kind of a file, or a ``ValidationError`` on ``"file"``.

    Checks the extension against :data:`EVIDENCE_TYPES`, the leading bytes against the
    extension's signature (a renamed executable is refused), and the size limit.
    """
    return uploads.check_upload(name, head, size, types=EVIDENCE_TYPES)


@transaction.atomic
def agency_report_upload_workbook(
    *, actor: User | None, report: AgencyReport, upload: Any
) -> AgencyReport:
    """Store a filled-in report workbook (:mod:`nap1325.monitoring.workbook`) as the
    working copy, through :func:`agency_report_save` (same rules as the report form).

    Who and when as the form: the report's own organisation (``PermissionDenied``), an
    editable report in an open period (``ValidationError`` on ``"period"`` or ``"state"``,
    "period closed" apart from "already submitted"). The workbook must be this report's
    (``ValidationError`` on ``"file"`` naming the report it belongs to); its hidden version
    must be the report's current one (:class:`ReportConflict`: someone saved the report
    after the download), unless the draft already holds exactly the workbook's entries
    (the same file uploaded twice is a no-op, as a double-clicked Save on the form). Every
    problem of the file, and every rule the service refuses,
    comes back on ``"file"`` as ``"<sheet>, row <n>, column <c> (<title>): <problem>"``.
    All or nothing (one transaction). An audit event ``agency_report.workbook_uploaded``
    names the file; the values' changes are in the ``agency_report.saved`` event.
    """
    from nap1325.monitoring.workbook import WorkbookError, place_errors, read_report_workbook

    report = _locked(report)
    _require(actor, report.plan, REPORT_EDIT, report)
    _require_editable(report)
    indicators, actions = report_scope(report.plan, report.organisation)
    try:
        entries = read_report_workbook(upload, report, indicators, actions)
    except WorkbookError as error:
        raise ValidationError({"file": error.messages}) from None
    if entries.version != report.version:
        from nap1325.monitoring.selectors import working_copy_matches

        if working_copy_matches(report, values=entries.values, updates=entries.updates):
            return report  # the same workbook again (a double click): nothing to change
    try:
        saved = agency_report_save(
            actor=actor,
            report=report,
            version=entries.version,
            values=entries.values,
            updates=entries.updates,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {"file": place_errors(error.message_dict, entries.places)}
            ) from None
        raise
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    audit.record(
        actor=actor,
        event_type="agency_report.workbook_uploaded",
        obj=saved,
        plan=saved.plan,
        changes={"file": ["", name]},
    )
    return saved


@transaction.atomic
def evidence_add(
    *,
    actor: User | None,
    report: AgencyReport,
    upload: Any,
    indicator: Indicator | None = None,
    description: str = "",
) -> Any:
    """Attach a file (an ``UploadedFile`` or any Django ``File``) to an editable report.

    Allowed: pdf, docx, xlsx, odt, ods, csv, txt, png, jpg/jpeg — extension *and* leading
    bytes are checked; size up to :func:`evidence_max_bytes`. ``indicator`` must be one the
    report's organisation reports on. Stored through the storage API under a random name
    (the original name is kept for display). Errors: ``ValidationError`` on ``"file"``,
    ``"indicator"``, ``"period"`` or ``"state"``; ``PermissionDenied``.
    """
    import uuid

    from nap1325.monitoring.models import Evidence

    report = _locked(report)
    _require(actor, report.plan, REPORT_EDIT, report)
    _require_editable(report)
    original = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    size = int(getattr(upload, "size", 0) or 0)
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    kind = _evidence_kind(original, head if isinstance(head, bytes) else b"", size)
    if indicator is not None:
        indicators, _actions = report_scope(report.plan, report.organisation)
        if indicator.pk not in {i.pk for i in indicators}:
            raise ValidationError(
                {"indicator": _("Choose an indicator this organisation reports on.")}
            )
    extension = original.rsplit(".", 1)[-1].lower()
    evidence = Evidence(
        report=report,
        indicator=indicator,
        original_name=original,
        kind=kind,
        size=size,
        description=description.strip()[:300],
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    evidence.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    evidence.save()
    audit.record(
        actor=actor,
        event_type="agency_report.evidence_added",
        obj=report,
        plan=report.plan,
        changes={"evidence": [None, original]},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User | None, evidence: Any) -> None:
    """Remove an evidence file from an editable report (the stored file is deleted too)."""
    from nap1325.monitoring.models import Evidence

    evidence = Evidence.objects.select_related("report").get(pk=evidence.pk)
    report = _locked(evidence.report)
    _require(actor, report.plan, REPORT_EDIT, report)
    _require_editable(report)
    name = evidence.original_name
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    audit.record(
        actor=actor,
        event_type="agency_report.evidence_removed",
        obj=report,
        plan=report.plan,
        changes={"evidence": [name, None]},
    )
    transaction.on_commit(lambda: storage.delete(stored))
