"""Comment rounds on a plan version and their comments (issue 5, point 4).

A :class:`CommentRound` opens and closes at stored aware (UTC) times entered in the plan's
time zone; whether it is open is decided on the server when a comment is submitted
(:func:`nap1325.participation.round_services.comment_create`). A :class:`Comment` is
anchored to a result, action or indicator *of the round's version* by its ``pk`` and keeps
the snapshot's code and title, so it reads the same after the plan moves on.

Visibility of a comment (``moderation``): members' comments are ``visible`` at once;
comments of the public are ``pending`` until the coordinator approves them; the
coordinator may ``hidden`` any comment with a reason. Only visible comments are shown,
counted and resolved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentRound(models.Model):
    """A period in which a version of the plan is open for comments."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="comment_rounds",
    )
    version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="comment_rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("invitation"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    is_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_(
            "Anyone with the link may comment with a name and e-mail address; their comments "
            "are shown only after moderation."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment round")
        verbose_name_plural = _("comment rounds")
        ordering = ["plan", "-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="comment_round_closes_after_opening",
                violation_error_message=_("The round must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, now: Any = None) -> str:
        """``"upcoming"``, ``"open"`` or ``"closed"`` at ``now`` (default: the current time)."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now: Any = None) -> bool:
        return self.state(now) == "open"


class Comment(models.Model):
    """A comment on one result, action or indicator of a round's version."""

    class AnchorKind(models.TextChoices):
        RESULT = "result", _("Result")
        ACTION = "action", _("Action")
        INDICATOR = "indicator", _("Indicator")

    class Moderation(models.TextChoices):
        VISIBLE = "visible", _("Shown")
        PENDING = "pending", _("Awaiting moderation")
        HIDDEN = "hidden", _("Hidden")

    class Resolution(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        REJECTED = "rejected", _("Rejected")

    round = models.ForeignKey(
        CommentRound,
        verbose_name=_("comment round"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    anchor_kind = models.CharField(_("on"), max_length=20, choices=AnchorKind.choices)
    anchor_pk = models.PositiveIntegerField(_("element"))
    anchor_code = models.CharField(_("code"), max_length=40, blank=True)
    anchor_title = models.TextField(_("element title"), blank=True)
    text = models.TextField(_("comment"), max_length=5000, validators=[MaxLengthValidator(5000)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_comments",
    )
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    author_email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    moderation = models.CharField(
        _("visibility"), max_length=20, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_reason = models.TextField(_("reason for hiding"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, blank=True
    )
    resolution_reason = models.TextField(_("reason for the resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["round", "created_at", "id"]
        indexes = [models.Index(fields=["round", "anchor_kind", "anchor_pk"])]

    def __str__(self) -> str:
        return f"{self.anchor_code}: {self.text[:60]}"

    @property
    def is_public_comment(self) -> bool:
        return self.author_id is None and bool(self.author_email)

    @property
    def by(self) -> str:
        """The commenter's name as shown (a member's display name, or the name given)."""
        if self.author is not None:
            return str(self.author)
        return self.author_name
