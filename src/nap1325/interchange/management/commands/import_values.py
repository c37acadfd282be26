"""``nap1325 import-values PLAN FILE… --mapping M.yaml --as USER``: approved values from tables.

See :mod:`nap1325.interchange.values_import` for the mapping, grouping and rules. Exit
status 0 on success (the summary is printed), non-zero with every bad row listed when
anything is wrong (nothing is written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.interchange.values_import import ImportFailed, import_values, load_mapping
from nap1325.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Import indicator values from long-format tables (CSV, XLSX, JSON) into approved "
        "values of a plan, as a coordinator. All-or-nothing; a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", metavar="PLAN_SLUG", help="The plan's short name.")
        parser.add_argument("files", metavar="FILE", nargs="+", type=Path)
        parser.add_argument(
            "--mapping", required=True, type=Path, help="YAML file naming the columns."
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The coordinator recorded as having imported (and approved) the values.",
        )
        parser.add_argument(
            "--organisation",
            metavar="NAME_OR_ACRONYM",
            help="The reporting organisation when no column names it "
            "(default: the plan's coordinating body).",
        )
        parser.add_argument("--sheet", help="XLSX: the sheet to read (default: the first).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with the short name {options['plan']!r}.")
        try:
            mapping = load_mapping(Path(options["mapping"]))
            result = import_values(
                plan=plan,
                paths=[Path(name) for name in options["files"]],
                mapping=mapping,
                username=options["username"],
                organisation=options.get("organisation"),
                sheet=options.get("sheet"),
                dry_run=options["dry_run"],
            )
        except ImportFailed as failure:
            for line in failure.errors:
                self.stderr.write(line)
            for line in failure.warnings:
                self.stderr.write(f"Warning: {line}")
            raise CommandError(str(failure)) from failure
        for line in result.warnings:
            self.stdout.write(f"Warning: {line}")
        for line in result.summary_lines():
            self.stdout.write(line)
