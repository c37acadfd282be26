"""Every write of participation: consultations (with participants by group and documents),
inputs, their links to actions with dispositions, and shadow assessments (DESIGN.md §7).

Keyword-only ``<entity>_<verb>`` functions, one transaction each, ``full_clean()`` so pages,
admin and the demo share the rules, and an audit event. ``actor=None`` is the system (demo
loader, CLI).

Who (DESIGN.md §2, docs/decisions.md "Participation"):

* the secretariat (``PLAN_EDIT``) records consultations, documents and inputs and decides
  dispositions;
* civil-society monitors (``SHADOW_ASSESS``) record inputs too (DESIGN.md §2: they
  "submit shadow assessments and consultation inputs"), and may change their own inputs
  while no disposition is decided; they write their organisation's shadow assessments.

Rules of input:

* a disposition always has a reason (a link's ``reason``; a decline's reason);
* participant counts are whole numbers ≥ 0 (the database refuses negatives too);
* a consultation cannot be dated after today in the plan's time zone (it records what
  happened); a date outside the plan period is accepted with a warning
  (:func:`consultation_warnings`): consultations usually precede the plan.

Errors: ``ValidationError`` keyed by field; ``PermissionDenied``; ``Http404`` for an
element of another plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nap1325.coordination.services import today_in
from nap1325.core import audit, uploads
from nap1325.core.models import Organisation, Role, User
from nap1325.core.permissions import PLAN_EDIT, SHADOW_ASSESS, plan_access
from nap1325.monitoring.models import ReportingPeriod
from nap1325.participation.models import (
    Consultation,
    ConsultationDocument,
    ConsultationGroupCount,
    Disposition,
    Input,
    InputLink,
    ShadowAssessment,
    StakeholderGroup,
)
from nap1325.plans.models import Action, Indicator, Plan

CONSULTATION_FIELDS = [
    "title",
    "level",
    "date",
    "place",
    "region",
    "organiser",
    "method",
    "women",
    "men",
    "unspecified",
    "summary",
    "is_illustrative",
]
INPUT_FIELDS = ["kind", "text", "pillar", "themes", "region", "group", "is_illustrative"]
SHADOW_FIELDS = ["rating", "narrative", "evidence_url", "is_illustrative"]

#: Order of dispositions from most to least taken up (the input's own disposition is the
#: highest of its links: an input is incorporated when at least one action takes it up).
DISPOSITION_RANK = {
    Disposition.INCORPORATED: 3,
    Disposition.PARTLY: 2,
    Disposition.NOT_INCORPORATED: 1,
}


def _require(actor: User | None, plan: Plan, permission: str) -> None:
    if actor is not None:
        plan_access(actor, plan).require(permission)


def can_record_inputs(actor: User | None, plan: Plan) -> bool:
    """The secretariat and civil-society monitors record inputs."""
    if actor is None:
        return True
    access = plan_access(actor, plan)
    return access.can(PLAN_EDIT) or access.can(SHADOW_ASSESS)


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _whole_number(name: str, value: Any) -> int:
    """A participant count: an int ≥ 0 (bools, text and negatives refused on ``name``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError({name: _("Enter a whole number (0 or more).")}) from None
    if value < 0:
        raise ValidationError({name: _("A count cannot be negative.")})
    return value


def normalise_themes(themes: Any) -> list[str]:
    """Themes as a list of distinct strings (case-insensitive), in the order given.

    Accepts a list or a comma-separated string; blank items are dropped; each theme is at
    most 80 characters (``ValidationError`` on ``themes`` otherwise).
    """
    if themes is None:
        return []
    items = themes.split(",") if isinstance(themes, str) else list(themes)
    seen: dict[str, str] = {}
    for item in items:
        text = " ".join(str(item).split())
        if not text:
            continue
        if len(text) > 80:
            raise ValidationError({"themes": _("A theme has at most 80 characters.")})
        seen.setdefault(text.casefold(), text)
    return list(seen.values())


# --------------------------------------------------------------------------- consultations


def consultation_warnings(consultation: Consultation) -> list[str]:
    """Warnings (not errors) about a consultation's date relative to the plan period."""
    plan = consultation.plan
    warnings = []
    if consultation.date and consultation.date < plan.period_start:
        warnings.append(_("Held before the plan period (consultations on a draft usually are)."))
    if consultation.date and consultation.date > plan.period_end:
        warnings.append(_("Held after the plan period."))
    return warnings


def _group_counts(values: Mapping[str, Any] | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for group, count in (values or {}).items():
        if group not in StakeholderGroup.values:
            raise ValidationError(
                {"group_counts": _("Unknown group: %(group)s") % {"group": group}}
            )
        if count in (None, ""):
            continue
        number = _whole_number(f"group_{group}", count)
        if number:
            counts[group] = number
    return counts


def _consultation_save(
    *,
    actor: User | None,
    consultation: Consultation,
    values: dict[str, Any],
    group_counts: Mapping[str, Any] | None,
) -> Consultation:
    plan = consultation.plan
    _require(actor, plan, PLAN_EDIT)
    creating = consultation.pk is None
    unknown = set(values) - set(CONSULTATION_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    before = {} if creating else audit.snapshot(consultation, CONSULTATION_FIELDS)
    old_groups = {} if creating else dict(consultation.group_counts.values_list("group", "count"))
    for name in ("women", "men", "unspecified"):
        if name in values:
            values[name] = _whole_number(name, values[name])
    for name, value in values.items():
        setattr(consultation, name, _clean_text(value))
    consultation.full_clean()
    if consultation.date and consultation.date > today_in(plan):
        raise ValidationError(
            {
                "date": _(
                    "A consultation is recorded once it has taken place: the date is in the future."
                )
            }
        )
    counts = _group_counts(group_counts) if group_counts is not None else old_groups
    consultation.save()
    if group_counts is not None:
        ConsultationGroupCount.objects.filter(consultation=consultation).delete()
        ConsultationGroupCount.objects.bulk_create(
            [
                ConsultationGroupCount(consultation=consultation, group=group, count=count)
                for group, count in counts.items()
            ]
        )
    changes = audit.diff(before, audit.snapshot(consultation, CONSULTATION_FIELDS))
    if counts != old_groups:
        changes["group_counts"] = [old_groups, counts]
    audit.record(
        actor=actor,
        event_type=f"consultation.{'created' if creating else 'updated'}",
        obj=consultation,
        plan=plan,
        changes=changes,
    )
    return consultation


@transaction.atomic
def consultation_create(
    *,
    actor: User | None,
    plan: Plan,
    group_counts: Mapping[str, Any] | None = None,
    **values: Any,
) -> Consultation:
    """Record a consultation; ``group_counts`` maps :class:`StakeholderGroup` keys to counts."""
    return _consultation_save(
        actor=actor,
        consultation=Consultation(plan=plan),
        values=values,
        group_counts=group_counts or {},
    )


@transaction.atomic
def consultation_update(
    *,
    actor: User | None,
    consultation: Consultation,
    group_counts: Mapping[str, Any] | None = None,
    **values: Any,
) -> Consultation:
    """Change a consultation; ``group_counts`` (when given) replaces the whole group table."""
    return _consultation_save(
        actor=actor, consultation=consultation, values=values, group_counts=group_counts
    )


@transaction.atomic
def consultation_publish(
    *, actor: User | None, consultation: Consultation, published: bool
) -> Consultation:
    """Publish a consultation (its inputs and their dispositions become public) or undo it."""
    _require(actor, consultation.plan, PLAN_EDIT)
    if consultation.is_published == published:
        return consultation
    consultation.is_published = published
    consultation.save(update_fields=["is_published"])
    audit.record(
        actor=actor,
        event_type="consultation.published" if published else "consultation.unpublished",
        obj=consultation,
        plan=consultation.plan,
        changes={"is_published": [not published, published]},
    )
    return consultation


@transaction.atomic
def consultation_document_add(
    *, actor: User | None, consultation: Consultation, upload: Any, title: str = ""
) -> ConsultationDocument:
    """Attach a document; checked by :func:`nap1325.core.uploads.check_upload`."""
    _require(actor, consultation.plan, PLAN_EDIT)
    original = uploads.file_name(upload)
    size = int(getattr(upload, "size", 0) or 0)
    uploads.check_upload(original, uploads.read_head(upload), size)
    document = ConsultationDocument(
        consultation=consultation,
        title=(title or "").strip() or original,
        original_name=original,
        size=size,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    document.full_clean(exclude=["file"])
    document.file.save(uploads.stored_name(original), upload, save=False)
    document.save()
    audit.record(
        actor=actor,
        event_type="consultation.document_added",
        obj=consultation,
        plan=consultation.plan,
        changes={"document": [None, original]},
    )
    return document


@transaction.atomic
def consultation_document_remove(*, actor: User | None, document: ConsultationDocument) -> None:
    """Remove a document; the stored file is deleted once the change commits."""
    consultation = document.consultation
    _require(actor, consultation.plan, PLAN_EDIT)
    name, stored, storage = document.original_name, document.file.name, document.file.storage
    document.delete()
    audit.record(
        actor=actor,
        event_type="consultation.document_removed",
        obj=consultation,
        plan=consultation.plan,
        changes={"document": [name, None]},
    )
    transaction.on_commit(lambda: storage.delete(stored))


# --------------------------------------------------------------------------- inputs


def _input_set(inp: Input, values: dict[str, Any]) -> None:
    unknown = set(values) - set(INPUT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in values.items():
        if name == "themes":
            value = normalise_themes(value)
        setattr(inp, name, _clean_text(value))


@transaction.atomic
def input_create(
    *, actor: User | None, consultation: Consultation, raised_by: User | None = None, **values: Any
) -> Input:
    """Record a concern or recommendation raised at ``consultation``.

    Monitors' inputs carry them as ``raised_by`` (they get its disposition in their digest);
    the secretariat may name a member as ``raised_by`` or leave it empty (notes).
    """
    plan = consultation.plan
    if not can_record_inputs(actor, plan):
        plan_access(actor, plan).require(PLAN_EDIT)
    if actor is not None and not plan_access(actor, plan).can(PLAN_EDIT):
        raised_by = actor
    inp = Input(consultation=consultation, raised_by=raised_by)
    _input_set(inp, values)
    inp.full_clean()
    inp.save()
    audit.record(
        actor=actor,
        event_type="input.created",
        obj=inp,
        plan=plan,
        changes=audit.diff({}, audit.snapshot(inp, INPUT_FIELDS)),
    )
    return inp


def can_edit_input(actor: User | None, inp: Input) -> bool:
    """The secretariat always; a monitor their own input while it has no disposition."""
    if actor is None:
        return True
    access = plan_access(actor, inp.consultation.plan)
    if access.can(PLAN_EDIT):
        return True
    return access.can(SHADOW_ASSESS) and inp.raised_by_id == actor.pk and not inp.disposition


@transaction.atomic
def input_update(*, actor: User | None, inp: Input, **values: Any) -> Input:
    """Change an input's text, pillar, themes, region, group (see :func:`can_edit_input`)."""
    plan = inp.consultation.plan
    if not can_edit_input(actor, inp):
        plan_access(actor, plan).require(PLAN_EDIT)
    before = audit.snapshot(inp, INPUT_FIELDS)
    _input_set(inp, values)
    inp.full_clean()
    inp.save()
    audit.record(
        actor=actor,
        event_type="input.updated",
        obj=inp,
        plan=plan,
        changes=audit.diff(before, audit.snapshot(inp, INPUT_FIELDS)),
    )
    return inp


def derived_disposition(link_dispositions: list[str], declined: bool) -> str:
    """The input's disposition: the highest of its links (incorporated > partly > not);
    "not incorporated" when declined without an action; "" when undecided."""
    if link_dispositions:
        return max(link_dispositions, key=lambda d: DISPOSITION_RANK[Disposition(d)])
    return Disposition.NOT_INCORPORATED if declined else ""


def input_disposition_refresh(inp: Input) -> None:
    """Recompute ``inp.disposition`` from its links; stamp the time when it changes."""
    links = list(inp.links.values_list("disposition", flat=True))
    value = derived_disposition(links, bool(inp.decline_reason))
    if value != inp.disposition:
        inp.disposition = value
        inp.disposition_changed_at = timezone.now() if value else None
        inp.save(update_fields=["disposition", "disposition_changed_at"])
    elif value:
        inp.disposition_changed_at = timezone.now()
        inp.save(update_fields=["disposition_changed_at"])


def _reason(reason: Any) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": _("Give the reason for this disposition.")})
    if len(text) > 5000:
        raise ValidationError({"reason": _("The reason has at most 5000 characters.")})
    return text


@transaction.atomic
def input_link_save(
    *, actor: User | None, inp: Input, action: Action, disposition: str, reason: str
) -> InputLink:
    """Link ``inp`` to ``action`` with a disposition and a reason (or change the link).

    A decline without an action is replaced: the input now has an action.
    """
    plan = inp.consultation.plan
    _require(actor, plan, PLAN_EDIT)
    if action.plan_id != plan.pk or action.is_archived:
        raise ValidationError({"action": _("Choose an action of this plan.")})
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": _("Choose a disposition.")})
    text = _reason(reason)
    link = InputLink.objects.filter(input=inp, action=action).first()
    before = {"disposition": link.disposition, "reason": link.reason} if link is not None else {}
    if link is None:
        link = InputLink(input=inp, action=action)
    link.disposition = disposition
    link.reason = text
    link.full_clean()
    link.save()
    if inp.decline_reason:
        audit.record(
            actor=actor,
            event_type="input.decline_withdrawn",
            obj=inp,
            plan=plan,
            changes={"decline_reason": [inp.decline_reason, ""]},
        )
        inp.decline_reason = ""
        inp.save(update_fields=["decline_reason"])
    input_disposition_refresh(inp)
    audit.record(
        actor=actor,
        event_type="input.linked",
        obj=inp,
        plan=plan,
        changes={
            "action": [action.code if before else None, action.code],
            **audit.diff(before, {"disposition": disposition, "reason": text}),
        },
        reason=text,
    )
    return link


@transaction.atomic
def input_link_remove(*, actor: User | None, link: InputLink) -> None:
    """Remove a link; the input's disposition is recomputed (undecided if none is left)."""
    inp = link.input
    plan = inp.consultation.plan
    _require(actor, plan, PLAN_EDIT)
    code = link.action.code
    old = link.disposition
    link.delete()
    input_disposition_refresh(inp)
    audit.record(
        actor=actor,
        event_type="input.unlinked",
        obj=inp,
        plan=plan,
        changes={"action": [code, None], "disposition": [old, None]},
    )


@transaction.atomic
def input_decline(*, actor: User | None, inp: Input, reason: str) -> Input:
    """Record "not incorporated" without any action (the reason is required and public).

    Refused while the input is linked to actions: remove the links first (or give the
    links the disposition "not incorporated").
    """
    plan = inp.consultation.plan
    _require(actor, plan, PLAN_EDIT)
    text = _reason(reason)
    if inp.links.exists():
        raise ValidationError(
            {
                "reason": _(
                    "This input is linked to actions; change the links' dispositions instead."
                )
            }
        )
    old = inp.decline_reason
    inp.decline_reason = text
    inp.save(update_fields=["decline_reason"])
    input_disposition_refresh(inp)
    audit.record(
        actor=actor,
        event_type="input.declined",
        obj=inp,
        plan=plan,
        changes={"decline_reason": [old or None, text]},
        reason=text,
    )
    return inp


# --------------------------------------------------------------------------- shadow assessments


def monitor_organisations(actor: User | None, plan: Plan) -> list[Organisation]:
    """Organisations ``actor`` writes shadow assessments for on ``plan``.

    A monitor: the organisations of their civil-society-monitor memberships. A platform
    admin (or the system): every civil-society organisation.
    """
    if actor is None or actor.is_superuser:
        return list(Organisation.objects.filter(kind="cso").order_by("name"))
    ids = plan_access(actor, plan).organisations_by_role.get(Role.CIVIL_SOCIETY_MONITOR, ())
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _shadow_evidence(assessment: ShadowAssessment, upload: Any) -> None:
    original = uploads.file_name(upload)
    size = int(getattr(upload, "size", 0) or 0)
    uploads.check_upload(original, uploads.read_head(upload), size, field="evidence_file")
    assessment.evidence_name = original
    assessment.evidence_size = size
    assessment.evidence_file.save(uploads.stored_name(original), upload, save=False)


@transaction.atomic
def shadow_assessment_save(
    *,
    actor: User | None,
    plan: Plan,
    period: ReportingPeriod,
    organisation: Organisation,
    action: Action | None = None,
    indicator: Indicator | None = None,
    upload: Any = None,
    version: int | None = None,
    **values: Any,
) -> ShadowAssessment:
    """Create or change ``organisation``'s assessment of one action or indicator in ``period``.

    One per organisation × period × element: saving again changes it (version + 1) and the
    audit trail keeps the old rating, narrative and evidence. ``version`` (the one the
    writer loaded) refuses a stale save. Evidence: a link, a file (checked like other
    uploads), or both; at least a narrative is required.
    """
    _require(actor, plan, SHADOW_ASSESS)
    if organisation.pk not in {o.pk for o in monitor_organisations(actor, plan)}:
        raise PermissionDenied
    if period.plan_id != plan.pk:
        raise ValidationError({"period": _("Choose a reporting period of this plan.")})
    if (action is None) == (indicator is None):
        raise ValidationError({"element": _("Assess one action or one indicator.")})
    element = action if action is not None else indicator
    assert element is not None
    if element.plan_id != plan.pk or element.is_archived:
        raise ValidationError({"element": _("Choose an action or indicator of this plan.")})
    unknown = set(values) - set(SHADOW_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    existing = (
        ShadowAssessment.objects.select_for_update()
        .filter(
            organisation=organisation,
            period=period,
            action=action,
            indicator=indicator,
        )
        .first()
    )
    creating = existing is None
    assessment = existing or ShadowAssessment(
        plan=plan, period=period, organisation=organisation, action=action, indicator=indicator
    )
    if not creating and version is not None and version != assessment.version:
        raise ValidationError(
            {
                "narrative": _(
                    "Someone changed this assessment since you opened it; reload and try again."
                )
            }
        )
    fields = [*SHADOW_FIELDS, "evidence_name"]
    before = {} if creating else audit.snapshot(assessment, fields)
    for name, value in values.items():
        setattr(assessment, name, _clean_text(value))
    if not (assessment.narrative or "").strip():
        raise ValidationError({"narrative": _("Say what you found and how.")})
    assessment.updated_by = actor if actor is not None and actor.pk else None
    assessment.full_clean(exclude=["evidence_file"])
    if upload is not None:
        _shadow_evidence(assessment, upload)
    if not creating:
        assessment.version += 1
    assessment.save()
    audit.record(
        actor=actor,
        event_type=f"shadow_assessment.{'created' if creating else 'updated'}",
        obj=assessment,
        plan=plan,
        changes=audit.diff(before, audit.snapshot(assessment, fields)),
    )
    return assessment


def today(plan: Plan) -> dt.date:
    """Today in the plan's time zone."""
    return today_in(plan)
