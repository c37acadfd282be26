"""``nap1325 serve [--host H] [--port N] [--no-worker]``: serve the platform with Django's
threaded server, and run the background-task worker beside it.

For one machine and the demo: national progress reports and other background work are
built by ``nap1325 db_worker``, which ``serve`` starts as a child process (and stops with
the server) unless ``--no-worker`` is given or tasks run in the request anyway
(``NAP1325_TASKS=immediate``). In production run a WSGI server on ``nap1325.wsgi`` and the
worker as a service of its own (see README "Production").
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
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
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background-task worker (reports stay queued until one runs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = parse_port(options["port"])
        host = options["host"]
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        worker = None if options["no_worker"] else start_worker()
        # a service manager stops the server with SIGTERM: exit through ``finally`` too, so
        # the worker is stopped with it (Ctrl+C, SIGINT, already does)
        signal.signal(signal.SIGTERM, lambda _number, _frame: sys.exit(0))
        try:
            call_command("runserver", address, use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def start_worker() -> subprocess.Popen[bytes] | None:
    """``nap1325 db_worker`` as a child process with this process's settings, or ``None``
    when tasks do not go through the database queue (``NAP1325_TASKS=immediate``)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return None
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    return subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay"],
        env=environment,
    )
