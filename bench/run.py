"""Measure the dashboards on a generated national-scale plan, on SQLite and PostgreSQL.

For each database and scale, a fresh database is migrated and filled by
:mod:`bench.generate`; then, signed in as the plan's coordinator through Django's test
``Client`` (the whole request: middleware, session, view, template), each page is asked
for ``--warmup`` times and then ``--repeat`` times:

* the plan dashboard (``dashboards:plan``), as read again and again (its stored
  aggregate current) and right after a change to the plan ("changed": each request first
  counts a change, as every audited write does, so the page adds the plan up again),
* the agency page (``dashboards:agency``) of the agency with the most indicators and actions,
* the indicator page (``dashboards:indicator``) of a number indicator with a
  province × sex breakdown (54 cells per value).

Printed per page: median and 90th percentile of the server time, the number of SQL queries
and the time they took (one extra request under ``CaptureQueriesContext``), the peak of
Python memory during one request (``tracemalloc``), and the median time of hand-written
SQL over the same rows (``BASELINES``, through ``connection.cursor()``, every row fetched)
with the ratio page / SQL; then the ratio 10× / 1× per page. Nothing is asserted: the aims
(issue 3 point 7) are printed next to the figures.

Each (database, scale) runs in a child process of its own (settings are read once per
process; memory is per run). SQLite: a file in a temporary directory. PostgreSQL:
``postgres://postgres@127.0.0.1:5432/nap1325_bench_<scale>x_<pid>``, created and dropped
here, skipped with a note if the server cannot be reached (``--postgres-url`` to change it).
After generation PostgreSQL gets ``ANALYZE`` (what autovacuum does on its own within a
minute of such a load); SQLite is left as an embedded deployment leaves it.

    python bench/run.py                          # both databases, 1× and 10×
    python bench/run.py --scales 1 --databases sqlite --repeat 10
    python bench/run.py --scales 10 --databases postgresql --profile   # + cProfile top costs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
#: "changed": the plan dashboard right after a change to the plan (each request first
#: counts one change, as an audited write does, so the page adds the plan up again
#: instead of reading its stored aggregate: what the first reader after a write waits)
PAGES = ("plan", "changed", "agency", "indicator")

#: Aims of issue 3 point 7.
AIM_MEDIAN_MS = 150.0  # plan dashboard median at 1× on PostgreSQL
AIM_SCALE_RATIO = 2.0  # 10× / 1×
AIM_SQL_RATIO = 3.0  # page / hand-written SQL

# Hand-written SQL over the rows each page reads (official values only). ``%(plan)s``,
# ``%(organisation)s`` and ``%(indicator)s`` are bound as parameters.
_VALUES = """
SELECT v.indicator_id, COUNT(*), SUM(v.value), SUM(v.numerator), SUM(v.denominator),
       MAX(p.start)
FROM monitoring_indicatorvalue v
JOIN monitoring_agencyreport r ON r.id = v.report_id
JOIN monitoring_reportingperiod p ON p.id = r.period_id
WHERE r.plan_id = %(plan)s AND v.is_official = %(true)s {where}
GROUP BY v.indicator_id
"""
_UPDATES = """
SELECT u.action_id, COUNT(*), SUM(u.expenditure), MAX(u.progress)
FROM monitoring_actionupdate u
JOIN monitoring_agencyreport r ON r.id = u.report_id
WHERE r.plan_id = %(plan)s AND u.is_official = %(true)s {where}
GROUP BY u.action_id
"""
_BUDGET = """
SELECT b.funding_source, COUNT(*), SUM(b.amount)
FROM plans_budgetline b
JOIN plans_action a ON a.id = b.action_id
WHERE a.plan_id = %(plan)s AND b.is_archived = %(false)s AND a.is_archived = %(false)s {where}
GROUP BY b.funding_source
"""
_SERIES = """
SELECT p.start, r.organisation_id, v.value, v.numerator, v.denominator, v.no_data
FROM monitoring_indicatorvalue v
JOIN monitoring_agencyreport r ON r.id = v.report_id
JOIN monitoring_reportingperiod p ON p.id = r.period_id
WHERE v.indicator_id = %(indicator)s AND v.is_official = %(true)s
ORDER BY p.start
"""
_CELLS = """
SELECT p.start, c.breakdown_id, c.key, SUM(c.amount)
FROM monitoring_valuecell c
JOIN monitoring_indicatorvalue v ON v.id = c.value_id
JOIN monitoring_agencyreport r ON r.id = v.report_id
JOIN monitoring_reportingperiod p ON p.id = r.period_id
WHERE v.indicator_id = %(indicator)s AND v.is_official = %(true)s
GROUP BY p.start, c.breakdown_id, c.key
"""
BASELINES: dict[str, list[str]] = {
    "plan": [
        _VALUES.format(where=""),
        _UPDATES.format(where=""),
        _BUDGET.format(where=""),
    ],
    "agency": [
        _VALUES.format(where="AND r.organisation_id = %(organisation)s"),
        _UPDATES.format(where="AND r.organisation_id = %(organisation)s"),
        _BUDGET.format(where="AND a.lead_agency_id = %(organisation)s"),
    ],
    "indicator": [_SERIES, _CELLS],
}
BASELINES["changed"] = BASELINES["plan"]


# =========================================================================== worker


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _timed(call, *, warmup: int, repeat: int, budget_s: float) -> dict[str, float]:
    """Median, 90th percentile and minimum wall time of ``call`` (ms), and its CPU time.

    After ``warmup`` untimed calls (just one if a call takes over a second), up to
    ``repeat`` timed ones, stopping early, with at least 3, once ``budget_s`` is spent.
    CPU is this process's time (``time.process_time``): the Python side of a page, less
    disturbed than wall time when other work shares the machine.
    """
    for n in range(warmup):
        started = time.perf_counter()
        call()
        if n == 0 and time.perf_counter() - started > 1:
            break
    samples, cpu = [], []
    spent = time.perf_counter()
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if len(samples) >= 3 and time.perf_counter() - spent > budget_s:
            break
    return {
        "median_ms": statistics.median(samples),
        "p90_ms": _percentile(samples, 0.9),
        "min_ms": min(samples),
        "cpu_ms": statistics.median(cpu),
        "samples": len(samples),
    }


def _profile(call, top: int = 18) -> str:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    out.write("\n--- by cumulative time, project code only ---\n")
    stats.sort_stats("cumulative").print_stats(r"nap1325|dashboards|measurement", top)
    return out.getvalue()


def _already_generated(slug: str = "bench"):
    """The :class:`bench.generate.Generated` of a plan made earlier (``--reuse``).

    Same subjects as the generator picks: the agency with the most live indicators and
    actions to report on (first made on ties), the first province × sex indicator.
    """
    from django.db.models import Count, Q

    from bench.generate import Generated
    from nap1325.core.models import User
    from nap1325.monitoring.models import IndicatorValue, ValueCell
    from nap1325.monitoring.selectors import reporting_organisations, scope_indicators
    from nap1325.plans.models import Action, Indicator, Plan

    plan = Plan.objects.get(slug=slug)
    agencies = list(reporting_organisations(plan).order_by("pk"))
    led = dict(
        Action.objects.filter(plan=plan)
        .values_list("lead_agency")
        .annotate(n=Count("pk"))
        .values_list("lead_agency", "n")
    )
    sizes = {a.pk: scope_indicators(plan, a).count() + led.get(a.pk, 0) for a in agencies}
    busiest = max(agencies, key=lambda a: (sizes[a.pk], -a.pk))
    sample = (
        Indicator.objects.filter(plan=plan, breakdowns__dimensions__key="region")
        .order_by("order", "pk")
        .first()
    )
    official = Q(report__plan=plan, is_official=True)
    counts = {
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "values": IndicatorValue.objects.filter(official).count(),
        "cells": ValueCell.objects.filter(
            value__report__plan=plan, value__is_official=True
        ).count(),
    }
    return Generated(
        plan=plan,
        coordinator=User.objects.get(username=f"{slug}-coordinator"),
        counts=counts,
        seconds=0.0,
        busiest_agency=busiest,
        sample_indicator=sample,
    )


def worker(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, generate, measure; return the figures (run in a child process)."""
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["NAP1325_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    sys.path.insert(0, str(ROOT))
    import resource
    import tracemalloc

    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the floor's 404s
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.generate import Size, generate

    def say(message: str) -> None:
        print(f"[{args.database} {args.scale}×] {message}", file=sys.stderr, flush=True)

    figures: dict[str, Any] = {"database": args.database, "scale": args.scale}
    if args.reuse:
        say("measuring the database as it is (--reuse; migrations applied if any are new)")
        call_command("migrate", verbosity=0)
        generated = _already_generated()
        figures.update(migrate_s=0.0, generate_s=0.0, counts=generated.counts)
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        figures["migrate_s"] = time.perf_counter() - started
        say(f"migrated in {figures['migrate_s']:.1f} s; generating …")
        generated = generate(size=Size.national(args.scale), log=say if args.verbose else None)
        figures["generate_s"] = generated.seconds
        figures["counts"] = generated.counts
        say(f"generated in {generated.seconds:.1f} s: {generated.counts}")
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            figures["analyze_s"] = time.perf_counter() - started
    figures["rss_after_generate_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if connection.vendor == "postgresql":
        figures["server"] = f"PostgreSQL {connection.pg_version}"
    else:
        import sqlite3

        figures["server"] = f"SQLite {sqlite3.sqlite_version}"

    plan = generated.plan
    client = Client()
    client.force_login(generated.coordinator)
    urls = {
        "plan": reverse("dashboards:plan", kwargs={"slug": plan.slug}),
        "agency": reverse(
            "dashboards:agency",
            kwargs={"slug": plan.slug, "organisation_pk": generated.busiest_agency.pk},
        ),
        "indicator": reverse(
            "dashboards:indicator", kwargs={"slug": plan.slug, "pk": generated.sample_indicator.pk}
        ),
    }
    urls = {"plan": urls["plan"], "changed": urls["plan"], **urls}
    figures["subjects"] = {
        "agency": generated.busiest_agency.name,
        "indicator": generated.sample_indicator.code,
    }
    params = {
        "plan": plan.pk,
        "organisation": generated.busiest_agency.pk,
        "indicator": generated.sample_indicator.pk,
        "true": True,
        "false": False,
    }
    figures["pages"] = {}
    from nap1325.core.audit import plan_changed

    for page, url in urls.items():

        def fetch(url=url, changed=page == "changed"):  # type: ignore[no-untyped-def]
            if changed:  # one small UPDATE, inside the timed call
                plan_changed(plan.pk)
            return client.get(url)

        response = fetch()
        entry: dict[str, Any] = {"url": url, "status": response.status_code}
        figures["pages"][page] = entry
        if response.status_code != 200:
            say(f"{page}: HTTP {response.status_code}, not measured")
            continue
        entry["bytes"] = len(response.content)
        entry.update(
            _timed(
                fetch,
                warmup=args.warmup,
                repeat=args.repeat,
                budget_s=args.budget,
            )
        )
        with CaptureQueriesContext(connection) as queries:
            fetch()
        entry["queries"] = len(queries.captured_queries)
        entry["sql_in_page_ms"] = 1000 * sum(float(q["time"]) for q in queries.captured_queries)
        entry["slowest_queries"] = sorted(
            ({"ms": 1000 * float(q["time"]), "sql": q["sql"][:300]} for q in queries),
            key=lambda q: -q["ms"],
        )[:3]
        tracemalloc.start()
        fetch()
        entry["py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()

        def baseline(statements=BASELINES[page]) -> None:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        entry["sql"] = _timed(
            baseline, warmup=args.warmup, repeat=args.repeat, budget_s=args.budget
        )
        if args.profile:
            entry["profile"] = _profile(fetch)
        say(
            f"{page}: median {entry['median_ms']:.1f} ms, {entry['queries']} queries, "
            f"SQL baseline {entry['sql']['median_ms']:.1f} ms"
        )
    # The floor: what any dashboard request costs before it reads monitoring data (session,
    # user, plan, permission, a rendered page): the indicator page of an indicator that
    # does not exist, a 404. (Not the home page: its plan list counts actions × indicators
    # through one join, seconds at 1× and minutes at 10× — see docs/performance.md.)
    missing = reverse("dashboards:indicator", kwargs={"slug": plan.slug, "pk": 0})
    if client.get(missing).status_code == 404:
        figures["floor"] = _timed(
            lambda: client.get(missing), warmup=args.warmup, repeat=args.repeat, budget_s=10
        )
    # Opening a database connection: Django's default CONN_MAX_AGE=0 pays it per request.
    connection.close()
    started = time.perf_counter()
    connection.ensure_connection()
    figures["connect_ms"] = (time.perf_counter() - started) * 1000
    figures["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["loadavg"] = os.getloadavg()
    return figures


# =========================================================================== parent


def _postgres(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _run_one(database: str, scale: int, args: argparse.Namespace) -> dict[str, Any] | None:
    data_dir = tempfile.mkdtemp(prefix=f"nap1325-bench-{database}-{scale}x-")
    name = f"nap1325_bench_{scale}x_{os.getpid()}"
    reuse = args.reuse_url is not None
    if reuse:
        url = args.reuse_url
    elif database == "sqlite":
        url = f"sqlite:///{data_dir}/bench.sqlite3"
    else:
        url = f"{args.postgres_url}/{name}"
        _postgres(args.postgres_url, f"DROP DATABASE IF EXISTS {name}")
        _postgres(args.postgres_url, f"CREATE DATABASE {name}")
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        f"--database={database}",
        f"--scale={scale}",
        f"--database-url={url}",
        f"--data-dir={data_dir}",
        f"--repeat={args.repeat}",
        f"--warmup={args.warmup}",
        f"--budget={args.budget}",
        *(["--profile"] if args.profile else []),
        *(["--verbose"] if args.verbose else []),
        *(["--reuse"] if reuse else []),
    ]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            print(f"!! {database} {scale}×: the run failed (exit {done.returncode})")
            return None
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if reuse:
            shutil.rmtree(data_dir, ignore_errors=True)
        elif not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if database == "postgresql":
                _postgres(args.postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            print(f"kept {url}")


def _postgres_available(url: str) -> str | None:
    """``None`` if the server answers, else why not."""
    try:
        _postgres(url, "SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means "skip with a note"
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
    return None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def report(results: list[dict[str, Any]]) -> str:
    """The table of figures and ratios (plain text, as printed)."""
    lines = []
    header = (
        f"{'database':<11}{'scale':>6}  {'page':<10}{'median ms':>10}{'p90 ms':>9}"
        f"{'CPU ms':>8}{'n':>4}{'queries':>8}{'SQL in page':>12}{'KB':>6}{'py MB':>7}"
        f"{'hand SQL ms':>12}{'page/SQL':>9}"
    )
    lines += [header, "-" * len(header)]
    by_key = {(r["database"], r["scale"]): r for r in results}
    for r in results:
        for page in PAGES:
            entry = r["pages"].get(page, {})
            if "median_ms" not in entry:
                lines.append(
                    f"{r['database']:<11}{str(r['scale']) + '×':>6}  {page:<10}"
                    f"  HTTP {entry.get('status', '?')}: not measured"
                )
                continue
            sql = entry["sql"]["median_ms"]
            lines.append(
                f"{r['database']:<11}{str(r['scale']) + '×':>6}  {page:<10}"
                f"{_fmt(entry['median_ms']):>10}{_fmt(entry['p90_ms']):>9}"
                f"{_fmt(entry['cpu_ms'], 0):>8}{entry['samples']:>4}"
                f"{entry['queries']:>8}{_fmt(entry['sql_in_page_ms']):>12}"
                f"{entry['bytes'] / 1024:>6.0f}{_fmt(entry['py_peak_mb']):>7}{_fmt(sql, 2):>12}"
                f"{entry['median_ms'] / sql:>9.1f}"
            )
    lines.append("")
    lines.append("Scaling (median at 10× / median at 1×):")
    for database in dict.fromkeys(r["database"] for r in results):
        small, large = by_key.get((database, 1)), by_key.get((database, 10))
        if not (small and large):
            continue
        parts = []
        for page in PAGES:
            a, b = small["pages"].get(page, {}), large["pages"].get(page, {})
            if "median_ms" in a and "median_ms" in b:
                parts.append(f"{page} {b['median_ms'] / a['median_ms']:.2f}")
                parts[-1] += f" (SQL {b['sql']['median_ms'] / a['sql']['median_ms']:.2f})"
        lines.append(f"  {database:<11}" + ", ".join(parts))
    lines.append("")
    lines.append("Generation and machine:")
    for r in results:
        counts = r["counts"]
        lines.append(
            f"  {r['database']:<11}{str(r['scale']) + '×':>4}: migrate {r['migrate_s']:.1f} s, "
            f"generate {r['generate_s']:.1f} s ({counts['indicators']:,} indicators, "
            f"{counts['values']:,} official values, {counts['cells']:,} official cells); "
            f"peak RSS {r['rss_peak_mb']:.0f} MB; connect {r['connect_ms']:.1f} ms; "
            f"floor (a dashboard 404) {_fmt(r.get('floor', {}).get('median_ms'))} ms; "
            f"load {r['loadavg'][0]:.1f}"
        )
    lines.append("")
    lines.append(
        f"Aims: plan dashboard median ≤ {AIM_MEDIAN_MS:.0f} ms at 1× on PostgreSQL; "
        f"≤ {AIM_SCALE_RATIO:.0f}× slower at 10×; within {AIM_SQL_RATIO:.0f}× of the hand SQL."
    )
    pg1 = by_key.get(("postgresql", 1))
    if pg1 and "median_ms" in pg1["pages"]["plan"]:
        median = pg1["pages"]["plan"]["median_ms"]
        verdict = "meets" if median <= AIM_MEDIAN_MS else "misses"
        lines.append(f"  plan dashboard, PostgreSQL 1×: {median:.1f} ms — {verdict} the aim")
    for database in dict.fromkeys(r["database"] for r in results):
        small, large = by_key.get((database, 1)), by_key.get((database, 10))
        for page in PAGES:
            a = small["pages"][page] if small else {}
            b = large["pages"][page] if large else {}
            if "median_ms" in a and "median_ms" in b:
                ratio = b["median_ms"] / a["median_ms"]
                verdict = "meets" if ratio <= AIM_SCALE_RATIO else "misses"
                lines.append(f"  {database} {page}: 10×/1× = {ratio:.2f} — {verdict}")
        for r in (small, large):
            if not r:
                continue
            for page in PAGES:
                entry = r["pages"][page]
                if "median_ms" in entry:
                    ratio = entry["median_ms"] / entry["sql"]["median_ms"]
                    verdict = "meets" if ratio <= AIM_SQL_RATIO else "misses"
                    lines.append(
                        f"  {database} {r['scale']}× {page}: page/SQL = {ratio:.1f} — {verdict}"
                    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated, e.g. 1,10")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of timed requests per page at most"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top costs")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="server, no database")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--report", nargs="+", metavar="JSON", help="print the table of earlier --json files"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse-url",
        help="measure this database (kept by --keep) without migrating or generating; "
        "give one database and one scale (the scale is only a label)",
    )
    parser.add_argument("--verbose", action="store_true")
    # internal: one measured run in a child process
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args), default=str))
        return 0
    if args.report:
        saved = [r for name in args.report for r in json.loads(Path(name).read_text())]
        order = {"sqlite": 0, "postgresql": 1}
        print(report(sorted(saved, key=lambda r: (order[r["database"]], r["scale"]))))
        return 0

    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    if args.reuse_url and (len(databases) != 1 or len(scales) != 1):
        parser.error("--reuse-url measures one database at one scale")
    if "postgresql" in databases and not args.reuse_url:
        why = _postgres_available(args.postgres_url)
        if why:
            print(f"PostgreSQL skipped: {args.postgres_url} does not answer ({why}).")
            databases.remove("postgresql")
    print(f"Machine: {machine()}")
    results = []
    for database in databases:
        for scale in scales:
            print(f"… {database} at {scale}×", flush=True)
            figures = _run_one(database, scale, args)
            if figures:
                results.append(figures)
    print()
    print(report(results))
    if args.profile:
        for r in results:
            for page in PAGES:
                profile = r["pages"].get(page, {}).get("profile")
                if profile:
                    print(f"\n===== cProfile: {r['database']} {r['scale']}× {page} =====")
                    print(profile)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


def machine() -> str:
    """Cores, CPU model and RAM from /proc (Linux), and Python's version."""
    model, memory = "?", "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({model}), {memory} RAM, Python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
