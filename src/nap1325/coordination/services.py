"""Every write of coordination: working group, members, events, agenda, outcomes, attendance,
work plan, media coverage (DESIGN.md §7 conventions).

Keyword-only ``<entity>_<verb>`` functions, one transaction each, ``full_clean()`` so pages,
admin and the demo share the rules, and an audit event. ``actor=None`` is the system (demo
loader, CLI). The secretariat (PLAN_EDIT) edits everything; a working-group member may
write the minutes of an event they are assigned to record (DESIGN.md §2).

Errors: ``ValidationError`` keyed by field; ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from nap1325.coordination.models import (
    AgendaItem,
    Attendance,
    Event,
    EventDocument,
    GroupMember,
    MediaItem,
    Outcome,
    WorkingGroup,
    WorkPlanItem,
)
from nap1325.core import audit
from nap1325.core.content import texts_to_store, translated, translated_base
from nap1325.core.models import User
from nap1325.core.permissions import PLAN_EDIT, plan_access
from nap1325.plans.models import Plan

WORKING_GROUP_FIELDS = [
    *translated("name"),
    *translated("mandate"),
    "legal_act_title",
    "legal_act_number",
    "legal_act_date",
    "convening_authority",
    "lead_organisation",
    "secretariat",
    "is_published",
]
MEMBER_FIELDS = [
    "person_name",
    "user",
    "organisation",
    "role",
    "sex",
    "joined_on",
    "left_on",
    "is_illustrative",
]
EVENT_FIELDS = [
    "kind",
    *translated("title"),
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "place",
    "organisers",
    "host_country",
    "visiting_country",
    "delegation",
    *translated("description"),
    "minutes_recorder",
    "declared_participants",
    "is_published",
    "is_illustrative",
]
AGENDA_FIELDS = ["order", "title", "description"]
ATTENDANCE_FIELDS = [
    "person_name",
    "organisation",
    "women",
    "men",
    "unspecified",
    "is_illustrative",
]
WORK_PLAN_FIELDS = [
    "kind",
    "title",
    "description",
    "owner_organisation",
    "owner_user",
    "start",
    "due",
    "state",
    "drop_reason",
    "depends_on",
    "is_illustrative",
]
MEDIA_FIELDS = ["event", "url", "outlet", "title", "language", "published_on", "is_published"]


def require_secretariat(actor: User | None, plan: Plan) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` edits the plan (``None`` = system)."""
    if actor is not None and not plan_access(actor, plan).can(PLAN_EDIT):
        raise PermissionDenied


def _set(obj: models.Model, values: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Set plain fields on ``obj``; return the many-to-many values to set after saving.

    Translated fields are given per language (``title_ru``; an empty one is stored as None,
    i.e. missing) or, as django-modeltranslation allows, by their plain name (``title``:
    the active language's column).
    """
    allowed_set = set(allowed)
    allowed_set |= {base for name in allowed_set if (base := translated_base(name))}
    unknown = set(values) - allowed_set
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    many: dict[str, Any] = {}
    for name, value in texts_to_store(values).items():
        if obj._meta.get_field(name).many_to_many:
            many[name] = list(value)
        else:
            setattr(obj, name, value)
    return many


def _save(
    *,
    actor: User | None,
    obj: Any,
    plan: Plan,
    fields: list[str],
    values: dict[str, Any],
    entity: str,
    reason: str = "",
) -> Any:
    """Validate, save and audit one object (create when it has no pk)."""
    creating = obj.pk is None
    before = {} if creating else audit.snapshot(obj, fields)
    many = _set(obj, values, fields)
    obj.full_clean()
    obj.save()
    for name, items in many.items():
        getattr(obj, name).set(items)
    audit.record(
        actor=actor,
        event_type=f"{entity}.{'created' if creating else 'updated'}",
        obj=obj,
        plan=plan,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
        reason=reason,
    )
    return obj


# --------------------------------------------------------------------------- working group


@transaction.atomic
def working_group_save(*, actor: User | None, plan: Plan, **values: Any) -> WorkingGroup:
    """Create or change the plan's working group."""
    require_secretariat(actor, plan)
    group = WorkingGroup.objects.filter(plan=plan).first() or WorkingGroup(plan=plan)
    return _save(
        actor=actor,
        obj=group,
        plan=plan,
        fields=WORKING_GROUP_FIELDS,
        values=values,
        entity="working_group",
    )


@transaction.atomic
def group_member_add(*, actor: User | None, group: WorkingGroup, **values: Any) -> GroupMember:
    """Add a person or an organisation's seat (``joined_on`` required)."""
    require_secretariat(actor, group.plan)
    return _save(
        actor=actor,
        obj=GroupMember(group=group),
        plan=group.plan,
        fields=MEMBER_FIELDS,
        values=values,
        entity="group_member",
    )


@transaction.atomic
def group_member_update(*, actor: User | None, member: GroupMember, **values: Any) -> GroupMember:
    """Change a member; setting ``left_on`` records that they left (history is kept)."""
    require_secretariat(actor, member.group.plan)
    return _save(
        actor=actor,
        obj=member,
        plan=member.group.plan,
        fields=MEMBER_FIELDS,
        values=values,
        entity="group_member",
    )


# --------------------------------------------------------------------------- events


@transaction.atomic
def event_create(*, actor: User | None, plan: Plan, **values: Any) -> Event:
    """Create a meeting, seminar, training, study visit or hearing."""
    require_secretariat(actor, plan)
    return _save(
        actor=actor,
        obj=Event(plan=plan),
        plan=plan,
        fields=EVENT_FIELDS,
        values=values,
        entity="event",
    )


@transaction.atomic
def event_update(*, actor: User | None, event: Event, **values: Any) -> Event:
    """Change an event's details (not its minutes: :func:`event_minutes_save`)."""
    require_secretariat(actor, event.plan)
    event = _save(
        actor=actor, obj=event, plan=event.plan, fields=EVENT_FIELDS, values=values, entity="event"
    )
    Event.objects.filter(pk=event.pk).update(version=models.F("version") + 1)
    event.refresh_from_db(fields=["version"])
    return event


def can_record_minutes(actor: User | None, event: Event) -> bool:
    """The secretariat, or the member assigned to record this event's minutes."""
    if actor is None:
        return True
    access = plan_access(actor, event.plan)
    if access.can(PLAN_EDIT):
        return True
    return bool(access.is_member and event.minutes_recorder_id == actor.pk)


@transaction.atomic
def event_minutes_save(*, actor: User | None, event: Event, minutes: str, version: int) -> Event:
    """Save the minutes (Markdown, sanitised when shown). A stale ``version`` is refused."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_record_minutes(actor, event):
        raise PermissionDenied
    if event.version != version:
        raise ValidationError(
            {
                "minutes": _(
                    "Someone else changed this event since you opened it. Reload the page "
                    "and enter your changes again."
                )
            }
        )
    old = event.minutes
    event.minutes = minutes.strip()
    event.full_clean()
    event.version += 1
    event.save(update_fields=["minutes", "version"])
    audit.record(
        actor=actor,
        event_type="event.minutes_saved",
        obj=event,
        plan=event.plan,
        changes={"minutes": [old, event.minutes]},
    )
    return event


@transaction.atomic
def agenda_item_add(*, actor: User | None, event: Event, **values: Any) -> AgendaItem:
    """Add an item at the end of the event's agenda (unless ``order`` is given)."""
    require_secretariat(actor, event.plan)
    if "order" not in values:
        top = event.agenda_items.aggregate(top=Max("order"))["top"]
        values["order"] = 0 if top is None else top + 1
    return _save(
        actor=actor,
        obj=AgendaItem(event=event),
        plan=event.plan,
        fields=AGENDA_FIELDS,
        values=values,
        entity="agenda_item",
    )


@transaction.atomic
def outcome_record(
    *,
    actor: User | None,
    agenda_item: AgendaItem,
    kind: str,
    text: str,
    adopted_by: str = "",
    task: dict[str, Any] | None = None,
) -> Outcome:
    """Record an outcome; a ``task`` outcome creates a work-plan task linked back to it.

    ``task`` holds the work-plan fields (``title`` defaults to ``text``, ``due`` required,
    ``owner_organisation`` or ``owner_user``). Errors on task fields are keyed
    ``task_<field>``.
    """
    plan = agenda_item.event.plan
    require_secretariat(actor, plan)
    outcome = Outcome(agenda_item=agenda_item, kind=kind, text=text.strip(), adopted_by=adopted_by)
    outcome.full_clean(exclude=["task"])
    if kind == Outcome.Kind.TASK:
        values = dict(task or {})
        values.setdefault("title", text.strip()[:300])
        values.setdefault("kind", WorkPlanItem.Kind.TASK)
        if not values.get("owner_organisation") and not values.get("owner_user"):
            raise ValidationError({"task_owner": _("Name who owns the task.")})
        item = WorkPlanItem(plan=plan)
        try:
            item = _save(
                actor=actor,
                obj=item,
                plan=plan,
                fields=WORK_PLAN_FIELDS,
                values=values,
                entity="work_plan_item",
            )
        except ValidationError as error:
            raise ValidationError(
                {f"task_{name}": messages for name, messages in error.message_dict.items()}
            ) from error
        outcome.task = item
    outcome.save()
    if outcome.task is not None:
        outcome.task.decided_at = outcome
        outcome.task.save(update_fields=["decided_at"])
    audit.record(
        actor=actor,
        event_type="outcome.created",
        obj=outcome,
        plan=plan,
        changes={"kind": [None, kind], "text": [None, outcome.text]},
    )
    return outcome


@transaction.atomic
def attendance_add(*, actor: User | None, event: Event, **values: Any) -> Attendance:
    """Record a person (one of women/men/unspecified = 1) or an organisation's counts."""
    require_secretariat(actor, event.plan)
    return _save(
        actor=actor,
        obj=Attendance(event=event),
        plan=event.plan,
        fields=ATTENDANCE_FIELDS,
        values=values,
        entity="attendance",
    )


@transaction.atomic
def attendance_remove(*, actor: User | None, attendance: Attendance) -> None:
    require_secretariat(actor, attendance.event.plan)
    audit.record(
        actor=actor,
        event_type="attendance.removed",
        obj=attendance,
        plan=attendance.event.plan,
        changes={"attendance": [str(attendance), None]},
    )
    attendance.delete()


# --------------------------------------------------------------------------- work plan


def _check_dependencies(item: WorkPlanItem, depends_on: list[WorkPlanItem]) -> None:
    """Dependencies are items of the same plan and never form a cycle."""
    for other in depends_on:
        if other.plan_id != item.plan_id:
            raise ValidationError({"depends_on": _("A dependency must belong to the same plan.")})
        if item.pk is not None and other.pk == item.pk:
            raise ValidationError({"depends_on": _("An item cannot depend on itself.")})
    if item.pk is None:
        return
    edges: dict[int, set[int]] = {}
    for source, target in WorkPlanItem.depends_on.through.objects.filter(
        from_workplanitem__plan_id=item.plan_id
    ).values_list("from_workplanitem_id", "to_workplanitem_id"):
        edges.setdefault(source, set()).add(target)
    edges[item.pk] = {other.pk for other in depends_on}
    stack, seen = list(edges[item.pk]), set()
    while stack:
        current = stack.pop()
        if current == item.pk:
            raise ValidationError({"depends_on": _("These dependencies would make a cycle.")})
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, ()))


def planning_warnings(item: WorkPlanItem) -> list[str]:
    """Warnings that do not stop a save: due before the drafting began.

    Drafting begins with the legal act that convened the working group (issue 4: "a task due
    before the plan's drafting began (warned)").
    """
    warnings = []
    group = WorkingGroup.objects.filter(plan_id=item.plan_id).only("legal_act_date").first()
    start = group.legal_act_date if group else None
    if start and item.due and item.due < start:
        warnings.append(
            _("Due before the drafting began (%(date)s).") % {"date": start.isoformat()}
        )
    return warnings


@transaction.atomic
def work_plan_item_create(*, actor: User | None, plan: Plan, **values: Any) -> WorkPlanItem:
    """Add a milestone or task to the work plan."""
    require_secretariat(actor, plan)
    item = WorkPlanItem(plan=plan)
    _check_dependencies(item, list(values.get("depends_on", [])))
    return _save(
        actor=actor,
        obj=item,
        plan=plan,
        fields=WORK_PLAN_FIELDS,
        values=values,
        entity="work_plan_item",
    )


@transaction.atomic
def work_plan_item_update(*, actor: User | None, item: WorkPlanItem, **values: Any) -> WorkPlanItem:
    """Change a work-plan item; dropping it needs ``drop_reason``."""
    require_secretariat(actor, item.plan)
    if "depends_on" in values:
        _check_dependencies(item, list(values["depends_on"]))
    return _save(
        actor=actor,
        obj=item,
        plan=item.plan,
        fields=WORK_PLAN_FIELDS,
        values=values,
        entity="work_plan_item",
        reason=values.get("drop_reason", "") if values.get("state") == "dropped" else "",
    )


def owns(actor: User | None, item: WorkPlanItem, access: Any = None) -> bool:
    """True if ``actor`` owns ``item``: as its person, or through a membership of the plan
    held for its owning organisation."""
    if actor is None or not actor.is_authenticated:
        return False
    if item.owner_user_id == actor.pk:
        return True
    access = access or plan_access(actor, item.plan)
    organisations: set[int] = set()
    for ids in access.organisations_by_role.values():
        organisations |= set(ids)
    return item.owner_organisation_id in organisations


@transaction.atomic
def work_plan_item_set_state(
    *, actor: User | None, item: WorkPlanItem, state: str, drop_reason: str = ""
) -> WorkPlanItem:
    """Move an item to ``state``: the secretariat, or the item's owner (their own task).

    Dropping needs ``drop_reason`` (kept as the audit event's reason).
    """
    if actor is not None and not (
        plan_access(actor, item.plan).can(PLAN_EDIT) or owns(actor, item)
    ):
        raise PermissionDenied
    values = {"state": state, "drop_reason": drop_reason if state == "dropped" else ""}
    return _save(
        actor=actor,
        obj=item,
        plan=item.plan,
        fields=WORK_PLAN_FIELDS,
        values=values,
        entity="work_plan_item",
        reason=values["drop_reason"],
    )


# --------------------------------------------------------------------------- media


@transaction.atomic
def media_item_create(*, actor: User | None, plan: Plan, **values: Any) -> MediaItem:
    """Record press coverage (URL validated: http or https only)."""
    require_secretariat(actor, plan)
    event = values.get("event")
    if event is not None and event.plan_id != plan.pk:
        raise ValidationError({"event": _("The event belongs to another plan.")})
    return _save(
        actor=actor,
        obj=MediaItem(plan=plan),
        plan=plan,
        fields=MEDIA_FIELDS,
        values=values,
        entity="media_item",
    )


@transaction.atomic
def media_item_update(*, actor: User | None, item: MediaItem, **values: Any) -> MediaItem:
    require_secretariat(actor, item.plan)
    return _save(
        actor=actor,
        obj=item,
        plan=item.plan,
        fields=MEDIA_FIELDS,
        values=values,
        entity="media_item",
    )


def today_in(plan: Plan) -> dt.date:
    """Today's date in the plan's time zone (overdue flags, DESIGN.md §8)."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    return timezone.now().astimezone(ZoneInfo(plan.time_zone)).date()


# --------------------------------------------------------------------------- pages (issue 4)


@transaction.atomic
def event_publish(*, actor: User | None, event: Event, published: bool) -> Event:
    """Mark an event published (the portal may show it) or internal again. Idempotent."""
    require_secretariat(actor, event.plan)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_published == published:
        return event
    event.is_published = published
    event.version += 1
    event.save(update_fields=["is_published", "version"])
    audit.record(
        actor=actor,
        event_type="event.published" if published else "event.unpublished",
        obj=event,
        plan=event.plan,
        changes={"is_published": [not published, published]},
    )
    return event


@transaction.atomic
def agenda_item_update(*, actor: User | None, item: AgendaItem, **values: Any) -> AgendaItem:
    """Change an agenda item's order, title or description."""
    require_secretariat(actor, item.event.plan)
    return _save(
        actor=actor,
        obj=item,
        plan=item.event.plan,
        fields=AGENDA_FIELDS,
        values=values,
        entity="agenda_item",
    )


@transaction.atomic
def agenda_item_remove(*, actor: User | None, item: AgendaItem) -> None:
    """Remove an agenda item that has no outcomes (recorded outcomes stay on the record).

    Errors: ``ValidationError`` on ``"title"`` when outcomes exist; ``PermissionDenied``.
    """
    plan = item.event.plan
    require_secretariat(actor, plan)
    if item.outcomes.exists():
        raise ValidationError(
            {
                "title": _(
                    "This agenda item has recorded outcomes; they stay part of the record, "
                    "so the item cannot be removed."
                )
            }
        )
    audit.record(
        actor=actor,
        event_type="agenda_item.removed",
        obj=item,
        plan=plan,
        changes={"title": [item.title, None]},
    )
    item.delete()


@transaction.atomic
def event_document_add(
    *, actor: User | None, event: Event, upload: Any, title: str = ""
) -> EventDocument:
    """Attach a document (an ``UploadedFile`` or any Django ``File``) to an event.

    Extension, leading bytes and size are checked by :func:`nap1325.core.uploads.check_upload`
    (pdf, docx, odt, txt, xlsx, ods, csv, pptx, odp, png, jpg; the upload limit). The file is
    stored through the storage API under a random name; the original name is kept for
    display. ``title`` defaults to the file name. Errors: ``ValidationError`` on ``"file"``
    or ``"title"``; ``PermissionDenied``.
    """
    from nap1325.core import uploads

    require_secretariat(actor, event.plan)
    original = uploads.file_name(upload)
    size = int(getattr(upload, "size", 0) or 0)
    uploads.check_upload(original, uploads.read_head(upload), size)
    document = EventDocument(
        event=event,
        title=(title.strip() or original)[:300],
        original_name=original,
        size=size,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    document.full_clean(exclude=["file"])
    document.file.save(uploads.stored_name(original), upload, save=False)
    document.save()
    audit.record(
        actor=actor,
        event_type="event.document_added",
        obj=event,
        plan=event.plan,
        changes={"document": [None, original]},
    )
    return document


@transaction.atomic
def event_document_remove(*, actor: User | None, document: EventDocument) -> None:
    """Remove a document of an event; the stored file is deleted once the change commits."""
    event = document.event
    require_secretariat(actor, event.plan)
    name, stored, storage = document.original_name, document.file.name, document.file.storage
    document.delete()
    audit.record(
        actor=actor,
        event_type="event.document_removed",
        obj=event,
        plan=event.plan,
        changes={"document": [name, None]},
    )
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def media_item_remove(*, actor: User | None, item: MediaItem) -> None:
    """Remove a media item (kept in the plan's history)."""
    require_secretariat(actor, item.plan)
    audit.record(
        actor=actor,
        event_type="media_item.removed",
        obj=item,
        plan=item.plan,
        changes={"url": [item.url, None], "outlet": [item.outlet, None]},
    )
    item.delete()
