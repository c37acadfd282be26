"""The ``nap1325`` command.

``nap1325 demo`` (migrate, load the demo, print the logins, serve on 127.0.0.1:8000),
``nap1325 load-demo``, ``nap1325 serve [--port N]``, and every Django management command
(``nap1325 migrate``, ``nap1325 createsuperuser``, …). Dashes and underscores are
interchangeable in command names.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; ``argv`` defaults to ``sys.argv``."""
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "nap1325"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
