"""Audit events made readable for people who are not programmers.

An :class:`~nap1325.core.models.AuditEvent` stores field names and raw values
(``{"lead_agency": [3, 7]}``, ``{"status": ["not_started", "in_progress"]}``). The History
page, and later the version comparison, show them as the user knows them: the field's
translated label, the organisation's name, the choice's label, "yes"/"no".

Usage::

    rows = readable_events(page.object_list)   # one query per related model on the page
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nap1325.core.models import AuditEvent

#: What each event type is called on screen. Unknown types show their code.
EVENT_LABELS: dict[str, Any] = {
    "plan.created": gettext_lazy("Plan created"),
    "plan.updated": gettext_lazy("Plan changed"),
    "plan.published": gettext_lazy("Plan published on the public portal"),
    "plan.unpublished": gettext_lazy("Plan withdrawn from the public portal"),
    "result.created": gettext_lazy("Result added"),
    "result.updated": gettext_lazy("Result changed"),
    "result.archived": gettext_lazy("Result archived"),
    "action.created": gettext_lazy("Action added"),
    "action.updated": gettext_lazy("Action changed"),
    "action.archived": gettext_lazy("Action archived"),
    "indicator.created": gettext_lazy("Indicator added"),
    "indicator.updated": gettext_lazy("Indicator changed"),
    "indicator.archived": gettext_lazy("Indicator archived"),
    "budget_line.created": gettext_lazy("Budget line added"),
    "budget_line.updated": gettext_lazy("Budget line changed"),
    "budget_line.archived": gettext_lazy("Budget line archived"),
    "dimension.created": gettext_lazy("Breakdown dimension added"),
    "membership.granted": gettext_lazy("Role granted"),
    "organisation.created": gettext_lazy("Organisation added"),
    "user.created": gettext_lazy("User added"),
    "api_token.created": gettext_lazy("API token issued"),
    "api_token.revoked": gettext_lazy("API token revoked"),
    "reporting_period.created": gettext_lazy("Reporting period added"),
    "reporting_period.updated": gettext_lazy("Reporting period changed"),
    "reporting_period.opened": gettext_lazy("Reporting period opened"),
    "reporting_period.closed": gettext_lazy("Reporting period closed"),
    "agency_report.created": gettext_lazy("Agency report started"),
    "agency_report.saved": gettext_lazy("Agency report saved"),
    "agency_report.submitted": gettext_lazy("Agency report submitted"),
    "agency_report.returned": gettext_lazy("Agency report returned for revision"),
    "agency_report.approved": gettext_lazy("Agency report approved"),
    "agency_report.reopened": gettext_lazy("Agency report reopened"),
    "agency_report.evidence_added": gettext_lazy("Evidence added to a report"),
    "agency_report.evidence_removed": gettext_lazy("Evidence removed from a report"),
    "agency_report.workbook_uploaded": gettext_lazy("Agency report uploaded as a workbook"),
    "working_group.created": gettext_lazy("Working group set up"),
    "working_group.updated": gettext_lazy("Working group changed"),
    "group_member.created": gettext_lazy("Working-group member added"),
    "group_member.updated": gettext_lazy("Working-group member changed"),
    "event.created": gettext_lazy("Event added"),
    "event.updated": gettext_lazy("Event changed"),
    "event.published": gettext_lazy("Event published"),
    "event.unpublished": gettext_lazy("Event made internal"),
    "event.minutes_saved": gettext_lazy("Minutes saved"),
    "event.document_added": gettext_lazy("Event document added"),
    "event.document_removed": gettext_lazy("Event document removed"),
    "agenda_item.created": gettext_lazy("Agenda item added"),
    "agenda_item.updated": gettext_lazy("Agenda item changed"),
    "agenda_item.removed": gettext_lazy("Agenda item removed"),
    "outcome.created": gettext_lazy("Outcome recorded"),
    "attendance.created": gettext_lazy("Attendance recorded"),
    "attendance.updated": gettext_lazy("Attendance changed"),
    "attendance.removed": gettext_lazy("Attendance removed"),
    "work_plan_item.created": gettext_lazy("Work-plan item added"),
    "work_plan_item.updated": gettext_lazy("Work-plan item changed"),
    "media_item.created": gettext_lazy("Media item added"),
    "media_item.updated": gettext_lazy("Media item changed"),
    "media_item.removed": gettext_lazy("Media item removed"),
    "user.reminders_set": gettext_lazy("Reminder settings changed"),
    "calendar_feed.reset": gettext_lazy("Calendar address reset"),
    "generated_report.requested": gettext_lazy("Progress report requested"),
    "generated_report.built": gettext_lazy("Progress report built"),
    "generated_report.failed": gettext_lazy("Progress report failed"),
    "plan.adopted": gettext_lazy("Plan adopted"),
    "plan_version.created": gettext_lazy("Version saved"),
    "plan_version.updated": gettext_lazy("Version label changed"),
    "plan_version.adopted": gettext_lazy("Version adopted"),
    "comment_round.created": gettext_lazy("Comment round opened"),
    "comment_round.closed": gettext_lazy("Comment round closed"),
    "comment.created": gettext_lazy("Comment added"),
    "comment.shown": gettext_lazy("Comment shown"),
    "comment.hidden": gettext_lazy("Comment hidden"),
    "comment.resolved": gettext_lazy("Comment resolved"),
    "consultation.created": gettext_lazy("Consultation recorded"),
    "consultation.updated": gettext_lazy("Consultation changed"),
    "consultation.published": gettext_lazy("Consultation published"),
    "consultation.unpublished": gettext_lazy("Consultation made internal"),
    "consultation.document_added": gettext_lazy("Consultation document added"),
    "consultation.document_removed": gettext_lazy("Consultation document removed"),
    "input.created": gettext_lazy("Input recorded"),
    "input.updated": gettext_lazy("Input changed"),
    "input.linked": gettext_lazy("Input linked to an action (disposition)"),
    "input.unlinked": gettext_lazy("Input's link to an action removed"),
    "input.declined": gettext_lazy("Input not incorporated (no action)"),
    "input.decline_withdrawn": gettext_lazy("Input's decline withdrawn"),
    "shadow_assessment.created": gettext_lazy("Shadow assessment written"),
    "shadow_assessment.updated": gettext_lazy("Shadow assessment changed"),
    "admin.added": gettext_lazy("Added in the administration"),
    "admin.changed": gettext_lazy("Changed in the administration"),
    "admin.deleted": gettext_lazy("Deleted in the administration"),
}

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label and the old and new values as text."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ReadableEvent:
    """An audit event with its type label and readable changes."""

    event: AuditEvent
    label: str
    changes: list[FieldChange]


#: Labels of change keys that are not a field of the event's object (what a service wrote
#: about the change: the reports' values, a file's size, …); others are shown humanised.
CHANGE_LABELS = {
    "action": gettext_lazy("Action"),
    "reason": gettext_lazy("Reason"),
    "values": gettext_lazy("Values"),
    "updates": gettext_lazy("Action updates"),
    "bytes": gettext_lazy("File size (bytes)"),
    "scope": gettext_lazy("Scope"),
    "group_counts": gettext_lazy("Participants by group"),
    "document": gettext_lazy("Document"),
    "evidence": gettext_lazy("Evidence"),
    "file": gettext_lazy("File"),
    "items_archived": gettext_lazy("Items archived"),
    "decline_reason": gettext_lazy("Reason for declining"),
    "categories": gettext_lazy("Categories"),
    "attendance": gettext_lazy("Attendance"),
}


def change_label(name: str) -> str:
    """The label of a change key that is not a model field ("group_counts" → "Participants
    by group"; an unknown key humanised: "some_key" → "Some key")."""
    label = CHANGE_LABELS.get(name)
    return str(label) if label is not None else capfirst(name.replace("_", " "))


def event_label(event_type: str) -> str:
    """The translated name of an event type (its code if unknown)."""
    label = EVENT_LABELS.get(event_type)
    return str(label) if label is not None else event_type


def _model_of(event: AuditEvent) -> type[models.Model] | None:
    if event.content_type_id is None:
        return None
    return ContentType.objects.get_for_id(event.content_type_id).model_class()


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _related_ids(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return [value]


def _names_of_related(
    events: Sequence[AuditEvent],
) -> dict[type[models.Model], dict[Any, str]]:
    """Names of every object a foreign key or many-to-many change on the page points to.

    One query per related model (bounded by the number of models, not of events).
    """
    wanted: dict[type[models.Model], set[Any]] = {}
    for event in events:
        model = _model_of(event)
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            if not isinstance(pair, list) or len(pair) != 2:
                continue
            related = field.related_model
            assert isinstance(related, type)
            for side in pair:
                wanted.setdefault(related, set()).update(_related_ids(side))
    names: dict[type[models.Model], dict[Any, str]] = {}
    for related, ids in wanted.items():
        clean = {i for i in ids if isinstance(i, int | str)}
        names[related] = {
            pk: str(obj) for pk, obj in related._default_manager.in_bulk(list(clean)).items()
        }
    return names


def _plain_number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return text


def value_text(
    field: models.Field[Any, Any] | None, value: Any, names: Mapping[Any, str] | None = None
) -> str:
    """One stored value as text: names for relations, labels for choices, yes/no, numbers."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field is not None and field.is_relation:
        ids = _related_ids(value)
        return ", ".join((names or {}).get(pk, _("#%(id)s (deleted)") % {"id": pk}) for pk in ids)
    if field is not None and field.choices:
        choices = dict(field.flatchoices)
        if isinstance(value, list):
            return ", ".join(str(choices.get(item, item)) for item in value)
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and isinstance(field, models.DecimalField):
        return _plain_number(value)
    if isinstance(value, list):
        return ", ".join(value_text(None, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_text(None, item)}" for key, item in value.items())
    return str(value)


def _translated_label(field: Any) -> str:
    """ "Title (Russian)" for a per-language column (django-modeltranslation's ``title_ru``)."""
    from django.conf import settings

    language = dict(settings.LANGUAGES).get(field.language, field.language)
    return _("%(field)s (%(language)s)") % {
        "field": capfirst(str(field.translated_field.verbose_name)),
        "language": language,
    }


#: "Title (Russian)" for a per-language column; public name for other apps' labels.
translated_field_label = _translated_label


def readable_events(events: Iterable[AuditEvent]) -> list[ReadableEvent]:
    """Events with translated labels and readable changes (see module docstring)."""
    items = list(events)
    names = _names_of_related(items)
    rows = []
    for event in items:
        model = _model_of(event)
        changes = []
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            label = capfirst(str(field.verbose_name)) if field is not None else change_label(name)
            if field is not None and hasattr(
                field, "translated_field"
            ):  # title_ru → Title (Russian)
                label = _translated_label(field)
            related = names.get(field.related_model, {}) if field and field.related_model else {}  # type: ignore[arg-type]
            if isinstance(pair, list) and len(pair) == 2:
                old, new = (value_text(field, side, related) for side in pair)
                changes.append(FieldChange(label, old, new))
            else:
                changes.append(FieldChange(label, "", value_text(field, pair, related)))
        rows.append(ReadableEvent(event, event_label(event.event_type), changes))
    return rows
