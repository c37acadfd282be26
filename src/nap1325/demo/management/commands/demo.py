"""``nap1325 demo``: migrate, load the demo, print the logins and serve on 127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from nap1325.demo.management.commands.serve import parse_port


class Command(BaseCommand):
    help = "Set up the demo database and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000", help="Port to listen on.")

    def handle(self, *args: Any, **options: Any) -> None:
        port = parse_port(options["port"])  # refuse a bad port before any work
        call_command("load_demo", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:{port}/ in a browser (Ctrl+C stops the server).")
        call_command("serve", port=port)
