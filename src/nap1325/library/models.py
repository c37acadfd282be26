"""Reference frameworks: canonical pillars and global framework indicators.

Loaded from ``library/data/frameworks.yaml`` (a copy of the project's shared reference
file kept inside the package) by :func:`nap1325.library.services.reference_data_sync`
after every ``migrate``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Pillar(models.Model):
    """A canonical WPS pillar (UN Strategic Results Framework on WPS 2011–2020)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("canonical pillar")
        verbose_name_plural = _("canonical pillars")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (the English names are in the catalogues)."""
        return gettext(self.name)


class FrameworkIndicator(models.Model):
    """A global indicator national indicators can be mapped to (S/2010/498, SDG)."""

    class Framework(models.TextChoices):
        S2010_498 = "s2010_498", _("S/2010/498 global indicators on resolution 1325")
        SDG = "sdg", _("Sustainable Development Goals")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed against the source")
        TO_VERIFY = "to_verify", _("To verify against the source")

    framework = models.CharField(_("framework"), max_length=20, choices=Framework.choices)
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    pillar = models.ForeignKey(
        Pillar, verbose_name=_("pillar"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("framework indicator")
        verbose_name_plural = _("framework indicators")
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_indicator_code"),
        ]

    def __str__(self) -> str:
        prefix = "S/2010/498" if self.framework == self.Framework.S2010_498 else "SDG"
        return f"{prefix} {self.code}: {self.title}"
