"""The audit trail: every service that changes data records an :class:`AuditEvent` here.

Usage in a service (inside its transaction)::

    before = audit.snapshot(action, ACTION_FIELDS)
    ...change and save...
    audit.record(actor=user, event_type="action.updated", obj=action, plan=action.plan,
                 changes=audit.diff(before, audit.snapshot(action, ACTION_FIELDS)))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F

from nap1325.core.models import AuditEvent, PlanChanges, User


def json_safe(value: Any) -> Any:
    """A JSON-storable field value: Decimal, dates and times as ISO strings, models as pk."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of ``fields`` on ``obj`` (foreign keys by their ``*_id``)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        if field.many_to_many:
            if obj.pk is None:
                values[name] = []
            else:
                values[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
        else:
            values[name] = json_safe(getattr(obj, attname))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def record(
    *,
    actor: User | None,
    event_type: str,
    obj: models.Model | None = None,
    plan: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit event. ``event_type`` is ``"<entity>.<verb>"``, e.g. ``"action.created"``.

    With a ``plan``, also counts the change (:func:`plan_changed`).
    """
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        event_type=event_type,
        plan_id=plan.pk if plan is not None else None,
        changes=json_safe(dict(changes or {})),
        reason=reason,
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:300]
    event.save()
    if plan is not None:
        plan_changed(plan.pk)
    return event


def plan_changed(plan_id: int) -> None:
    """Add one to the plan's count of changes (:class:`~nap1325.core.models.PlanChanges`).

    Called by :func:`record`; anything derived from a plan's data and stored with this
    count (the dashboards' aggregates) is out of date once the count moves.
    """
    if PlanChanges.objects.filter(plan_id=plan_id).update(count=F("count") + 1):
        return
    _row, created = PlanChanges.objects.get_or_create(plan_id=plan_id, defaults={"count": 1})
    if not created:  # another transaction created the row first
        PlanChanges.objects.filter(plan_id=plan_id).update(count=F("count") + 1)


def plan_change_count(plan_id: int) -> int:
    """The plan's count of changes (0 before its first audited write). One query."""
    found = PlanChanges.objects.filter(plan_id=plan_id).values_list("count", flat=True).first()
    return found or 0
