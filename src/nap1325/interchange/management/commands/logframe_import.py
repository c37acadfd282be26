"""``nap1325 logframe-import PLAN FILE… --as USER [--dry-run] [--reason R]``.

Reads an Excel logframe (or the framework's open-data JSON, or its CSV files
``…-results.csv``, ``…-actions.csv``, …), prints what will be created, changed and left
alone and every problem with its sheet, row and column, and applies it all or nothing
(:mod:`nap1325.interchange.logframe`). Exit status non-zero when anything is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.core.models import User
from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.plan_diff import CHANGE, CREATE
from nap1325.interchange.logframe.reader import UnreadableFile, read_csv_sheets, read_logframe
from nap1325.plans.models import Plan


class Command(BaseCommand):
    help = "Import an Excel logframe into a plan (preview with --dry-run). All-or-nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", metavar="PLAN_SLUG")
        parser.add_argument("files", metavar="FILE", nargs="+", type=Path)
        parser.add_argument("--as", dest="username", required=True, metavar="USERNAME")
        parser.add_argument("--dry-run", action="store_true", help="Show, write nothing.")
        parser.add_argument(
            "--reason", default="", help="Why (required for adopted plans); kept in the audit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with the short name {options['plan']!r}.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        paths = [Path(p) for p in options["files"]]
        try:
            if all(p.suffix.lower() == ".csv" for p in paths):
                logframe = read_csv_sheets(paths)
            elif len(paths) == 1:
                logframe = read_logframe(paths[0])
            else:
                raise CommandError("Give one .xlsx or .json file, or the framework's .csv files.")
            result = import_logframe(
                plan,
                paths[0],
                actor=user,
                reason=options["reason"],
                dry_run=options["dry_run"],
                logframe=logframe,
            )
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        except PermissionDenied as error:
            raise CommandError(
                f"{user.username} may not edit the plan {plan.slug} (coordinators only)."
            ) from error
        for warning in result.changeset.warnings:
            self.stderr.write(f"Warning: {warning}")
        for change in result.changeset.changes:
            if change.kind == CREATE:
                self.stdout.write(f"create {change.sheet} {change.key}")
            elif change.kind == CHANGE:
                fields = ", ".join(
                    f"{name}: {old!r} → {new!r}" for name, (old, new) in change.fields.items()
                )
                self.stdout.write(f"change {change.sheet} {change.key}: {fields}")
        for line in result.summary_lines():
            self.stdout.write(line)
        problems = result.all_problems
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write("Imported.")
