"""Reporting periods, agency reports, indicator values and action updates (DESIGN.md §4, §6).

An agency report (plan × period × organisation) holds two copies of its values:

* the *working* copy (``is_official=False``), which the focal point edits while the report
  is a draft, returned or reopened;
* the *official* copy (``is_official=True``), written only when a coordinator approves (or
  a coordinator's import records approved values). Dashboards, totals and the portal read
  the official copy alone, so a reopened report keeps its last approved values official
  until the new ones are approved (DESIGN.md §6, cases W1 step 7).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nap1325.core.models import Organisation
from nap1325.core.quantities import money_field, quantity_field
from nap1325.plans.models import Action, Breakdown, Indicator, Plan


class ReportingPeriod(models.Model):
    """A period agencies report on: inclusive ``start`` and ``end``; periods never overlap."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("reporting period state", "Open")
        CLOSED = "closed", pgettext_lazy("reporting period state", "Closed")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reporting_periods"
    )
    label = models.CharField(_("label"), max_length=60)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="period_unique_label"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def outside_plan_period(self) -> bool:
        """True if the period reaches outside the plan's period (allowed; shown as a warning).

        Plans are often prolonged, and the DRC export reports 2023 for a 2019–2022 plan.
        """
        plan = self.plan
        return self.start < plan.period_start or self.end > plan.period_end

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The period ends before it starts.")
        if self.start and self.due and self.due < self.start:
            errors["due"] = _("The due date is before the start of the period.")
        if errors:
            raise ValidationError(errors)


class AgencyReport(models.Model):
    """One organisation's report for one reporting period (DESIGN.md §6 workflow)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")

    #: States in which the focal point may change the working copy.
    EDITABLE = frozenset({State.DRAFT, State.RETURNED, State.REOPENED})

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="agency_reports"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agency_reports",
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True, max_length=20000)
    #: Incremented by every write; a write that names an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Version of the report whose values are official (``None``: nothing approved yet).
    approved_version = models.PositiveIntegerField(_("approved version"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency report")
        verbose_name_plural = _("agency reports")
        ordering = ["plan", "period__start", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "organisation"], name="agency_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    @property
    def has_official_values(self) -> bool:
        return self.approved_version is not None


class ReportTransition(models.Model):
    """A state change of an agency report, with who, when and the reason (kept for ever)."""

    report = models.ForeignKey(
        AgencyReport,
        verbose_name=_("agency report"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_state = models.CharField(_("from"), max_length=12, choices=AgencyReport.State.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=AgencyReport.State.choices)
    #: The report version the transition was made on (idempotent submit, conflicts).
    version = models.PositiveIntegerField(_("version"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["report", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class IndicatorValue(models.Model):
    """What a report says about one indicator: a number, a share, yes/no, a stage or no data.

    Numbers: ``value``. Percentages: ``numerator`` and ``denominator`` (never a stored
    percentage, DESIGN.md §5). Yes-no: ``yes_no``. Stages: ``stage`` (0-based index into the
    indicator's stages). ``no_data`` with a ``no_data_reason`` instead of any of them.
    Breakdown cells hang off the value (:class:`ValueCell`).
    """

    report = models.ForeignKey(
        AgencyReport,
        verbose_name=_("agency report"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    is_official = models.BooleanField(_("official"), default=False)
    value = quantity_field(_("value"), null=True, blank=True)
    numerator = quantity_field(_("numerator"), null=True, blank=True)
    denominator = quantity_field(_("denominator"), null=True, blank=True)
    yes_no = models.BooleanField(_("yes / no"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(_("stage"), null=True, blank=True)
    no_data = models.BooleanField(_("no data"), default=False)
    no_data_reason = models.TextField(_("reason for no data"), blank=True, max_length=2000)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["report", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "is_official"], name="indicator_value_unique"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "is_official"], name="value_by_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.report}"


class ValueCell(models.Model):
    """One cell of a breakdown table: ``key`` is the category keys joined by ``|`` in the
    breakdown's dimension order (``"generals|women"``)."""

    value = models.ForeignKey(
        IndicatorValue, verbose_name=_("value"), on_delete=models.CASCADE, related_name="cells"
    )
    breakdown = models.ForeignKey(
        Breakdown, verbose_name=_("breakdown"), on_delete=models.PROTECT, related_name="cells"
    )
    key = models.CharField(_("categories"), max_length=400)
    amount = quantity_field(_("amount"))

    class Meta:
        verbose_name = _("breakdown cell")
        verbose_name_plural = _("breakdown cells")
        constraints = [
            models.UniqueConstraint(fields=["value", "breakdown", "key"], name="value_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.amount}"


class ActionUpdate(models.Model):
    """What a report says about one action the organisation leads (DESIGN.md §4)."""

    report = models.ForeignKey(
        AgencyReport,
        verbose_name=_("agency report"),
        on_delete=models.CASCADE,
        related_name="action_updates",
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="updates"
    )
    is_official = models.BooleanField(_("official"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Action.Status.choices)
    progress = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    narrative = models.TextField(_("narrative"), blank=True, max_length=10000)
    expenditure = money_field(
        _("expenditure"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["report", "action__order", "action_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "action", "is_official"], name="action_update_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} — {self.report}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Upload path: ``evidence/<plan>/<report>/<file>`` (storage API, DESIGN.md §7)."""
    return f"evidence/{instance.report.plan_id}/{instance.report_id}/{filename}"


class Evidence(models.Model):
    """A file supporting a report or one of its values (a list of trainees, a decree, …)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")
        IMAGE = "image", _("Image")

    report = models.ForeignKey(
        AgencyReport,
        verbose_name=_("agency report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=300, blank=True)
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
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IndicatorAssessment(models.Model):
    """An indicator's assessment as of a day, derived from its official values (a cache).

    Written only by :func:`nap1325.monitoring.dashboards.indicator_assessments_refresh`,
    in the transaction of the service that changes official values or the indicator's
    definition; read by the plan and agency dashboards (counts per status with one
    ``GROUP BY``, at most :data:`~nap1325.monitoring.dashboards.ROW_LIMIT` rows per
    section). The status of a numeric indicator depends on the day (target to date), so a
    row holds for its ``as_of`` only: the dashboards recompute the rows of another day
    before reading (docs/decisions.md, "Assess on write").
    """

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="assessment"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    numeric = models.BooleanField()
    status = models.CharField(max_length=20)
    #: rank in the dashboards' "needing attention" order (0 first)
    attention = models.PositiveSmallIntegerField()
    achievement = models.DecimalField(max_digits=40, decimal_places=20, null=True)
    #: value to date, achievement, reached stage, share of women… (the dashboard row)
    data = models.JSONField(default=dict)
    #: the result the indicator sits under (its action's result for an action indicator),
    #: the lead agency of its action and the organisation that reports it: copied here so
    #: the dashboards count and rank without joining indicators to actions (an indicator's
    #: owner never changes; a lead agency or responsible organisation change re-assesses)
    result_key = models.BigIntegerField(null=True)
    action_lead = models.BigIntegerField(null=True)
    reporter = models.BigIntegerField(null=True)
    as_of = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["plan", "as_of"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.status} ({self.as_of})"


class ActionProgress(models.Model):
    """An action's latest official update and its spending to date (a cache).

    One row per action with at least one official update; written only by
    :func:`nap1325.monitoring.dashboards.action_progress_refresh`, in the transaction of
    the service that changes official updates or the order of periods (approval, an
    approved import, a period's dates). The plan and agency dashboards add these rows up
    per result with one ``GROUP BY`` instead of choosing the latest update of every action
    on each request (docs/decisions.md, "Dashboards: action progress on write").

    ``status`` and ``progress`` are those of the update of the latest period (the
    later-approved one if two reports of that period cover the action); ``spent`` is the
    Σ of the expenditure of one update per period (``None`` when no update reports one).
    """

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, primary_key=True, related_name="official_progress"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    progress = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    #: a sum of money fields over periods: wider than one amount
    spent = models.DecimalField(max_digits=30, decimal_places=2, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.action_id}: {self.status} {self.progress}"


class DashboardAggregate(models.Model):
    """What a plan or agency dashboard adds up over the whole plan, as of a day (a cache).

    One row per plan and scope (``"plan"``, ``"organisation:<id>"``, ``"public"``): the
    indicators per result × kind × status, the ids of the indicators each section lists,
    and the live actions added up per result. Valid while the plan's count of changes
    (:class:`nap1325.core.models.PlanChanges`, moved by every audited write) equals
    ``plan_changes`` and the day is ``as_of``; otherwise the next dashboard request adds
    everything up again and replaces the row. Written and read only by
    :func:`nap1325.monitoring.dashboards.plan_dashboard` (docs/decisions.md,
    "Dashboards: added up once per change").
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)
    as_of = models.DateField()
    plan_changes = models.PositiveBigIntegerField()
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "scope"], name="dashboard_aggregate_scope")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.scope}: {self.as_of} @ {self.plan_changes}"
