"""``nap1325 load-demo``: create or migrate the database and load the demo (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from nap1325.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Migrate the database and load the Kyrgyz and DRC demo plans "
        "(running it twice changes nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not run migrations first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        report = load_demo()
        self.stdout.write(self.style.SUCCESS(report.summary()))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in report.logins:
            self.stdout.write(f"  {username:<14} {description}")
