"""Uploads waiting for confirmation (the logframe import's preview, issue 7 point 3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportPreview(models.Model):
    """An uploaded logframe shown as a preview; confirming applies it, once.

    The file is kept through Django's storage (``logframe-imports/…``) with its SHA-256;
    ``plan_mark`` is the plan's latest audit event id at preview time: confirming refuses
    when the plan changed since (:func:`~nap1325.interchange.logframe.plan_diff.plan_mark`).
    The row and its file are deleted once applied (or when a new preview replaces it).
    """

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="logframe-imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    plan_mark = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self) -> str:
        return self.file_name
