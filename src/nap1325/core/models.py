"""Users, organisations, plan memberships (roles) and the audit trail (DESIGN.md §2, §4)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Platform administrators are superusers.

    Roles on plans are held through :class:`Membership`, never on the user.
    """

    class Sex(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        UNSPECIFIED = "", _("Not stated")

    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    class Reminders(models.TextChoices):
        NONE = "none", _("No reminders")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest (Mondays)")

    reminders = models.CharField(
        _("reminders"), max_length=8, choices=Reminders.choices, default=Reminders.DAILY
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_platform_admin(self) -> bool:
        """A platform admin may do everything (DESIGN.md §2)."""
        return bool(self.is_active and self.is_superuser)


class Organisation(models.Model):
    """A ministry, parliament, CSO, international organisation, donor, … (DESIGN.md §4)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or government agency")
        PARLIAMENT = "parliament", _("Parliament")
        SECURITY_SECTOR = "security_sector", _("Security sector")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        CSO = "cso", _("Civil-society organisation")
        INTERNATIONAL = "international", _("International organisation")
        DONOR = "donor", _("Donor")
        MEDIA = "media", _("Media")
        ACADEMIA = "academia", _("Academia")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. KG; empty for international bodies."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Sample content written for the demo, not a published fact."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        """``"Ministry of Internal Affairs (MIA)"``; the acronym is left out when the name
        already says it ("UN Women", "Jogorku Kenesh (Parliament)")."""
        if not self.acronym or self.acronym.casefold() in self.name.casefold():
            return self.name
        return f"{self.name} ({self.acronym})"

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class Role(models.TextChoices):
    """Roles held per plan (DESIGN.md §2). Platform admin is :attr:`User.is_superuser`."""

    COORDINATOR = "coordinator", _("Coordinator (secretariat)")
    FOCAL_POINT = "focal_point", _("Focal point (agency)")
    WORKING_GROUP_MEMBER = "wg_member", _("Working-group member")
    CIVIL_SOCIETY_MONITOR = "cs_monitor", _("Civil-society monitor")
    PARTNER = "partner", _("Partner (UN, OSCE, donor)")


class Membership(models.Model):
    """A user's role on one plan, on behalf of one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "organisation", "role"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation.short_name}"


class FormSubmission(models.Model):
    """A create form's one-time token: posting the same form twice creates one object.

    The token is issued with the form; the first successful POST stores it with the URL of
    what it created; a repeat (a double click, a browser resend) is sent there instead of
    creating a copy. See :mod:`nap1325.core.submissions`.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.token


class PlanChanges(models.Model):
    """How many audit events have been recorded for a plan: its data's revision number.

    Bumped by :func:`nap1325.core.audit.record` in the transaction of every write that
    names a plan (DESIGN.md §8: every write is an audit event), so a figure stored with
    the count it was computed at is current exactly while the count has not moved
    (``monitoring.DashboardAggregate``). A separate row, not a field of ``Plan``, so that
    saving a plan loaded earlier never writes an old count back. The ``UPDATE … + 1``
    holds the row until commit: writes to one plan are counted in commit order.
    """

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, primary_key=True, related_name="changes"
    )
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.count}"


class AuditEvent(models.Model):
    """One change: who, when, what (typed event), which object, old → new values, reason.

    Written by services only (never by views, forms or signals). ``changes`` maps a field
    name to ``[old, new]`` with JSON-safe values (Decimals and dates as strings).
    """

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    event_type = models.CharField(_("event"), max_length=60, db_index=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.event_type} {self.object_repr}"
