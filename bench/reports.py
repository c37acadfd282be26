"""Time and peak memory of building the national progress report in each format.

For the national-scale plan of ``bench/generate.py`` (1,500 indicators, 600 actions, 25
agencies) with 6 and with 12 half-yearly periods (the generator's plan runs 2020–2025, so
12 is its most; the issue's 12-and-24 is the same doubling): a fresh database per period count
(SQLite in a temporary folder, or ``--postgres-url``), the plan generated, then the report
of the last period (everything to date) built in each format, as the background task does
(``report_content`` and the writer, under ``translation.override``). Wall time is the best
of ``--repeat`` runs; peak memory is tracemalloc's peak of Python allocations during one
build. The ratio 12/6 shows whether memory grows with the number of periods.

    .venv/bin/python bench/reports.py                       # SQLite, 6 and 12 periods
    .venv/bin/python bench/reports.py --postgres-url postgres://postgres@127.0.0.1:5432
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "docx", "xlsx")
AIMS = {"pdf": 10.0, "docx": 5.0, "xlsx": 3.0}


def worker(periods: int, repeat: int, lang: str) -> None:
    """Run in a child process whose environment points at a fresh database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from bench.generate import Size, generate
    from nap1325.monitoring.models import ReportingPeriod
    from nap1325.reports.content import report_content, report_scope
    from nap1325.reports.docx import write_docx
    from nap1325.reports.pdf import write_pdf
    from nap1325.reports.xlsx import write_xlsx

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = generate(
        size=Size(actions=600, indicators=1500, periods=periods), working_copies=False
    )
    print(
        f"# {connection.vendor}, {periods} periods: "
        f"generated in {time.perf_counter() - started:.0f} s"
    )
    plan = result.plan
    label = ReportingPeriod.objects.filter(plan=plan).order_by("-end").first().label
    writers = {"pdf": write_pdf, "docx": write_docx, "xlsx": write_xlsx}
    for fmt in FORMATS:
        times = []
        peak = 0
        size = 0
        for run in range(repeat):
            if run == 0:
                tracemalloc.start()
            began = time.perf_counter()
            with translation.override(lang):
                content = report_content(plan, report_scope(plan, period=label), language=lang)
                out = io.BytesIO()
                writers[fmt](content, out)
            times.append(time.perf_counter() - began)
            if run == 0:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            size = len(out.getvalue())
            del content, out
        print(
            f"RESULT {connection.vendor} {periods} {fmt} {min(times):.2f} "
            f"{peak / 2**20:.1f} {size / 1024:.0f}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--periods", default="6,12")
    parser.add_argument("--repeat", type=int, default=2, help="timed builds per format")
    parser.add_argument("--lang", default="ru")
    parser.add_argument("--postgres-url", help="a PostgreSQL server (without database name)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.repeat, args.lang)
        return 0
    rows: dict[tuple[str, int, str], tuple[float, float, float]] = {}
    for periods in [int(part) for part in args.periods.split(",")]:
        with tempfile.TemporaryDirectory(prefix="nap-report-bench-") as folder:
            env = dict(os.environ, NAP1325_DATA_DIR=folder)
            name = None
            if args.postgres_url:
                name = f"nap1325_report_bench_{periods}_{os.getpid()}"
                subprocess.run(
                    ["psql", f"{args.postgres_url}/postgres", "-qc", f"CREATE DATABASE {name}"],
                    check=True,
                )
                env["DATABASE_URL"] = f"{args.postgres_url}/{name}"
            else:
                env.pop("DATABASE_URL", None)
            try:
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        str(periods),
                        "--repeat",
                        str(args.repeat),
                        "--lang",
                        args.lang,
                    ],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
            finally:
                if name:
                    subprocess.run(
                        [
                            "psql",
                            f"{args.postgres_url}/postgres",
                            "-qc",
                            f"DROP DATABASE IF EXISTS {name}",
                        ],
                        check=False,
                    )
            for line in done.stdout.splitlines():
                print(line)
                if line.startswith("RESULT "):
                    _tag, vendor, count, fmt, seconds, peak, kb = line.split()
                    rows[(vendor, int(count), fmt)] = (float(seconds), float(peak), float(kb))
    print()
    print(
        f"{'database':<11}{'periods':>8}  {'format':<6}{'best s':>8}{'aim s':>7}"
        f"{'peak MB':>9}{'file KB':>9}"
    )
    for (vendor, count, fmt), (seconds, peak, kb) in sorted(rows.items()):
        print(
            f"{vendor:<11}{count:>8}  {fmt:<6}{seconds:>8.2f}{AIMS[fmt]:>7.0f}"
            f"{peak:>9.1f}{kb:>9.0f}"
        )
    counts = sorted({count for _vendor, count, _fmt in rows})
    if len(counts) >= 2:
        low, high = counts[0], counts[-1]
        print()
        for vendor, _count, fmt in sorted(key for key in rows if key[1] == low):
            if (vendor, high, fmt) in rows:
                ratio = rows[(vendor, high, fmt)][1] / rows[(vendor, low, fmt)][1]
                print(f"peak memory {high}/{low} periods, {vendor} {fmt}: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
