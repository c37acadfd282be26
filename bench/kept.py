"""Databases generated once and measured many times (``--database`` / ``--reuse``).

Generating the national plan takes half a minute to a few minutes on a shared machine;
the report and logframe benchmarks only read it (the logframe's edited import is rolled
back), so they can measure the same database again and again. A database named here is
migrated, then generated only if it has no plan ``bench`` yet, and kept afterwards.

- :func:`prepare` (before ``django.setup()``): points ``DATABASE_URL`` at the URL and, for
  PostgreSQL, creates the database when it does not exist (``CREATE DATABASE``);
- :func:`ready_plan` (after): migrates and returns the plan, generating it if needed.

SQLite files and PostgreSQL databases are never made inside the repository: the default
(:data:`DEFAULT_SQLITE`) is under ``/tmp``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: ``--reuse`` without ``--database``: one SQLite file per number of periods.
DEFAULT_SQLITE = "sqlite:////tmp/nap1325-bench/national-{periods}p.sqlite3"


def url_for(template: str, periods: int) -> str:
    """``template`` with ``{periods}`` filled in (a URL without it is used as it is)."""
    return template.replace("{periods}", str(periods))


def prepare(url: str) -> None:
    """Use ``url`` as the database of this process; create it if it does not exist.

    SQLite: the folder of the file is created. PostgreSQL: ``CREATE DATABASE`` on the
    server's ``postgres`` database when the name is not there yet.
    """
    os.environ["DATABASE_URL"] = url
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    if parts.scheme.startswith("postgres"):
        import psycopg

        name = parts.path.lstrip("/")
        server = url[: url.rindex("/")]
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')


def ready_plan(
    size: Any, *, slug: str = "bench", log: Callable[[str], None] = print
) -> tuple[Any, bool]:
    """The plan ``slug`` of the current database, generated with ``size`` if it is missing.

    Migrates first (a no-op on a database already migrated). Returns ``(plan, reused)``.
    A reused plan must have ``size.periods`` reporting periods and ``size.indicators``
    indicators, else ``SystemExit`` names the mismatch (generate into another database).
    Generated plans carry official values only (no working copies), as both benchmarks
    read only official values.
    """
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate
    from nap1325.monitoring.models import ReportingPeriod
    from nap1325.plans.models import Indicator, Plan

    call_command("migrate", verbosity=0)
    plan = Plan.objects.filter(slug=slug).first()
    if plan is not None:
        periods = ReportingPeriod.objects.filter(plan=plan).count()
        indicators = Indicator.objects.filter(plan=plan).count()
        if (periods, indicators) != (size.periods, size.indicators):
            raise SystemExit(
                f"{connection.settings_dict['NAME']}: plan {slug} has {periods} periods and "
                f"{indicators} indicators, not {size.periods} and {size.indicators}"
            )
        log(f"# reusing plan {slug} in {connection.vendor} {connection.settings_dict['NAME']}")
        return plan, True
    started = time.perf_counter()
    generated = generate(size=size, slug=slug, working_copies=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(
        f"# generated plan {slug} in {connection.vendor} {connection.settings_dict['NAME']} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return generated.plan, False
