"""Civil society's shadow assessments of actions and indicators (DESIGN.md §1.2, §4).

A civil-society organisation rates one action or one indicator for one reporting period:
implemented, partly implemented, not implemented, or no information, with a narrative and
evidence (a file, a link, or both). One assessment per organisation × period × element;
edits change it in place and the audit trail keeps every earlier version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nap1325.core.models import Organisation
from nap1325.monitoring.models import ReportingPeriod
from nap1325.plans.models import Action, Indicator, Plan


class ShadowRating(models.TextChoices):
    """A civil-society monitor's rating of an action or indicator in a period."""

    IMPLEMENTED = "implemented", _("Implemented")
    PARTLY = "partly", _("Partly implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NO_INFORMATION = "no_information", _("No information")


def shadow_evidence_path(instance: ShadowAssessment, filename: str) -> str:
    return f"shadow/{instance.plan_id}/{instance.period_id}/{filename}"


class ShadowAssessment(models.Model):
    """One organisation's assessment of one action or indicator (exactly one) in a period."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="shadow_assessments"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="shadow_assessments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="shadow_assessments",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shadow_assessments",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shadow_assessments",
    )
    rating = models.CharField(_("rating"), max_length=16, choices=ShadowRating.choices)
    narrative = models.TextField(
        _("narrative"), max_length=10000, validators=[MaxLengthValidator(10000)]
    )
    evidence_url = models.URLField(
        _("evidence (link)"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to=shadow_evidence_path, max_length=300, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("shadow assessment")
        verbose_name_plural = _("shadow assessments")
        ordering = ["plan", "period__start", "organisation__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(action__isnull=False) & Q(indicator__isnull=True))
                | (Q(action__isnull=True) & Q(indicator__isnull=False)),
                name="shadow_one_element",
            ),
            models.UniqueConstraint(
                fields=["organisation", "period", "action"],
                condition=Q(action__isnull=False),
                name="shadow_once_per_action",
                violation_error_message=_(
                    "This organisation has already assessed this action for this period."
                ),
            ),
            models.UniqueConstraint(
                fields=["organisation", "period", "indicator"],
                condition=Q(indicator__isnull=False),
                name="shadow_once_per_indicator",
                violation_error_message=_(
                    "This organisation has already assessed this indicator for this period."
                ),
            ),
        ]

    def __str__(self) -> str:
        element = self.action if self.action_id else self.indicator
        return f"{self.organisation} · {self.period} · {element}"

    @property
    def element(self) -> Action | Indicator | None:
        return self.action if self.action_id else self.indicator
