"""Requests for national progress reports and the files they produce (issue 7 point 2)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nap1325.plans.models import Plan


def report_path(instance: GeneratedReport, filename: str) -> str:
    """Storage path: ``reports/<plan>/<report>/<file>`` (storage API, DESIGN.md §7)."""
    return f"reports/{instance.plan_id}/{instance.pk}/{filename}"


class GeneratedReport(models.Model):
    """A national progress report asked for, built in the background, then downloadable.

    Scope: a period (by its label, resolved when the report is built: a period renamed or
    removed meanwhile makes the build fail with that cause) or a calendar ``year``.
    ``progress`` is in percent (0–100); ``error`` holds the cause of a failure, in the
    report's language.
    """

    class Format(models.TextChoices):
        DOCX = "docx", _("Word (.docx)")
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel (.xlsx)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="generated_reports"
    )
    period_label = models.CharField(_("reporting period"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(year__isnull=True) & ~models.Q(period_label=""))
                | (models.Q(year__isnull=False) & models.Q(period_label="")),
                name="generated_report_period_or_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.scope_label} ({self.format}, {self.language})"

    @property
    def scope_label(self) -> str:
        """The period's label or the year, as asked."""
        return self.period_label or str(self.year)

    @property
    def is_pending(self) -> bool:
        """True while queued or being built (the page refreshes itself)."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)
