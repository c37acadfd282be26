"""Writes of the interchange app: the logframe import's preview and its confirmation.

A preview stores the uploaded file (Django storage) and nothing else; it changes no plan,
so it records no audit event. Confirming applies the file through the plan's services,
each change an audit event naming the file (:mod:`.logframe.apply`).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nap1325.core.models import User
from nap1325.interchange.logframe.apply import ApplyResult, import_logframe
from nap1325.interchange.logframe.plan_diff import plan_mark
from nap1325.interchange.models import ImportPreview
from nap1325.plans.models import Plan
from nap1325.plans.services import require_plan_edit

#: Largest logframe upload, bytes
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: A preview run leaves the services' reason check to the confirmation
PREVIEW_REASON = "preview"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def import_preview_create(*, actor: User, plan: Plan, upload: UploadedFile) -> ImportPreview:
    """Keep ``upload`` to preview its import into ``plan`` (replaces the user's older one)."""
    require_plan_edit(actor, plan)
    name = Path(upload.name or "logframe.xlsx").name
    if Path(name).suffix.lower() not in {".xlsx", ".json"}:
        raise ValidationError({"file": _("Upload the logframe as .xlsx (or the framework .json).")})
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES >> 20}}
        )
    data = upload.read()
    for old in ImportPreview.objects.filter(plan=plan, user=actor):
        import_preview_discard(preview=old)
    preview = ImportPreview(
        plan=plan, user=actor, file_name=name[:255], sha256=_digest(data), plan_mark=plan_mark(plan)
    )
    upload.seek(0)
    preview.file.save(name, upload, save=False)
    preview.save()
    return preview


def import_preview_discard(*, preview: ImportPreview) -> None:
    """Delete a preview and its stored file."""
    preview.file.delete(save=False)
    preview.delete()


def _run(preview: ImportPreview, *, actor: User, reason: str, dry_run: bool) -> ApplyResult:
    with preview.file.open("rb") as handle:
        data = handle.read()
    if _digest(data) != preview.sha256:
        raise ValidationError(_("The stored file has changed; upload it again."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{Path(preview.file_name).suffix.lower()}"
        path.write_bytes(data)
        return import_logframe(
            preview.plan,
            path,
            actor=actor,
            reason=reason,
            dry_run=dry_run,
            display_name=preview.file_name,
        )


def import_preview_check(*, actor: User, preview: ImportPreview) -> ApplyResult:
    """The preview: read, compare and try every write, then roll back (nothing written)."""
    require_plan_edit(actor, preview.plan)
    return _run(preview, actor=actor, reason=PREVIEW_REASON, dry_run=True)


class PlanChanged(Exception):
    """The plan changed since the preview: preview again."""


@transaction.atomic
def import_preview_confirm(*, actor: User, preview: ImportPreview, reason: str = "") -> ApplyResult:
    """Apply the previewed file, all or nothing; :class:`PlanChanged` if the plan moved on."""
    plan = Plan.objects.select_for_update().get(pk=preview.plan_id)
    require_plan_edit(actor, plan)
    if plan_mark(plan) != preview.plan_mark:
        raise PlanChanged
    result = _run(preview, actor=actor, reason=reason, dry_run=False)
    if result.applied:
        import_preview_discard(preview=preview)
    return result
