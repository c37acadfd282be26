"""The plan and its results framework (DESIGN.md §4).

Plan → Result tree (up to four result tiers) → Action → BudgetLine; Indicators attach to
exactly one result or one action. Field invariants live in ``clean()``; every write goes
through :mod:`nap1325.plans.services`, which calls ``full_clean()`` and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nap1325.core.codes import country_code, currency_code
from nap1325.core.models import Organisation
from nap1325.core.quantities import money_field, quantity_field

#: A plan names its own levels; the last label names actions. 2 to 5 tiers in all.
MIN_TIERS = 2
MAX_TIERS = 5

code_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.\-_/]*$",
    _("Use letters, digits and . - _ / only, e.g. 1.2.3."),
)


def validate_period(start: dt.date | None, end: dt.date | None, *, end_field: str) -> None:
    """Raise a field error on ``end_field`` if ``end`` is before ``start``."""
    if start and end and end < start:
        raise ValidationError({end_field: _("The end date is before the start date.")})


class Plan(models.Model):
    """A National Action Plan of one country and generation."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        CONSULTATION = "consultation", _("Consultation")
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTING = "implementing", _("Implementing")
        CLOSED = "closed", _("Closed")
        SUPERSEDED = "superseded", _("Superseded")

    class ReportingFrequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        ANNUAL = "annual", _("Annual")

    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. KG.")
    )
    title = models.CharField(_("title"), max_length=400)
    generation = models.PositiveSmallIntegerField(
        _("generation"), default=1, validators=[MinValueValidator(1)]
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING
    )
    coordinating_body = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_plans",
    )
    tier_labels = models.JSONField(
        _("tier labels"),
        default=list,
        help_text=_(
            'Names of the levels from top to actions, e.g. ["Objective", "Task", "Measure"].'
        ),
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    languages = models.JSONField(_("languages"), default=list)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=20,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.HALF_YEARLY,
    )
    legal_act_number = models.CharField(_("legal act number"), max_length=100, blank=True)
    legal_act_date = models.DateField(_("legal act date"), null=True, blank=True)
    legal_act_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    source_note = models.TextField(
        _("sources"), blank=True, help_text=_("Where the plan's content comes from.")
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Shown on the public portal, in open data and in the public API."),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["country", "generation"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        validate_period(self.period_start, self.period_end, end_field="period_end")
        labels = self.tier_labels
        if not isinstance(labels, list) or not all(
            isinstance(label, str) and label.strip() for label in labels
        ):
            raise ValidationError({"tier_labels": _("Give each tier a name.")})
        if not MIN_TIERS <= len(labels) <= MAX_TIERS:
            raise ValidationError(
                {
                    "tier_labels": _(
                        "A plan has between %(min)d and %(max)d tiers, actions included."
                    )
                    % {"min": MIN_TIERS, "max": MAX_TIERS}
                }
            )
        self._clean_time_zone()
        if self.currency:
            self.currency = currency_code(self.currency)
        if self.country:
            self.country = country_code(self.country)

    def _clean_time_zone(self) -> None:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError(
                {"time_zone": _("Unknown time zone; use a name such as Asia/Bishkek.")}
            ) from error

    @property
    def result_tier_count(self) -> int:
        """Number of result tiers (all tiers but the last, which names actions)."""
        return len(self.tier_labels) - 1

    @property
    def action_label(self) -> str:
        return str(self.tier_labels[-1]) if self.tier_labels else str(_("Action"))

    def tier_label(self, depth: int) -> str:
        """Label of result tier ``depth`` (0 = top tier)."""
        return str(self.tier_labels[depth])

    @property
    def is_frozen(self) -> bool:
        """Adopted and later plans need a reason for every change (DESIGN.md §6)."""
        return self.status in {
            self.Status.ADOPTED,
            self.Status.IMPLEMENTING,
            self.Status.CLOSED,
            self.Status.SUPERSEDED,
        }


class FrameworkItem(models.Model):
    """Fields shared by results and actions."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE)
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.TextField(_("title"), max_length=1000, validators=[MaxLengthValidator(1000)])
    description = models.TextField(
        _("description"), blank=True, max_length=10000, validators=[MaxLengthValidator(10000)]
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    weight = models.DecimalField(
        _("weight"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Optional; weights of siblings are normalised in roll-ups."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Sample content written for the demo, not part of the published plan."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "Public once the plan is published; untick to keep this item internal (draft)."
        ),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Result(FrameworkItem):
    """A node of the results framework above actions (objective, task, output, …)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("tier"), default=0, editable=False)
    pillar = models.ForeignKey(
        "library.Pillar",
        verbose_name=_("canonical pillar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Set on the top tier only."),
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["plan", "depth", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=Q(is_archived=False),
                name="result_unique_code",
                violation_error_message=_("Another result of this plan already has this code."),
            ),
        ]

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.plan_id != self.plan_id:
                raise ValidationError({"parent": _("The parent belongs to another plan.")})
            self.depth = self.parent.depth + 1
        else:
            self.depth = 0
        if self.plan_id and self.depth >= self.plan.result_tier_count:
            raise ValidationError(
                {
                    "parent": _("This plan has %(count)d result tiers; a result cannot go deeper.")
                    % {"count": self.plan.result_tier_count}
                }
            )
        if self.depth > 0 and self.pillar_id is not None:
            raise ValidationError({"pillar": _("Only a top-tier result carries a pillar.")})

    @property
    def tier_label(self) -> str:
        return self.plan.tier_label(self.depth)


class Action(FrameworkItem):
    """An action (activity, measure) with exactly one lead agency (DESIGN.md §4)."""

    class GeographicLevel(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        LOCAL = "local", _("Local")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.PROTECT, related_name="actions"
    )
    lead_agency = models.ForeignKey(
        Organisation,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_actions",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), blank=True, related_name="partner_actions"
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    geographic_level = models.CharField(
        _("geographic level"),
        max_length=20,
        choices=GeographicLevel.choices,
        default=GeographicLevel.NATIONAL,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=Q(is_archived=False),
                name="action_unique_code",
                violation_error_message=_("Another action of this plan already has this code."),
            ),
        ]

    def clean(self) -> None:
        if self.result_id is not None and self.plan_id and self.result.plan_id != self.plan_id:
            raise ValidationError({"result": _("The result belongs to another plan.")})
        validate_period(self.start, self.end, end_field="end")

    def timeframe_warnings(self) -> list[str]:
        """Warnings (not errors): dates missing or outside the plan period (DESIGN.md §4)."""
        warnings: list[str] = []
        plan = self.plan
        if self.end is None:
            warnings.append(str(_("No end date: the action is not time-bound.")))
        if self.start and self.start < plan.period_start:
            warnings.append(str(_("Starts before the plan period.")))
        if self.end and self.end > plan.period_end:
            warnings.append(str(_("Ends after the plan period.")))
        return warnings


class BudgetLine(models.Model):
    """A costed line of an action's budget (Decimal amount, DESIGN.md §4)."""

    class FundingSource(models.TextChoices):
        STATE_BUDGET = "state_budget", _("State budget")
        DONOR = "donor", _("Donor")
        OWN_FUNDS = "own_funds", _("Own funds")
        UNFUNDED = "unfunded", _("Unfunded")

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = money_field(
        _("amount"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_budget_lines",
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    secured = models.BooleanField(_("secured"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["action", "order", "id"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_funding_source_display()})"

    def clean(self) -> None:
        if self.currency:
            self.currency = currency_code(self.currency)
        if self.funding_source == self.FundingSource.UNFUNDED and self.secured:
            raise ValidationError({"secured": _("An unfunded line cannot be secured.")})
        if self.funding_source == self.FundingSource.DONOR and self.funder_id is None:
            raise ValidationError({"funder": _("Name the donor for donor funding.")})
        plan = self.action.plan if self.action_id else None
        if plan and self.year and not plan.period_start.year <= self.year <= plan.period_end.year:
            raise ValidationError(
                {
                    "year": _("The year is outside the plan period (%(start)d–%(end)d).")
                    % {"start": plan.period_start.year, "end": plan.period_end.year}
                }
            )


class Dimension(models.Model):
    """A dimension values can be broken down by: sex, age group, region, rank, …"""

    class Kind(models.TextChoices):
        SEX = "sex", _("Sex")
        AGE = "age", _("Age group")
        REGION = "region", _("Region")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="dimensions"
    )
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="dimension_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name to show: the platform's standard sex dimension in the reader's language."""
        if self.kind == self.Kind.SEX and self.name == "Sex":
            return str(_("Sex"))
        return self.name


class Category(models.Model):
    """A category of a dimension (sex: women, men; rank: generals, senior officers, …)."""

    #: Category keys of the sex dimension used to derive the share of women (DESIGN.md §5).
    WOMEN = "women"
    MEN = "men"

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="categories"
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["dimension", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="category_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name to show: the standard "Women"/"Men" categories in the reader's language."""
        if self.key == self.WOMEN and self.name == "Women":
            return str(_("Women"))
        if self.key == self.MEN and self.name == "Men":
            return str(_("Men"))
        return self.name


class Indicator(models.Model):
    """A SMART indicator on exactly one result or one action (DESIGN.md §4, §5)."""

    class Measure(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage (numerator / denominator)")
        YES_NO = "yes_no", _("Yes / no")
        STAGE = "stage", _("Stage")

    class TimeAggregation(models.TextChoices):
        SUM = "sum", _("Sum of periods (flows)")
        LATEST = "latest", _("Latest value (levels, running totals)")
        YEAR_TO_DATE = "year_to_date", _("Year to date (restarts each year)")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        ANNUAL = "annual", _("Annual")
        ONCE = "once", _("Once, at the end")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    result = models.ForeignKey(
        Result,
        verbose_name=_("result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    title = models.TextField(_("title"), max_length=1000, validators=[MaxLengthValidator(1000)])
    description = models.TextField(
        _("definition"), blank=True, max_length=10000, validators=[MaxLengthValidator(10000)]
    )
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    measure = models.CharField(
        _("measure"), max_length=20, choices=Measure.choices, default=Measure.NUMBER
    )
    time_aggregation = models.CharField(
        _("time aggregation"),
        max_length=20,
        choices=TimeAggregation.choices,
        default=TimeAggregation.SUM,
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = quantity_field(_("baseline"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    target_value = quantity_field(_("target"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    stages = models.JSONField(
        _("stages"),
        default=list,
        blank=True,
        help_text=_("For stage indicators: the stages in order, the last one is the target."),
    )
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_indicators",
    )
    framework_indicators = models.ManyToManyField(
        "library.FrameworkIndicator",
        verbose_name=_("framework indicators"),
        blank=True,
        related_name="national_indicators",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "Public once the plan is published; untick to keep this item internal (draft)."
        ),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(result__isnull=False) & Q(action__isnull=True))
                | (Q(result__isnull=True) & Q(action__isnull=False)),
                name="indicator_on_result_or_action",
                violation_error_message=_("An indicator belongs to one result or one action."),
            ),
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=Q(is_archived=False),
                name="indicator_unique_code",
                violation_error_message=_("Another indicator of this plan already has this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_numeric(self) -> bool:
        """Stage and yes-no indicators never enter numeric sums (DESIGN.md §5)."""
        return self.measure in {self.Measure.NUMBER, self.Measure.PERCENTAGE}

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        owner = self.result or self.action
        if (self.result_id is None) == (self.action_id is None):
            errors.setdefault("result", []).append(
                str(_("An indicator belongs to one result or one action."))
            )
        elif owner is not None and self.plan_id and owner.plan_id != self.plan_id:
            errors.setdefault("result", []).append(str(_("The parent belongs to another plan.")))
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date:
            errors.setdefault("target_date", []).append(
                str(_("The target date is before the baseline date."))
            )
        if self.measure == self.Measure.YES_NO:
            for name in ("baseline_value", "target_value"):
                value = getattr(self, name)
                if value is not None and value not in (Decimal(0), Decimal(1)):
                    errors.setdefault(name, []).append(
                        str(_("A yes/no indicator takes 0 (no) or 1 (yes)."))
                    )
        if self.measure == self.Measure.STAGE:
            stages = self.stages if isinstance(self.stages, list) else []
            if len([s for s in stages if str(s).strip()]) < 2:
                errors.setdefault("stages", []).append(
                    str(_("A stage indicator needs at least two stages, in order."))
                )
        elif self.is_numeric:
            self._clean_numeric(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_numeric(self, errors: dict[str, list[str]]) -> None:
        baseline, target = self.baseline_value, self.target_value
        if self.measure == self.Measure.PERCENTAGE:
            for name, value in (("baseline_value", baseline), ("target_value", target)):
                if value is not None and not Decimal(0) <= value <= Decimal(100):
                    errors.setdefault(name, []).append(
                        str(_("A percentage lies between 0 and 100."))
                    )
        if baseline is None or target is None:
            return
        if self.direction == self.Direction.INCREASE and target < baseline:
            errors.setdefault("direction", []).append(
                str(
                    _(
                        "The target (%(target)s) is below the baseline (%(baseline)s): "
                        "the direction should be 'decrease'."
                    )
                    % {"target": _plain(target), "baseline": _plain(baseline)}
                )
            )
        if self.direction == self.Direction.DECREASE and target > baseline:
            errors.setdefault("direction", []).append(
                str(
                    _(
                        "The target (%(target)s) is above the baseline (%(baseline)s): "
                        "the direction should be 'increase'."
                    )
                    % {"target": _plain(target), "baseline": _plain(baseline)}
                )
            )


def _plain(value: Decimal) -> str:
    """A stored Decimal without trailing zeros, for messages (120.000000 → 120)."""
    text = format(value.normalize(), "f")
    return text


class IndicatorPeriodTarget(models.Model):
    """A target for a date within the plan period (DESIGN.md §5, "target to date")."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="period_targets",
    )
    due = models.DateField(_("due"))
    value = quantity_field(_("target"))

    class Meta:
        verbose_name = _("period target")
        verbose_name_plural = _("period targets")
        ordering = ["indicator", "due"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "due"], name="period_target_unique_due"),
        ]

    def __str__(self) -> str:
        return f"{self.due}: {_plain(self.value)}"


class Breakdown(models.Model):
    """A breakdown an indicator declares: one dimension, or a cross-tab (rank × sex)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="breakdowns"
    )
    dimensions = models.ManyToManyField(
        Dimension, verbose_name=_("dimensions"), related_name="breakdowns"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("breakdown")
        verbose_name_plural = _("breakdowns")
        ordering = ["indicator", "order", "id"]

    def __str__(self) -> str:
        return " × ".join(d.label for d in self.sorted_dimensions())

    def sorted_dimensions(self) -> list[Dimension]:
        """Dimensions in the plan's order, sex last as in "rank × sex" (uses the prefetch cache).

        The sex dimension is created with the plan, so plan order alone would show a
        declared "rank × sex" back as "Sex × Rank".
        """
        return sorted(
            self.dimensions.all(), key=lambda d: (d.kind == Dimension.Kind.SEX, d.order, d.pk)
        )


class PlanVersionQuerySet(models.QuerySet["PlanVersion"]):
    """Bulk ``update()`` and ``delete()`` refuse to touch the adopted version too."""

    def update(self, **kwargs: object) -> int:
        if self.filter(is_adopted=True).exists():
            raise ValidationError(_("The adopted version cannot be changed."))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(is_adopted=True).exists():
            raise ValidationError(_("The adopted version cannot be deleted."))
        return super().delete()


class PlanVersion(models.Model):
    """A frozen snapshot of the whole plan (DESIGN.md §4; issue 5, point 3).

    ``snapshot`` is written once, by :func:`nap1325.plans.services.plan_version_create`
    (shape: :mod:`nap1325.plans.versions`), and never changed. The adopted version
    (``is_adopted``) is immutable altogether: :meth:`save` and :meth:`delete` refuse to
    change or remove it whatever the path (services, admin, shell), and the admin shows it
    read-only. At most one version of a plan is adopted.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=200)
    changelog = models.TextField(
        _("what changed"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    snapshot = models.JSONField(_("snapshot"), editable=False)
    is_adopted = models.BooleanField(_("adopted version"), default=False, editable=False)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True, editable=False)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(is_adopted=True),
                name="plan_version_one_adopted",
                violation_error_message=_("This plan already has an adopted version."),
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.label}"

    def save(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        """Refuse any change to a version that is already adopted (the one guard for all paths)."""
        if self._stored_is_adopted():
            raise ValidationError(_("The adopted version cannot be changed."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:  # type: ignore[override]
        """Refuse to delete the adopted version."""
        if self.is_adopted or self._stored_is_adopted():
            raise ValidationError(_("The adopted version cannot be deleted."))
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    def _stored_is_adopted(self) -> bool:
        if self.pk is None:
            return False
        return PlanVersion.objects.filter(pk=self.pk, is_adopted=True).exists()
