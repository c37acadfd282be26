"""Consultations, the inputs raised at them and their dispositions (DESIGN.md §1.2, §4, §6).

A consultation (national, regional, community or online) records who took part, by sex
and by group. Each concern or recommendation raised is an :class:`Input`; the secretariat
links an input to the plan actions that answer it, each link with a disposition and a
reason (:class:`InputLink`), or declines it without an action ("not incorporated", with
a reason). The input's own :attr:`Input.disposition` is derived from its links by
:func:`nap1325.participation.services.input_disposition_refresh` (rule there).

Nothing here is public until its consultation is published (``Consultation.is_published``);
an input is public with its dispositions when its consultation is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nap1325.core.models import Organisation
from nap1325.plans.models import Action, Plan


class StakeholderGroup(models.TextChoices):
    """Groups that take part in consultations and raise inputs."""

    WOMENS_ORGANISATIONS = "womens_organisations", _("Women's organisations")
    CRISIS_CENTRES = "crisis_centres", _("Crisis centres")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    YOUTH = "youth", _("Youth")
    COMMUNITY_LEADERS = "community_leaders", _("Community and religious leaders")
    GOVERNMENT = "government", _("Government agencies")
    PARLIAMENT = "parliament", _("Parliament")
    SECURITY_SECTOR = "security_sector", _("Security sector")
    INTERNATIONAL = "international", _("International organisations")
    MEDIA_ACADEMIA = "media_academia", _("Media and academia")
    OTHER = "other", _("Other")


class Disposition(models.TextChoices):
    """What became of an input (DESIGN.md §3)."""

    INCORPORATED = "incorporated", _("Incorporated")
    PARTLY = "partly", _("Partly incorporated")
    NOT_INCORPORATED = "not_incorporated", _("Not incorporated")


class Consultation(models.Model):
    """A consultation on the plan: when, where, by whom, how, and who took part."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        COMMUNITY = "community", _("Community")
        ONLINE = "online", _("Online")

    class Method(models.TextChoices):
        MEETING = "meeting", _("Public meeting")
        WORKSHOP = "workshop", _("Workshop")
        ROUND_TABLE = "round_table", _("Round table")
        FOCUS_GROUP = "focus_group", _("Focus group")
        INTERVIEWS = "interviews", _("Interviews")
        SURVEY = "survey", _("Survey or online form")
        WRITTEN = "written", _("Written submissions")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="consultations"
    )
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organised_consultations",
    )
    method = models.CharField(
        _("method"), max_length=12, choices=Method.choices, default=Method.MEETING
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unspecified = models.PositiveIntegerField(_("sex not stated"), default=0)
    summary = models.TextField(
        _("summary"), blank=True, max_length=10000, validators=[MaxLengthValidator(10000)]
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["plan", "-date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        """All participants (women + men + not stated)."""
        return self.women + self.men + self.unspecified


class ConsultationGroupCount(models.Model):
    """How many participants of a consultation came from one group (a row of its table)."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="group_counts",
    )
    group = models.CharField(_("group"), max_length=24, choices=StakeholderGroup.choices)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        verbose_name = _("participants of a group")
        verbose_name_plural = _("participants by group")
        ordering = ["consultation", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "group"], name="consultation_group_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.count}"


def consultation_document_path(instance: ConsultationDocument, filename: str) -> str:
    return f"consultations/{instance.consultation.plan_id}/{instance.consultation_id}/{filename}"


class ConsultationDocument(models.Model):
    """A document of a consultation: invitation, participants list, notes, report."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=consultation_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")
        ordering = ["consultation", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Input(models.Model):
    """A concern or recommendation raised at a consultation.

    ``disposition`` is empty until the input has a link to an action or was declined; it
    is derived by the services, never set by hand. ``decline_reason`` holds the reason
    of a "not incorporated" without any action (empty when the input has links).
    """

    class Kind(models.TextChoices):
        CONCERN = "concern", _("Concern")
        RECOMMENDATION = "recommendation", _("Recommendation")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="inputs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CONCERN)
    text = models.TextField(_("text"), max_length=5000, validators=[MaxLengthValidator(5000)])
    pillar = models.ForeignKey(
        "library.Pillar",
        verbose_name=_("pillar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    group = models.CharField(
        _("group raising it"), max_length=24, choices=StakeholderGroup.choices, blank=True
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by (member)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_inputs",
        help_text=_("The member who submitted the input; empty for inputs from notes."),
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, blank=True
    )
    decline_reason = models.TextField(
        _("reason (no action)"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    disposition_changed_at = models.DateTimeField(_("disposition changed"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["consultation", "id"]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79] + "…"


class InputLink(models.Model):
    """An input answered (or not) by an action: the disposition and its reason."""

    input = models.ForeignKey(
        Input, verbose_name=_("input"), on_delete=models.CASCADE, related_name="links"
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="input_links"
    )
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    reason = models.TextField(_("reason"), max_length=5000, validators=[MaxLengthValidator(5000)])
    decided_at = models.DateTimeField(_("decided"), auto_now=True)

    class Meta:
        verbose_name = _("input's link to an action")
        verbose_name_plural = _("inputs' links to actions")
        ordering = ["input", "action__order", "action_id"]
        constraints = [
            models.UniqueConstraint(fields=["input", "action"], name="input_action_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="input_link_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.action.code}: {self.get_disposition_display()}"
