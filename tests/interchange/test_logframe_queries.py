"""Export and import of the logframe ask the database a fixed number of times.

The national plan (bench/generate.py) must not cost a query per row: the same queries at
20 and at 60 indicators (and 6 and 18 actions with their budget lines).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import Size, generate
from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.export import export_logframe

pytestmark = pytest.mark.django_db


def _queries(plan, coordinator, tmp_path) -> tuple[int, int, dict]:  # noqa: ANN001
    with CaptureQueriesContext(connection) as exported:
        data = export_logframe(plan, language="en")
    path = tmp_path / f"{plan.slug}.xlsx"
    path.write_bytes(data)
    with CaptureQueriesContext(connection) as imported:
        result = import_logframe(plan, path, actor=coordinator, reason="check", dry_run=True)
    assert [str(p) for p in result.all_problems] == []
    return len(exported), len(imported), result.changeset.counts()


def test_queries_do_not_grow_with_the_plan(tmp_path):
    small = generate(
        size=Size(pillars=2, results=4, actions=6, indicators=20, periods=1, agencies=3),
        slug="small",
    )
    large = generate(
        size=Size(pillars=2, results=4, actions=18, indicators=60, periods=1, agencies=3),
        slug="large",
    )
    small_export, small_import, small_counts = _queries(small.plan, small.coordinator, tmp_path)
    large_export, large_import, large_counts = _queries(large.plan, large.coordinator, tmp_path)
    assert small_counts["indicators"]["same"] == 20
    assert large_counts["indicators"]["same"] == 60
    assert large_counts["actions"]["same"] == 18
    assert (large_export, large_import) == (small_export, small_import)
    assert small_export <= 11 and small_import <= 19  # read, compare and a dry-run apply
