"""Time and peak memory of the Excel logframe's export and import on the national plan.

Issue 7 points 3 and 5: the plan of ``bench/generate.py`` (1×: 60 results, 600 actions,
1,500 indicators, 1,200 budget lines), in a fresh SQLite database (or ``--database-url``).
Measures, each with wall time and the peak of Python allocations (``tracemalloc``):

- export: the plan → XLSX bytes;
- import of the unchanged export (read, compare, apply: nothing to write);
- import with 100 action titles and 100 indicator targets edited (read, compare, write
  200 changes through the services, each an audit event).

Aim: import ≤ 5 s at 1×. Usage::

    .venv/bin/python bench/logframe.py [--scale 1] [--database-url URL]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def _measure(label: str, work):  # noqa: ANN001, ANN202 - a small script
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {seconds:7.2f} s   peak {peak / 2**20:7.1f} MB")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="nap-logframe-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/nap.sqlite3"
    os.environ["NAP1325_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import load_workbook

    from bench.generate import Size, generate
    from nap1325.interchange.logframe.apply import import_logframe
    from nap1325.interchange.logframe.export import export_logframe

    call_command("migrate", verbosity=0)
    generated = generate(size=Size.national(args.scale), working_copies=False)
    plan = generated.plan if hasattr(generated, "plan") else None
    from nap1325.plans.models import Plan

    plan = plan or Plan.objects.get(slug="bench")
    print(f"{connection.vendor}, scale {args.scale}×, plan {plan.slug}")
    data = _measure("export (XLSX)", lambda: export_logframe(plan, language="en"))
    print(f"{'':<44} {len(data) / 2**20:7.1f} MB file")
    path = Path(folder) / "logframe.xlsx"
    path.write_bytes(data)
    result = _measure(
        "import unchanged (read + compare + apply)",
        lambda: import_logframe(plan, path, actor=None, reason="bench"),
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
    workbook.save(path)
    result = _measure(
        "import with 200 changes (… + write)",
        lambda: import_logframe(plan, path, actor=None, reason="bench"),
    )
    assert not result.all_problems, [str(p) for p in result.all_problems[:5]]
    print(
        f"{'':<44} {sum(1 for c in result.changeset.changes if c.kind == 'change')} changes applied"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
