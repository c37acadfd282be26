"""Writes of national progress reports: request one, build it (issue 7 points 1 and 2).

:func:`generated_report_request` records the request (permission: ``PLAN_VIEW_DASHBOARDS``)
and enqueues :func:`nap1325.reports.tasks.build_report`, which runs
:func:`generated_report_build` in the worker (at once with ``NAP1325_TASKS=immediate``).
The build keeps its progress in the row as it goes (each step committed on its own, so a
page sees it) and records a failure with its cause instead of raising.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from io import BytesIO
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nap1325.core import audit
from nap1325.core.models import User
from nap1325.core.permissions import PLAN_VIEW_DASHBOARDS, plan_access
from nap1325.plans.models import Plan
from nap1325.reports.content import ReportContent, ReportScopeError, report_content, report_scope
from nap1325.reports.models import GeneratedReport

logger = logging.getLogger(__name__)

Writer = Callable[[ReportContent, IO[bytes]], None]


def _writers() -> dict[str, Writer]:
    from nap1325.reports.docx import write_docx
    from nap1325.reports.pdf import write_pdf
    from nap1325.reports.xlsx import write_xlsx

    return {
        GeneratedReport.Format.DOCX: write_docx,
        GeneratedReport.Format.PDF: write_pdf,
        GeneratedReport.Format.XLSX: write_xlsx,
    }


def check_request(
    *, plan: Plan, period_label: str, year: int | None, format: str, language: str
) -> None:
    """Raise ``ValidationError`` naming the field when a request cannot be built.

    The period must exist now (it is looked up again when the report is built).
    """
    errors: dict[str, str] = {}
    if format not in GeneratedReport.Format.values:
        errors["format"] = _("Unknown format “%(format)s”: choose docx, pdf or xlsx.") % {
            "format": format
        }
    languages = [code for code, _name in settings.LANGUAGES]
    if language not in languages:
        errors["language"] = _("Unknown language “%(language)s”: choose %(choices)s.") % {
            "language": language,
            "choices": ", ".join(languages),
        }
    if bool(period_label) == (year is not None):
        errors["scope"] = _("Choose either a reporting period or a year.")
    else:
        try:
            report_scope(plan, period=period_label or None, year=year)
        except ReportScopeError as error:
            errors["scope"] = str(error)
    if errors:
        raise ValidationError(errors)


def generated_report_request(
    *,
    actor: User | None,
    plan: Plan,
    period_label: str = "",
    year: int | None = None,
    format: str,
    language: str,
    enqueue: bool = True,
) -> GeneratedReport:
    """Record a request for the report of ``plan`` for a period (by label) or a year.

    ``actor`` needs ``PLAN_VIEW_DASHBOARDS`` (404 or 403 otherwise); ``None`` is the
    command line. Raises ``ValidationError`` (fields ``format``, ``language``, ``scope``).
    With ``enqueue`` the build is queued (it runs at once with the immediate backend).
    """
    if actor is not None:
        plan_access(actor, plan).require(PLAN_VIEW_DASHBOARDS)
    check_request(plan=plan, period_label=period_label, year=year, format=format, language=language)
    with transaction.atomic():
        report = GeneratedReport.objects.create(
            plan=plan,
            period_label=period_label,
            year=year,
            format=format,
            language=language,
            requested_by=actor,
        )
        audit.record(
            actor=actor,
            event_type="generated_report.requested",
            obj=report,
            plan=plan,
            changes={
                "scope": [None, report.scope_label],
                "format": [None, format],
                "language": [None, language],
            },
        )
    if enqueue:
        from nap1325.reports.tasks import build_report

        build_report.enqueue(report.pk)
        report.refresh_from_db()
    return report


def _step(report: GeneratedReport, **fields: object) -> None:
    """Store the build's progress at once (its own statement, committed by itself)."""
    for name, value in fields.items():
        setattr(report, name, value)
    GeneratedReport.objects.filter(pk=report.pk).update(**fields)


def file_name(report: GeneratedReport) -> str:
    """``<plan>-progress-report-<period or year>-<language>.<format>``."""
    scope = slugify(report.scope_label) or "report"
    return f"{report.plan.slug}-progress-report-{scope}-{report.language}.{report.format}"


def generated_report_build(*, report_id: int) -> GeneratedReport:
    """Build the file of request ``report_id``; record "done" or "failed" with the cause.

    Steps and progress: scope 10 %, content 40 %, file 80 %, stored 100 %. A period that
    no longer exists, a year without periods or a writer's error end in state "failed"
    with a message in the report's language; nothing half-built is stored.
    """
    report = GeneratedReport.objects.select_related("plan").get(pk=report_id)
    plan = report.plan
    _step(report, state=GeneratedReport.State.RUNNING, progress=5, started_at=timezone.now())
    with translation.override(report.language):
        try:
            scope = report_scope(plan, period=report.period_label or None, year=report.year)
            _step(report, progress=10)
            content = report_content(plan, scope, language=report.language)
            _step(report, progress=40)
            buffer = BytesIO()
            _writers()[report.format](content, buffer)
            _step(report, progress=80)
        except ReportScopeError as error:
            return _failed(report, str(error))
        except Exception as error:  # a writer's failure is shown on the page, not a 500
            logger.exception("progress report %s failed", report.pk)
            return _failed(
                report,
                _("The report could not be built: %(error)s")
                % {"error": f"{type(error).__name__}: {error}"},
            )
    name = file_name(report)
    with transaction.atomic():
        report.file.save(name, ContentFile(buffer.getvalue()), save=False)
        report.file_name = name
        report.state = GeneratedReport.State.DONE
        report.progress = 100
        report.error = ""
        report.finished_at = timezone.now()
        report.save(
            update_fields=["file", "file_name", "state", "progress", "error", "finished_at"]
        )
        audit.record(
            actor=None,
            event_type="generated_report.built",
            obj=report,
            plan=plan,
            changes={"file": [None, name], "bytes": [None, len(buffer.getvalue())]},
        )
    return report


def _failed(report: GeneratedReport, cause: str) -> GeneratedReport:
    with transaction.atomic():
        _step(report, state=GeneratedReport.State.FAILED, error=cause, finished_at=timezone.now())
        audit.record(
            actor=None,
            event_type="generated_report.failed",
            obj=report,
            plan=report.plan,
            reason=cause,
        )
    return report
