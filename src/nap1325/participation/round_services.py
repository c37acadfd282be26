"""Writes of comment rounds and comments (issue 5, point 4; DESIGN.md §6 "consultation").

Keyword-only ``<entity>_<verb>`` functions, one transaction each, a permission check and
an audit event. Whether a round is open is decided here, at submit time, with the
server's clock: a page left open does not extend a round.

Errors: ``ValidationError`` keyed by field for bad input; ``PermissionDenied`` (or
``Http404`` via ``plan_access().require``) when the actor may not act.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nap1325.core import audit
from nap1325.core.models import User
from nap1325.core.permissions import PLAN_COMMENT, PLAN_EDIT, plan_access
from nap1325.participation.models import Comment, CommentRound
from nap1325.plans.models import PlanVersion
from nap1325.plans.versions import anchor_of

#: Public comments one e-mail address may send to one round per hour (spam brake).
PUBLIC_COMMENTS_PER_HOUR = 5


def _require(actor: User | None, plan: Any, permission: str) -> None:
    if actor is None:
        return
    if not plan_access(actor, plan).can(permission):
        raise PermissionDenied


@transaction.atomic
def comment_round_create(
    *,
    actor: User | None,
    version: PlanVersion,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    is_public: bool = False,
    description: str = "",
) -> CommentRound:
    """Open a comment round on ``version`` between two aware times.

    A drafting plan moves to *consultation*. Errors: ``closes_at`` not after ``opens_at``
    (on ``closes_at``), naive times, an empty title; a version that is not the plan's.
    """
    plan = version.plan
    _require(actor, plan, PLAN_EDIT)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append(str(_("Give the round a title.")))
    for name, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is None or timezone.is_naive(value):
            errors.setdefault(name, []).append(str(_("Give a date and time.")))
    if not errors and closes_at <= opens_at:
        errors.setdefault("closes_at", []).append(
            str(_("The round closes before it opens: choose a closing time after the opening."))
        )
    if errors:
        raise ValidationError(errors)
    round_ = CommentRound(
        plan=plan,
        version=version,
        title=title.strip(),
        description=description.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        is_public=is_public,
        created_by=actor if actor is not None and actor.pk else None,
    )
    round_.full_clean()
    round_.save()
    if plan.status == plan.Status.DRAFTING:
        from nap1325.plans.services import plan_update

        plan_update(actor=actor, plan=plan, status=plan.Status.CONSULTATION)
    audit.record(
        actor=actor,
        event_type="comment_round.created",
        obj=round_,
        plan=plan,
        changes={
            "version": [None, version.pk],
            "opens_at": [None, opens_at.isoformat()],
            "closes_at": [None, closes_at.isoformat()],
            "is_public": [None, is_public],
        },
    )
    return round_


@transaction.atomic
def comment_round_close(*, actor: User | None, round_: CommentRound) -> CommentRound:
    """Close an open round now (later comments are refused). No-op on a closed round."""
    _require(actor, round_.plan, PLAN_EDIT)
    now = timezone.now()
    if round_.state(now) == "closed":
        return round_
    old = round_.closes_at
    round_.closes_at = max(now, round_.opens_at + dt.timedelta(seconds=1))
    round_.save(update_fields=["closes_at"])
    audit.record(
        actor=actor,
        event_type="comment_round.closed",
        obj=round_,
        plan=round_.plan,
        changes={"closes_at": [old.isoformat(), round_.closes_at.isoformat()]},
    )
    return round_


@transaction.atomic
def comment_create(
    *,
    actor: User | None,
    round_: CommentRound,
    anchor_kind: str,
    anchor_pk: int,
    text: str,
    author_name: str = "",
    author_email: str = "",
    now: dt.datetime | None = None,
) -> Comment:
    """Comment on a result, action or indicator of the round's version.

    ``actor`` is a member with PLAN_COMMENT (the comment is shown at once), or ``None``
    for a member of the public on a round open to the public (name and e-mail required;
    the comment waits for moderation; at most ``PUBLIC_COMMENTS_PER_HOUR`` per address and
    hour). The round must be open *now* (server time). Errors: ``text`` empty; ``anchor``
    not in the version; ``__all__`` when the round is not open.
    """
    plan = round_.plan
    if actor is not None:
        plan_access(actor, plan).require(PLAN_COMMENT)
    elif not round_.is_public:
        raise PermissionDenied
    now = now or timezone.now()
    state = round_.state(now)
    if state == "closed":
        raise ValidationError(_("This comment round closed; comments are no longer accepted."))
    if state == "upcoming":
        raise ValidationError(_("This comment round has not opened yet."))
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors.setdefault("text", []).append(str(_("Write your comment.")))
    elif len(text) > 5000:
        errors.setdefault("text", []).append(str(_("At most 5000 characters.")))
    row = (
        anchor_of(round_.version.snapshot, anchor_kind, anchor_pk)
        if anchor_kind in Comment.AnchorKind.values
        else None
    )
    if row is None:
        errors.setdefault("anchor", []).append(
            str(_("Choose a result, action or indicator of this version."))
        )
    if actor is None:
        author_name, author_email = author_name.strip(), author_email.strip()
        if not author_name:
            errors.setdefault("author_name", []).append(str(_("Give your name.")))
        try:
            validate_email(author_email)
        except ValidationError:
            errors.setdefault("author_email", []).append(str(_("Give a valid e-mail address.")))
        else:
            recent = Comment.objects.filter(
                round=round_,
                author_email__iexact=author_email,
                created_at__gte=now - dt.timedelta(hours=1),
            ).count()
            if recent >= PUBLIC_COMMENTS_PER_HOUR:
                errors.setdefault("__all__", []).append(
                    str(_("Too many comments from this address in the last hour; try later."))
                )
    if errors:
        raise ValidationError(errors)
    assert row is not None
    comment = Comment(
        round=round_,
        anchor_kind=anchor_kind,
        anchor_pk=anchor_pk,
        anchor_code=str(row.get("code", "")),
        anchor_title=str(row.get("title", "")),
        text=text,
        author=actor if actor is not None else None,
        author_name="" if actor is not None else author_name,
        author_email="" if actor is not None else author_email,
        moderation=Comment.Moderation.VISIBLE if actor is not None else Comment.Moderation.PENDING,
    )
    comment.full_clean()
    comment.save()
    audit.record(
        actor=actor,
        event_type="comment.created",
        obj=comment,
        plan=plan,
        changes={
            "anchor_code": [None, comment.anchor_code],
            "moderation": [None, comment.moderation],
        },
    )
    return comment


@transaction.atomic
def comment_moderate(
    *, actor: User | None, comment: Comment, show: bool, reason: str = ""
) -> Comment:
    """Show a comment (approve a public one) or hide it; hiding needs a reason."""
    plan = comment.round.plan
    _require(actor, plan, PLAN_EDIT)
    reason = (reason or "").strip()
    if not show and not reason:
        raise ValidationError({"reason": _("Give the reason for hiding this comment.")})
    old = comment.moderation
    comment.moderation = Comment.Moderation.VISIBLE if show else Comment.Moderation.HIDDEN
    comment.moderation_reason = "" if show else reason
    comment.moderated_by = actor if actor is not None and actor.pk else None
    comment.save(update_fields=["moderation", "moderation_reason", "moderated_by"])
    audit.record(
        actor=actor,
        event_type="comment.shown" if show else "comment.hidden",
        obj=comment,
        plan=plan,
        changes={"moderation": [old, comment.moderation]},
        reason=reason,
    )
    return comment


@transaction.atomic
def comment_resolve(
    *, actor: User | None, comment: Comment, resolution: str, reason: str
) -> Comment:
    """Resolve a shown comment as accepted, partly accepted or rejected, with a reason.

    Errors: ``resolution`` not one of the three; ``reason`` empty; ``__all__`` when the
    comment is hidden or awaits moderation.
    """
    plan = comment.round.plan
    _require(actor, plan, PLAN_EDIT)
    errors: dict[str, list[str]] = {}
    if comment.moderation != Comment.Moderation.VISIBLE:
        errors.setdefault("__all__", []).append(
            str(_("Only a shown comment can be resolved; approve it first."))
        )
    if resolution not in Comment.Resolution.values:
        errors.setdefault("resolution", []).append(
            str(_("Choose accepted, partly accepted or rejected."))
        )
    reason = (reason or "").strip()
    if not reason:
        errors.setdefault("reason", []).append(str(_("Give the reason for this resolution.")))
    if errors:
        raise ValidationError(errors)
    before = {"resolution": comment.resolution, "resolution_reason": comment.resolution_reason}
    comment.resolution = resolution
    comment.resolution_reason = reason
    comment.resolved_by = actor if actor is not None and actor.pk else None
    comment.resolved_at = timezone.now()
    comment.save(update_fields=["resolution", "resolution_reason", "resolved_by", "resolved_at"])
    audit.record(
        actor=actor,
        event_type="comment.resolved",
        obj=comment,
        plan=plan,
        changes=audit.diff(before, {"resolution": resolution, "resolution_reason": reason}),
        reason=reason,
    )
    return comment
