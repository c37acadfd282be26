"""``nap1325 logframe-export PLAN FILE [--lang ru] [--empty]``: the plan's Excel logframe.

The workbook ``logframe-import`` reads back (:mod:`nap1325.interchange.logframe`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.interchange.logframe.export import export_logframe
from nap1325.plans.models import Plan


class Command(BaseCommand):
    help = "Write a plan's logframe (results, actions, indicators, budget) as an Excel workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", metavar="PLAN_SLUG")
        parser.add_argument("file", metavar="FILE", type=Path, help="The .xlsx file to write.")
        parser.add_argument(
            "--lang",
            default="en",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the instructions and column names (default en).",
        )
        parser.add_argument(
            "--empty", action="store_true", help="The template only, without the plan's rows."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with the short name {options['plan']!r}.")
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path.name}: the file name must end in .xlsx.")
        data = export_logframe(plan, language=options["lang"], empty=options["empty"])
        path.write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data) // 1024} KB).")
