"""Pages of agency reports: the reports index, periods, the report form, review, evidence.

Thin views: access check, form, service call, template. Who sees what (DESIGN.md §2, §6):

* the reports index and report pages are for those who fill in reports (REPORT_EDIT,
  their own organisation's) and those who review them (REPORT_REVIEW); other members get
  403, non-members 404;
* a focal point asking for another organisation's report gets **404** (docs/decisions.md:
  a 403 would confirm which other reports exist);
* periods are managed by reviewers (coordinators).

Writes go through :mod:`nap1325.monitoring.services`; a stale ``version`` is answered with
HTTP 409 and the user's typed values, never a silent overwrite.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nap1325.core.content import platform_languages
from nap1325.core.forms import add_errors
from nap1325.core.history import readable_events
from nap1325.core.permissions import (
    PLAN_VIEW,
    REPORT_EDIT,
    REPORT_REVIEW,
    PlanAccess,
    plan_access,
)
from nap1325.core.permissions import reporting_organisations as focal_organisations
from nap1325.monitoring import report_display, selectors, services
from nap1325.monitoring.forms import (
    DecisionForm,
    EvidenceForm,
    PeriodForm,
    PeriodStateForm,
    ReportForm,
    WorkbookUploadForm,
    narrative_languages,
)
from nap1325.monitoring.models import AgencyReport, Evidence, ReportingPeriod
from nap1325.monitoring.services import ReportConflict
from nap1325.plans import selectors as plan_selectors
from nap1325.plans.models import Plan

State = AgencyReport.State
#: States in which an organisation counts as having reported for a period.
REPORTED = (State.SUBMITTED, State.APPROVED)
EVENT_LABELS = {
    "agency_report.evidence_added": gettext_lazy("Evidence added"),
    "agency_report.evidence_removed": gettext_lazy("Evidence removed"),
}


# --------------------------------------------------------------------------- access


def _plan_for(request: HttpRequest, slug: str) -> tuple[Plan, PlanAccess]:
    """The plan and the user's access; 404 if they may not see the plan."""
    try:
        plan = plan_selectors.plan_by_slug(slug)
    except Plan.DoesNotExist:
        raise Http404 from None
    access = plan_access(request.user, plan)
    access.require(PLAN_VIEW)
    return plan, access


def _require_reports(access: PlanAccess) -> None:
    """Reports are for those who fill them in or review them; others may not (403)."""
    if not (access.can(REPORT_EDIT) or access.can(REPORT_REVIEW)):
        raise PermissionDenied


def _may_see_report(access: PlanAccess, report: AgencyReport) -> bool:
    return access.can(REPORT_REVIEW) or access.can(REPORT_EDIT, report)


def _report_for(request: HttpRequest, slug: str, pk: int) -> tuple[Plan, PlanAccess, AgencyReport]:
    """The report if the user may see it: reviewers, and those who fill in its
    organisation's report. Another organisation's focal point: 404; other roles: 403."""
    plan, access = _plan_for(request, slug)
    _require_reports(access)
    try:
        report = selectors.report_of_plan(plan, pk)
    except AgencyReport.DoesNotExist:
        raise Http404 from None
    if not _may_see_report(access, report):
        raise Http404
    return plan, access, report


def _period_for(
    request: HttpRequest, slug: str, pk: int
) -> tuple[Plan, PlanAccess, ReportingPeriod]:
    plan, access = _plan_for(request, slug)
    access.require(REPORT_REVIEW)
    period = get_object_or_404(ReportingPeriod, plan=plan, pk=pk)
    return plan, access, period


def _report_url(report: AgencyReport) -> str:
    return reverse("monitoring:report", args=[report.plan.slug, report.pk])


# --------------------------------------------------------------------------- index


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Focal points: their organisation's report per period. Coordinators: periods with
    counts per state, the review queue, and who has not reported yet."""
    plan, access = _plan_for(request, slug)
    _require_reports(access)
    today = timezone.localdate()
    context: dict[str, Any] = {"plan": plan, "access": access, "today": today}
    if access.can(REPORT_REVIEW):
        summaries, queue = selectors.coordinator_overview(plan)
        context.update(
            is_coordinator=True,
            summaries=[
                {
                    "summary": s,
                    "counts": [(State(state).label, count) for state, count in s.counts.items()],
                    "reported": s.expected - len(s.not_reported),
                    "overdue": s.period.due < today,
                }
                for s in reversed(summaries)  # the current period first
            ],
            queue=queue,
        )
    else:
        periods, organisations, reports = selectors.organisation_reports(
            plan, focal_organisations(access)
        )
        rows = []
        for period in reversed(periods):  # the current period first
            for organisation in organisations:
                report = reports.get((period.pk, organisation.pk))
                reported = report is not None and report.state in REPORTED
                rows.append(
                    {
                        "period": period,
                        "organisation": organisation,
                        "report": report,
                        "overdue": not reported and period.due < today,
                    }
                )
        context.update(is_coordinator=False, rows=rows, organisations=organisations)
    return render(request, "monitoring/index.html", context)


# --------------------------------------------------------------------------- periods


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def period_create(request: HttpRequest, slug: str) -> HttpResponse:
    plan, access = _plan_for(request, slug)
    access.require(REPORT_REVIEW)
    form = PeriodForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.reporting_period_create(
                actor=request.user, plan=plan, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Reporting period %(label)s added.") % {"label": period})
            _warn_outside_plan(request, period)
            return HttpResponseRedirect(reverse("monitoring:period", args=[plan.slug, period.pk]))
    return render(
        request,
        "monitoring/period_form.html",
        {"plan": plan, "access": access, "form": form, "heading": _("New reporting period")},
        status=400 if request.method == "POST" else 200,
    )


def _warn_outside_plan(request: HttpRequest, period: ReportingPeriod) -> None:
    if period.outside_plan_period:
        messages.warning(
            request,
            _(
                "Note: %(label)s reaches outside the plan period (%(start)s – %(end)s). Every "
                "agency with something to report is now expected to report for it."
            )
            % {
                "label": period.label,
                "start": period.plan.period_start.isoformat(),
                "end": period.plan.period_end.isoformat(),
            },
        )


@login_required
def period_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access, period = _period_for(request, slug, pk)
    initial = {"label": period.label, "start": period.start, "end": period.end, "due": period.due}
    form = PeriodForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reporting_period_update(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Reporting period saved."))
            period.refresh_from_db()
            _warn_outside_plan(request, period)
            return HttpResponseRedirect(reverse("monitoring:period", args=[plan.slug, period.pk]))
    return render(
        request,
        "monitoring/period_form.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "period": period,
            "heading": _("Edit reporting period %(label)s") % {"label": period.label},
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def period_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A period: its dates and state, open/close, and every organisation's report."""
    plan, access, period = _period_for(request, slug, pk)
    return _render_period(request, plan, access, period, PeriodStateForm())


def _render_period(
    request: HttpRequest,
    plan: Plan,
    access: PlanAccess,
    period: ReportingPeriod,
    state_form: PeriodStateForm,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        {
            "organisation": organisation,
            "report": report,
            "overdue": (report is None or report.state not in REPORTED) and period.due < today,
        }
        for organisation, report in selectors.period_reports(period)
    ]
    return render(
        request,
        "monitoring/period.html",
        {
            "plan": plan,
            "access": access,
            "period": period,
            "rows": rows,
            "state_form": state_form,
            "today": today,
        },
        status=status,
    )


@login_required
@require_POST
def period_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open or close a period (optional reason, kept in the history)."""
    plan, access, period = _period_for(request, slug, pk)
    form = PeriodStateForm(request.POST)
    if form.is_valid():
        try:
            period = services.reporting_period_set_state(
                actor=request.user,
                period=period,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if period.is_open:
                messages.success(request, _("The period is open for reports."))
            else:
                messages.success(request, _("The period is closed: it takes no more reports."))
            return HttpResponseRedirect(reverse("monitoring:period", args=[plan.slug, period.pk]))
    return _render_period(request, plan, access, period, form, status=400)


# --------------------------------------------------------------------------- report


@login_required
@require_POST
def report_start(
    request: HttpRequest, slug: str, period_pk: int, organisation_pk: int
) -> HttpResponse:
    """Start (or find) the report of an organisation for a period, then open it.

    404 for an organisation with nothing to report on in the plan (not among
    :func:`~nap1325.monitoring.selectors.reporting_organisations`): an empty report of
    theirs would count as a report on the period page and the dashboards.
    """
    plan, access = _plan_for(request, slug)
    _require_reports(access)
    period = get_object_or_404(ReportingPeriod, plan=plan, pk=period_pk)
    organisation = get_object_or_404(selectors.reporting_organisations(plan), pk=organisation_pk)
    if not access.can(REPORT_EDIT, organisation):
        raise Http404
    try:
        report = services.agency_report_open(
            actor=request.user, period=period, organisation=organisation
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(reverse("monitoring:index", args=[plan.slug]))
    return HttpResponseRedirect(_report_url(report))


def _latest_reason(transitions: list[Any], state: str) -> Any:
    for transition in reversed(transitions):
        if transition.to_state == state:
            return transition
    return None


def _render_report(
    request: HttpRequest,
    plan: Plan,
    access: PlanAccess,
    report: AgencyReport,
    *,
    form: ReportForm | None = None,
    evidence_form: EvidenceForm | None = None,
    workbook_form: WorkbookUploadForm | None = None,
    status: int = 200,
    scope: tuple[list[Any], list[Any]] | None = None,
) -> HttpResponse:
    """The report page: the form (editable) or the values (read-only), evidence, history."""
    indicators, actions = scope or services.report_scope(plan, report.organisation)
    may_edit = access.can(REPORT_EDIT, report)
    editable = may_edit and report.is_editable and report.period.is_open
    context: dict[str, Any] = {
        "plan": plan,
        "access": access,
        "report": report,
        "editable": editable,
        "can_review": access.can(REPORT_REVIEW),
        "indicators": indicators,
        "max_upload": services.evidence_max_bytes(),
    }
    if editable:
        if form is None:
            values, updates = services.read_entries(report, official=False)
            narratives = _report_narratives(report)
            form = ReportForm(
                initial=ReportForm.initial_for(report.version, narratives, values, updates),
                indicators=indicators,
                actions=actions,
                languages=narrative_languages(
                    plan, [narratives, *(update.texts() for update in updates.values())]
                ),
            )
        blocks, action_blocks = report_display.editable_blocks(form)
        translations = form.narrative_translations()
        context.update(
            form=form,
            blocks=blocks,
            action_blocks=action_blocks,
            narrative_translations=translations,
            narrative_translations_open=report_display.translations_open(
                form["narrative"], translations
            ),
        )
        context["evidence_form"] = evidence_form or EvidenceForm(indicators=indicators)
        context["workbook_form"] = workbook_form or WorkbookUploadForm()
    else:
        values, updates = services.read_entries(report, official=False)
        context.update(
            blocks=report_display.readonly_blocks(indicators, values),
            action_blocks=report_display.readonly_actions(actions, updates, plan),
        )
    transitions = selectors.report_transitions(report)
    events = readable_events(selectors.report_events(report))
    context.update(
        transitions=transitions,
        events=[(row, EVENT_LABELS.get(row.event.event_type, row.label)) for row in events],
        evidence=selectors.report_evidence(report),
        returned=_latest_reason(transitions, State.RETURNED)
        if report.state == State.RETURNED
        else None,
        reopened=_latest_reason(transitions, State.REOPENED)
        if report.state == State.REOPENED
        else None,
    )
    return render(request, "monitoring/report.html", context, status=status)


def _report_narratives(report: AgencyReport) -> dict[str, str]:
    """The report's narrative in each platform language (its own text, "" where none)."""
    return {code: getattr(report, f"narrative_{code}", None) or "" for code in platform_languages()}


def _conflict(
    request: HttpRequest,
    plan: Plan,
    access: PlanAccess,
    report: AgencyReport,
    error: ReportConflict,
    typed: list[tuple[str, str]],
) -> HttpResponse:
    return render(
        request,
        "monitoring/conflict.html",
        {"plan": plan, "access": access, "report": report, "message": str(error), "typed": typed},
        status=409,
    )


@login_required
def report_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The report form (Save draft, Submit, Check totals) or the read-only report."""
    plan, access, report = _report_for(request, slug, pk)
    if request.method != "POST":
        return _render_report(request, plan, access, report)
    if not access.can(REPORT_EDIT, report):
        raise PermissionDenied
    indicators, actions = services.report_scope(plan, report.organisation)
    form = ReportForm(
        request.POST,
        indicators=indicators,
        actions=actions,
        languages=narrative_languages(plan, [_report_narratives(report)], request.POST),
    )
    intent = request.POST.get("intent", "save")
    scope = (indicators, actions)
    if intent == "check" or not form.is_valid():
        # "Check totals" (works without JavaScript), or text that is not a number: the
        # page comes back with everything as typed and the messages on the fields.
        form.is_valid()
        if report.is_editable and report.period.is_open:
            return _render_report(
                request,
                plan,
                access,
                report,
                form=form,
                scope=scope,
                status=200 if intent == "check" else 400,
            )
        messages.error(request, _("This report cannot be changed now."))
        return HttpResponseRedirect(_report_url(report))
    narratives, values, updates = form.entries()
    version = form.cleaned_data["version"]
    unchanged = selectors.working_copy_matches(
        report, narratives=narratives, values=values, updates=updates
    )
    try:
        if version != report.version and not unchanged:
            raise ReportConflict(report)
        if intent == "submit":
            if unchanged and report.state == State.SUBMITTED:
                # A repeated Submit (double click): the submission is already stored.
                messages.success(request, _("The report is submitted for review."))
                return HttpResponseRedirect(_report_url(report))
            if not unchanged:
                report = services.agency_report_save(
                    actor=request.user,
                    report=report,
                    version=version,
                    narratives=narratives,
                    values=values,
                    updates=updates,
                )
            report = services.agency_report_submit(
                actor=request.user, report=report, version=report.version
            )
            messages.success(request, _("The report is submitted for review."))
        else:
            if not unchanged:
                report = services.agency_report_save(
                    actor=request.user,
                    report=report,
                    version=version,
                    narratives=narratives,
                    values=values,
                    updates=updates,
                )
            elif not report.is_editable:
                services.agency_report_save(
                    actor=request.user, report=report, version=report.version
                )
            messages.success(request, _("Draft saved."))
    except ReportConflict as error:
        return _conflict(request, plan, access, error.report, error, form.typed())
    except ValidationError as error:
        if not (report.is_editable and report.period.is_open):
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(_report_url(report))
        add_errors(form, error)
        return _render_report(request, plan, access, report, form=form, scope=scope, status=400)
    return HttpResponseRedirect(_report_url(report))


# --------------------------------------------------------------------------- workbook


@login_required
def report_workbook(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The report's working copy as an Excel workbook to fill in offline (issue 7 point 4).

    For whoever may see the report page (its organisation's focal point, reviewers).
    """
    from nap1325.monitoring.workbook import report_workbook as build

    plan, _access, report = _report_for(request, slug, pk)
    indicators, actions = services.report_scope(plan, report.organisation)
    values, updates = services.read_entries(report, official=False)
    content = build(report, indicators, actions, values, updates)
    organisation = report.organisation.acronym or report.organisation.name
    name = slugify(f"{organisation}-{report.period.label}") or f"report-{report.pk}"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_workbook_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Store a filled-in workbook as the draft, through the report form's service."""
    plan, access, report = _report_for(request, slug, pk)
    if not access.can(REPORT_EDIT, report):
        raise PermissionDenied
    form = WorkbookUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = services.agency_report_upload_workbook(
                actor=request.user, report=report, upload=form.cleaned_data["file"]
            )
        except ReportConflict as error:
            return _conflict(request, plan, access, error.report, error, [])
        except ValidationError as error:
            if not (report.is_editable and report.period.is_open):
                for message in error.messages:
                    messages.error(request, message)
                return HttpResponseRedirect(_report_url(report))
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The workbook was read and stored as a draft. Check the values below, "
                    "then submit."
                ),
            )
            return HttpResponseRedirect(_report_url(report))
    if not (report.is_editable and report.period.is_open):
        messages.error(request, _("This report cannot be changed now."))
        return HttpResponseRedirect(_report_url(report))
    return _render_report(request, plan, access, report, workbook_form=form, status=400)


# --------------------------------------------------------------------------- review


@login_required
def report_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Pending (working) values beside the official ones; approve, return or reopen."""
    plan, access, report = _report_for(request, slug, pk)
    access.require(REPORT_REVIEW)
    forms: dict[str, DecisionForm] = {}
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in ("approve", "return", "reopen"):
            raise Http404
        form = DecisionForm(request.POST)
        forms[decision] = form
        if form.is_valid():
            version = form.cleaned_data["version"]
            reason = form.cleaned_data["reason"]
            try:
                if decision == "approve":
                    services.agency_report_approve(
                        actor=request.user, report=report, version=version
                    )
                    messages.success(request, _("Approved: the values are now official."))
                elif decision == "return":
                    services.agency_report_return(
                        actor=request.user, report=report, version=version, reason=reason
                    )
                    messages.success(request, _("Returned to the agency with your reason."))
                else:
                    services.agency_report_reopen(
                        actor=request.user, report=report, version=version, reason=reason
                    )
                    messages.success(
                        request,
                        _("Reopened: the approved values stay official until the next approval."),
                    )
            except ReportConflict as error:
                return _conflict(request, plan, access, error.report, error, [])
            except ValidationError as error:
                add_errors(form, error)
            else:
                return HttpResponseRedirect(
                    reverse("monitoring:review", args=[plan.slug, report.pk])
                )
        status = 400
        report = selectors.report_of_plan(plan, report.pk)
    for name in ("approve", "return", "reopen"):
        forms.setdefault(name, DecisionForm(initial={"version": report.version}))
    indicators, actions = services.report_scope(plan, report.organisation)
    pending, pending_updates = services.read_entries(report, official=False)
    official, official_updates = services.read_entries(report, official=True)
    transitions = selectors.report_transitions(report)
    return render(
        request,
        "monitoring/review.html",
        {
            "plan": plan,
            "access": access,
            "report": report,
            "rows": report_display.comparison(indicators, pending, official),
            "pending_actions": report_display.readonly_actions(actions, pending_updates, plan),
            "official_actions": report_display.readonly_actions(actions, official_updates, plan),
            "action_pairs": list(
                zip(
                    report_display.readonly_actions(actions, pending_updates, plan),
                    report_display.readonly_actions(actions, official_updates, plan),
                    strict=True,
                )
            ),
            "forms": forms,
            "transitions": transitions,
            "evidence": selectors.report_evidence(report),
        },
        status=status,
    )


# --------------------------------------------------------------------------- evidence


@login_required
@require_POST
def evidence_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access, report = _report_for(request, slug, pk)
    if not access.can(REPORT_EDIT, report):
        raise PermissionDenied
    indicators, actions = services.report_scope(plan, report.organisation)
    form = EvidenceForm(request.POST, request.FILES, indicators=indicators)
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                actor=request.user,
                report=report,
                upload=form.cleaned_data["file"],
                indicator=form.chosen_indicator(),
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("File added: %(name)s") % {"name": evidence.original_name})
            return HttpResponseRedirect(_report_url(report) + "#evidence")
    if not (report.is_editable and report.period.is_open):
        for message in form.non_field_errors():
            messages.error(request, message)
        return HttpResponseRedirect(_report_url(report))
    return _render_report(
        request, plan, access, report, evidence_form=form, scope=(indicators, actions), status=400
    )


@login_required
def evidence_download(request: HttpRequest, slug: str, pk: int, evidence_pk: int) -> FileResponse:
    """The file, streamed through the storage API after the permission check."""
    _plan, _access, report = _report_for(request, slug, pk)
    try:
        evidence = selectors.evidence_of_report(report, evidence_pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(evidence.original_name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, slug: str, pk: int, evidence_pk: int) -> HttpResponse:
    _plan, access, report = _report_for(request, slug, pk)
    if not access.can(REPORT_EDIT, report):
        raise PermissionDenied
    try:
        evidence = selectors.evidence_of_report(report, evidence_pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("File removed: %(name)s") % {"name": evidence.original_name})
    return HttpResponseRedirect(_report_url(report) + "#evidence")
