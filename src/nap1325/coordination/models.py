"""The working group, its events, agenda outcomes, work plan and media coverage (DESIGN.md §4).

A plan has one working group (convened by a legal act, led by one organisation) whose
members are people or organisations' seats, with their history (joined, left). Events —
meetings, seminars, trainings, study visits, hearings — have agenda items; each agenda item
records outcomes (information, decision, task) and a task outcome becomes a work-plan item
linked back to the meeting. Attendance is recorded by person or by organisation with sex.
Nothing here is public until published (``is_published``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nap1325.core.codes import country_code
from nap1325.core.models import Organisation
from nap1325.plans.models import Plan


class WorkingGroup(models.Model):
    """The inter-agency working group of a plan (one per plan)."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="working_group"
    )
    name = models.CharField(_("name"), max_length=300)
    mandate = models.TextField(_("mandate"), blank=True, max_length=10000)
    legal_act_title = models.CharField(_("legal act"), max_length=300, blank=True)
    legal_act_number = models.CharField(_("legal act number"), max_length=60, blank=True)
    legal_act_date = models.DateField(_("legal act date"), null=True, blank=True)
    convening_authority = models.CharField(_("convened by"), max_length=200, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretariat = models.ForeignKey(
        Organisation,
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    """Sex as recorded for members and attendees (share of women, DESIGN.md §5)."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    UNSPECIFIED = "unspecified", _("Not stated")


class GroupMember(models.Model):
    """A person, or an organisation's seat, in the working group; ``left_on`` ends it."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person_name = models.CharField(
        _("person"), max_length=200, blank=True, help_text=_("Empty for an organisation's seat.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_group_seats",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_group_seats",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.UNSPECIFIED)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        ordering = ["group", "left_on", "role", "organisation__name", "person_name"]

    def __str__(self) -> str:
        if self.person_name and self.organisation_id:
            return f"{self.person_name} ({self.organisation})"
        return self.person_name or str(self.organisation)

    def is_active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.person_name.strip() and self.organisation_id is None:
            errors["person_name"] = _("Name a person or choose an organisation.")
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("A member cannot leave before joining.")
        if errors:
            raise ValidationError(errors)


class Event(models.Model):
    """A meeting, seminar, training, study visit or public hearing of the NAP process.

    Dates are the plan's local dates; ``start_time``/``end_time`` (optional) are local times
    in the plan's time zone. Without times the event is all-day (calendar feeds show it so).
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        SEMINAR = "seminar", _("Seminar")
        TRAINING = "training", _("Training")
        STUDY_VISIT = "study_visit", _("Study visit")
        HEARING = "hearing", _("Public hearing")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    host_country = models.CharField(_("host country"), max_length=2, blank=True)
    visiting_country = models.CharField(_("visiting country"), max_length=2, blank=True)
    delegation = models.TextField(_("delegation"), blank=True, max_length=2000)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    minutes = models.TextField(
        _("minutes"), blank=True, max_length=100000, help_text=_("Markdown.")
    )
    minutes_recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The working-group member assigned to record the minutes."),
    )
    #: Participants as counted by the organisers (compared with the attendance list).
    declared_participants = models.PositiveIntegerField(
        _("participants (declared)"), null=True, blank=True
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["plan", "start_date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="event_date_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The event ends before it starts.")
        elif (
            self.start_date
            and self.end_date == self.start_date
            and self.start_time
            and self.end_time
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("The event ends before it starts.")
        if self.end_time and not self.start_time:
            errors["start_time"] = _("Give the start time too.")
        for name in ("host_country", "visiting_country"):
            value = getattr(self, name)
            if value:
                try:
                    setattr(self, name, country_code(value, name))
                except ValidationError as error:
                    errors[name] = error.message_dict[name][0]
        if errors:
            raise ValidationError(errors)


class AgendaItem(models.Model):
    """An item on an event's agenda; its outcomes record what came of it."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "order", "id"]

    def __str__(self) -> str:
        return self.title


class WorkPlanItem(models.Model):
    """A milestone or task of the work plan, with owner, due date, dependencies and state."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milestone")
        TASK = "task", _("Task")

    class State(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="work_plan_items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plan_items",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_plan_items",
    )
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.TODO)
    drop_reason = models.TextField(_("reason for dropping"), blank=True, max_length=2000)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    decided_at = models.ForeignKey(
        "Outcome",
        verbose_name=_("decided at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("work-plan item")
        verbose_name_plural = _("work-plan items")
        ordering = ["plan", "due", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.TODO, self.State.DOING}

    def is_overdue(self, today: dt.date) -> bool:
        """Open and past its due date (relative to ``today`` in the plan's time zone)."""
        return self.is_open and self.due < today

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.state == self.State.DROPPED and not self.drop_reason.strip():
            errors["drop_reason"] = _("Say why the item is dropped.")
        if self.start and self.due and self.due < self.start:
            errors["due"] = _("The due date is before the start.")
        if errors:
            raise ValidationError(errors)


class Outcome(models.Model):
    """What came of an agenda item: information, a decision, or a task for the work plan."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DECISION = "decision", _("Decision")
        TASK = "task", _("Task")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=5000, validators=[MaxLengthValidator(5000)])
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    task = models.OneToOneField(
        WorkPlanItem,
        verbose_name=_("work-plan task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_outcome",
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["agenda_item", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Attendance(models.Model):
    """Who attended: a person (with sex) or an organisation's delegation (counts by sex)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendance"
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unspecified = models.PositiveIntegerField(_("sex not stated"), default=0)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["event", "organisation__name", "person_name", "id"]

    def __str__(self) -> str:
        return self.person_name or str(self.organisation)

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.person_name.strip() and self.organisation_id is None:
            errors["person_name"] = _("Name a person or choose an organisation.")
        if self.person_name.strip() and self.total != 1:
            errors["women"] = _("A person counts once: choose woman, man or not stated.")
        if self.total == 0:
            errors["women"] = _("Count at least one participant.")
        if errors:
            raise ValidationError(errors)


def document_path(instance: EventDocument, filename: str) -> str:
    return f"events/{instance.event.plan_id}/{instance.event_id}/{filename}"


class EventDocument(models.Model):
    """A document of an event: agenda, presentation, list of participants, report."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
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
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")
        ordering = ["event", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class MediaItem(models.Model):
    """Press coverage: a URL with outlet, title, language and date, optionally of an event."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="media_items"
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media_items",
    )
    url = models.URLField(
        _("address (URL)"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    outlet = models.CharField(_("outlet"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("media item")
        verbose_name_plural = _("media coverage")
        ordering = ["plan", "-published_on", "outlet", "id"]

    def __str__(self) -> str:
        return self.title or self.outlet


class DigestLog(models.Model):
    """One reminder digest sent to a user on a day (makes the daily job idempotent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digests",
    )
    sent_on = models.DateField(_("sent on"))
    items = models.PositiveIntegerField(_("items"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on}"
