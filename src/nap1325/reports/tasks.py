"""Background tasks of national progress reports (django-tasks, database backend).

``build_report`` is enqueued by :func:`nap1325.reports.services.generated_report_request`
and run by the worker (``nap1325 db_worker``); with ``NAP1325_TASKS=immediate`` it runs at
once (tests, the demo).
"""

from __future__ import annotations

from django_tasks import task

from nap1325.reports import services


@task()
def build_report(report_id: int) -> str:
    """Build the report of request ``report_id``; returns its final state.

    Never raises for a report that cannot be built: the failure and its cause are stored
    on the request (:func:`~nap1325.reports.services.generated_report_build`).
    """
    return services.generated_report_build(report_id=report_id).state
