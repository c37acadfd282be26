"""``nap1325 report PLAN --period LABEL|--year YYYY --format docx|pdf|xlsx --lang en|ru|ky``.

Builds the national progress report in this process (the same request row and build as
the page's background task, so it shows on the page too) and writes it to ``--output``
(default: its file name in the current folder). Exit status 0 on success; non-zero with a
message naming the plan, period, year, format or language that is wrong, or the cause of a
failed build.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.plans.models import Plan
from nap1325.reports import services
from nap1325.reports.models import GeneratedReport


class Command(BaseCommand):
    help = (
        "Build the national progress report of a plan for a reporting period or a year, "
        "in Word, PDF or Excel, from approved data only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", metavar="PLAN_SLUG", help="The plan's short name.")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--period", metavar="LABEL", help="A reporting period's label.")
        scope.add_argument("--year", metavar="YYYY", type=int, help="A calendar year.")
        parser.add_argument(
            "--format",
            required=True,
            choices=GeneratedReport.Format.values,
            help="docx, pdf or xlsx.",
        )
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the report (default: %(default)s).",
        )
        parser.add_argument("--output", type=Path, help="File to write (default: its name).")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with the short name {options['plan']!r}.")
        try:
            report = services.generated_report_request(
                actor=None,
                plan=plan,
                period_label=options["period"] or "",
                year=options["year"],
                format=options["format"],
                language=options["lang"],
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(
                    str(message) for messages in error.message_dict.values() for message in messages
                )
            ) from error
        report = services.generated_report_build(report_id=report.pk)
        if report.state != GeneratedReport.State.DONE:
            raise CommandError(report.error or "The report could not be built.")
        target = options["output"] or Path(report.file_name)
        try:
            with report.file.open("rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {target} ({target.stat().st_size:,} bytes).")
