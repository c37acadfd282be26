"""Time and peak memory of building the national progress report in each format.

For the national-scale plan of ``bench/generate.py`` (1,500 indicators, 600 actions, 25
agencies) with 6 and with 12 half-yearly periods (the generator's plan runs 2020–2025, so
12 is its most; the issue's 12-and-24 is the same doubling): the report of the last period
(everything to date) built in each format, as the background task does (``report_content``
and the writer, under ``translation.override``). ``content`` is the content alone (the
queries and :mod:`nap1325.measurement`), which every format includes.

Per format: the median and best wall time and the median CPU time of ``--repeat`` builds
(CPU time is steadier on a shared machine), then one more build under ``tracemalloc`` for
the peak of Python allocations (tracemalloc slows Python down, so that build is not timed).
The ratio of the peaks at the most and the fewest periods shows whether memory grows with
the number of periods. ``pdf`` is the PDF as users get it (for this plan: the indicators
needing follow-up, :mod:`nap1325.reports.pdf`); ``pdf-all`` (not in the default list)
is the PDF listing every indicator, as smaller plans get it.

Each period count runs in a child process of its own. By default each gets a fresh SQLite
database in a temporary folder, generated and thrown away; ``--database URL`` (a URL with
``{periods}`` in it) or ``--reuse`` (the SQLite files of :data:`bench.kept.DEFAULT_SQLITE`)
keep the generated databases and measure them again without regenerating::

    .venv/bin/python bench/reports.py --reuse                   # SQLite, 6 and 12 periods
    .venv/bin/python bench/reports.py --formats content,xlsx --periods 12 --reuse
    .venv/bin/python bench/reports.py \\
        --database 'postgres://postgres@127.0.0.1:5432/speed_bench_{periods}'
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("content", "pdf", "docx", "xlsx")
#: also measurable (``--formats pdf-all``): the PDF listing every indicator, as a plan of
#: up to ``reports.pdf.LIST_ALL_UP_TO`` indicators gets it (the national plan's PDF lists
#: the indicators needing follow-up)
EXTRA_FORMATS = ("pdf-all",)
AIMS = {"pdf": 10.0, "pdf-all": 10.0, "docx": 5.0, "xlsx": 3.0}


def worker(periods: int, repeat: int, lang: str, formats: list[str]) -> None:
    """Run in a child process whose ``DATABASE_URL`` is the database to measure."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import translation

    from bench.generate import Size
    from bench.kept import ready_plan
    from nap1325.monitoring.models import ReportingPeriod
    from nap1325.reports.content import report_content, report_scope
    from nap1325.reports.docx import write_docx
    from nap1325.reports.pdf import write_pdf
    from nap1325.reports.xlsx import write_xlsx

    plan, _reused = ready_plan(
        Size(actions=600, indicators=1500, periods=periods), log=lambda m: print(m, flush=True)
    )
    label = ReportingPeriod.objects.filter(plan=plan).order_by("-end").first().label
    writers = {
        "pdf": write_pdf,
        "pdf-all": functools.partial(write_pdf, list_all=True),
        "docx": write_docx,
        "xlsx": write_xlsx,
        "content": None,
    }

    def build() -> int:
        with translation.override(lang):
            content = report_content(plan, report_scope(plan, period=label), language=lang)
            writer = writers[fmt]
            if writer is None:
                return 0
            out = io.BytesIO()
            writer(content, out)
            return len(out.getvalue())

    for fmt in formats:
        walls, cpus = [], []
        size = 0
        for _run in range(repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            size = build()
            walls.append(time.perf_counter() - began)
            cpus.append(time.process_time() - began_cpu)
        tracemalloc.start()
        build()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"RESULT {connection.vendor} {periods} {fmt} {statistics.median(walls):.2f} "
            f"{min(walls):.2f} {statistics.median(cpus):.2f} {peak / 2**20:.1f} "
            f"{size / 1024:.0f} {len(walls)}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--periods", default="6,12")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=3, help="timed builds per format")
    parser.add_argument("--lang", default="ru")
    parser.add_argument(
        "--database", help="database URL to keep and reuse; {periods} is the period count"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep and reuse SQLite files under /tmp"
    )
    parser.add_argument("--postgres-url", help="a PostgreSQL server: fresh databases, dropped")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    if unknown := set(formats) - set(FORMATS) - set(EXTRA_FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    if args.worker:
        worker(args.worker, args.repeat, args.lang, formats)
        return 0
    from bench.kept import DEFAULT_SQLITE, prepare, url_for

    template = args.database or (DEFAULT_SQLITE if args.reuse else None)
    rows: dict[tuple[str, int, str], tuple[float, ...]] = {}
    for periods in [int(part) for part in args.periods.split(",")]:
        with tempfile.TemporaryDirectory(prefix="nap-report-bench-") as folder:
            env = dict(os.environ, NAP1325_DATA_DIR=folder)
            name = None
            if template:
                url = url_for(template, periods)
            elif args.postgres_url:
                name = f"nap1325_report_bench_{periods}_{os.getpid()}"
                url = f"{args.postgres_url}/{name}"
            else:
                url = f"sqlite:///{folder}/nap.sqlite3"
            saved = os.environ.get("DATABASE_URL")
            prepare(url)
            env["DATABASE_URL"] = url
            if saved is None:
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = saved
            command = [sys.executable, __file__, "--worker", str(periods)]
            command += ["--repeat", str(args.repeat), "--lang", args.lang]
            command += ["--formats", ",".join(formats)]
            try:
                done = subprocess.run(
                    command, env=env, check=True, stdout=subprocess.PIPE, text=True
                )
            finally:
                if name:
                    import psycopg

                    with psycopg.connect(f"{args.postgres_url}/postgres", autocommit=True) as c:
                        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            for line in done.stdout.splitlines():
                print(line)
                if line.startswith("RESULT "):
                    _tag, vendor, count, fmt, *figures = line.split()
                    rows[(vendor, int(count), fmt)] = tuple(float(f) for f in figures)
    print()
    print(
        f"{'database':<11}{'periods':>8}  {'format':<8}{'median s':>9}{'best s':>8}"
        f"{'CPU s':>7}{'aim s':>7}{'peak MB':>9}{'file KB':>9}{'n':>3}"
    )
    for (vendor, count, fmt), (median, best, cpu, peak, kb, n) in sorted(rows.items()):
        aim = f"{AIMS[fmt]:.0f}" if fmt in AIMS else "–"
        print(
            f"{vendor:<11}{count:>8}  {fmt:<8}{median:>9.2f}{best:>8.2f}{cpu:>7.2f}"
            f"{aim:>7}{peak:>9.1f}{kb:>9.0f}{n:>3.0f}"
        )
    counts = sorted({count for _vendor, count, _fmt in rows})
    if len(counts) >= 2:
        low, high = counts[0], counts[-1]
        print()
        for vendor, _count, fmt in sorted(key for key in rows if key[1] == low):
            if (vendor, high, fmt) in rows:
                ratio = rows[(vendor, high, fmt)][3] / rows[(vendor, low, fmt)][3]
                print(f"peak memory {high}/{low} periods, {vendor} {fmt}: {ratio:.2f}")
    print(f"\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
