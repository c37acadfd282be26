"""Background tasks of the coordination area (django-tasks, database backend).

``send_reminder_digests`` is enqueued once a day by ``nap1325 send-reminders`` (cron) and
run by the worker (``nap1325 db_worker``); see README, "Reminders".
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from nap1325.coordination import reminders


@task()
def send_reminder_digests(day: str | None = None) -> str:
    """Send the reminder digests of ``day`` (ISO date; default today). Returns a summary.

    Idempotent for a day (:mod:`nap1325.coordination.reminders`).
    """
    report = reminders.send_digests(dt.date.fromisoformat(day) if day else None)
    return report.summary()
