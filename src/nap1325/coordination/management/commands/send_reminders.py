"""``nap1325 send-reminders [--now] [--date YYYY-MM-DD]``: the daily reminder digests.

Without ``--now`` the job is enqueued for the worker (``nap1325 db_worker``); with
``--now`` it runs here and prints what it did. Running it twice on a day sends nothing
the second time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.coordination import reminders
from nap1325.coordination.tasks import send_reminder_digests


class Command(BaseCommand):
    help = "Send each person a digest of work-plan items due in 7 days or overdue (once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the job here instead of enqueueing it."
        )
        parser.add_argument(
            "--date", help="The run day (YYYY-MM-DD); default: today in settings.TIME_ZONE."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options.get("date")
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {day!r}.") from None
        if options["now"]:
            report = reminders.send_digests(dt.date.fromisoformat(day) if day else None)
            self.stdout.write(report.summary())
            return
        result = send_reminder_digests.enqueue(day)
        self.stdout.write(f"Enqueued the reminder job ({result.id}); `nap1325 db_worker` runs it.")
