"""Reads of the progress-report page: requests of a plan, one for download, the scopes."""

from __future__ import annotations

from nap1325.monitoring.models import ReportingPeriod
from nap1325.plans.models import Plan
from nap1325.reports.models import GeneratedReport

#: Requests listed on the page (the latest first): a bounded list whatever the history.
REQUEST_LIMIT = 30


def report_requests(plan: Plan, *, limit: int = REQUEST_LIMIT) -> list[GeneratedReport]:
    """The plan's latest report requests with who asked (one query)."""
    return list(
        GeneratedReport.objects.filter(plan=plan)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:limit]
    )


def report_for_download(plan: Plan, pk: int) -> GeneratedReport:
    """A finished report of ``plan`` (raises ``GeneratedReport.DoesNotExist`` otherwise)."""
    return GeneratedReport.objects.get(
        plan=plan, pk=pk, state=GeneratedReport.State.DONE, file__gt=""
    )


def report_scopes(plan: Plan) -> tuple[list[str], list[int]]:
    """Period labels (latest first) and the years in which periods end (one query)."""
    rows = list(
        ReportingPeriod.objects.filter(plan=plan).order_by("-end").values_list("label", "end")
    )
    labels = [label for label, _end in rows]
    years = sorted({end.year for _label, end in rows}, reverse=True)
    return labels, years
