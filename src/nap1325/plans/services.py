"""Every write to a plan and its results framework (DESIGN.md §7).

Keyword-only functions named ``<entity>_<verb>``; each runs in one transaction, checks the
actor's permission (``actor=None`` is the system: CLI and demo loader), validates with the
model's ``full_clean()`` (so admin, forms, CLI and API share one set of rules) and records
an audit event with old → new values. After adoption every change needs a reason
(DESIGN.md §6).

Errors: ``django.core.exceptions.ValidationError`` keyed by field name for bad input;
``PermissionDenied`` when the actor may not edit the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from nap1325.core import audit
from nap1325.core.content import texts_to_store as _strip_texts
from nap1325.core.content import translated
from nap1325.core.content import translated_base as _translated_base
from nap1325.core.models import Organisation, User
from nap1325.core.permissions import PLAN_EDIT, plan_access
from nap1325.library.models import FrameworkIndicator
from nap1325.plans.models import (
    Action,
    Breakdown,
    BudgetLine,
    Category,
    Dimension,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    PlanVersion,
    Result,
)

PLAN_FIELDS = [
    "slug",
    "country",
    *translated("title"),
    "generation",
    "period_start",
    "period_end",
    "status",
    "coordinating_body",
    "tier_labels",
    "currency",
    "languages",
    "time_zone",
    "reporting_frequency",
    "legal_act_number",
    "legal_act_date",
    "legal_act_issuer",
    *translated("description"),
    "source_note",
]
RESULT_FIELDS = [
    "parent",
    "code",
    *translated("title"),
    *translated("description"),
    "pillar",
    "weight",
    "order",
    "is_archived",
    "is_illustrative",
    "is_published",
]
ACTION_FIELDS = [
    "result",
    "code",
    *translated("title"),
    *translated("description"),
    "lead_agency",
    "partners",
    "start",
    "end",
    "geographic_level",
    "status",
    "weight",
    "order",
    "is_archived",
    "is_illustrative",
    "is_published",
]
INDICATOR_FIELDS = [
    "result",
    "action",
    "code",
    *translated("title"),
    *translated("description"),
    *translated("unit"),
    "measure",
    "time_aggregation",
    "direction",
    "baseline_value",
    "baseline_date",
    "baseline_source",
    "target_value",
    "target_date",
    "stages",
    *translated("means_of_verification"),
    "frequency",
    "responsible_organisation",
    "framework_indicators",
    "order",
    "is_archived",
    "is_illustrative",
    "is_published",
]
BUDGET_LINE_FIELDS = [
    "description",
    "amount",
    "currency",
    "funding_source",
    "funder",
    "year",
    "secured",
    "order",
    "is_archived",
    "is_illustrative",
]

#: Standard sex dimension every plan starts with (DESIGN.md §5: share of women).
SEX_CATEGORIES = [(Category.WOMEN, "Women"), (Category.MEN, "Men")]

M = TypeVar("M", bound=models.Model)


# --------------------------------------------------------------------------- helpers


def require_plan_edit(actor: User | None, plan: Plan) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may edit ``plan`` (``None`` = system)."""
    if actor is None:
        return
    if not plan_access(actor, plan).can(PLAN_EDIT):
        raise PermissionDenied


def _require_reason(plan: Plan, reason: str) -> None:
    """After adoption, every change to the framework needs a reason (DESIGN.md §6)."""
    if plan.is_frozen and not reason.strip():
        raise ValidationError({"reason": _("This plan is adopted: give a reason for the change.")})


def _check_code_unique(model: type[models.Model], obj: Any, plan: Plan) -> None:
    clash = model.objects.filter(plan=plan, code=obj.code, is_archived=False).exclude(pk=obj.pk)  # type: ignore[attr-defined]
    if not obj.is_archived and clash.exists():
        raise ValidationError(
            {
                "code": _("Another item of this plan already uses the code %(code)s.")
                % {"code": obj.code}
            }
        )


def _next_order(queryset: models.QuerySet[Any]) -> int:
    current = queryset.aggregate(top=Max("order"))["top"]
    return 0 if current is None else current + 1


def _apply(obj: M, values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed_set = set(allowed)
    # "title" is allowed wherever its translations ("title_ru", …) are.
    allowed_set |= {base for name in allowed_set if (base := _translated_base(name))}
    unknown = set(values) - allowed_set
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    for name, value in values.items():
        setattr(obj, name, value)


def _plain(value: Decimal) -> str:
    """A Decimal for the audit trail without exponent or trailing zeros (40, not 4E+1)."""
    return format(value.normalize(), "f")


# --------------------------------------------------------------------------- plans


def _reassess(indicator_ids: Iterable[int]) -> None:
    """Store the indicators' dashboard assessments again (same transaction, DESIGN.md §8)."""
    from nap1325.monitoring.dashboards import indicator_assessments_refresh

    indicator_assessments_refresh(indicator_ids)


#: Plan fields an indicator's assessment depends on (the target to date's time line).
_ASSESSED_PLAN_FIELDS = {"period_start", "period_end", "time_zone"}


@transaction.atomic
def plan_create(*, actor: User | None, **fields: Any) -> Plan:
    """Create a plan with the standard sex dimension. Platform admins (or the system) only."""
    if actor is not None and not actor.is_platform_admin:
        raise PermissionDenied
    plan = Plan()
    _apply(plan, _strip_texts(fields), set(PLAN_FIELDS))
    plan.full_clean()
    plan.save()
    dimension_create(
        actor=None,
        plan=plan,
        key="sex",
        name="Sex",
        kind=Dimension.Kind.SEX,
        categories=SEX_CATEGORIES,
        _audit=False,
    )
    audit.record(
        actor=actor,
        event_type="plan.created",
        obj=plan,
        plan=plan,
        changes=audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: User | None, plan: Plan, reason: str = "", **fields: Any) -> Plan:
    """Change a plan's fields; audited with old → new values."""
    require_plan_edit(actor, plan)
    before = audit.snapshot(plan, PLAN_FIELDS)
    _apply(plan, _strip_texts(fields), set(PLAN_FIELDS) - {"slug"})
    plan.full_clean()
    plan.save()
    changes = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    if _ASSESSED_PLAN_FIELDS & set(changes):
        _reassess(plan.indicators.values_list("pk", flat=True))
    if changes:
        audit.record(
            actor=actor,
            event_type="plan.updated",
            obj=plan,
            plan=plan,
            changes=changes,
            reason=reason,
        )
    return plan


def _plan_set_published(*, actor: User | None, plan: Plan, published: bool, reason: str) -> bool:
    require_plan_edit(actor, plan)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_published == published:
        plan.is_published = published
        return False
    Plan.objects.filter(pk=plan.pk).update(is_published=published)
    plan.is_published = published
    audit.record(
        actor=actor,
        event_type="plan.published" if published else "plan.unpublished",
        obj=plan,
        plan=plan,
        changes={"is_published": [not published, published]},
        reason=reason.strip(),
    )
    return True


@transaction.atomic
def plan_publish(*, actor: User | None, plan: Plan, reason: str = "") -> bool:
    """Show ``plan`` on the public portal, in open data and in the public API at once.

    What becomes public is decided by :mod:`nap1325.plans.visibility`: the plan's
    published results, actions and indicators, and only approved values. Needs
    ``PLAN_EDIT`` (coordinator). Returns ``False`` (and records nothing) when the plan
    was already published. Raises ``PermissionDenied``.
    """
    return _plan_set_published(actor=actor, plan=plan, published=True, reason=reason)


@transaction.atomic
def plan_unpublish(*, actor: User | None, plan: Plan, reason: str = "") -> bool:
    """Withdraw ``plan`` from every public page at once (its public addresses answer 404).

    Needs ``PLAN_EDIT``. Returns ``False`` when the plan was not published.
    """
    return _plan_set_published(actor=actor, plan=plan, published=False, reason=reason)


@transaction.atomic
def dimension_create(
    *,
    actor: User | None,
    plan: Plan,
    key: str,
    name: str,
    kind: str = Dimension.Kind.OTHER,
    categories: Sequence[tuple[str, str]] = (),
    _audit: bool = True,
) -> Dimension:
    """Create a breakdown dimension with its categories ``[(key, name), …]`` in order."""
    require_plan_edit(actor, plan)
    dimension = Dimension(
        plan=plan, key=key, name=name, kind=kind, order=_next_order(plan.dimensions.all())
    )
    dimension.full_clean()
    dimension.save()
    seen: set[str] = set()
    for order, (category_key, category_name) in enumerate(categories):
        if category_key in seen:
            raise ValidationError(
                {"categories": _("The category %(key)s appears twice.") % {"key": category_key}}
            )
        seen.add(category_key)
        category = Category(dimension=dimension, key=category_key, name=category_name, order=order)
        category.full_clean(exclude=["dimension"])
        category.save()
    if _audit:
        audit.record(
            actor=actor,
            event_type="dimension.created",
            obj=dimension,
            plan=plan,
            changes={"key": [None, key], "categories": [None, [k for k, _n in categories]]},
        )
    return dimension


# --------------------------------------------------------------------------- results


@transaction.atomic
def result_create(
    *,
    actor: User | None,
    plan: Plan,
    parent: Result | None = None,
    reason: str = "",
    **fields: Any,
) -> Result:
    """Add a result under ``parent`` (or at the top tier), last among its siblings."""
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    result = Result(plan=plan, parent=parent)
    _apply(result, _strip_texts(fields), set(RESULT_FIELDS) - {"parent", "order", "is_archived"})
    result.order = _next_order(Result.objects.filter(plan=plan, parent=parent))
    result.full_clean(validate_constraints=False)
    _check_code_unique(Result, result, plan)
    result.save()
    audit.record(
        actor=actor,
        event_type="result.created",
        obj=result,
        plan=plan,
        changes=audit.diff({}, audit.snapshot(result, RESULT_FIELDS)),
        reason=reason,
    )
    return result


@transaction.atomic
def result_update(*, actor: User | None, result: Result, reason: str = "", **fields: Any) -> Result:
    """Change a result's code, title, description, pillar or weight."""
    plan = result.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    before = audit.snapshot(result, RESULT_FIELDS)
    _apply(
        result,
        _strip_texts(fields),
        [
            "code",
            *translated("title"),
            *translated("description"),
            "pillar",
            "weight",
            "is_illustrative",
            "is_published",
        ],
    )
    result.full_clean(validate_constraints=False)
    _check_code_unique(Result, result, plan)
    result.save()
    changes = audit.diff(before, audit.snapshot(result, RESULT_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            event_type="result.updated",
            obj=result,
            plan=plan,
            changes=changes,
            reason=reason,
        )
    return result


@transaction.atomic
def result_archive(*, actor: User | None, result: Result, reason: str = "") -> int:
    """Archive a result with everything below it (sub-results, actions, indicators, budget).

    Returns the number of items archived. Archived items keep their history and vanish
    from the matrix; nothing is deleted.
    """
    plan = result.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    result_ids = _subtree_ids(result)
    action_ids = list(Action.objects.filter(result_id__in=result_ids).values_list("id", flat=True))
    count = Result.objects.filter(id__in=result_ids, is_archived=False).update(is_archived=True)
    count += Action.objects.filter(id__in=action_ids, is_archived=False).update(is_archived=True)
    count += Indicator.objects.filter(
        models.Q(result_id__in=result_ids) | models.Q(action_id__in=action_ids), is_archived=False
    ).update(is_archived=True)
    count += BudgetLine.objects.filter(action_id__in=action_ids, is_archived=False).update(
        is_archived=True
    )
    audit.record(
        actor=actor,
        event_type="result.archived",
        obj=result,
        plan=plan,
        changes={"is_archived": [False, True], "items_archived": [None, count]},
        reason=reason,
    )
    return count


def _subtree_ids(result: Result) -> list[int]:
    """Ids of ``result`` and all its descendants (one query per tier, at most five)."""
    ids = [result.pk]
    frontier = [result.pk]
    while frontier:
        frontier = list(Result.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def _move(
    actor: User | None,
    obj: Any,
    siblings: models.QuerySet[Any],
    step: int,
    plan: Plan,
    event_type: str,
    reason: str,
) -> None:
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    ordered = list(siblings.filter(is_archived=False).order_by("order", "id"))
    index = next((i for i, item in enumerate(ordered) if item.pk == obj.pk), None)
    if index is None:  # archived: StopIteration here used to escape as a 500
        raise ValidationError(_("An archived item cannot be moved."))
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.order != position:
            type(item).objects.filter(pk=item.pk).update(order=position)
    audit.record(
        actor=actor,
        event_type=event_type,
        obj=obj,
        plan=plan,
        changes={"position": [index + 1, target + 1]},
        reason=reason,
    )


@transaction.atomic
def result_move(*, actor: User | None, result: Result, step: int, reason: str = "") -> None:
    """Move a result ``step`` places among its siblings (−1 up, +1 down)."""
    _move(
        actor,
        result,
        Result.objects.filter(plan=result.plan, parent=result.parent_id),
        step,
        result.plan,
        "result.moved",
        reason,
    )


# --------------------------------------------------------------------------- actions


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    result: Result,
    partners: Iterable[Organisation] = (),
    reason: str = "",
    **fields: Any,
) -> Action:
    """Add an action under ``result`` with exactly one lead agency and optional partners."""
    plan = result.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    action = Action(plan=plan, result=result)
    _apply(
        action,
        _strip_texts(fields),
        set(ACTION_FIELDS) - {"result", "partners", "order", "is_archived"},
    )
    action.order = _next_order(Action.objects.filter(result=result))
    action.full_clean(validate_constraints=False)
    _check_code_unique(Action, action, plan)
    action.save()
    action.partners.set(_partners_without_lead(partners, action))
    audit.record(
        actor=actor,
        event_type="action.created",
        obj=action,
        plan=plan,
        changes=audit.diff({}, audit.snapshot(action, ACTION_FIELDS)),
        reason=reason,
    )
    return action


def _partners_without_lead(partners: Iterable[Organisation], action: Action) -> list[Organisation]:
    return [p for p in partners if p.pk != action.lead_agency_id]


@transaction.atomic
def action_update(
    *,
    actor: User | None,
    action: Action,
    partners: Iterable[Organisation] | None = None,
    reason: str = "",
    **fields: Any,
) -> Action:
    """Change an action; ``partners`` replaces the partner list when given."""
    plan = action.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    before = audit.snapshot(action, ACTION_FIELDS)
    _apply(
        action,
        _strip_texts(fields),
        set(ACTION_FIELDS) - {"result", "partners", "order", "is_archived"},
    )
    action.full_clean(validate_constraints=False)
    _check_code_unique(Action, action, plan)
    action.save()
    if partners is not None:
        action.partners.set(_partners_without_lead(partners, action))
    elif before["lead_agency"] != action.lead_agency_id:
        action.partners.remove(action.lead_agency_id)  # the new lead is no longer a partner
    changes = audit.diff(before, audit.snapshot(action, ACTION_FIELDS))
    if before["lead_agency"] != action.lead_agency_id:  # the reporter of its indicators
        _reassess(action.indicators.values_list("pk", flat=True))
    if changes:
        audit.record(
            actor=actor,
            event_type="action.updated",
            obj=action,
            plan=plan,
            changes=changes,
            reason=reason,
        )
    return action


@transaction.atomic
def action_archive(*, actor: User | None, action: Action, reason: str = "") -> None:
    """Archive an action with its indicators and budget lines (nothing is deleted)."""
    plan = action.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    Action.objects.filter(pk=action.pk).update(is_archived=True)
    Indicator.objects.filter(action=action).update(is_archived=True)
    BudgetLine.objects.filter(action=action).update(is_archived=True)
    action.is_archived = True
    audit.record(
        actor=actor,
        event_type="action.archived",
        obj=action,
        plan=plan,
        changes={"is_archived": [False, True]},
        reason=reason,
    )


@transaction.atomic
def action_move(*, actor: User | None, action: Action, step: int, reason: str = "") -> None:
    """Move an action ``step`` places among the actions of its result."""
    _move(
        actor,
        action,
        Action.objects.filter(result=action.result_id),
        step,
        action.plan,
        "action.moved",
        reason,
    )


# --------------------------------------------------------------------------- indicators


def _validate_breakdowns(
    plan: Plan, breakdowns: Sequence[Sequence[Dimension]]
) -> list[list[Dimension]]:
    cleaned: list[list[Dimension]] = []
    seen: set[frozenset[int]] = set()
    for number, dimensions in enumerate(breakdowns, start=1):
        dims = list(dimensions)
        ids = frozenset(d.pk for d in dims)
        if not dims:
            continue
        if any(d.plan_id != plan.pk for d in dims):
            raise ValidationError(
                {
                    "breakdowns": _("Breakdown %(n)d uses a dimension of another plan.")
                    % {"n": number}
                }
            )
        if len(ids) != len(dims):
            raise ValidationError(
                {"breakdowns": _("Breakdown %(n)d names a dimension twice.") % {"n": number}}
            )
        if ids in seen:
            raise ValidationError(
                {"breakdowns": _("Breakdown %(n)d is declared twice.") % {"n": number}}
            )
        seen.add(ids)
        cleaned.append(dims)
    return cleaned


def _validate_period_targets(
    plan: Plan, period_targets: Sequence[tuple[Any, Decimal]]
) -> list[tuple[Any, Decimal]]:
    dues = [due for due, _value in period_targets]
    if len(set(dues)) != len(dues):
        raise ValidationError({"period_targets": _("Two period targets have the same date.")})
    value_field = IndicatorPeriodTarget._meta.get_field("value")
    for due, value in period_targets:
        if not plan.period_start <= due <= plan.period_end:
            raise ValidationError(
                {
                    "period_targets": _("The period target of %(date)s is outside the plan period.")
                    % {"date": due.isoformat()}
                }
            )
        try:  # the column's digits (core.quantities): refuse what cannot be stored exactly
            value_field.run_validators(Decimal(value))
        except ValidationError as error:
            raise ValidationError(
                {
                    "period_targets": _("The period target of %(date)s: %(error)s")
                    % {"date": due.isoformat(), "error": " ".join(error.messages)}
                }
            ) from None
    return sorted(period_targets, key=lambda item: item[0])


def _save_indicator_parts(
    indicator: Indicator,
    breakdowns: Sequence[Sequence[Dimension]] | None,
    period_targets: Sequence[tuple[Any, Decimal]] | None,
    framework_indicators: Iterable[FrameworkIndicator] | None,
) -> dict[str, list[Any]]:
    """Replace the indicator's breakdowns, period targets and framework links when given."""
    changes: dict[str, list[Any]] = {}
    if breakdowns is not None:
        cleaned = _validate_breakdowns(indicator.plan, breakdowns)
        old = [sorted(d.key for d in b.dimensions.all()) for b in indicator.breakdowns.all()]
        indicator.breakdowns.all().delete()
        for order, dims in enumerate(cleaned):
            breakdown = Breakdown.objects.create(indicator=indicator, order=order)
            breakdown.dimensions.set(dims)
        new = [sorted(d.key for d in dims) for dims in cleaned]
        if old != new:
            changes["breakdowns"] = [old, new]
    if period_targets is not None:
        cleaned_targets = _validate_period_targets(indicator.plan, period_targets)
        old_t = [[str(t.due), _plain(t.value)] for t in indicator.period_targets.all()]
        indicator.period_targets.all().delete()
        IndicatorPeriodTarget.objects.bulk_create(
            IndicatorPeriodTarget(indicator=indicator, due=due, value=value)
            for due, value in cleaned_targets
        )
        new_t = [[str(due), _plain(Decimal(value))] for due, value in cleaned_targets]
        if old_t != new_t:
            changes["period_targets"] = [old_t, new_t]
    if framework_indicators is not None:
        indicator.framework_indicators.set(list(framework_indicators))
    return changes


@transaction.atomic
def indicator_create(
    *,
    actor: User | None,
    plan: Plan,
    result: Result | None = None,
    action: Action | None = None,
    breakdowns: Sequence[Sequence[Dimension]] = (),
    period_targets: Sequence[tuple[Any, Decimal]] = (),
    framework_indicators: Iterable[FrameworkIndicator] = (),
    reason: str = "",
    **fields: Any,
) -> Indicator:
    """Add an indicator to one result or one action.

    ``breakdowns`` is a list of dimension lists (``[[sex], [rank, sex]]``);
    ``period_targets`` a list of ``(date, Decimal)``.
    """
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    indicator = Indicator(plan=plan, result=result, action=action)
    _apply(
        indicator,
        _strip_texts(fields),
        set(INDICATOR_FIELDS)
        - {"result", "action", "framework_indicators", "order", "is_archived"},
    )
    owner_filter = {"action": action} if action is not None else {"result": result}
    indicator.order = _next_order(Indicator.objects.filter(plan=plan, **owner_filter))
    indicator.full_clean(validate_constraints=False)
    _check_code_unique(Indicator, indicator, plan)
    indicator.save()
    parts = _save_indicator_parts(indicator, breakdowns, period_targets, framework_indicators)
    _reassess([indicator.pk])
    changes = audit.diff({}, audit.snapshot(indicator, INDICATOR_FIELDS))
    changes.update({k: v for k, v in parts.items()})
    audit.record(
        actor=actor,
        event_type="indicator.created",
        obj=indicator,
        plan=plan,
        changes=changes,
        reason=reason,
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: User | None,
    indicator: Indicator,
    breakdowns: Sequence[Sequence[Dimension]] | None = None,
    period_targets: Sequence[tuple[Any, Decimal]] | None = None,
    framework_indicators: Iterable[FrameworkIndicator] | None = None,
    reason: str = "",
    **fields: Any,
) -> Indicator:
    """Change an indicator; breakdowns, period targets and links are replaced when given."""
    plan = indicator.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    _apply(
        indicator,
        _strip_texts(fields),
        set(INDICATOR_FIELDS)
        - {"result", "action", "framework_indicators", "order", "is_archived"},
    )
    indicator.full_clean(validate_constraints=False)
    _check_code_unique(Indicator, indicator, plan)
    indicator.save()
    parts = _save_indicator_parts(indicator, breakdowns, period_targets, framework_indicators)
    _reassess([indicator.pk])
    changes = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
    changes.update(parts)
    if changes:
        audit.record(
            actor=actor,
            event_type="indicator.updated",
            obj=indicator,
            plan=plan,
            changes=changes,
            reason=reason,
        )
    return indicator


@transaction.atomic
def indicator_archive(*, actor: User | None, indicator: Indicator, reason: str = "") -> None:
    """Archive an indicator (kept with its history; gone from the matrix)."""
    plan = indicator.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    Indicator.objects.filter(pk=indicator.pk).update(is_archived=True)
    indicator.is_archived = True
    audit.record(
        actor=actor,
        event_type="indicator.archived",
        obj=indicator,
        plan=plan,
        changes={"is_archived": [False, True]},
        reason=reason,
    )


# --------------------------------------------------------------------------- budget


@transaction.atomic
def budget_line_create(
    *, actor: User | None, action: Action, reason: str = "", **fields: Any
) -> BudgetLine:
    """Add a budget line to an action (currency defaults to the plan's)."""
    plan = action.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    line = BudgetLine(action=action, currency=plan.currency)
    _apply(line, _strip_texts(fields), set(BUDGET_LINE_FIELDS) - {"order", "is_archived"})
    if not line.currency:
        line.currency = plan.currency
    line.order = _next_order(BudgetLine.objects.filter(action=action))
    line.full_clean()
    line.save()
    audit.record(
        actor=actor,
        event_type="budget_line.created",
        obj=line,
        plan=plan,
        changes=audit.diff({}, audit.snapshot(line, BUDGET_LINE_FIELDS)),
        reason=reason,
    )
    return line


@transaction.atomic
def budget_line_update(
    *, actor: User | None, line: BudgetLine, reason: str = "", **fields: Any
) -> BudgetLine:
    """Change a budget line."""
    plan = line.action.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    before = audit.snapshot(line, BUDGET_LINE_FIELDS)
    _apply(line, _strip_texts(fields), set(BUDGET_LINE_FIELDS) - {"order", "is_archived"})
    line.full_clean()
    line.save()
    changes = audit.diff(before, audit.snapshot(line, BUDGET_LINE_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            event_type="budget_line.updated",
            obj=line,
            plan=plan,
            changes=changes,
            reason=reason,
        )
    return line


@transaction.atomic
def budget_line_archive(*, actor: User | None, line: BudgetLine, reason: str = "") -> None:
    """Archive a budget line (it leaves every total)."""
    plan = line.action.plan
    require_plan_edit(actor, plan)
    _require_reason(plan, reason)
    BudgetLine.objects.filter(pk=line.pk).update(is_archived=True)
    line.is_archived = True
    audit.record(
        actor=actor,
        event_type="budget_line.archived",
        obj=line,
        plan=plan,
        changes={"is_archived": [False, True]},
        reason=reason,
    )


# --------------------------------------------------------------------------- versions, adoption


def _version_texts(label: str, changelog: str) -> tuple[str, str]:
    label, changelog = label.strip(), changelog.strip()
    if not label:
        raise ValidationError(
            {"label": _("Give the version a label, e.g. “Draft for consultation”.")}
        )
    return label, changelog


@transaction.atomic
def plan_version_create(
    *, actor: User | None, plan: Plan, label: str, changelog: str = ""
) -> PlanVersion:
    """Save the whole plan as it stands as a frozen version numbered after the last one.

    The snapshot (:func:`nap1325.plans.versions.plan_snapshot`) is never changed afterwards.
    Errors: ``ValidationError`` on ``label`` when empty; ``PermissionDenied``.
    """
    from nap1325.plans.versions import plan_snapshot

    require_plan_edit(actor, plan)
    label, changelog = _version_texts(label, changelog)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # serialise numbering
    number = (plan.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = PlanVersion(
        plan=plan,
        number=number,
        label=label,
        changelog=changelog,
        created_by=actor if actor is not None and actor.pk else None,
        snapshot=plan_snapshot(plan),
    )
    version.full_clean()
    version.save()
    audit.record(
        actor=actor,
        event_type="plan_version.created",
        obj=version,
        plan=plan,
        changes={"number": [None, number], "label": [None, label]},
    )
    return version


@transaction.atomic
def plan_version_update(
    *, actor: User | None, version: PlanVersion, label: str, changelog: str = ""
) -> PlanVersion:
    """Change a version's label and changelog (its snapshot never changes).

    Errors: ``ValidationError`` (non-field) for the adopted version, which is immutable.
    """
    require_plan_edit(actor, version.plan)
    if version.is_adopted:
        raise ValidationError(_("The adopted version cannot be changed."))
    label, changelog = _version_texts(label, changelog)
    before = {"label": version.label, "changelog": version.changelog}
    version.label, version.changelog = label, changelog
    version.full_clean()
    version.save()
    changes = audit.diff(before, {"label": label, "changelog": changelog})
    if changes:
        audit.record(
            actor=actor,
            event_type="plan_version.updated",
            obj=version,
            plan=version.plan,
            changes=changes,
        )
    return version


#: Fields an adopted version may differ in from the plan it adopts (set by the adoption).
_ADOPTION_FIELDS = {"legal_act_number", "legal_act_date", "legal_act_issuer"}


@transaction.atomic
def plan_adopt(
    *,
    actor: User | None,
    plan: Plan,
    legal_act_number: str,
    legal_act_date: Any,
    legal_act_issuer: str,
    version: PlanVersion | None = None,
    label: str = "",
) -> PlanVersion:
    """Record the plan's adoption: the legal act, the adopted version; the plan implements.

    With ``version`` the plan adopts that saved version, which must match the plan as it
    stands (otherwise an error on ``version``: save a new version first); without, the
    plan as it stands is saved as a new version labelled ``label`` and adopted. The plan's
    status becomes *implementing*; from then on every framework change needs a reason.

    Errors (``ValidationError`` keyed by field): a missing legal act number, date or
    issuer; a date in the future (in the plan's time zone); a plan already adopted; a
    version of another plan. ``PermissionDenied`` without plan editing rights.
    """
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from nap1325.plans.versions import compare, plan_snapshot

    require_plan_edit(actor, plan)
    errors: dict[str, list[str]] = {}
    if plan.is_frozen:
        errors.setdefault("__all__", []).append(
            str(
                _("This plan is already adopted (status: %(status)s).")
                % {"status": plan.get_status_display()}
            )
        )
    if not (legal_act_number or "").strip():
        errors.setdefault("legal_act_number", []).append(str(_("Give the legal act's number.")))
    if not (legal_act_issuer or "").strip():
        errors.setdefault("legal_act_issuer", []).append(
            str(_("Name the body that issued the legal act."))
        )
    if legal_act_date is None:
        errors.setdefault("legal_act_date", []).append(str(_("Give the legal act's date.")))
    elif legal_act_date > timezone.now().astimezone(ZoneInfo(plan.time_zone)).date():
        errors.setdefault("legal_act_date", []).append(str(_("The date is in the future.")))
    if version is not None and version.plan_id != plan.pk:
        errors.setdefault("version", []).append(str(_("This version belongs to another plan.")))
    if version is None and not label.strip():
        errors.setdefault("label", []).append(
            str(_("Give the adopted version a label, e.g. “Adopted”."))
        )
    if errors:
        raise ValidationError(errors)
    if version is not None:
        comparison = compare(version.snapshot, plan_snapshot(plan))
        differs = [c for c in comparison.plan_changes if c.name not in _ADOPTION_FIELDS]
        if differs or any(kind.elements for kind in comparison.kinds):
            raise ValidationError(
                {
                    "version": _(
                        "The plan has changed since this version was saved (%(count)d "
                        "changes); save a new version, or adopt the plan as it stands."
                    )
                    % {"count": len(differs) + sum(len(k.elements) for k in comparison.kinds)}
                }
            )
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.legal_act_number = legal_act_number.strip()
    plan.legal_act_date = legal_act_date
    plan.legal_act_issuer = legal_act_issuer.strip()
    plan.status = Plan.Status.IMPLEMENTING
    plan.full_clean()
    plan.save()
    if version is None:
        version = plan_version_create(actor=actor, plan=plan, label=label)
    version.is_adopted = True
    version.adopted_at = timezone.now()
    version.save()
    changes = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    audit.record(actor=actor, event_type="plan.adopted", obj=plan, plan=plan, changes=changes)
    audit.record(
        actor=actor,
        event_type="plan_version.adopted",
        obj=version,
        plan=plan,
        changes={"is_adopted": [False, True]},
    )
    return version
