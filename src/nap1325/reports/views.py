"""Progress-report pages: thin views over :mod:`nap1325.reports.services` and selectors.

Access: :data:`~nap1325.core.permissions.PLAN_VIEW_DASHBOARDS`; everyone else gets 404
(internal reports, DESIGN.md §2), downloads included. While a report is queued or being
built the page asks the browser to reload itself every few seconds (a ``Refresh`` header,
no script) and offers a "Refresh" link.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nap1325.core.permissions import PLAN_VIEW_DASHBOARDS, PlanAccess, plan_access
from nap1325.plans import selectors as plan_selectors
from nap1325.plans.models import Plan
from nap1325.reports import selectors, services
from nap1325.reports.forms import ReportRequestForm
from nap1325.reports.models import GeneratedReport

#: Seconds between reloads of the page while a report is being built.
REFRESH_SECONDS = 3

CONTENT_TYPES = {
    GeneratedReport.Format.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    GeneratedReport.Format.PDF: "application/pdf",
    GeneratedReport.Format.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


def _plan_for(request: HttpRequest, slug: str) -> tuple[Plan, PlanAccess]:
    try:
        plan = plan_selectors.plan_by_slug(slug)
    except Plan.DoesNotExist:
        raise Http404 from None
    access = plan_access(request.user, plan)
    if not access.can(PLAN_VIEW_DASHBOARDS):
        raise Http404
    return plan, access


@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a report (POST) and see the plan's requests with progress and downloads."""
    plan, access = _plan_for(request, slug)
    labels, years = selectors.report_scopes(plan)
    form = ReportRequestForm(request.POST or None, labels=labels, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.generated_report_request(
                actor=request.user,
                plan=plan,
                period_label=form.cleaned_data["period_label"],
                year=form.cleaned_data["year"],
                format=form.cleaned_data["format"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            if report.state == GeneratedReport.State.FAILED:
                messages.error(request, _("The report could not be built: see its cause below."))
            else:
                messages.success(request, _("Report requested: %(name)s.") % {"name": report})
            return redirect("reports:list", slug=plan.slug)
    requests = selectors.report_requests(plan)
    pending = any(item.is_pending for item in requests)
    response = render(
        request,
        "reports/report_list.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "requests": requests,
            "pending": pending,
            "has_periods": bool(labels),
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=400 if request.method == "POST" else 200,
    )
    if pending:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
def report_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The report's file, streamed through the storage API after the permission check."""
    plan, _access = _plan_for(request, slug)
    try:
        report = selectors.report_for_download(plan, pk)
        handle = report.file.open("rb")
    except (GeneratedReport.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.file_name or services.file_name(report),
        content_type=CONTENT_TYPES.get(report.format, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
