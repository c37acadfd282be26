"""Writing a change set through the plan's services, all or nothing (issue 7, point 3).

:func:`apply_changes` calls :mod:`nap1325.plans.services` for every ``create`` and
``change`` (``dimension_create``, ``result_create``/``result_update``,
``action_create``/``action_update``, ``indicator_create``/``indicator_update``,
``budget_line_create``/``budget_line_update``) in one transaction, with the acting user
and a reason naming the file, so every applied change is an audit event of its own. A
service's refusal (a field rule, a permission) becomes a problem on the row, and the next
rows are still checked; at the end, if anything failed — or for a dry run (the preview) —
the transaction is rolled back and nothing is written.

For an adopted plan the services require a reason; the caller passes the user's reason
and the file name is appended (``"Revision 2025 (logframe import of kg.xlsx)"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from nap1325.core.models import User
from nap1325.plans import services
from nap1325.plans.models import Action, Dimension, Plan, Result

from . import columns as cols
from .plan_diff import CHANGE, CREATE, Change, ChangeSet, diff, plan_mark
from .reader import LogframeFile, Problem, read_logframe


@dataclass
class ApplyResult:
    """What was (or, for a dry run, would be) written, and the problems found."""

    changeset: ChangeSet
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def all_problems(self) -> list[Problem]:
        return self.changeset.sorted_problems() + self.problems

    def summary_lines(self) -> list[str]:
        lines = []
        for sheet, counts in self.changeset.counts().items():
            if any(counts.values()):
                lines.append(
                    _("%(sheet)s: %(create)d to create, %(change)d to change, %(same)d unchanged")
                    % {"sheet": sheet, **counts}
                )
        return lines


def import_reason(reason: str, file_name: str) -> str:
    """The audit reason: the user's reason (if any) with the file's name."""
    note = _("logframe import of %(file)s") % {"file": file_name}
    reason = reason.strip()
    return f"{reason} ({note})" if reason else note[:1].upper() + note[1:]


def _problem(change: Change, error: ValidationError) -> list[Problem]:
    found = []
    mapping = getattr(error, "error_dict", None)
    if mapping is None:
        return [change.row.problem(None, " ".join(error.messages))]
    for name, errors in mapping.items():
        key = name if name in change.row.letters else None
        if name in {"parent", "result"}:
            key = next((k for k in change.row.letters if k.startswith("tier_")), None)
        messages = [m for e in errors for m in e.messages]
        label = "" if key else f"{name}: "
        found.append(change.row.problem(key, label + " ".join(messages)))
    return found


def apply_changes(
    changeset: ChangeSet, *, actor: User | None, reason: str = "", dry_run: bool = False
) -> ApplyResult:
    """Write ``changeset`` (see the module docstring). ``PermissionDenied`` if not allowed."""
    plan = changeset.plan
    services.require_plan_edit(actor, plan)
    result = ApplyResult(changeset=changeset)
    if plan.is_frozen and not reason.strip():
        result.problems.append(
            Problem(
                "",
                None,
                None,
                None,
                _("This plan is adopted: give a reason for the changes."),
            )
        )
    full_reason = import_reason(reason, changeset.file_name)
    with transaction.atomic():
        writer = _Writer(plan, actor, full_reason)
        for change in changeset.changes:
            if change.kind not in (CREATE, CHANGE):
                continue
            try:
                with transaction.atomic():
                    writer.write(change)
            except ValidationError as error:
                result.problems.extend(_problem(change, error))
            except ProtectedError:
                result.problems.append(
                    change.row.problem(
                        "breakdowns",
                        _("the indicator has values on its breakdowns; they cannot change."),
                    )
                )
            except PermissionDenied:
                raise
        if dry_run or result.problems or changeset.problems:
            transaction.set_rollback(True)
        else:
            result.applied = True
    return result


class _Writer:
    def __init__(self, plan: Plan, actor: User | None, reason: str) -> None:
        self.plan = plan
        self.actor = actor
        self.reason = reason
        self.results = {r.code: r for r in Result.objects.filter(plan=plan, is_archived=False)}
        self.actions = {a.code: a for a in Action.objects.filter(plan=plan, is_archived=False)}
        self.dimensions = {d.key: d for d in Dimension.objects.filter(plan=plan)}

    def write(self, change: Change) -> None:
        getattr(self, f"_{change.sheet}")(change)

    def _missing(self, change: Change, key: str, code: str) -> ValidationError:
        return ValidationError(
            {key: _("%(code)s could not be created (see its own problem).") % {"code": code}}
        )

    def _dimensions(self, change: Change) -> None:
        values = change.values
        dimension = services.dimension_create(
            actor=self.actor,
            plan=self.plan,
            key=values["key"],
            name=values["name"],
            kind=values["kind"],
            categories=values["categories"],
        )
        self.dimensions[dimension.key] = dimension

    def _results(self, change: Change) -> None:
        if change.kind == CHANGE:
            services.result_update(
                actor=self.actor, result=change.obj, reason=self.reason, **change.values
            )
            return
        parent = None
        if change.parent_key:
            parent = self.results.get(change.parent_key)
            if parent is None:
                raise self._missing(change, "parent", change.parent_key)
        values = dict(change.values)
        if parent is not None and values.get("pillar") is None:
            values.pop("pillar", None)
        self.results[change.key] = services.result_create(
            actor=self.actor,
            plan=self.plan,
            parent=parent,
            code=change.key,
            reason=self.reason,
            **values,
        )

    def _actions(self, change: Change) -> None:
        values = dict(change.values)
        partners = values.pop("partners", None)
        if change.kind == CHANGE:
            services.action_update(
                actor=self.actor,
                action=change.obj,
                partners=partners,
                reason=self.reason,
                **values,
            )
            return
        result = self.results.get(change.parent_key)
        if result is None:
            raise self._missing(change, "result", change.parent_key)
        self.actions[change.key] = services.action_create(
            actor=self.actor,
            result=result,
            code=change.key,
            partners=partners or (),
            reason=self.reason,
            **values,
        )

    def _indicators(self, change: Change) -> None:
        values = dict(change.values)
        breakdowns = values.pop("breakdowns", None)
        dims = None
        if breakdowns is not None:
            dims = [[self.dimensions[k] for k in keys] for keys in breakdowns]
        if change.kind == CHANGE:
            services.indicator_update(
                actor=self.actor,
                indicator=change.obj,
                breakdowns=dims,
                reason=self.reason,
                **values,
            )
            return
        kind, code = change.parent_key
        owner = (self.results if kind == "result" else self.actions).get(code)
        if owner is None:
            raise self._missing(change, f"{kind}_code", code)
        services.indicator_create(
            actor=self.actor,
            plan=self.plan,
            code=change.key,
            breakdowns=dims or (),
            reason=self.reason,
            **{kind: owner},
            **values,
        )

    def _budget(self, change: Change) -> None:
        if change.kind == CHANGE:
            services.budget_line_update(
                actor=self.actor, line=change.obj, reason=self.reason, **change.values
            )
            return
        action = self.actions.get(change.parent_key)
        if action is None:
            raise self._missing(change, "action_code", change.parent_key)
        services.budget_line_create(
            actor=self.actor, action=action, reason=self.reason, **change.values
        )


def import_logframe(
    plan: Plan,
    path: Path,
    *,
    actor: User | None,
    reason: str = "",
    dry_run: bool = False,
    display_name: str | None = None,
    logframe: LogframeFile | None = None,
) -> ApplyResult:
    """Read ``path``, compare with ``plan`` and apply (or only check, ``dry_run``).

    Raises :class:`~.reader.UnreadableFile` for a file that is not a workbook at all and
    ``PermissionDenied`` when ``actor`` may not edit the plan; every other problem is in
    the result (and then nothing is written).
    """
    services.require_plan_edit(actor, plan)
    if logframe is None:
        logframe = read_logframe(path, display_name=display_name)
    changeset = diff(plan, logframe)
    return apply_changes(changeset, actor=actor, reason=reason, dry_run=dry_run)


__all__ = ["ApplyResult", "apply_changes", "import_logframe", "import_reason", "plan_mark", "cols"]
