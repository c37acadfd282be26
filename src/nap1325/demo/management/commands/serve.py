"""``nap1325 serve [--host H] [--port N]``: serve the platform with Django's threaded server.

For one machine and the demo. In production run a WSGI server on ``nap1325.wsgi``
(see README "Production").
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def parse_port(value: object) -> str:
    """The port as text, or a ``CommandError`` naming the ``--port`` argument."""
    port = str(value)
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise CommandError(f"--port: {port!r} is not a port number (1–65535).")
    return port


class Command(BaseCommand):
    help = "Serve the platform on http://127.0.0.1:8000 (or --host/--port)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", default="8000", help="Port to listen on (1–65535).")

    def handle(self, *args: Any, **options: Any) -> None:
        port = parse_port(options["port"])
        host = options["host"]
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        call_command("runserver", address, use_reloader=False, use_threading=True)
