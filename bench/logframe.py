"""Time and peak memory of the Excel logframe's export and import on the national plan.

Issue 7 points 3 and 5: the plan of ``bench/generate.py`` (1×: 60 results, 600 actions,
1,500 indicators, 1,200 budget lines, 12 periods). Measures, each as the median (and best)
wall time and median CPU time of ``--repeat`` runs, then the peak of Python allocations
(``tracemalloc``) in one more, untimed run:

- export: the plan → XLSX bytes;
- import of the unchanged export (read, compare, apply: nothing to write);
- import with 100 action titles and 100 indicator targets edited (read, compare, write
  200 changes through the services, each an audit event), rolled back after each run so
  the database stays as generated.

Aim: import ≤ 5 s at 1×. By default the plan is generated into a fresh SQLite database
in a temporary folder; ``--database URL`` or ``--reuse`` (the SQLite file of
:data:`bench.kept.DEFAULT_SQLITE`, shared with ``bench/reports.py``) keep it and measure it
again without regenerating::

    .venv/bin/python bench/logframe.py --reuse [--repeat 3] [--periods 6]
    .venv/bin/python bench/logframe.py --database postgres://postgres@127.0.0.1:5432/speed_bench_12
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _measure(label: str, work, repeat: int):  # noqa: ANN001, ANN202 - a small script
    walls, cpus = [], []
    result = None
    for _run in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<44} {statistics.median(walls):7.2f} s median  {min(walls):6.2f} s best  "
        f"{statistics.median(cpus):6.2f} s CPU   peak {peak / 2**20:6.1f} MB   n={repeat}",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--periods", type=int, default=12, help="reporting periods of the plan (6 or 12 kept)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", "--database-url", dest="database")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse a SQLite file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.kept import DEFAULT_SQLITE, prepare, url_for

    folder = tempfile.mkdtemp(prefix="nap-logframe-bench-")
    template = args.database or (DEFAULT_SQLITE if args.reuse else None)
    if template and args.scale != 1 and "{scale}" not in template and not args.database:
        template = template.replace("national-", f"national-{args.scale}x-")
    prepare(url_for(template, args.periods) if template else f"sqlite:///{folder}/nap.sqlite3")
    os.environ["NAP1325_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from openpyxl import load_workbook

    from bench.generate import Size
    from bench.kept import ready_plan
    from nap1325.interchange.logframe.apply import import_logframe
    from nap1325.interchange.logframe.export import export_logframe

    size = dataclasses.replace(Size.national(args.scale), periods=args.periods)
    plan, _reused = ready_plan(size)
    print(f"{connection.vendor}, scale {args.scale}×, {args.periods} periods, plan {plan.slug}")
    data = _measure("export (XLSX)", lambda: export_logframe(plan, language="en"), args.repeat)
    print(f"{'':<44} {len(data) / 2**20:7.1f} MB file")
    path = Path(folder) / "logframe.xlsx"
    path.write_bytes(data)
    result = _measure(
        "import unchanged (read + compare + apply)",
        lambda: import_logframe(plan, path, actor=None, reason="bench"),
        args.repeat,
    )
    assert not result.all_problems, result.all_problems[:5]
    workbook = load_workbook(io.BytesIO(data))
    for sheet, key, edit in (
        ("actions", "title", lambda v: f"{v} (revised)"),
        ("indicators", "target_value", None),
    ):
        ws = workbook[sheet]
        head = {c.value: c.column for c in ws[1]}
        edited = 0
        for row in range(3, ws.max_row + 1):
            cell = ws.cell(row, head[key])
            if edit:
                cell.value = edit(cell.value)
            elif isinstance(cell.value, int | float) and cell.value > 0:
                cell.value = cell.value + 1
            else:
                continue
            edited += 1
            if edited == 100:
                break
    edited_path = Path(folder) / "logframe-edited.xlsx"
    workbook.save(edited_path)

    def edited_import():  # noqa: ANN202
        with transaction.atomic():
            done = import_logframe(plan, edited_path, actor=None, reason="bench")
            transaction.set_rollback(True)  # keep the kept database as generated
        return done

    result = _measure("import with 200 changes (… + write)", edited_import, args.repeat)
    assert not result.all_problems, [str(p) for p in result.all_problems[:5]]
    print(
        f"{'':<44} {sum(1 for c in result.changeset.changes if c.kind == 'change')} changes applied"
    )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    shutil.rmtree(folder, ignore_errors=True)  # the files; a kept database lives elsewhere
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
